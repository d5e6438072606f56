"""What the admin pages and commands read: the sources with their runs and counts, the accounts,
the rows per table. (The quarantine's reader is store.quarantine.quarantined.)"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Base, Comment, IngestRun, QuarantinedRecord, Source, User
from store.users import served_languages


def source_overview(session: Session, *, declared: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Declared (sources.yaml entries) and stored sources by name: kind, channel, schedule,
    enabled, last run (status, start, end) and counts of comments and quarantined records."""
    last_run = (
        select(IngestRun.source_id, func.max(IngestRun.id).label("run_id"))
        .group_by(IngestRun.source_id)
        .subquery()
    )
    n_comments = dict(
        session.execute(select(Comment.source_id, func.count()).group_by(Comment.source_id))
        .tuples()
        .all()
    )
    n_quarantined = dict(
        session.execute(
            select(QuarantinedRecord.source_id, func.count()).group_by(QuarantinedRecord.source_id)
        )
        .tuples()
        .all()
    )
    stored = session.execute(
        select(Source, IngestRun)
        .outerjoin(last_run, last_run.c.source_id == Source.id)
        .outerjoin(IngestRun, IngestRun.id == last_run.c.run_id)
    ).all()
    rows: dict[str, dict[str, Any]] = {}
    for source, run in stored:
        rows[source.name] = {
            "name": source.name,
            "kind": source.kind,
            "channel": source.channel,
            "schedule": source.schedule,
            "enabled": source.enabled,
            "declared": False,
            "stored": True,
            "last_run_status": run.status.value if run else None,
            "last_run_started_at": run.started_at if run else None,
            "last_run_finished_at": run.finished_at if run else None,
            "last_run_error": run.error if run else None,
            "comments": n_comments.get(source.id, 0),
            "quarantined": n_quarantined.get(source.id, 0),
        }
    for entry in declared:
        row = rows.setdefault(
            entry["name"],
            {
                "name": entry["name"],
                "stored": False,
                "last_run_status": None,
                "last_run_started_at": None,
                "last_run_finished_at": None,
                "last_run_error": None,
                "comments": 0,
                "quarantined": 0,
            },
        )
        # What sources.yaml says now wins: the store catches up at the next ingest.
        row.update(
            declared=True,
            kind=entry["kind"],
            channel=entry.get("channel", entry["kind"]),
            schedule=entry.get("schedule"),
            enabled=bool(entry.get("enabled", True)),
        )
    return [rows[name] for name in sorted(rows)]


def row_counts(session: Session) -> dict[str, int]:
    """How many rows each table holds."""
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def list_users(session: Session, *, role: str | None = None) -> pd.DataFrame:
    """Users (of one role, if given) without their password hashes."""
    columns = [
        "id",
        "username",
        "display_name",
        "role",
        "team",
        "site",
        "language",
        "work_languages",
        "level",
        "is_demo",
        "created_at",
        "disabled_at",
    ]
    rows = [
        {c: _user_cell(u, c) for c in columns}
        for u in session.scalars(
            (select(User).where(User.role == role) if role else select(User)).order_by(
                User.username
            )
        )
    ]
    return pd.DataFrame(rows, columns=columns)


def _user_cell(user: User, column: str) -> Any:
    if column == "role":
        return str(user.role)
    if column == "work_languages":  # the languages of the customers served, ", " apart
        return ", ".join(served_languages(user.work_languages, user.language))
    return getattr(user, column)
