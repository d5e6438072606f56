"""The layout's rules that a reader relies on: no import cycle, long modules say why they are long.

The layers themselves (who may import whom) are import-linter contracts in pyproject.toml, checked
by `make lint`.
"""

from __future__ import annotations

import ast
import graphlib
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    "casebook",
    "casebook_data",
    "curation",
    "dashboard",
    "flows",
    "nlp",
    "sources",
    "store",
)
MAX_LINES = 500
REASON = "one module because"


def import_cycle(*packages: str) -> list[str] | None:
    """One cycle of module imports among the packages (function-level imports included), or None."""
    graph = grimp.build_graph(*packages)
    sorter = graphlib.TopologicalSorter(
        {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    )
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def test_the_project_has_no_import_cycle():
    assert import_cycle(*PACKAGES) is None


def test_a_cycle_is_found_even_through_a_lazy_import(tmp_path, monkeypatch):
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic import b\n")
    (package / "b.py").write_text("def later():\n    from cyclic import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cycle = import_cycle("cyclic")
    sys.modules.pop("cyclic", None)
    assert cycle is not None
    assert set(cycle) == {"cyclic.a", "cyclic.b"}


def product_modules() -> list[Path]:
    folders = [ROOT / p for p in PACKAGES if p != "casebook_data"] + [ROOT / "data"]
    return sorted(
        path
        for folder in folders
        for path in folder.rglob("*.py")
        if "migrations" not in path.parts and "eval" not in path.relative_to(ROOT).parts
    )


@pytest.mark.parametrize("path", product_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_long_module_says_why_it_is_one_module(path):
    source = path.read_text(encoding="utf-8")
    lines = source.count("\n")
    if lines <= MAX_LINES:
        return
    docstring = ast.get_docstring(ast.parse(source)) or ""
    assert REASON in " ".join(docstring.split()), (
        f"{path.relative_to(ROOT)} has {lines} lines: split it, or say at its top why it is "
        f"{REASON} ..."
    )
