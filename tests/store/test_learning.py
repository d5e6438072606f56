"""Peer learning in the store: votes, picks, points and leaderboards, on each database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from curation.learning import Answer, NotAllowed, points
from curation.review import ReviewState
from store.campaigns import campaign_leaderboard, campaign_rows, create_campaign
from store.learning import (
    comment_on_response,
    period_leaderboard,
    pick_response,
    responses_for,
    standings,
    submit_response,
    vote,
)
from store.models import Case, Response, Scenario, Source, Thread
from store.scenarios import get_scenario
from store.users import create_user
from tests.dashboard.seed import seed
from tests.helpers import publish

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
        name: create_user(
            session, username=name, password=PW, role=role, display_name=name.title(), team=team
        ).id
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
    view = submit_response(
        session, scenario_id=scenario_id, user_id=user_id, text="I would apologise and fix it now."
    )
    session.get(Response, view.id).created_at = at
    session.flush()
    return view.id


def test_vote_rules_come_from_curation(session, world):
    scenarios, u = world
    mine = answer(session, scenarios[0], u["ana"], NOW)
    with pytest.raises(NotAllowed, match="own answer"):
        vote(session, response_id=mine, user_id=u["ana"])
    vote(session, response_id=mine, user_id=u["bob"])
    with pytest.raises(ValueError, match="already voted"):
        vote(session, response_id=mine, user_id=u["bob"])
    with pytest.raises(ValueError, match="already answered"):
        submit_response(session, scenario_id=scenarios[0], user_id=u["ana"], text="again")


def test_only_a_coach_picks(session, world):
    scenarios, u = world
    r = answer(session, scenarios[0], u["ana"], NOW)
    with pytest.raises(NotAllowed):
        pick_response(session, response_id=r, actor="bob")
    pick_response(session, response_id=r, actor="coach")
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
        name="December challenge",
        starts_at=start,
        ends_at=NOW + timedelta(days=4),
        teams=["blue", "red"],
        scenario_ids=scenarios[:2],
        actor="coach",
    )
    inside = answer(session, scenarios[0], u["ana"], NOW)
    answer(session, scenarios[1], u["bob"], NOW)
    answer(session, scenarios[0], u["cy"], NOW)
    answer(session, scenarios[2], u["bob"], NOW)  # not a campaign scenario
    answer(session, scenarios[1], u["ana"], start - timedelta(days=1))  # before the campaign
    answer(session, scenarios[0], u["dee"], NOW)  # team not in the campaign
    vote(session, response_id=inside, user_id=u["bob"])
    vote(session, response_id=inside, user_id=u["cy"])
    people = campaign_leaderboard(session, campaign_id=campaign.id, by="person")
    assert [(s.rank, s.name, s.answers) for s in people] == [
        (1, "Ana", 1),
        (2, "Bob", 1),
        (2, "Cy", 1),
    ]
    assert people[0].votes == 2 and people[0].points > people[1].points
    teams = campaign_leaderboard(session, campaign_id=campaign.id, by="team")
    assert [t.name for t in teams] == ["blue", "red"]
    assert teams[0].points == pytest.approx(people[0].points + people[1].points)
    with pytest.raises(ValueError):
        create_campaign(
            session,
            name="bad",
            starts_at=NOW,
            ends_at=NOW,
            teams=["blue"],
            scenario_ids=scenarios,
            actor="coach",
        )
    with pytest.raises(ValueError):
        create_campaign(
            session,
            name="bad",
            starts_at=NOW,
            ends_at=NOW + timedelta(days=1),
            teams=["blue"],
            scenario_ids=[999],
            actor="coach",
        )
    with pytest.raises(ValueError):
        campaign_leaderboard(session, campaign_id=campaign.id, by="site")


def test_period_leaderboards(session, world):
    scenarios, u = world
    answer(session, scenarios[0], u["ana"], NOW)  # this week
    answer(session, scenarios[1], u["bob"], NOW - timedelta(days=10))  # this month, last week
    answer(session, scenarios[2], u["cy"], NOW - timedelta(days=40))  # last month
    assert [s.name for s in period_leaderboard(session, period="week", now=NOW)] == ["Ana"]
    assert [s.name for s in period_leaderboard(session, period="month", now=NOW)] == ["Ana", "Bob"]
    assert [s.name for s in period_leaderboard(session, period="month", by="team", now=NOW)] == [
        "blue"
    ]


def test_responses_votes_and_comments(session):
    s = seed(session)
    with pytest.raises(ValueError, match="not published"):
        submit_response(session, scenario_id=s.scenario_id, user_id=s.advisor_id, text="hello")
    publish(session, scenario_id=s.scenario_id, actor="coach", model_answer="Model")
    mine = submit_response(
        session,
        scenario_id=s.scenario_id,
        user_id=s.advisor_id,
        text="  I am sorry, let me fix it.  ",
    )
    assert mine.text == "I am sorry, let me fix it." and mine.author == "Ada Advisor"
    with pytest.raises(ValueError, match="already answered"):
        submit_response(session, scenario_id=s.scenario_id, user_id=s.advisor_id, text="again")
    with pytest.raises(ValueError, match="empty"):
        submit_response(session, scenario_id=s.scenario_id, user_id=s.peer_id, text="   ")
    theirs = submit_response(
        session, scenario_id=s.scenario_id, user_id=s.peer_id, text="Peer answer"
    )
    vote(session, response_id=theirs.id, user_id=s.advisor_id)
    with pytest.raises(ValueError, match="already voted"):
        vote(session, response_id=theirs.id, user_id=s.advisor_id)
    with pytest.raises(ValueError, match="own answer"):
        vote(session, response_id=mine.id, user_id=s.advisor_id)
    with pytest.raises(ValueError, match="does not exist"):
        vote(session, response_id=999_999, user_id=s.advisor_id)
    comment_on_response(session, response_id=theirs.id, user_id=s.advisor_id, text="Nice tone")
    answers = {r.id: r for r in responses_for(session, scenario_id=s.scenario_id)}
    assert answers[theirs.id].votes == 1 and answers[theirs.id].voter_ids == (s.advisor_id,)
    assert (
        answers[theirs.id].n_comments == 1
        and answers[theirs.id].comments[0].author == "Ada Advisor"
    )
    assert answers[mine.id].votes == 0
    assert get_scenario(session, scenario_id=s.scenario_id).state == "published"


def test_peers_never_read_a_customer_s_contact_details_in_an_answer_or_comment(session):
    s = seed(session)
    publish(session, scenario_id=s.scenario_id, actor="coach", model_answer="Model")
    said = "Call her at +44 7700 900123 or jane.doe@example.com, I did."
    answer = submit_response(session, scenario_id=s.scenario_id, user_id=s.peer_id, text=said)
    comment_on_response(session, response_id=answer.id, user_id=s.advisor_id, text=said)
    [shown] = responses_for(session, scenario_id=s.scenario_id)
    for text in (shown.text, shown.comments[0].text):
        assert "900123" not in text and "jane.doe" not in text
        assert text == "Call her at [PHONE] or [EMAIL], I did."


@pytest.mark.parametrize(
    ("language", "said", "kept"),
    [
        # An advisor who handled the case may name its customer; or a colleague.
        (
            "en",
            "I would call Mrs Sarah Whitfield back and say sorry, as Tom did.",
            "I would call Mrs [PERSON] back and say sorry, as [PERSON] did.",
        ),
        # A French scenario: the French NER finds the name the rules do not (the scenario's
        # language is the redactor's: read as English, "Gwenaëlle Le Goff" stays).
        (
            "fr",
            "Je rappellerais Mme Kerbrat pour m'excuser, comme Gwenaëlle Le Goff l'a fait.",
            "Je rappellerais Mme [PERSON] pour m'excuser, comme [PERSON] l'a fait.",
        ),
    ],
)
def test_peers_never_read_a_name_in_an_answer_or_comment(session, language, said, kept):
    s = seed(session)
    session.get(Scenario, s.scenario_id).language = language
    publish(session, scenario_id=s.scenario_id, actor="coach", model_answer="Model")
    answer = submit_response(session, scenario_id=s.scenario_id, user_id=s.peer_id, text=said)
    comment_on_response(session, response_id=answer.id, user_id=s.advisor_id, text=said)
    [shown] = responses_for(session, scenario_id=s.scenario_id)
    assert shown.text == kept
    assert shown.comments[0].text == kept


def test_campaign_rows_tell_the_first_and_last_day_and_the_status(session, world):
    scenarios, _ = world
    midnight = datetime(2026, 12, 14, tzinfo=UTC)
    for name, starts, days in [("now", midnight, 7), ("later", midnight + timedelta(days=10), 3)]:
        create_campaign(
            session,
            name=name,
            starts_at=starts,
            ends_at=starts + timedelta(days=days),  # the end is the midnight after the last day
            teams=["blue"],
            scenario_ids=scenarios[:1],
            actor="coach",
        )
    rows = campaign_rows(session, now=NOW).set_index("name")
    assert rows.loc["now", "first_day"] == datetime(2026, 12, 14).date()
    assert rows.loc["now", "last_day"] == datetime(2026, 12, 20).date()
    assert list(rows["status"]) == ["upcoming", "running"]  # the latest start first
    assert campaign_rows(session, team="red", now=NOW).empty


def test_a_campaign_keeps_to_one_language(session, world):
    # Its quiz is the same for everyone in it: French advisors read no English questions.
    scenarios, _ = world
    session.get(Scenario, scenarios[2]).language = "fr"
    with pytest.raises(ValueError, match="share one language.*in English and French;"):
        create_campaign(
            session,
            name="Mixed",
            starts_at=NOW,
            ends_at=NOW + timedelta(days=4),
            teams=["blue"],
            scenario_ids=scenarios,
            actor="coach",
        )
    kept = create_campaign(
        session,
        name="English",
        starts_at=NOW,
        ends_at=NOW + timedelta(days=4),
        teams=["blue"],
        scenario_ids=scenarios[:2],
        actor="coach",
    )
    assert kept.scenario_ids == sorted(scenarios[:2])
