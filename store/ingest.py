"""Writing what connectors read: idempotent upserts of threads, comments and quarantined records."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from sources.base import Batch, Record
from store.models import (
    Comment,
    IngestRun,
    QuarantinedRecord,
    RunStatus,
    Source,
    Thread,
    utcnow,
)

CHUNK = 2000  # rows per statement: well under SQLite's bound-parameter limit


def pseudonym(key: bytes, source: str, handle: str) -> str:
    """A keyed, stable pseudonym of `handle` on `source` (HMAC-SHA256, 32 hex characters)."""
    return hmac.new(key, f"{source}\x00{handle}".encode(), hashlib.sha256).hexdigest()[:32]


def _insert(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ensure_source(
    session: Session, name: str, kind: str, channel: str, config: dict[str, Any] | None = None
) -> Source:
    """The source called `name`, created or updated with this kind, channel and config."""
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        source = Source(name=name, kind=kind, channel=channel, config=config or {}, cursor={})
        session.add(source)
    else:
        source.kind, source.channel = kind, channel
        if config is not None:
            source.config = config
    session.flush()
    return source


def start_run(session: Session, source: Source) -> IngestRun:
    """A new ingest run of `source`, recorded as running."""
    run = IngestRun(source_id=source.id, status=RunStatus.running)
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run: IngestRun, error: str | None = None) -> None:
    """Mark `run` as finished, failed when `error` is given."""
    run.finished_at = utcnow()
    run.status = RunStatus.failed if error else RunStatus.succeeded
    run.error = error
    session.flush()


def _thread_ids(session: Session, source_id: int, records: Sequence[Record]) -> dict[str, int]:
    first_of: dict[str, Record] = {}
    for record in records:
        first_of.setdefault(record.thread_id, record)
    now = utcnow()
    rows = [
        {
            "source_id": source_id,
            "external_id": ext,
            "channel": rec.channel,
            "started_at": rec.created_at,
            "last_comment_at": rec.created_at,
            "n_comments": 0,
            "changed_at": now,
        }
        for ext, rec in first_of.items()
    ]
    ids: dict[str, int] = {}
    for chunk in _chunks(rows):
        stmt = _insert(session, Thread).on_conflict_do_nothing(
            index_elements=["source_id", "external_id"]
        )
        session.execute(stmt, list(chunk))
    keys = list(first_of)
    for chunk in _chunks(keys):
        found = session.execute(
            select(Thread.external_id, Thread.id).where(
                Thread.source_id == source_id, Thread.external_id.in_(chunk)
            )
        )
        ids.update({ext: tid for ext, tid in found})
    return ids


def _refresh_threads(session: Session, thread_ids: Iterable[int]) -> None:
    """Recount the comments of these threads and mark them changed for curation."""
    ids = sorted(set(thread_ids))
    now = utcnow()
    for chunk in _chunks(ids):
        stats = session.execute(
            select(
                Comment.thread_id,
                func.count(Comment.id),
                func.min(Comment.created_at),
                func.max(Comment.created_at),
            )
            .where(Comment.thread_id.in_(chunk))
            .group_by(Comment.thread_id)
        ).all()
        session.execute(
            update(Thread),
            [
                {
                    "id": tid,
                    "n_comments": n,
                    "started_at": lo,
                    "last_comment_at": hi,
                    "changed_at": now,
                }
                for tid, n, lo, hi in stats
            ],
        )


def write_batch(
    session: Session, source: Source, run: IngestRun, batch: Batch, key: bytes
) -> tuple[int, int]:
    """Store a batch and its cursor in the caller's transaction; returns (new comments, quarantined).

    Comments already stored (same source and external id) are left as they are, so
    re-reading a batch after a crash adds nothing.
    """
    records = batch.records
    new = 0
    if records:
        thread_of = _thread_ids(session, source.id, records)
        rows = [
            {
                "source_id": source.id,
                "external_id": r.external_id,
                "thread_id": thread_of[r.thread_id],
                "parent_external_id": r.parent_id,
                "author_role": r.author_role,
                "author_ref": pseudonym(key, source.name, r.author),
                "channel": r.channel,
                "created_at": r.created_at,
                "text": r.text,
                "language_hint": r.language,
                "likes": r.likes,
                "shares": r.shares,
                "replies": r.replies,
                "ingested_at": utcnow(),
            }
            for r in records
        ]
        touched: list[int] = []
        for chunk in _chunks(rows):
            stmt = (
                _insert(session, Comment)
                .on_conflict_do_nothing(index_elements=["source_id", "external_id"])
                .returning(Comment.thread_id)
            )
            inserted = session.execute(stmt, list(chunk)).scalars().all()
            touched.extend(inserted)
        new = len(touched)
        _refresh_threads(session, touched)
    quarantined = 0
    if batch.rejected:
        qrows = [
            {
                "source_id": source.id,
                "run_id": run.id,
                "position": rej.position[:300],
                "reason": rej.reason,
                "raw": rej.raw,
                "created_at": utcnow(),
            }
            for rej in batch.rejected
        ]
        for chunk in _chunks(qrows):
            stmt = (
                _insert(session, QuarantinedRecord)
                .on_conflict_do_nothing(index_elements=["source_id", "position"])
                .returning(QuarantinedRecord.id)
            )
            quarantined += len(session.execute(stmt, list(chunk)).scalars().all())
    source.cursor = dict(batch.cursor)
    flag_modified(source, "cursor")  # the connector may have mutated the loaded dict in place
    run.n_read += len(records) + len(batch.rejected)
    run.n_new += new
    run.n_quarantined += quarantined
    session.flush()
    return new, quarantined
