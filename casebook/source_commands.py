"""`casebook sources`, `casebook quarantine list|retry` and `casebook erase`: the ingest side.

casebook/cli.py calls register(app) once.
"""

from __future__ import annotations

import getpass
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from casebook.cli import UserError, _engine, _settings, friendly

console = Console()


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def sources() -> None:
    """List the declared (sources.yaml) and stored sources with schedule, last run and counts."""
    from casebook.pipeline import load_sources_file
    from store.admin import source_overview
    from store.db import transaction

    settings = _settings()
    engine = _engine(settings)
    declared = load_sources_file(settings.sources_file)
    with transaction(engine) as session:
        rows = source_overview(session, declared=declared)
    if not rows:
        console.print(f"no sources: declare them in {settings.sources_file}")
        return
    table = Table()
    for column in (
        "name",
        "kind",
        "channel",
        "schedule",
        "enabled",
        "declared",
        "last run",
        "finished",
        "comments",
        "quarantined",
    ):
        table.add_column(
            column, justify="right" if column in ("comments", "quarantined") else "left"
        )
    for row in rows:
        table.add_row(
            row["name"],
            row["kind"],
            row["channel"],
            row["schedule"] or "",
            "yes" if row["enabled"] else "no",
            "yes" if row["declared"] else "no",
            row["last_run_status"] or ("never" if row["stored"] else "not stored yet"),
            _when(row["last_run_finished_at"] or row["last_run_started_at"]),
            f"{row['comments']:,}",
            f"{row['quarantined']:,}",
        )
    console.print(table)


def quarantine_list(
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    limit: Annotated[int, typer.Option(help="How many records, latest first.")] = 50,
) -> None:
    """Show quarantined records with their source, position, reason and retry attempts."""
    from store.db import transaction
    from store.quarantine import quarantined

    engine = _engine(_settings())
    with transaction(engine) as session:
        rows = quarantined(session, source=source, limit=limit).to_dict("records")
    if not rows:
        console.print("the quarantine is empty" + (f" for {source}" if source else ""))
        return
    table = Table()
    for column in ("source", "position", "reason", "attempts"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["source"], row["position"], row["reason"], str(row["attempts"]))
    console.print(table)


def quarantine_retry(
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
) -> None:
    """Parse quarantined records again with the sources' current settings; ingest what now reads."""
    from casebook.pipeline import retry_quarantine

    settings = _settings()
    engine = _engine(settings)
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

    settings = _settings()
    engine = _engine(settings)
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
        f"erased author {done.author_ref} on {source}: {done.comments} comments, "
        f"{done.analyses} analyses, {done.revisions} revisions, "
        f"{done.label_corrections} label corrections, {done.quarantined} quarantined records, "
        f"{done.cases} cases, {done.scenarios} scenarios, {done.threads_deleted} threads "
        f"deleted, {done.threads_recounted} threads recounted"
    )


def register(app: typer.Typer) -> None:
    """Add the ingest-side commands to the `casebook` command."""
    app.command("sources")(friendly(sources))
    app.command("erase")(friendly(erase))
    quarantine_app = typer.Typer(help="Records that could not be ingested.", no_args_is_help=True)
    quarantine_app.command("list")(friendly(quarantine_list))
    quarantine_app.command("retry")(friendly(quarantine_retry))
    app.add_typer(quarantine_app, name="quarantine")
