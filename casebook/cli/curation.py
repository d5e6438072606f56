"""`casebook curate`, `run`, `cases`, `corrections` and `families`: the coach's side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from casebook.cli.common import (
    UserError,
    check_choice,
    command_group,
    console,
    counted,
    filter_choices,
    friendly,
    load_settings,
    progress_bars,
    run_step,
    store_engine,
)
from casebook.cli.summaries import (
    OutputFormat,
    check_output,
    check_sources,
    curate_line,
    pipeline_lines,
    refine_line,
    show,
)

corrections_app = command_group(help="Coaches' label corrections.", no_args_is_help=True)
families_app = command_group(help="Families of similar cases.", no_args_is_help=True)


def curate(format: OutputFormat = "text") -> None:
    """Turn changed threads into cases and scenario drafts (the curate_cases flow does this,
    then `casebook refine`)."""
    check_output(format)
    counts = run_step("curate")
    show(counts, [curate_line(counts)], format)


def refine(
    max_cases: Annotated[
        int | None,
        typer.Option(
            "--max-cases",
            min=0,
            help="How many of the most notable cases (default CASEBOOK_REFINE_MAX_CASES).",
        ),
    ] = None,
    format: OutputFormat = "text",
) -> None:
    """Read the customer comments of the most notable cases again with the slow pass (sentence
    encoder), those it has not read yet; stored beside the fast labels, which curation keeps."""
    check_output(format)
    result = run_step("refine", max_cases)
    show(result, [refine_line(result)], format)


def run(format: OutputFormat = "text") -> None:
    """Run the whole pipeline once: ingest, enrich, curate, refine (as the feedback_pipeline flow
    does)."""
    check_output(format)
    result = run_step("run_pipeline")
    show(result, pipeline_lines(result), format)
    check_sources(result["ingest"], rest=" and the other steps ran")


def cases(
    top: Annotated[int, typer.Option(min=1, help="How many cases.")] = 20,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    language: Annotated[
        str | None, typer.Option(help="Only cases in this language (e.g. fr, en).")
    ] = None,
    arc: Annotated[
        str | None, typer.Option(help="Only cases of this arc (recovery, escalation, ...).")
    ] = None,
    situation: Annotated[str | None, typer.Option(help="Only cases of this situation.")] = None,
) -> None:
    """Print the coach's queue: the most notable cases first, each with the conversation's outcome
    (how the customer starts > whether the need was met > how they end) and why it scores so."""
    from curation.grouping import similar_threads
    from store.db import transaction
    from store.queue import top_case_rows

    if format not in ("table", "json"):
        raise UserError("--format must be table or json")
    settings = load_settings()
    engine = store_engine(settings)
    if language is not None or arc is not None or situation is not None:
        choices = filter_choices(engine, settings)
        check_choice("--language", language, choices["language"])
        check_choice("--arc", arc, choices["arc"])
        check_choice("--situation", situation, choices["situation"])
    with transaction(engine) as session:
        rows = top_case_rows(session, limit=top, language=language, arc=arc, situation=situation)
    if format == "json":
        console.print_json(json.dumps(rows, default=str, ensure_ascii=False))
        return
    table = Table()
    for column in (
        "id",
        "arc",
        "score",
        "outcome",
        "why",
        "parts",
        "situation",
        "lang",
        "channel",
        "similar",
        "family",
        "title",
    ):
        table.add_column(column)
    for row in rows:
        parts = " ".join(f"{name[:3]} {float(value):.2f}" for name, value in row["parts"].items())
        family = (
            f"{row['family']} ({row['family_size_this_week']} this week / {row['family_size']})"
            if row["family"]
            else ""
        )
        outcome = f"{row['start']} > {row['need']} > {row['end']}"
        if row["delicate"]:
            outcome += f" ({', '.join(row['delicate'])})"
        table.add_row(
            str(row["id"]),
            row["arc"],
            f"{row['score']:.3f}",
            outcome,
            row["why"],
            parts,
            row["situation"],
            row["language"],
            row["channel"],
            str(similar_threads(row["duplicate_count"])),
            family,
            row["title"],
        )
    # Wide enough for the outcome and its explanation even when the output is not a terminal.
    Console(width=max(console.width, 220)).print(table)


@corrections_app.command("export")
@friendly
def corrections_export(
    out: Annotated[Path, typer.Argument(help="The CSV file to write.")],
) -> None:
    """Write the label corrections for retraining: redacted text, field, new label."""
    from store.corrections import export_corrections
    from store.db import transaction

    engine = store_engine(load_settings())
    with transaction(engine) as session:
        n = export_corrections(session, path=out)
    console.print(f"{counted(n, 'correction')} written to {out}", highlight=False)


@families_app.command("list")
@friendly
def families_list(
    top: Annotated[int, typer.Option(min=1, help="How many families.")] = 20,
    situation: Annotated[str | None, typer.Option(help="Only this situation.")] = None,
) -> None:
    """The largest families of similar cases this week."""
    from store.db import transaction
    from store.families import family_list

    settings = load_settings()
    engine = store_engine(settings)
    if situation is not None:
        check_choice("--situation", situation, filter_choices(engine, settings)["situation"])
    with transaction(engine) as session:
        rows = family_list(session, limit=top, situation=situation)
    if not rows:
        console.print("no families yet: run `casebook curate`")
        return
    table = Table()
    for column in ("id", "name", "situation", "this week", "size"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["name"],
            row["situation"] or "",
            str(row["size_this_week"]),
            str(row["size"]),
        )
    console.print(table)


@families_app.command("rebuild")
@friendly
def families_rebuild() -> None:
    """Recompute duplicates and families from scratch: candidate cases are curated again."""
    from casebook.steps.curate import curate_changed
    from casebook.steps.enrich import current_version

    settings = load_settings()
    engine = store_engine(settings)
    with progress_bars():
        counts = curate_changed(engine, current_version(settings), settings, rebuild=True)
    show(counts, [curate_line(counts)], "text")


def register(app: typer.Typer) -> None:
    """Add curate, refine, run, cases, corrections export and families to the `casebook` command."""
    app.command("curate")(friendly(curate))
    app.command("refine")(friendly(refine))
    app.command("run")(friendly(run))
    app.command("cases")(friendly(cases))
    app.add_typer(corrections_app, name="corrections")
    app.add_typer(families_app, name="families")
