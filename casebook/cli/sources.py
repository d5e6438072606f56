"""`casebook import`, `ingest`, `sources`, `quarantine list|retry` and `erase`: the ingest side."""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from casebook.cli.common import (
    UserError,
    command_group,
    compact_table,
    console,
    counted,
    friendly,
    load_settings,
    pipeline_store,
    progress_bars,
    run_step,
    store_engine,
)
from casebook.cli.summaries import (
    OutputFormat,
    check_output,
    check_sources,
    ingest_line,
    ingest_lines,
    show,
)


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    json = "json"
    xlsx = "xlsx"
    twcs = "twcs"
    cfpb = "cfpb"
    email = "email"


# Formats whose channel is fixed by the format itself; the others take --channel and --mapping.
FIXED_CHANNEL = {Format.twcs: "twitter", Format.cfpb: "complaint", Format.email: "email"}


def import_file(
    path: Annotated[Path, typer.Argument(help="A file (or a folder of files) to import once.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="The file's format.")],
    source: Annotated[
        str, typer.Option("--source", "-s", help="The source the comments belong to.")
    ],
    channel: Annotated[
        str, typer.Option(help="Channel of the comments (csv, jsonl, json, xlsx).")
    ] = "",
    mapping: Annotated[
        str, typer.Option(help='Column mapping as JSON, e.g. {"text": "body"}.')
    ] = "",
) -> None:
    """Import a file into a source; importing it again adds nothing."""
    from casebook.steps.ingest import ingest_source, register_source

    if not path.exists():
        raise UserError(f"{path} does not exist")
    settings = load_settings()
    engine = store_engine(settings)
    config: dict[str, Any] = {"path": str(path.resolve())}
    if format not in FIXED_CHANNEL:
        try:
            config["mapping"] = json.loads(mapping) if mapping else None
        except json.JSONDecodeError as exc:
            raise UserError(f"--mapping is not valid JSON: {exc}") from None
        config["channel"] = channel or source
    register_source(
        engine, source, format.value, FIXED_CHANNEL.get(format, channel or source), config
    )
    with progress_bars():
        result = ingest_source(engine, source, settings.pseudonym_key())
    console.print(ingest_line(asdict(result)), highlight=False, soft_wrap=True)


def ingest(
    source: Annotated[
        list[str] | None, typer.Option(help="Only this source (repeatable), declared or stored.")
    ] = None,
    format: OutputFormat = "text",
) -> None:
    """Ingest what is new in every configured source (as the ingest_feedback flow does)."""
    from casebook.steps.ingest import load_sources_file, sync_sources

    check_output(format)
    settings, engine = pipeline_store()
    # The declared sources are stored first, so that one named by --source is read on its own
    # the first time too (not only after a plain `casebook ingest` registered it).
    enabled = sync_sources(engine, settings)
    known = sorted(
        {*enabled, *(entry["name"] for entry in load_sources_file(settings.sources_file))}
    )
    for name in source or ():
        if name not in known:
            raise UserError(
                f"no source is called {name!r}: "
                + (
                    f"the sources are {', '.join(known)}"
                    if known
                    else f"declare it in {settings.sources_file} or import a file into it "
                    "(`casebook import`)"
                )
            )
    results = run_step("ingest_sources", source or enabled, store=(settings, engine))
    show(results, ingest_lines(results), format)
    check_sources(results)


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def sources() -> None:
    """List the declared (sources.yaml) and stored sources with schedule, last run and counts."""
    from casebook.steps.ingest import load_sources_file
    from store.admin import source_overview
    from store.db import transaction

    settings = load_settings()
    engine = store_engine(settings)
    declared = load_sources_file(settings.sources_file)
    with transaction(engine) as session:
        rows = source_overview(session, declared=declared)
    if not rows:
        console.print(f"no sources: declare them in {settings.sources_file}")
        return
    # Readable at 80 columns: a source's name whole (marked when disabled, or no longer in
    # sources.yaml), its kind, channel and schedule in one column, the last run's status and time
    # in another.
    table = compact_table()
    table.add_column("source", no_wrap=True)
    table.add_column("kind, channel\nschedule")
    table.add_column("last run")
    table.add_column("comments", justify="right")
    table.add_column("quarantined", justify="right")
    for row in rows:
        status = row["last_run_status"] or ("never" if row["stored"] else "not stored yet")
        when = _when(row["last_run_finished_at"] or row["last_run_started_at"])
        table.add_row(
            row["name"]
            + ("" if row["declared"] else " *")
            + ("" if row["enabled"] else "\n(disabled)"),
            f"{row['kind']}, {row['channel']}"
            + (f"\n{row['schedule']}" if row["schedule"] else ""),
            f"{status} {when}".strip(),
            f"{row['comments']:,}",
            f"{row['quarantined']:,}",
        )
    console.print(table)
    if not all(row["declared"] for row in rows):
        console.print(f"* not declared in {settings.sources_file} (imported, or removed from it)")


def quarantine_list(
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many records, latest first.")] = 50,
) -> None:
    """Show quarantined records with their source, position, reason and retry attempts."""
    from store.db import transaction
    from store.quarantine import quarantine_count, quarantined

    engine = store_engine(load_settings())
    with transaction(engine) as session:
        rows = quarantined(session, source=source, limit=limit).to_dict("records")
        total = quarantine_count(session, source=source)
    if not rows:
        console.print("the quarantine is empty" + (f" for {source}" if source else ""))
        return
    table = Table()
    for column in ("source", "position", "reason", "attempts"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["source"], row["position"], row["reason"], str(row["attempts"]))
    console.print(table)
    hidden = total - len(rows)
    console.print(
        f"{len(rows)} of {counted(total, 'quarantined record')}"
        + (f": {hidden} more not shown (--limit {total} shows them all)" if hidden > 0 else "")
    )


def quarantine_retry(
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
) -> None:
    """Parse quarantined records again with the sources' current settings; ingest what now reads."""
    from casebook.steps.ingest import retry_quarantine

    settings = load_settings()
    engine = store_engine(settings)
    results = retry_quarantine(engine, settings.pseudonym_key(), source)
    if not results:
        console.print("the quarantine is empty" + (f" for {source}" if source else ""))
        return
    for r in results:
        console.print(
            f"{r.source}: {r.retried} retried, {r.ingested} ingested, {r.still} still quarantined"
        )


def erase(
    author: Annotated[
        str, typer.Option(help="The person's handle or id, as the channel gives it.")
    ],
    source: Annotated[str, typer.Option(help="The source the handle belongs to.")],
    actor: Annotated[str | None, typer.Option(help="Who asks (the audit log's actor).")] = None,
) -> None:
    """Erase a person: their comments and everything derived from them (right to erasure)."""
    from store.db import transaction
    from store.erase import erase_author

    settings = load_settings()
    engine = store_engine(settings)
    if not author.strip():
        raise UserError("--author is empty")
    with transaction(engine) as session:
        done = erase_author(
            session,
            source_name=source,
            handle=author,
            key=settings.pseudonym_key(),
            actor=actor or getpass.getuser(),
        )
    console.print(
        f"erased author {done.author_ref} on {source}: {counted(done.comments, 'comment')}, "
        f"{counted(done.analyses, 'analysis', 'analyses')}, "
        f"{counted(done.refinements, 'slow-pass reading')}, "
        f"{counted(done.revisions, 'revision')}, "
        f"{counted(done.label_corrections, 'label correction')}, "
        f"{counted(done.quarantined, 'quarantined record')}, {counted(done.cases, 'case')}, "
        f"{counted(done.scenarios, 'scenario')}, {counted(done.threads_deleted, 'thread')} "
        f"deleted, {counted(done.threads_recounted, 'thread')} recounted"
        + (
            f", {counted(done.campaign_quizzes, 'kept campaign quiz', 'kept campaign quizzes')} "
            "dropped"
            if done.campaign_quizzes
            else ""
        ),
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add the ingest-side commands to the `casebook` command."""
    app.command("import")(friendly(import_file))
    app.command("ingest")(friendly(ingest))
    app.command("sources")(friendly(sources))
    app.command("erase")(friendly(erase))
    quarantine_app = command_group(help="Records that could not be ingested.", no_args_is_help=True)
    quarantine_app.command("list")(friendly(quarantine_list))
    quarantine_app.command("retry")(friendly(quarantine_retry))
    app.add_typer(quarantine_app, name="quarantine")
