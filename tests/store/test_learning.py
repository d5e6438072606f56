"""Peer learning in the store: votes, picks, points and leaderboards, on each database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from curation.learning import Answer, NotAllowed, points
from store.campaigns import create_campaign, leaderboard
from store.learning import period_leaderboard, pick_response, standings
from store.models import Case, Response, ReviewState, Scenario, Source, Thread
from store.users import create_user
from store.views import submit_response, vote

NOW = datetime(2026, 12, 17, 12, 0, tzinfo=UTC)
PW = "long-enough-pw"


@pytest.fixture
def world(session):
    source = Source(name="s", kind="jsonl", channel="chat")
    session.add(source)
    session.flush()
    scenarios = []
    for i in range(3):
        thread = Thread(source_id=source.id, external_id=f"t{i}", channel="chat")
        session.add(thread)
        session.flush()
        case = Case(
            thread_id=thread.id,
            arc="recovery",
            score=0.5,
            situation="x",
            emotion="anger",
            language="en",
            channel="chat",
        )
        session.add(case)
        session.flush()
        scenario = Scenario(
            case_id=case.id,
            title=f"S{i}",
            language="en",
            state=ReviewState.published,
            model_answer="m",
        )
        session.add(scenario)
        session.flush()
        scenarios.append(scenario.id)
    users = {
        name: create_user(session, name, PW, role, display_name=name.title(), team=team).id
        for name, role, team in [
            ("coach", "coach", None),
            ("ana", "advisor", "blue"),
            ("bob", "advisor", "blue"),
            ("cy", "advisor", "red"),
            ("dee", "advisor", "green"),
        ]
    }
    return scenarios, users


def answer(session, scenario_id, user_id, at):
    view = submit_response(session, scenario_id, user_id, "I would apologise and fix it now.")
    session.get(Response, view.id).created_at = at
    session.flush()
    return view.id


def test_vote_rules_come_from_curation(session, world):
    scenarios, u = world
    mine = answer(session, scenarios[0], u["ana"], NOW)
    with pytest.raises(NotAllowed, match="own answer"):
        vote(session, mine, u["ana"])
    vote(session, mine, u["bob"])
    with pytest.raises(ValueError, match="already voted"):
        vote(session, mine, u["bob"])
    with pytest.raises(ValueError, match="already answered"):
        submit_response(session, scenarios[0], u["ana"], "again")


def test_only_a_coach_picks(session, world):
    scenarios, u = world
    r = answer(session, scenarios[0], u["ana"], NOW)
    with pytest.raises(NotAllowed):
        pick_response(session, r, "bob")
    pick_response(session, r, "coach")
    assert session.get(Response, r).coach_pick
    line = standings(session)[0]
    assert (line.name, line.picks, line.points) == (
        "Ana",
        1,
        points([Answer(scenarios[0], 0, True)]),
    )


def test_campaign_leaderboard_counts_its_period_scenarios_and_teams(session, world):
    scenarios, u = world
    start = NOW - timedelta(days=3)
    campaign = create_campaign(
        session,
        "December challenge",
        start,
        NOW + timedelta(days=4),
        ["blue", "red"],
        scenarios[:2],
        "coach",
    )
    inside = answer(session, scenarios[0], u["ana"], NOW)
    answer(session, scenarios[1], u["bob"], NOW)
    answer(session, scenarios[0], u["cy"], NOW)
    answer(session, scenarios[2], u["bob"], NOW)  # not a campaign scenario
    answer(session, scenarios[1], u["ana"], start - timedelta(days=1))  # before the campaign
    answer(session, scenarios[0], u["dee"], NOW)  # team not in the campaign
    vote(session, inside, u["bob"])
    vote(session, inside, u["cy"])
    people = leaderboard(session, campaign.id, by="person")
    assert [(s.rank, s.name, s.answers) for s in people] == [
        (1, "Ana", 1),
        (2, "Bob", 1),
        (2, "Cy", 1),
    ]
    assert people[0].votes == 2 and people[0].points > people[1].points
    teams = leaderboard(session, campaign.id, by="team")
    assert [t.name for t in teams] == ["blue", "red"]
    assert teams[0].points == pytest.approx(people[0].points + people[1].points)
    with pytest.raises(ValueError):
        create_campaign(session, "bad", NOW, NOW, ["blue"], scenarios, "coach")
    with pytest.raises(ValueError):
        create_campaign(session, "bad", NOW, NOW + timedelta(days=1), ["blue"], [999], "coach")
    with pytest.raises(ValueError):
        leaderboard(session, campaign.id, by="site")


def test_period_leaderboards(session, world):
    scenarios, u = world
    answer(session, scenarios[0], u["ana"], NOW)  # this week
    answer(session, scenarios[1], u["bob"], NOW - timedelta(days=10))  # this month, last week
    answer(session, scenarios[2], u["cy"], NOW - timedelta(days=40))  # last month
    assert [s.name for s in period_leaderboard(session, "week", now=NOW)] == ["Ana"]
    assert [s.name for s in period_leaderboard(session, "month", now=NOW)] == ["Ana", "Bob"]
    assert [s.name for s in period_leaderboard(session, "month", by="team", now=NOW)] == ["blue"]
