"""Read-only reports for the command line: the queue, the quarantine, row counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from store.db import transaction
from store.models import Base, Case, QuarantinedRecord, Scenario, Source


def top_cases(engine: Engine, limit: int) -> list[dict[str, Any]]:
    """The most notable cases with their score's parts and their scenario's title."""
    with transaction(engine) as session:
        rows = session.execute(
            select(Case, Scenario.title)
            .outerjoin(Scenario, Scenario.case_id == Case.id)
            .order_by(Case.score.desc(), Case.id)
            .limit(limit)
        ).all()
        return [
            {
                "id": case.id,
                "arc": case.arc,
                "score": case.score,
                "parts": case.score_parts,
                "situation": case.situation,
                "language": case.language,
                "channel": case.channel,
                "state": case.state.value,
                "pivotal_comment_id": case.pivotal_comment_id,
                "title": title or "",
            }
            for case, title in rows
        ]


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


def row_counts(engine: Engine) -> dict[str, int]:
    """How many rows each table holds."""
    with transaction(engine) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }
