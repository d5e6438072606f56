"""Scenarios in the store (store.scenarios): publish, read, for an advisor; on each database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from curation.review import IllegalTransition, ReviewState
from store.models import AuditEntry, Case, Scenario
from store.scenarios import list_scenarios, publish_scenario, scenarios_for_advisor
from store.users import UserInfo
from tests.dashboard.seed import NOW, seed


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
    return publish_scenario(
        session, scenario_id=s.scenario_id, actor="coach", model_answer="Model", **kwargs
    )


def test_an_empty_store_has_no_scenarios(session):
    assert scenarios_for_advisor(session, user=advisor()) == []
    assert list_scenarios(session).empty


def test_publish_moves_scenario_and_case_with_audit(session):
    s = seed(session, users=False)
    view = publish_scenario(
        session,
        scenario_id=s.scenario_id,
        actor="coach",
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
    again = publish_scenario(session, scenario_id=s.scenario_id, actor="coach", level=3)
    assert again.state == "published" and again.level == 3 and again.version == 2


def test_publish_needs_a_model_answer_and_a_valid_level(session):
    s = seed(session, users=False)
    with pytest.raises(ValueError, match="model answer"):
        publish_scenario(session, scenario_id=s.scenario_id, actor="coach")
    with pytest.raises(ValueError, match="level"):
        publish_scenario(
            session, scenario_id=s.scenario_id, actor="coach", model_answer="ok", level=5
        )
    with pytest.raises(ValueError, match="does not exist"):
        publish_scenario(session, scenario_id=999_999, actor="coach", model_answer="ok")


def test_publish_of_an_archived_scenario_is_legal_but_unknown_moves_raise(session):
    s = seed(session, users=False)
    scenario = session.get(Scenario, s.scenario_id)
    scenario.state = ReviewState.archived
    session.flush()
    assert (
        publish_scenario(session, scenario_id=s.scenario_id, actor="coach", model_answer="ok").state
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
