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

from casebook.cli.common import UserError, compact_table, console, counted, err

# The figures, in three tables of a row per split, so that they read at 100 columns (a column
# per split needed some 320): what each arc finding scores (with the targets), how often each
# reading of a conversation is right, and the counts behind the precisions.
TABLES = (
    (
        "arcs found",
        (
            ("threads", "threads"),
            ("recovery_precision", "recovery\nprecision"),
            ("recovery_recall", "recovery\nrecall"),
            ("escalation_precision", "escalation\nprecision"),
            ("escalation_recall", "escalation\nrecall"),
            ("notable_precision_at_10", "notable\nprecision\nat 10"),
            ("notable_share", "notable\nshare"),
        ),
    ),
    (
        "accuracy of each reading",
        (
            ("role_accuracy", "role"),
            ("role_fix_precision", "role fix\nprecision"),
            ("role_fix_recall", "role fix\nrecall"),
            ("kind_accuracy", "kind"),
            ("start_accuracy", "start"),
            ("need_accuracy", "need"),
            ("end_accuracy", "end"),
            ("arc_accuracy", "arc"),
            ("pivotal_accuracy", "pivotal\nreply"),
        ),
    ),
    (
        "counts",
        (
            ("recovery_counts", "recoveries"),
            ("escalation_counts", "escalations"),
        ),
    ),
)
FIGURES = tuple(figure for _, columns in TABLES for figure, _ in columns)
HEADERS = {figure: header for _, columns in TABLES for figure, header in columns}

# Short, so that a table's row fits on one line at 100 columns; SPLITS_LEGEND says what they mean.
COLUMN_TITLES = {
    "dev": "dev real",
    "dev_held_out_cues": "dev real, held 1",
    "dev_held_out_cues_3": "dev real, held <3",
    "dev_written": "dev written",
    "dev_written_held_out_cues": "dev written, held 1",
    "dev_all": "dev both",
    "test": "test real",
    "test_written": "test written",
    "test_all": "test both",
}
SPLITS_LEGEND = (
    "real: TWCS, CFPB and generated French threads; written: threads written for the evaluation "
    "(each writer's apart); held 1: the cue words only one dev thread shows held out while that "
    "thread is judged; held <3: the cue words fewer than 3 dev threads show held out"
)
# Each writer's set is a row of its own ("test_written_f": "test writer F"), after the written
# threads of its split.
WRITER_COLUMN = re.compile(r"(dev|test)_written_([a-z])")


def column_title(name: str) -> str:
    """A split's short title ("dev real, held 1", "test writer F")."""
    writer = WRITER_COLUMN.fullmatch(name)
    if writer:
        return f"{writer[1]} writer {writer[2].upper()}"
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


def figure_table(
    title: str,
    figures: tuple[tuple[str, str], ...],
    columns: list[str],
    results: dict[str, dict[str, Any]],
    targets: dict[str, float],
) -> Table:
    """A row per split (dev's, then test's), a column per figure, and the targets' row last."""
    table = compact_table(title=title)
    table.add_column("split", no_wrap=True)
    for figure, header in figures:
        # Figures right-aligned; the counts ("6 right of 11 said, 9 labelled") read from the left.
        table.add_column(header, justify="left" if figure.endswith("_counts") else "right")
    for split, following in zip(columns, [*columns[1:], ""], strict=True):
        table.add_row(
            column_title(split),
            *(figure_cell(results[split].get(figure)) for figure, _ in figures),
            # A rule between the dev splits and the test splits.
            end_section=split.startswith("dev") and following.startswith("test"),
        )
    if any(figure in targets for figure, _ in figures):
        table.add_section()
        table.add_row(
            "target",
            *(f">= {targets[f]:.2f}" if f in targets else "" for f, _ in figures),
        )
    return table


def replay_table(replay: dict[str, Any]) -> Table:
    """The replay of dev labels as coaches' verdicts: each half of dev before and after."""
    halves = [key for key in ("A_before", "A_after", "B_before", "B_after") if key in replay]
    figures = list(dict.fromkeys(f for key in halves for f in replay[key]))
    muted = ", ".join(replay.get("muted_cues") or []) or "none"
    table = compact_table(
        title="coaches' verdicts replayed from the labels of half A of dev "
        f"({counted(replay['verdicts'], 'verdict')}, muted cues: {muted})"
    )
    table.add_column("half of dev", no_wrap=True)
    for figure in figures:
        header = "arc\naccuracy" if figure == "arc_accuracy" else HEADERS.get(figure, figure)
        table.add_column(header.replace("_", " "), justify="right")
    for key in halves:
        half, when = key.split("_")
        table.add_row(
            f"{half} {when}", *(figure_cell(replay[key].get(figure)) for figure in figures)
        )
    return table


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
    wide = Console(width=max(console.width, 100))
    for title, figures in TABLES:
        wide.print(
            figure_table(f"conversation outcome: {title}", figures, columns, results, TARGETS)
        )
        wide.print()
    wide.print(SPLITS_LEGEND, highlight=False)
    if replay:
        wide.print()
        wide.print(replay_table(replay))
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
