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


def _comments(session, n: int, channel: str = "twitter", at: datetime = DAY) -> list[int]:
    source = session.scalar(select(Source).where(Source.name == "s")) or Source(
        name="s", kind="csv", channel=channel
    )
    session.add(source)
    session.flush()
    thread = Thread(source_id=source.id, external_id=f"t{at.isoformat()}{channel}", channel=channel)
    session.add(thread)
    session.flush()
    ids = []
    for i in range(n):
        comment = Comment(
            source_id=source.id,
            external_id=f"{thread.external_id}-{i}",
            thread_id=thread.id,
            author_role=AuthorRole.customer,
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
    assert save_analyses(session, "v1", [_analysis(i) for i in ids[:3]]) == 3
    # the same analyses again (a re-run) add nothing; the fourth comment adds one
    assert save_analyses(session, "v1", [_analysis(i) for i in ids]) == 1
    assert _summary(session) == {
        ("v1", date(2026, 3, 2), "twitter", "delivery", "negative", "anger", "en"): 2,
        ("v1", date(2026, 3, 3), "twitter", "delivery", "negative", "anger", "en"): 2,
    }


def test_upsert_adds_to_an_existing_row(session):
    ids = _comments(session, 2)
    save_analyses(session, "v1", [_analysis(ids[0])])
    save_analyses(session, "v1", [_analysis(ids[1])])
    assert list(_summary(session).values()) == [2]


def test_a_new_version_builds_its_own_rows(session):
    ids = _comments(session, 2)
    save_analyses(session, "v1", [_analysis(i) for i in ids])
    save_analyses(session, "v2", [_analysis(i, sentiment="positive") for i in ids])
    v1, v2 = _summary(session, "v1"), _summary(session, "v2")
    assert sum(v1.values()) == sum(v2.values()) == 2
    assert {k[4] for k in v2} == {"positive"} and {k[4] for k in v1} == {"negative"}
    assert latest_version(session) == "v2"


def test_rebuild_matches_the_incremental_summary(session):
    ids = _comments(session, 5) + _comments(session, 3, channel="email", at=DAY - timedelta(days=3))
    rows = [_analysis(i, situation="billing" if i % 2 else "delivery") for i in ids]
    save_analyses(session, "v1", rows[:4])
    save_analyses(session, "v1", rows[4:])
    incremental = _summary(session, "v1")
    assert rebuild_daily_feedback(session, "v1") == len(incremental)
    session.expire_all()
    assert _summary(session, "v1") == incremental


def test_ensure_builds_an_existing_store_once(session):
    ids = _comments(session, 3)
    save_analyses(session, "v1", [_analysis(i) for i in ids])
    session.execute(DailyFeedback.__table__.delete())  # a store from before the summary
    assert not has_summary(session, "v1")
    assert ensure_daily_feedback(session) == 2
    assert sum(_summary(session, "v1").values()) == 3
    assert ensure_daily_feedback(session) == 0  # already there: nothing to do
    assert ensure_daily_feedback(session, "v9") == 0  # no analyses of that version


def test_subtract_comments_takes_them_out(session):
    ids = _comments(session, 4)
    save_analyses(session, "v1", [_analysis(i) for i in ids])
    save_analyses(session, "v2", [_analysis(ids[0])])
    subtract_comments(session, ids[:3])
    session.expire_all()
    assert _summary(session) == {
        ("v1", date(2026, 3, 3), "twitter", "delivery", "negative", "anger", "en"): 1,
    }


def test_leader_reads_on_each_database(session):
    """The leader's read functions run on the summary on SQLite and PostgreSQL alike."""
    from store.models import Case, Response, Scenario, User, Vote
    from store.views import (
        emerging_situations,
        feedback_reference,
        learning_engagement,
        recovery_rate,
        summary_trend,
        training_coverage,
        trend_options,
    )

    now = datetime(2026, 3, 3, 12, tzinfo=UTC)
    ids = _comments(session, 4, at=now - timedelta(hours=3))
    ids += _comments(session, 2, channel="email", at=now - timedelta(days=20))
    save_analyses(session, "v1", [_analysis(i) for i in ids])
    trend = summary_trend(session, days=7, by="source", now=now)
    assert set(trend["group"]) == {"s"} and trend["comments"].sum() == 4
    by_channel = summary_trend(session, days=30, by="channel", now=now, channel="email")
    assert set(by_channel["group"]) == {"email"} and by_channel["comments"].sum() == 2
    assert trend_options(session)["channel"] == ["email", "twitter"]
    assert feedback_reference(session, now=now + timedelta(days=5)).date() == date(2026, 3, 3)
    emerging = emerging_situations(session, now=now)
    assert emerging.table.iloc[0]["this_week"] == 4
    thread_id = session.get(Comment, ids[0]).thread_id
    case = Case(
        thread_id=thread_id,
        arc="recovery",
        score=0.5,
        situation="delivery",
        emotion="anger",
        language="en",
        channel="twitter",
    )
    session.add(case)
    session.flush()
    scenario = Scenario(case_id=case.id, title="t", language="en", state="published")
    user = User(
        username="u", display_name="u", role="advisor", team="blue", site="Lyon", password_hash="x"
    )
    session.add_all([scenario, user])
    session.flush()
    response = Response(scenario_id=scenario.id, user_id=user.id, text="a", created_at=now)
    session.add(response)
    session.flush()
    session.add(Vote(response_id=response.id, user_id=user.id, created_at=now))
    session.flush()
    coverage = training_coverage(session, days=30, now=now).set_index("situation")
    assert coverage.loc["delivery"].to_dict() == {
        "comments": 6,
        "cases": 1,
        "published_scenarios": 1,
        "advisors_practised": 1,
        "gap": False,
    }
    activity = learning_engagement(session, weeks=4, now=now + timedelta(hours=1))
    assert activity[["team", "responses", "votes", "comments"]].values.tolist() == [
        ["blue", 1, 1, 0]
    ]
    assert recovery_rate(session, days=7, now=now).rate is not None
