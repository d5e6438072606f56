"""The quarantine: records a connector could not read, kept with where they were and why."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from store.bulk import chunks
from store.models import QuarantinedRecord, Source

QUARANTINE = QuarantinedRecord.__table__


QUARANTINE_COLUMNS = ["id", "source", "position", "reason", "attempts", "raw", "created_at"]
RAW_SHOWN = 500  # characters of a record's raw text a listing shows


def quarantined(
    session: Session,
    *,
    source: str | None = None,
    limit: int = 200,
    raw_chars: int | None = RAW_SHOWN,
) -> pd.DataFrame:
    """The newest quarantined records (of one source, by name, if given): id, source, position,
    reason, attempts, the start of the raw text (`raw_chars` characters; None: all of it) and
    when it was quarantined."""
    raw = (
        QuarantinedRecord.raw
        if raw_chars is None
        else func.substr(QuarantinedRecord.raw, 1, raw_chars)
    )
    query = (
        select(
            QuarantinedRecord.id,
            Source.name,
            QuarantinedRecord.position,
            QuarantinedRecord.reason,
            QuarantinedRecord.attempts,
            raw,
            QuarantinedRecord.created_at,
        )
        .join(Source, Source.id == QuarantinedRecord.source_id)
        .order_by(QuarantinedRecord.id.desc())
        .limit(limit)
    )
    if source is not None:
        query = query.where(Source.name == source)
    return pd.DataFrame(list(session.execute(query).tuples()), columns=QUARANTINE_COLUMNS)


def source_settings(
    session: Session, names: Iterable[str]
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Kind and config of the named sources (how their quarantined rows were read)."""
    rows = session.execute(
        select(Source.name, Source.kind, Source.config).where(Source.name.in_(sorted(names)))
    ).tuples()
    return {name: (kind, dict(config or {})) for name, kind, config in rows}


def quarantine_count(session: Session, *, source: str | None = None) -> int:
    """How many records are quarantined (of one source, by name, if given)."""
    query = select(func.count(QuarantinedRecord.id)).join(
        Source, Source.id == QuarantinedRecord.source_id
    )
    if source is not None:
        query = query.where(Source.name == source)
    return int(session.scalar(query) or 0)


def sources_with_quarantine(session: Session, *, source: str | None = None) -> list[str]:
    """Names of the sources that have quarantined records (only `source` when given)."""
    query = (
        select(Source.name)
        .where(Source.id.in_(select(QuarantinedRecord.source_id)))
        .order_by(Source.name)
    )
    if source is not None:
        query = query.where(Source.name == source)
    return list(session.scalars(query))


def quarantined_rows(session: Session, *, source_id: int) -> list[tuple[int, str, str]]:
    """(id, position, raw) of every quarantined record of a source, oldest first."""
    rows = session.execute(
        select(QUARANTINE.c.id, QUARANTINE.c.position, QUARANTINE.c.raw)
        .where(QUARANTINE.c.source_id == source_id)
        .order_by(QUARANTINE.c.id)
    )
    return [(qid, position, raw) for qid, position, raw in rows]


def release(session: Session, *, ids: Iterable[int]) -> int:
    """Delete quarantined records that have now been ingested; returns how many."""
    ids = list(ids)
    for chunk in chunks(ids):
        session.execute(delete(QUARANTINE).where(QUARANTINE.c.id.in_(chunk)))
    return len(ids)


def count_failed_attempt(session: Session, *, reasons: Mapping[int, str]) -> int:
    """One more failed attempt for each quarantined record, with its latest reason."""
    if reasons:
        session.execute(
            update(QUARANTINE)
            .where(QUARANTINE.c.id == bindparam("qid"))
            .values(attempts=QUARANTINE.c.attempts + 1, reason=bindparam("why")),
            [{"qid": qid, "why": why} for qid, why in reasons.items()],
        )
    return len(reasons)
