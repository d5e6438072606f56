"""daily_feedback kept by save_analyses, rebuilt from analyses, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from store.analyses import save_analyses
from store.models import AuthorRole, Comment, DailyFeedback, Source, Thread
from store.summaries import (
    ensure_daily_feedback,
    has_summary,
    latest_version,
    rebuild_daily_feedback,
    subtract_comments,
)

DAY = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)


def _comments(
    session,
    n: int,
    channel: str = "twitter",
    at: datetime = DAY,
    role: AuthorRole = AuthorRole.customer,
) -> list[int]:
    source = session.scalar(select(Source).where(Source.name == "s")) or Source(
        name="s", kind="csv", channel=channel
    )
    session.add(source)
    session.flush()
    external = f"t{at.isoformat()}{channel}{role}"
    thread = Thread(source_id=source.id, external_id=external, channel=channel)
    session.add(thread)
    session.flush()
    ids = []
    for i in range(n):
        comment = Comment(
            source_id=source.id,
            external_id=f"{thread.external_id}-{i}",
            thread_id=thread.id,
            author_role=role,
            author_ref="ref",
            channel=channel,
            # one comment an hour later: after midnight UTC, i.e. the next day
            created_at=at + timedelta(hours=i // 2),
            text=f"text {i}",
        )
        session.add(comment)
        session.flush()
        ids.append(comment.id)
    return ids


def _analysis(comment_id: int, sentiment: str = "negative", situation: str = "delivery") -> dict:
    return {
        "comment_id": comment_id,
        "language": "en",
        "language_confidence": 0.9,
        "redacted_text": "x",
        "pii": [],
        "sentiment": sentiment,
        "sentiment_score": 0.5,
        "emotion": "anger",
        "intensity": 0.5,
        "situation": situation,
        "situation_confidence": 0.8,
        "risks": [],
    }


def _summary(session, version: str | None = None) -> dict[tuple, int]:
    query = select(DailyFeedback)
    if version:
        query = query.where(DailyFeedback.classifier_version == version)
    return {
        (r.classifier_version, r.day, r.channel, r.situation, r.sentiment, r.emotion, r.language): (
            r.comments
        )
        for r in session.scalars(query)
    }


def test_save_analyses_counts_each_new_analysis_once(session):
    ids = _comments(session, 4)
    assert save_analyses(session, version="v1", rows=[_analysis(i) for i in ids[:3]]) == 3
    # the same analyses again (a re-run) add nothing; the fourth comment adds one
    assert save_analyses(session, version="v1", rows=[_analysis(i) for i in ids]) == 1
    assert _summary(session) == {
        ("v1", date(2026, 3, 2), "twitter", "delivery", "negative", "anger", "en"): 2,
        ("v1", date(2026, 3, 3), "twitter", "delivery", "negative", "anger", "en"): 2,
    }


def test_upsert_adds_to_an_existing_row(session):
    ids = _comments(session, 2)
    save_analyses(session, version="v1", rows=[_analysis(ids[0])])
    save_analyses(session, version="v1", rows=[_analysis(ids[1])])
    assert list(_summary(session).values()) == [2]


def test_a_new_version_builds_its_own_rows(session):
    ids = _comments(session, 2)
    save_analyses(session, version="v1", rows=[_analysis(i) for i in ids])
    save_analyses(session, version="v2", rows=[_analysis(i, sentiment="positive") for i in ids])
    v1, v2 = _summary(session, "v1"), _summary(session, "v2")
    assert sum(v1.values()) == sum(v2.values()) == 2
    assert {k[4] for k in v2} == {"positive"} and {k[4] for k in v1} == {"negative"}
    assert latest_version(session) == "v2"


def test_rebuild_matches_the_incremental_summary(session):
    ids = _comments(session, 5) + _comments(session, 3, channel="email", at=DAY - timedelta(days=3))
    rows = [_analysis(i, situation="billing" if i % 2 else "delivery") for i in ids]
    save_analyses(session, version="v1", rows=rows[:4])
    save_analyses(session, version="v1", rows=rows[4:])
    incremental = _summary(session, "v1")
    assert rebuild_daily_feedback(session, version="v1") == len(incremental)
    session.expire_all()
    assert _summary(session, "v1") == incremental


def test_ensure_builds_an_existing_store_once(session):
    ids = _comments(session, 3)
    save_analyses(session, version="v1", rows=[_analysis(i) for i in ids])
    session.execute(DailyFeedback.__table__.delete())  # a store from before the summary
    assert not has_summary(session, version="v1")
    assert ensure_daily_feedback(session) == 2
    assert sum(_summary(session, "v1").values()) == 3
    assert ensure_daily_feedback(session) == 0  # already there: nothing to do
    assert ensure_daily_feedback(session, version="v9") == 0  # no analyses of that version


def test_subtract_comments_takes_them_out(session):
    ids = _comments(session, 4)
    save_analyses(session, version="v1", rows=[_analysis(i) for i in ids])
    save_analyses(session, version="v2", rows=[_analysis(ids[0])])
    subtract_comments(session, comment_ids=ids[:3])
    session.expire_all()
    assert _summary(session) == {
        ("v1", date(2026, 3, 3), "twitter", "delivery", "negative", "anger", "en"): 1,
    }


def test_advisors_replies_are_not_customer_feedback(session):
    customers = _comments(session, 2)
    agents = _comments(session, 3, role=AuthorRole.agent)
    rows = [_analysis(i) for i in customers + agents]
    save_analyses(session, version="v1", rows=rows)
    counted = _summary(session, "v1")
    assert sum(counted.values()) == 2
    rebuild_daily_feedback(session, version="v1")
    session.expire_all()
    assert _summary(session, "v1") == counted
    subtract_comments(session, comment_ids=agents)  # nothing of theirs to take out
    session.expire_all()
    assert _summary(session, "v1") == counted
    subtract_comments(session, comment_ids=customers[:1])
    session.expire_all()
    assert sum(_summary(session, "v1").values()) == 1
