"""The dashboard's read and write functions, on each supported database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from curation.review import IllegalTransition
from store.models import AuditEntry, Case, ReviewState, Scenario
from store.users import UserInfo, create_user
from store.views import (
    case_detail,
    case_filter_options,
    case_queue,
    comment_on_response,
    get_scenario,
    list_scenarios,
    list_users,
    publish_scenario,
    quarantine_records,
    recovery_rate,
    responses_for,
    scenarios_for_advisor,
    submit_response,
    vote,
)
from tests.dashboard.seed import NOW, REAL_REPLY, SCRIPT_TEXT, seed


def advisor(language="en", level=2, team="blue"):
    return UserInfo(
        id=0,
        username="x",
        display_name="x",
        role="advisor",
        team=team,
        language=language,
        level=level,
    )


def test_everything_is_empty_on_an_empty_store(session):
    assert case_queue(session).empty
    assert "score" in case_queue(session).columns
    assert case_detail(session, 1) is None
    assert scenarios_for_advisor(session, advisor()) == []
    rate = recovery_rate(session)
    assert rate.negative_start == 0 and rate.rate is None
    assert quarantine_records(session).empty
    assert list_users(session).empty
    assert list_scenarios(session).empty
    assert case_filter_options(session) == {
        "situation": [],
        "channel": [],
        "language": [],
        "arc": [],
    }


def test_case_queue_sorts_by_score_and_expands_parts(session):
    s = seed(session, users=False)
    queue = case_queue(session)
    assert list(queue["case_id"]) == [s.case_id, s.other_case_id]
    assert {"score_recovery", "score_reach"} <= set(queue.columns)
    first = queue.iloc[0]
    assert first["score_recovery"] == 0.5
    assert first["scenario_id"] == s.scenario_id
    assert first["scenario_state"] == "candidate"
    assert (
        queue.iloc[1]["scenario_title"] is None
        or queue.iloc[1]["scenario_title"] != queue.iloc[1]["scenario_title"]
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"channel": "email"}, "other"),
        ({"situation": "delivery_delay"}, "case"),
        ({"language": "fr"}, "other"),
        ({"arc": "recovery"}, "case"),
        ({"arc": "recovery", "channel": "email"}, None),
    ],
)
def test_case_queue_filters(session, filters, expected):
    s = seed(session, users=False)
    ids = list(case_queue(session, **filters)["case_id"])
    want = {"case": [s.case_id], "other": [s.other_case_id], None: []}[expected]
    assert ids == want


def test_case_queue_limit(session):
    seed(session, users=False)
    assert len(case_queue(session, limit=1)) == 1


def test_filter_options(session):
    seed(session, users=False)
    options = case_filter_options(session)
    assert options["channel"] == ["email", "twitter"]
    assert options["arc"] == ["escalation", "recovery"]


def test_case_detail_shows_latest_redaction_never_raw(session):
    s = seed(session, users=False)
    detail = case_detail(session, s.case_id)
    assert detail.arc == "recovery"
    texts = list(detail.comments["text"])
    assert texts[0] == SCRIPT_TEXT  # the newest analysis, not "OLD REDACTION"
    assert texts[1] == REAL_REPLY
    assert "original_text" not in detail.comments.columns
    assert not any("raw" in t for t in texts)
    assert list(detail.comments["author_role"]) == ["customer", "agent", "customer"]
    assert list(detail.comments["is_pivotal"]) == [False, True, False]
    assert detail.scenario.id == s.scenario_id
    with_raw = case_detail(session, s.case_id, include_original=True)
    assert with_raw.comments["original_text"].iloc[0].startswith("raw angry")


def test_case_detail_without_analysis_hides_text(session):
    s = seed(session, users=False)
    detail = case_detail(session, s.other_case_id)
    assert detail.comments.empty and detail.scenario is None


def test_publish_moves_scenario_and_case_with_audit(session):
    s = seed(session, users=False)
    view = publish_scenario(
        session,
        s.scenario_id,
        "coach",
        model_answer="  Sorry! Fixed.  ",
        level=2,
        target_teams=["blue", " "],
    )
    assert view.state == "published" and view.model_answer == "Sorry! Fixed." and view.level == 2
    assert view.target_teams == ["blue"]
    assert view.published_at is not None
    scenario = session.get(Scenario, s.scenario_id)
    assert scenario.state == ReviewState.published
    assert session.get(Case, s.case_id).state == ReviewState.published
    moves = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "scenario.transition").order_by(AuditEntry.id)
    ).all()
    assert [(m.detail["from"], m.detail["to"]) for m in moves] == [
        ("candidate", "in_review"),
        ("in_review", "approved"),
        ("approved", "published"),
    ]
    assert (
        session.scalar(select(AuditEntry).where(AuditEntry.action == "scenario.publish")).actor
        == "coach"
    )
    # Publishing again edits in place and bumps the version.
    again = publish_scenario(session, s.scenario_id, "coach", level=3)
    assert again.state == "published" and again.level == 3 and again.version == 2


def test_publish_needs_a_model_answer_and_a_valid_level(session):
    s = seed(session, users=False)
    with pytest.raises(ValueError, match="model answer"):
        publish_scenario(session, s.scenario_id, "coach")
    with pytest.raises(ValueError, match="level"):
        publish_scenario(session, s.scenario_id, "coach", model_answer="ok", level=5)
    with pytest.raises(ValueError, match="does not exist"):
        publish_scenario(session, 999_999, "coach", model_answer="ok")


def test_publish_of_an_archived_scenario_is_legal_but_unknown_moves_raise(session):
    s = seed(session, users=False)
    scenario = session.get(Scenario, s.scenario_id)
    scenario.state = ReviewState.archived
    session.flush()
    assert publish_scenario(session, s.scenario_id, "coach", model_answer="ok").state == "published"
    assert issubclass(IllegalTransition, ValueError)


def _publish(session, s, **kwargs):
    return publish_scenario(session, s.scenario_id, "coach", model_answer="Model", **kwargs)


def test_scenarios_for_advisor_filters(session):
    s = seed(session, users=False)
    assert scenarios_for_advisor(session, advisor()) == []  # not yet published
    _publish(session, s, level=2, target_teams=["blue"])
    assert [v.id for v in scenarios_for_advisor(session, advisor())] == [s.scenario_id]
    assert scenarios_for_advisor(session, advisor(level=1)) == []
    assert scenarios_for_advisor(session, advisor(team="red")) == []
    assert scenarios_for_advisor(session, advisor(team=None)) == []
    # No scenario in French: the advisor sees every eligible one.
    assert [v.id for v in scenarios_for_advisor(session, advisor(language="fr"))] == [s.scenario_id]


def test_scenarios_for_advisor_prefers_own_language(session):
    s = seed(session, users=False)
    _publish(session, s)
    french = Scenario(
        case_id=s.case_id,
        title="Colis en retard",
        language="fr",
        body={},
        state=ReviewState.published,
        published_at=NOW,
    )
    session.add(french)
    session.flush()
    assert [v.id for v in scenarios_for_advisor(session, advisor(language="fr"))] == [french.id]
    assert [v.id for v in scenarios_for_advisor(session, advisor(language="en"))] == [s.scenario_id]
    assert scenarios_for_advisor(session, advisor(team=None))  # no target teams: everyone


def test_responses_votes_and_comments(session):
    s = seed(session)
    with pytest.raises(ValueError, match="not published"):
        submit_response(session, s.scenario_id, s.advisor_id, "hello")
    _publish(session, s)
    mine = submit_response(session, s.scenario_id, s.advisor_id, "  I am sorry, let me fix it.  ")
    assert mine.text == "I am sorry, let me fix it." and mine.author == "Ada Advisor"
    with pytest.raises(ValueError, match="already answered"):
        submit_response(session, s.scenario_id, s.advisor_id, "again")
    with pytest.raises(ValueError, match="empty"):
        submit_response(session, s.scenario_id, s.peer_id, "   ")
    theirs = submit_response(session, s.scenario_id, s.peer_id, "Peer answer")
    vote(session, theirs.id, s.advisor_id)
    with pytest.raises(ValueError, match="already voted"):
        vote(session, theirs.id, s.advisor_id)
    with pytest.raises(ValueError, match="own answer"):
        vote(session, mine.id, s.advisor_id)
    with pytest.raises(ValueError, match="does not exist"):
        vote(session, 999_999, s.advisor_id)
    comment_on_response(session, theirs.id, s.advisor_id, "Nice tone")
    answers = {r.id: r for r in responses_for(session, s.scenario_id)}
    assert answers[theirs.id].votes == 1 and answers[theirs.id].voter_ids == (s.advisor_id,)
    assert (
        answers[theirs.id].n_comments == 1
        and answers[theirs.id].comments[0].author == "Ada Advisor"
    )
    assert answers[mine.id].votes == 0
    assert get_scenario(session, s.scenario_id).state == "published"


def test_recovery_rate(session):
    seed(session, users=False)
    rate = recovery_rate(session)
    assert (rate.recovered, rate.negative_start, rate.rate) == (1, 2, 0.5)


def test_quarantine_records(session):
    seed(session, users=False)
    records = quarantine_records(session)
    assert list(records["reason"]) == ["bad json"] and records.iloc[0]["source"] == "demo-twitter"


def test_list_users_hides_hashes(session):
    seed(session)
    create_user(session, "zed", "long enough pw", "admin")
    users = list_users(session)
    assert "password_hash" not in users.columns
    assert not users.astype(str).apply(lambda col: col.str.contains("argon2")).any().any()
    assert list(users["username"])[:2] == ["admin", "advisor"]
    assert set(users["role"]) == {"coach", "advisor", "leader", "admin"}
