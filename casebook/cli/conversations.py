"""`casebook evaluate conversations`: the conversation outcome's figures on the annotated threads.

Dev (what the rules were written on; the real threads apart from the written ones), dev again with the cue words only one dev thread shows
held out while that thread is judged (an honest estimate of the rules on threads they were not
written on), a stricter one holding out the cue words fewer than 3 dev threads show, and test (never looked at while designing) side by side, each beside its target,
then the replay of coaches' verdicts on the dev split.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from casebook.cli.common import UserError, console, err

FIGURES = (
    "threads",
    "recovery_precision",
    "recovery_recall",
    "recovery_counts",
    "escalation_precision",
    "escalation_recall",
    "escalation_counts",
    "notable_precision_at_10",
    "notable_share",
    "role_accuracy",
    "role_fix_precision",
    "role_fix_recall",
    "kind_accuracy",
    "start_accuracy",
    "need_accuracy",
    "end_accuracy",
    "arc_accuracy",
    "pivotal_accuracy",
)

COLUMN_TITLES = {
    "dev": "dev (real)",
    "dev_held_out_cues": "dev (real), one-thread cues held out",
    "dev_held_out_cues_3": "dev (real), cues of < 3 threads held out",
    "dev_written": "dev (written)",
    "dev_written_held_out_cues": "dev (written), one-thread cues held out",
    "dev_all": "dev (both)",
    "test": "test (real)",
    "test_written": "test (written)",
    "test_all": "test (both)",
}
# Each writer's set is a column of its own ("test_written_f": "test (writer F)"), after the
# written threads of its split.
WRITER_COLUMN = re.compile(r"(dev|test)_written_([a-z])")


def column_title(name: str) -> str:
    writer = WRITER_COLUMN.fullmatch(name)
    if writer:
        return f"{writer[1]} (writer {writer[2].upper()})"
    return COLUMN_TITLES.get(name, name)


def ordered_columns(names: Iterable[str]) -> list[str]:
    """The columns of `names` in the table's order (COLUMN_TITLES'), each writer's set after the
    written threads of its split, writers alphabetically; unknown names last."""
    known = list(COLUMN_TITLES)

    def place(name: str) -> tuple[int, int, str]:
        writer = WRITER_COLUMN.fullmatch(name)
        if writer:
            return (known.index(f"{writer[1]}_written"), 1, name)
        return (known.index(name) if name in known else len(known), 0, name)

    return sorted(names, key=place)


def figure_cell(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def evaluate_conversations(
    data: Path, models: Path | None, split: str, out: Path | None, strict: bool
) -> None:
    """Print (and with `out`, write) the figures of the splits asked for."""
    from casebook.conversation_eval import TARGETS, run
    from casebook.settings import get_settings

    splits = {"dev": ("dev",), "test": ("test",), "both": ("dev", "test")}.get(split)
    if splits is None:
        raise UserError("--split must be dev, test or both")
    if not data.is_dir():
        raise UserError(f"{data} is not a folder: pass --data (the shared data sets of a checkout)")
    try:
        with err.status("evaluating conversations"):
            results, replay = run(splits, data, models or get_settings().models_dir)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from exc
    columns = ordered_columns(results)
    table = Table(title="conversation outcome on the annotated threads")
    table.add_column("figure", no_wrap=True)
    for name in columns:
        table.add_column(column_title(name), justify="right")
    table.add_column("target", justify="right")
    for figure in FIGURES:
        target = TARGETS.get(figure)
        table.add_row(
            figure,
            *(figure_cell(results[s].get(figure)) for s in columns),
            f">= {target:.2f}" if target else "",
        )
    wide = Console(width=max(console.width, 140))
    wide.print(table)
    if replay:
        wide.print(
            "coaches' verdicts replayed from the labels of half A of dev "
            f"({replay['verdicts']} verdicts, muted cues {replay['muted_cues']}): "
            f"half B before {replay['B_before']}, after {replay['B_after']}; "
            f"half A after {replay['A_after']}",
            highlight=False,
        )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"figures": results, "replay": replay}, indent=2) + "\n")
    missed = [
        f"{s}:{f}"
        for s in columns
        if s == "test" or s.startswith("test_")
        for f, target in TARGETS.items()
        if results[s].get(f) is None or results[s][f] < target
    ]
    if missed:
        wide.print(f"targets missed on test: {', '.join(missed)}", highlight=False)
    if strict and missed:
        raise typer.Exit(1)
