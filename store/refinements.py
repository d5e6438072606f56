"""The slow pass's readings of the customer comments of cases: what waits for it, what it said."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from store.bulk import among, chunks, dialect_insert
from store.models import Analysis, AuthorRole, Case, Comment, Refinement, utcnow

READING = ("sentiment", "sentiment_score", "emotion", "intensity")


def _waiting(version: str, classifier_version: str) -> Any:
    """Condition on (Comment, Analysis): a customer comment analysed by `classifier_version`
    that the slow pass `version` has not read on top of that analysis."""
    refined = exists().where(
        Refinement.comment_id == Comment.id,
        Refinement.version == version,
        Refinement.classifier_version == classifier_version,
    )
    return and_(
        Comment.author_role == AuthorRole.customer,
        Analysis.comment_id == Comment.id,
        Analysis.classifier_version == classifier_version,
        ~refined,
    )


def top_case_threads(session: Session, *, limit: int) -> list[int]:
    """Thread ids of the `limit` most notable cases (highest score first, as the coach's queue
    ranks them before mixing arcs)."""
    query = select(Case.thread_id).order_by(Case.score.desc(), Case.id).limit(limit)
    return list(session.scalars(query))


def comments_to_refine(
    session: Session, *, thread_ids: Sequence[int], version: str, classifier_version: str
) -> list[tuple[int, int, str, str]]:
    """(comment id, thread id, redacted text, language) of the customer comments of these threads that the
    slow pass `version` has not read, in thread order. Redacted text only: never the original."""
    if not thread_ids:
        return []
    rows = session.execute(
        select(Comment.id, Comment.thread_id, Analysis.redacted_text, Analysis.language)
        .join(Analysis, Analysis.comment_id == Comment.id)
        .where(
            among(session, column=Comment.thread_id, values=list(thread_ids)),
            _waiting(version, classifier_version),
        )
        .order_by(Comment.thread_id, Comment.created_at, Comment.id)
    )
    return [(cid, tid, text, lang) for cid, tid, text, lang in rows]


def save_refinements(
    session: Session, *, version: str, classifier_version: str, rows: Sequence[dict[str, Any]]
) -> int:
    """Store readings (dicts with `comment_id` and READING): one row per comment, replacing an
    older version's. Returns how many rows were written."""
    if not rows:
        return 0
    now = utcnow()
    values = [
        {
            "comment_id": row["comment_id"],
            **{name: row[name] for name in READING},
            "version": version,
            "classifier_version": classifier_version,
            "refined_at": now,
        }
        for row in rows
    ]
    insert = dialect_insert(session, table=Refinement)
    stmt = insert.on_conflict_do_update(
        index_elements=["comment_id"],
        set_={
            name: insert.excluded[name]
            for name in (*READING, "version", "classifier_version", "refined_at")
        },
    )
    for chunk in chunks(values):
        session.execute(stmt, list(chunk))
    return len(values)


def refined_readings(session: Session, *, comment_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The slow pass's reading of each of these comments that has one (READING and `version`)."""
    out: dict[int, dict[str, Any]] = {}
    for chunk in chunks(list(comment_ids)):
        for row in session.execute(
            select(
                Refinement.comment_id,
                *(getattr(Refinement, n) for n in READING),
                Refinement.version,
            ).where(Refinement.comment_id.in_(chunk))
        ):
            out[row[0]] = dict(zip((*READING, "version"), row[1:], strict=True))
    return out


def count_refinements(session: Session, *, version: str | None = None) -> int:
    """How many comments have a refined reading (by `version` only, when given)."""
    query = select(func.count(Refinement.id))
    if version is not None:
        query = query.where(Refinement.version == version)
    return int(session.scalar(query) or 0)
