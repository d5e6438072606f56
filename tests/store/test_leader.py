"""What the leader pages read (store.leader), on each supported database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from store.analyses import save_analyses
from store.leader import (
    emerging_situations,
    engagement_first_day,
    feedback_reference,
    learning_engagement,
    recovery_rate,
    summary_state,
    summary_trend,
    training_coverage,
    trend_options,
)
from store.models import Case, Comment, Response, Scenario, Thread, User, Vote
from tests.dashboard.seed import seed
from tests.store.test_summaries import _analysis, _comments


def test_an_empty_store_has_no_recovery_and_no_version(session):
    rate = recovery_rate(session)
    assert rate.negative_start == 0 and rate.rate is None
    version, end = summary_state(session)
    assert version is None and end.tzinfo is not None


def test_recovery_rate(session):
    seed(session, users=False)
    rate = recovery_rate(session)
    assert (rate.recovered, rate.negative_start, rate.rate) == (1, 2, 0.5)


def test_leader_reads_on_each_database(session):
    """The leader's read functions run on the summary on SQLite and PostgreSQL alike."""
    now = datetime(2026, 3, 3, 12, tzinfo=UTC)
    ids = _comments(session, 4, at=now - timedelta(hours=3))
    ids += _comments(session, 2, channel="email", at=now - timedelta(days=20))
    save_analyses(session, version="v1", rows=[_analysis(i) for i in ids])
    trend = summary_trend(session, days=7, by="source", now=now)
    assert set(trend["group"]) == {"s"} and trend["comments"].sum() == 4
    by_channel = summary_trend(session, days=30, by="channel", now=now, channel="email")
    assert set(by_channel["group"]) == {"email"} and by_channel["comments"].sum() == 2
    assert trend_options(session)["channel"] == ["email", "twitter"]
    assert feedback_reference(session, now=now + timedelta(days=5)).date() == date(2026, 3, 3)
    emerging = emerging_situations(session, now=now)
    assert emerging.table.iloc[0]["this_week"] == 4
    thread_id = session.get(Comment, ids[0]).thread_id
    thread = session.get(Thread, thread_id)
    thread.arc, thread.situation, thread.language = "recovery", "delivery", "en"
    thread.curated_at = now
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
    # A coach corrected the scenario's situation (the editor writes it in its body): it teaches
    # that one; the case keeps its own.
    scenario.body = {"context": {"situation": "billing", "channel": "twitter"}}
    session.flush()
    coverage = training_coverage(session, days=30, now=now).set_index("situation")
    assert coverage.loc[
        "billing", ["cases", "published_scenarios", "advisors_practised"]
    ].tolist() == [0, 1, 1]
    assert coverage.loc[
        "delivery", ["cases", "published_scenarios", "advisors_practised"]
    ].tolist() == [1, 0, 0]
    activity = learning_engagement(
        session, since=now - timedelta(weeks=4), until=now + timedelta(hours=1)
    )
    assert activity[["team", "responses", "votes", "comments"]].values.tolist() == [
        ["blue", 1, 1, 0]
    ]
    assert learning_engagement(session, until=now).empty  # `until` is excluded
    assert learning_engagement(session, since=now + timedelta(seconds=1)).empty
    assert len(learning_engagement(session)) == 1  # no bound: everything
    assert engagement_first_day(session) == now.date()
    assert recovery_rate(session, days=7, now=now).rate is not None
