"""`casebook xapi send|status|backfill`: the xAPI outbox of peer-learning statements and the LRS.

The statements themselves are exported with `casebook export --format xapi` (casebook/cli/export.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from casebook.cli.common import (
    UserError,
    command_group,
    console,
    counted,
    friendly,
    load_settings,
    store_engine,
)

xapi_app = command_group(
    help="xAPI statements of peer learning: the outbox and the LRS it is sent to.",
    no_args_is_help=True,
)


@xapi_app.command("send")
@friendly
def send(
    now: Annotated[
        bool,
        typer.Option("--now", help="Retry failed statements now instead of after their backoff."),
    ] = False,
) -> None:
    """Post the outbox's due statements to the LRS (CASEBOOK_LRS_URL), in batches."""
    from casebook.steps.xapi import LrsNotConfigured, send_pending

    settings = load_settings()
    engine = store_engine(settings)
    try:
        report = send_pending(engine, settings, ignore_backoff=now)
    except LrsNotConfigured as exc:
        raise UserError(str(exc)) from None
    console.print(f"sent {report.sent:,}, failed {report.failed:,} (kept in the outbox)")
    if report.unreachable:
        raise UserError(f"{report.error}; the statements stay in the outbox for the next run")


@xapi_app.command("status")
@friendly
def status() -> None:
    """How many statements wait in the outbox, have been sent, and wait after a failure."""
    from store.db import transaction
    from store.xapi import outbox_counts

    settings = load_settings()
    with transaction(store_engine(settings)) as session:
        counts = outbox_counts(session)
    console.print(
        f"{counted(counts.pending, 'statement')} pending, {counts.sent:,} sent, "
        f"{counts.failing:,} failing (waiting after a failure)",
        highlight=False,
    )
    console.print(f"LRS: {settings.lrs_url or '(none: set CASEBOOK_LRS_URL)'}", highlight=False)


@xapi_app.command("backfill")
@friendly
def backfill() -> None:
    """Queue the statements of actions recorded before the outbox existed (never twice)."""
    from store.db import transaction
    from store.xapi import backfill as queue_missing

    with transaction(store_engine(load_settings())) as session:
        queued = queue_missing(session)
    console.print(f"queued {counted(queued, 'statement')}")


def register(app: typer.Typer) -> None:
    """Add `xapi` to the `casebook` command."""
    app.add_typer(xapi_app, name="xapi")
