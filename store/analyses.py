"""Reading comments to analyse and storing their analyses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from store.bulk import chunks, dialect_insert
from store.models import Analysis, Comment, Thread, utcnow
from store.summaries import add_analyses


def pending_comments(session: Session, *, version: str, limit: int) -> list[tuple[int, str]]:
    """(id, text) of comments with no analysis by classifier `version`, oldest first."""
    analysed = exists().where(
        Analysis.comment_id == Comment.id, Analysis.classifier_version == version
    )
    rows = session.execute(
        select(Comment.id, Comment.text).where(~analysed).order_by(Comment.id).limit(limit)
    )
    return [(cid, text) for cid, text in rows]


def count_pending(session: Session, *, version: str) -> int:
    """How many comments still wait for an analysis by `version`."""
    analysed = exists().where(
        Analysis.comment_id == Comment.id, Analysis.classifier_version == version
    )
    return session.scalar(select(func.count(Comment.id)).where(~analysed)) or 0


def save_analyses(session: Session, *, version: str, rows: Sequence[dict[str, Any]]) -> int:
    """Store analyses (dicts with `comment_id` and the analysis fields); marks their threads changed.

    The ones actually stored (not already there) are counted into daily_feedback in the same
    transaction, so the pages' summary never disagrees with a committed batch.
    """
    if not rows:
        return 0
    now = utcnow()
    stored = 0
    new_ids: set[int] = set()
    for chunk in chunks(
        [{**row, "classifier_version": version, "created_at": now} for row in rows]
    ):
        stmt = (
            dialect_insert(session, table=Analysis)
            .on_conflict_do_nothing(index_elements=["comment_id", "classifier_version"])
            .returning(Analysis.comment_id)
        )
        inserted = session.execute(stmt, list(chunk)).scalars().all()
        stored += len(inserted)
        new_ids.update(inserted)
    add_analyses(
        session, version=version, rows=[row for row in rows if row["comment_id"] in new_ids]
    )
    ids = [row["comment_id"] for row in rows]
    for chunk in chunks(ids):
        threads = select(Comment.thread_id).where(Comment.id.in_(chunk))
        session.execute(
            update(Thread).where(Thread.id.in_(threads)).values(changed_at=now),
            execution_options={"synchronize_session": False},
        )
    return stored
