"""Read-only reports for the command line: the queue, the quarantine, row counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from store.db import transaction
from store.models import Base, Comment, IngestRun, QuarantinedRecord, Source


def quarantined(engine: Engine, limit: int) -> list[dict[str, str]]:
    """The latest quarantined records with their source, position and reason."""
    with transaction(engine) as session:
        rows = session.execute(
            select(Source.name, QuarantinedRecord.position, QuarantinedRecord.reason)
            .join(Source, Source.id == QuarantinedRecord.source_id)
            .order_by(QuarantinedRecord.id.desc())
            .limit(limit)
        ).all()
        return [{"source": s, "position": p, "reason": r} for s, p, r in rows]


def source_overview(engine: Engine, declared: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Declared (sources.yaml entries) and stored sources by name: kind, channel, schedule,
    enabled, last run (status, start, end) and counts of comments and quarantined records."""
    with transaction(engine) as session:
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
                select(QuarantinedRecord.source_id, func.count()).group_by(
                    QuarantinedRecord.source_id
                )
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


def row_counts(engine: Engine) -> dict[str, int]:
    """How many rows each table holds."""
    with transaction(engine) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }
