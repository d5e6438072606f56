"""The wheel holds what the product reads at run time, and works outside the checkout: built with
`pip wheel .`, installed into a fresh virtual environment, run from a folder of its own."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
# Folders of the checkout that the wheel must not ship (data/eval: evaluation sets).
NOT_SHIPPED = {"casebook_data.eval"}
# The modules that the product imports by name (flows and pages too).
TOP_LEVEL = (
    "casebook",
    "casebook_data",
    "curation",
    "dashboard",
    "delivery",
    "flows",
    "nlp",
    "sources",
    "store",
)


def _folder(package: str) -> Path:
    """The checkout folder of a package, as setuptools maps it (package-dir)."""
    top, _, rest = package.partition(".")
    base = ROOT / SETUPTOOLS.get("package-dir", {}).get(top, top)
    return base.joinpath(*rest.split(".")) if rest else base


def test_every_folder_of_code_or_data_is_a_listed_package():
    listed = set(SETUPTOOLS["packages"])
    assert set(TOP_LEVEL) <= listed
    found = set()
    for top in TOP_LEVEL:
        for folder in [_folder(top), *_folder(top).rglob("*")]:
            if folder.is_dir() and folder.name != "__pycache__":
                name = ".".join([top, *folder.relative_to(_folder(top)).parts])
                if not any(name == n or name.startswith(n + ".") for n in NOT_SHIPPED):
                    found.add(name)
    assert found == listed, "pyproject.toml's [tool.setuptools] packages differ from the folders"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the checkout (pip builds in the source tree, and a build/
    folder left there by an earlier build would add its files)."""
    source = tmp_path_factory.mktemp("source") / "casebook"
    shutil.copytree(
        ROOT,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".*", "build", "var", "*.egg-info", "__pycache__", "output", "bench", "docs"
        ),
    )
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)],
        check=True,
        cwd=out,
    )
    (path,) = out.glob("casebook-*.whl")
    return path


@pytest.mark.slow
def test_the_wheel_holds_what_runs_and_nothing_of_the_evaluation(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "casebook_data/taxonomy.yaml",
        "casebook_data/models/sentiment/classifier.skops",
        "casebook_data/models/sentiment/fr/classifier.skops",
        "casebook_data/models/emotion/classifier.skops",
        "casebook_data/models/language/classifier.skops",
        "casebook_data/models/sentiment/card.json",
        "casebook_data/gazetteers/first_names.txt",
        "casebook_data/gazetteers/brands.txt",
        "casebook_data/language/other_languages.txt",
        "flows/prefect.yaml",
        "store/migrations/env.py",
        "store/migrations/script.py.mako",
        "store/migrations/versions/0001_initial_schema.py",
        "dashboard/app.py",
        "dashboard/serve.py",
        "delivery/player.js",  # copied into every SCORM, cmi5 package
        "delivery/player.css",
    ):
        assert expected in names, expected
    pages = {p.name for p in (ROOT / "dashboard" / "screens").glob("*.py")}
    assert pages and pages <= {Path(n).name for n in names if n.startswith("dashboard/screens/")}
    # The real file, not a link: the same text as the top-level prefect.yaml.
    with zipfile.ZipFile(wheel) as whl:
        assert whl.read("flows/prefect.yaml") == (ROOT / "prefect.yaml").read_bytes()
    shipped_tops = {n.split("/")[0] for n in names if "/" in n and ".dist-info/" not in n}
    assert shipped_tops == set(TOP_LEVEL)
    assert not [n for n in names if n.startswith(("tests/", "casebook_data/eval/", "bench/"))]
    assert not [n for n in names if "pii_testset" in n or "pii_heldout" in n]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, dict[str, str], Path]:
    """A fresh virtual environment with the wheel installed; the dev environment's third-party
    packages are visible through a path line (offline and fast), the checkout is not."""
    home = tmp_path_factory.mktemp("elsewhere")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
        + ["--no-deps", "--no-index", str(wheel)],
        check=True,
        cwd=home,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # A plain path line: the dev site-packages' own .pth files (the editable install's finder,
    # which maps the packages to the checkout) are not run from it.
    Path(site, "dev_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEBOOK_", "PYTHON"))}
    env.update(
        CASEBOOK_VAR_DIR=str(home / "var"),
        CASEBOOK_SECRET_KEY="packaging-test-" + "k" * 32,
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_HOME=str(home / "prefect"),
    )
    return venv, env, home


@pytest.mark.slow
def test_the_installed_wheel_imports_nothing_from_the_checkout(installed):
    venv, env, home = installed
    code = "import json, importlib; print(json.dumps({m: importlib.import_module(m).__file__ for m in %r}))"
    files = json.loads(
        subprocess.run(
            [str(venv / "bin" / "python"), "-c", code % (TOP_LEVEL,)],
            check=True,
            capture_output=True,
            text=True,
            cwd=home,
            env=env,
        ).stdout
    )
    for module, file in files.items():
        assert Path(file).resolve().is_relative_to(venv.resolve()), (module, file)


@pytest.mark.slow
def test_the_demo_runs_from_the_installed_wheel_anywhere(installed):
    venv, env, home = installed
    casebook = str(venv / "bin" / "casebook")
    subprocess.run(
        [casebook, "demo", "--no-dashboard", "--comments", "200"],
        check=True,
        cwd=home,
        env=env,
        timeout=600,
    )
    with sqlite3.connect(home / "var" / "casebook.db") as db:
        counts = {
            t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("comments", "analyses", "cases")
        }
    assert all(counts.values()), counts
    cases = subprocess.run(
        [casebook, "cases", "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
        cwd=home,
        env=env,
    )
    assert json.loads(cases.stdout)

    port = _free_port()
    dashboard = subprocess.Popen(
        [casebook, "dashboard", "--port", str(port)],
        cwd=home,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: streamlit is a child of the command
    )
    try:
        health = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and health != "ok":
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as r:
                    health = r.read().decode()
            except OSError:
                time.sleep(1)
        assert health == "ok"
    finally:
        os.killpg(dashboard.pid, signal.SIGTERM)
        dashboard.wait(timeout=30)
