"""The per-day summary of analysed customer comments (`daily_feedback`), kept by enrichment so pages never scan comments.

One row per classifier version, day (UTC, of the comment's `created_at`), source, channel and
labels (situation, sentiment, emotion, language) with its number of comments. Only customers'
comments count: it is the leader's customer feedback, and an advisor's reply is not (its
apology would read as sadness, its thanks for kind words as praise; in the demo, 763 of 2,000
comments are advisors' replies). `save_analyses`
adds each batch in its own transaction; `rebuild_daily_feedback` recomputes a version from its
analyses (an existing store, or after edits and erasures made it drift).

What may leave it slightly stale: an edited comment loses its analyses and is analysed again,
so it is counted under its old and its new labels until a rebuild; an erasure removes comments
without touching these counts (they hold no text). `subtract_comments` takes comments out of
the counts before their analyses go, for callers that want them exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, exists, func, literal, select
from sqlalchemy.orm import Session

from store.bulk import chunks, dialect_insert
from store.models import Analysis, AuthorRole, Comment, DailyFeedback

LABELS = ("situation", "sentiment", "emotion", "language")
KEY = ("classifier_version", "day", "source_id", "channel", *LABELS)
# The comments it counts: customers' (an advisor's reply is no feedback).
_CUSTOMERS = Comment.author_role == AuthorRole.customer
Key = tuple[str, date, int, str, str, str, str, str]


def _upsert(session: Session, counts: Counter[Key], sign: int = 1) -> int:
    """Add (or with sign -1 take away) `counts` to daily_feedback; returns the rows touched."""
    if not counts:
        return 0
    rows = [dict(zip(KEY, key, strict=True), comments=sign * n) for key, n in counts.items()]
    touched = 0
    for chunk in chunks(rows):
        stmt = dialect_insert(session, table=DailyFeedback)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(KEY),
            set_={"comments": DailyFeedback.comments + stmt.excluded.comments},
        )
        session.execute(stmt, list(chunk))
        touched += len(chunk)
    return touched


def _comment_facts(session: Session, ids: Sequence[int]) -> dict[int, tuple[date, int, str]]:
    """customer comment id -> (UTC day, source id, channel); other comments are left out."""
    facts: dict[int, tuple[date, int, str]] = {}
    for chunk in chunks(list(ids)):
        for cid, created_at, source_id, channel in session.execute(
            select(Comment.id, Comment.created_at, Comment.source_id, Comment.channel).where(
                Comment.id.in_(chunk), _CUSTOMERS
            )
        ):
            facts[cid] = (created_at.date(), source_id, channel)
    return facts


def add_analyses(session: Session, *, version: str, rows: Iterable[dict[str, Any]]) -> int:
    """Count newly stored analyses (dicts with `comment_id` and the labels) of customers'
    comments into daily_feedback."""
    rows = list(rows)
    if not rows:
        return 0
    facts = _comment_facts(session, [row["comment_id"] for row in rows])
    counts: Counter[Key] = Counter()
    for row in rows:
        fact = facts.get(row["comment_id"])
        if fact is None:
            continue
        day, source_id, channel = fact
        labels = tuple(str(row[label]) for label in LABELS)
        counts[(version, day, source_id, channel, *labels)] += 1  # type: ignore[arg-type]
    return _upsert(session, counts)


def subtract_comments(session: Session, *, comment_ids: Sequence[int]) -> int:
    """Take these comments' stored analyses (every version) out of daily_feedback.

    Call it before their analyses are deleted (an edit, an erasure); rows left at zero are removed.
    """
    counts: Counter[Key] = Counter()
    for chunk in chunks(list(comment_ids)):
        query = (
            select(
                Analysis.classifier_version,
                Comment.created_at,
                Comment.source_id,
                Comment.channel,
                *(getattr(Analysis, label) for label in LABELS),
            )
            .join(Comment, Comment.id == Analysis.comment_id)
            .where(Analysis.comment_id.in_(chunk), _CUSTOMERS)
        )
        for version, created_at, source_id, channel, *labels in session.execute(query):
            counts[(version, created_at.date(), source_id, channel, *labels)] += 1  # type: ignore[arg-type]
    touched = _upsert(session, counts, sign=-1)
    if touched:
        session.execute(delete(DailyFeedback).where(DailyFeedback.comments <= 0))
    return touched


def utc_day(session: Session, *, column: Any) -> Any:
    """The SQL expression of a UTC datetime column's day, per dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)  # SQLite keeps UTC text: 'YYYY-MM-DD HH:MM:SS...'


def _utc_day(session: Session) -> Any:
    return utc_day(session, column=Comment.created_at)


def rebuild_daily_feedback(session: Session, *, version: str) -> int:
    """Recompute version `version`'s rows from its analyses (one INSERT ... SELECT); returns the rows."""
    session.execute(delete(DailyFeedback).where(DailyFeedback.classifier_version == version))
    day = _utc_day(session)
    labels = [getattr(Analysis, label) for label in LABELS]
    query = (
        select(
            literal(version),
            day,
            Comment.source_id,
            Comment.channel,
            *labels,
            func.count(),
        )
        .join(Comment, Comment.id == Analysis.comment_id)
        .where(Analysis.classifier_version == version, _CUSTOMERS)
        .group_by(day, Comment.source_id, Comment.channel, *labels)
    )
    session.execute(DailyFeedback.__table__.insert().from_select([*KEY, "comments"], query))
    return (
        session.scalar(
            select(func.count())
            .select_from(DailyFeedback)
            .where(DailyFeedback.classifier_version == version)
        )
        or 0
    )


def has_summary(session: Session, *, version: str) -> bool:
    """Whether daily_feedback holds any row of `version` (a primary-key prefix lookup)."""
    return bool(session.scalar(select(exists().where(DailyFeedback.classifier_version == version))))


def latest_version(session: Session) -> str | None:
    """The classifier version of the newest analysis: the one enrichment runs now (cheap: by id)."""
    return session.scalar(select(Analysis.classifier_version).order_by(Analysis.id.desc()).limit(1))


def ensure_daily_feedback(session: Session, *, version: str | None = None) -> int:
    """Build `version`'s (default: the latest) summary when it has analyses but no summary rows.

    Returns the rows built (0 when nothing was needed): an existing store catches up once.
    """
    version = version or latest_version(session)
    if version is None or has_summary(session, version=version):
        return 0
    analysed = session.scalar(select(exists().where(Analysis.classifier_version == version)))
    return rebuild_daily_feedback(session, version=version) if analysed else 0
