"""Scenarios in the store (store.scenarios): publish, read, for an advisor; on each database."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from curation.review import IllegalTransition, ReviewState
from store.models import AuditEntry, Case, Scenario
from store.scenarios import (
    edit_scenario,
    legal_moves,
    list_scenarios,
    move_scenario,
    publish_scenario,
    review_scenario,
    scenarios_for_advisor,
)
from store.users import UserInfo
from tests.dashboard.seed import NOW, seed
from tests.helpers import publish


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


def _publish(session, s, **kwargs):
    return publish(session, scenario_id=s.scenario_id, **kwargs)


def transitions(session, action="scenario.transition"):
    moves = session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()
    return [(m.detail["from"], m.detail["to"], m.detail["reason"]) for m in moves]


def test_an_empty_store_has_no_scenarios(session):
    assert scenarios_for_advisor(session, user=advisor()) == []
    assert list_scenarios(session).empty


def test_publish_moves_scenario_and_case_with_audit(session):
    s = seed(session, users=False)
    view = publish(
        session,
        scenario_id=s.scenario_id,
        model_answer="  Sorry! Fixed.  ",
        level=2,
        target_teams=["blue", " "],
        reason="ship it",
    )
    assert view.state == "published" and view.model_answer == "Sorry! Fixed." and view.level == 2
    assert view.target_teams == ["blue"]
    assert view.published_at is not None
    scenario = session.get(Scenario, s.scenario_id)
    assert scenario.state == ReviewState.published
    assert session.get(Case, s.case_id).state == ReviewState.published
    assert transitions(session) == [
        ("candidate", "in_review", "test: in_review"),
        ("in_review", "approved", "test: approved"),
        ("approved", "published", "ship it"),
    ]
    # the case follows its scenario, each of its moves legal and with the scenario's reason
    assert [(a, b) for a, b, _ in transitions(session, "case.transition")] == [
        ("candidate", "in_review"),
        ("in_review", "approved"),
        ("approved", "published"),
    ]
    assert all("ship it" in r or "test:" in r for *_, r in transitions(session, "case.transition"))
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "scenario.publish"))
    assert entry.actor == "coach" and entry.detail["reason"] == "ship it"
    # Publishing again edits in place and bumps the version.
    again = publish_scenario(
        session, scenario_id=s.scenario_id, actor="coach", level=3, reason="harder"
    )
    assert again.state == "published" and again.level == 3 and again.version == 2


@pytest.mark.parametrize("state", ["candidate", "in_review", "rejected"])
def test_publish_never_skips_the_review(session, state):
    s = seed(session, users=False)
    session.get(Scenario, s.scenario_id).state = ReviewState(state)
    session.flush()
    with pytest.raises(IllegalTransition, match="reviewed and approved"):
        publish_scenario(
            session, scenario_id=s.scenario_id, actor="coach", model_answer="ok", reason="go"
        )
    assert session.get(Scenario, s.scenario_id).state == ReviewState(state)
    assert transitions(session) == []


def test_every_move_needs_a_reason(session):
    s = seed(session, users=False)
    with pytest.raises(ValueError, match="reason"):
        move_scenario(session, scenario_id=s.scenario_id, target="in_review", actor="c", reason=" ")
    for target in ("in_review", "approved"):
        move_scenario(session, scenario_id=s.scenario_id, target=target, actor="c", reason="ok")
    with pytest.raises(ValueError, match="reason"):
        publish_scenario(
            session, scenario_id=s.scenario_id, actor="c", model_answer="ok", reason=""
        )
    with pytest.raises(TypeError):
        publish_scenario(session, scenario_id=s.scenario_id, actor="c", model_answer="ok")


def test_saving_never_moves_the_state(session):
    s = seed(session, users=False)
    with pytest.raises(ValueError, match="candidate: move it to in_review"):
        edit_scenario(session, scenario_id=s.scenario_id, actor="coach", title="New title")
    assert session.get(Scenario, s.scenario_id).state == ReviewState.candidate
    move_scenario(
        session, scenario_id=s.scenario_id, target="in_review", actor="coach", reason="draft"
    )
    edit_scenario(session, scenario_id=s.scenario_id, actor="coach", title="New title")
    scenario = session.get(Scenario, s.scenario_id)
    assert scenario.state == ReviewState.in_review and scenario.title == "New title"
    assert [m[:2] for m in transitions(session)] == [("candidate", "in_review")]


def test_the_queue_action_saves_and_makes_one_legal_move(session):
    s = seed(session, users=False)
    view = review_scenario(
        session,
        scenario_id=s.scenario_id,
        target="in_review",
        actor="coach",
        reason="worth it",
        model_answer="The answer",
        level=3,
    )
    assert (view.state, view.model_answer, view.level) == ("in_review", "The answer", 3)
    with pytest.raises(IllegalTransition):
        review_scenario(
            session, scenario_id=s.scenario_id, target="published", actor="coach", reason="now"
        )
    view = review_scenario(
        session, scenario_id=s.scenario_id, target="approved", actor="coach", reason="good"
    )
    view = review_scenario(
        session, scenario_id=s.scenario_id, target="published", actor="coach", reason="ship"
    )
    assert view.state == "published"
    assert [m[1:] for m in transitions(session)] == [
        ("in_review", "worth it"),
        ("approved", "good"),
        ("published", "ship"),
    ]


def test_pages_are_offered_the_legal_moves_only():
    assert legal_moves("candidate") == ["in_review", "rejected"]
    # the step forward first
    assert legal_moves("approved") == ["published", "in_review", "rejected"]
    assert legal_moves("in_review") == ["approved", "candidate", "rejected"]
    assert legal_moves("published") == ["archived"]


def test_publish_needs_a_model_answer_and_a_valid_level(session):
    s = seed(session, users=False)
    for target in ("in_review", "approved"):
        move_scenario(session, scenario_id=s.scenario_id, target=target, actor="c", reason="ok")
    with pytest.raises(ValueError, match="model answer"):
        publish_scenario(session, scenario_id=s.scenario_id, actor="coach", reason="go")
    with pytest.raises(ValueError, match="level"):
        publish_scenario(
            session,
            scenario_id=s.scenario_id,
            actor="coach",
            model_answer="ok",
            level=5,
            reason="go",
        )
    with pytest.raises(ValueError, match="does not exist"):
        publish_scenario(
            session, scenario_id=999_999, actor="coach", model_answer="ok", reason="go"
        )


def test_publish_of_an_archived_scenario_is_legal_but_unknown_moves_raise(session):
    s = seed(session, users=False)
    scenario = session.get(Scenario, s.scenario_id)
    scenario.state = ReviewState.archived
    session.flush()
    assert (
        publish_scenario(
            session, scenario_id=s.scenario_id, actor="coach", model_answer="ok", reason="back"
        ).state
        == "published"
    )
    assert issubclass(IllegalTransition, ValueError)


def test_scenarios_for_advisor_filters(session):
    s = seed(session, users=False)
    assert scenarios_for_advisor(session, user=advisor()) == []  # not yet published
    _publish(session, s, level=2, target_teams=["blue"])
    assert [v.id for v in scenarios_for_advisor(session, user=advisor())] == [s.scenario_id]
    assert scenarios_for_advisor(session, user=advisor(level=1)) == []
    assert scenarios_for_advisor(session, user=advisor(team="red")) == []
    assert scenarios_for_advisor(session, user=advisor(team=None)) == []
    # No scenario in French: the advisor sees every eligible one.
    assert [v.id for v in scenarios_for_advisor(session, user=advisor(language="fr"))] == [
        s.scenario_id
    ]


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
    assert [v.id for v in scenarios_for_advisor(session, user=advisor(language="fr"))] == [
        french.id
    ]
    assert [v.id for v in scenarios_for_advisor(session, user=advisor(language="en"))] == [
        s.scenario_id
    ]
    assert scenarios_for_advisor(session, user=advisor(team=None))  # no target teams: everyone
    # An advisor reading the interface in English who serves French customers practises on French
    # cases; one who serves both gets both.
    english_ui = advisor(language="en")
    serves_french = dataclasses.replace(english_ui, work_languages=("fr",))
    assert [v.id for v in scenarios_for_advisor(session, user=serves_french)] == [french.id]
    both = dataclasses.replace(english_ui, work_languages=("en", "fr"))
    assert {v.id for v in scenarios_for_advisor(session, user=both)} == {french.id, s.scenario_id}


def test_an_edit_keeps_a_campaign_in_one_language_and_every_turn_said(session):
    from tests.xapi_world import make_world

    w = make_world(session, n=3)
    in_campaign, outside = w.scenarios[0], w.scenarios[2]
    with pytest.raises(ValueError, match="is in campaign 'December challenge': its language"):
        edit_scenario(session, scenario_id=in_campaign, actor="coach", language="fr")
    assert (
        edit_scenario(session, scenario_id=outside, actor="coach", language="fr").language == "fr"
    )
    body = {"turns": [{"role": "customer", "speaker": "Customer A", "text": "  "}]}
    with pytest.raises(ValueError, match="a turn of the conversation is empty"):
        edit_scenario(session, scenario_id=outside, actor="coach", body=body)
