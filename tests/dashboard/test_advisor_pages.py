"""The advisor's pages: my scenarios (comments on peers' answers), my progress and leaderboards;
and the guard that keeps advisors off coach pages and away from unredacted text."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from store.campaigns import create_campaign
from store.db import get_engine, transaction
from store.learning import pick_response, submit_response, vote
from store.models import ResponseComment
from store.users import UserInfo
from tests.dashboard.harness import app, cells, info, page
from tests.helpers import publish

ADVISOR_PAGES = ["my_scenarios", "progress", "leaderboards"]
ORIGINAL = "raw angry text with jane@example.com"


def someone(role: str) -> UserInfo:
    return UserInfo(id=999, username=role, display_name=role, role=role, team="blue", level=3)


def advisor(seeded) -> UserInfo:
    return info(get_engine(), seeded.advisor_id)


def texts(at) -> list[str]:
    return [t.value for t in at.text]


def answered(db, seeded, picked: bool = True) -> int:
    """The scenario published, the advisor's answer voted for by the peer (and picked by the coach)."""
    with transaction(db) as s:
        publish(s, scenario_id=seeded.scenario_id, actor="coach", model_answer="Model", level=2)
        answer = submit_response(
            s, scenario_id=seeded.scenario_id, user_id=seeded.advisor_id, text="Sorry, fixed."
        )
        submit_response(s, scenario_id=seeded.scenario_id, user_id=seeded.peer_id, text="On it.")
        vote(s, response_id=answer.id, user_id=seeded.peer_id)
        if picked:
            pick_response(s, response_id=answer.id, actor="coach")
    return answer.id


@pytest.mark.parametrize("name", ADVISOR_PAGES)
def test_advisor_page_on_an_empty_store(db, name):
    at = app(someone("advisor"), script=page(name)).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.info, "an empty page says why it is empty"


@pytest.mark.parametrize("name", ADVISOR_PAGES)
def test_advisor_page_on_a_small_store_shows_no_unredacted_text(seeded, db, name):
    answered(db, seeded)
    at = app(advisor(seeded), script=page(name)).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    shown = "\n".join(texts(at) + [m.value for m in at.markdown] + [c.value for c in at.caption])
    assert ORIGINAL not in shown and "raw " not in shown
    assert not at.checkbox  # no "show original text"


@pytest.mark.parametrize("name", ADVISOR_PAGES)
def test_a_coach_opening_an_advisor_page_is_stopped(db, name):
    at = app(someone("coach"), script=page(name)).run()
    assert not at.exception
    assert len(at.error) == 1 and "advisor" in at.error[0].value
    assert not at.title


def test_advisor_navigation_has_no_coach_page(seeded):
    at = app(advisor(seeded)).run()
    assert at.session_state["nav_titles"] == [
        "My scenarios",
        "My progress",
        "Leaderboards",
        "Quiz challenge",
    ]
    for coach_page in ("case_queue", "case", "scenario", "families", "campaigns"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"screens/{coach_page}.py")
    at.switch_page("screens/progress.py").run()
    assert not at.exception and at.title[0].value == "My progress"


def test_advisor_comments_on_a_peers_answer(seeded, db):
    with transaction(db) as s:
        publish(s, scenario_id=seeded.scenario_id, actor="coach", model_answer="Model", level=2)
        peer = submit_response(
            s, scenario_id=seeded.scenario_id, user_id=seeded.peer_id, text="Peer's answer"
        )
        submit_response(s, scenario_id=seeded.scenario_id, user_id=seeded.advisor_id, text="Mine")
    at = app(advisor(seeded)).run()
    at.text_input(key=f"comment_text_{peer.id}").input("<b>Nice</b> **tone**")
    [send] = [b for b in at.button if b.label == "Send"]
    send.click().run()
    assert not at.exception and not at.error
    with transaction(db) as s:
        [note] = s.scalars(select(ResponseComment)).all()
        assert (note.response_id, note.user_id, note.text) == (
            peer.id,
            seeded.advisor_id,
            "<b>Nice</b> **tone**",
        )
    assert "↳ Ada Advisor: <b>Nice</b> **tone**" in texts(at)  # plain text, not HTML


def test_progress_shows_answers_points_and_level(seeded, db):
    answered(db, seeded)
    at = app(advisor(seeded), script=page("progress")).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # 1 base point + 3 x log2(1 + 1 vote) + 10 for the coach's pick
    assert metrics == {
        "Level": "2 · continuing training",
        "Points (all time)": "14",
        "Points this week": "14",
        "Points this month": "14",
    }
    answers = at.dataframe[0].value
    assert list(answers["title"]) == ["Late parcel, third contact"]
    row = answers.iloc[0]
    assert (row["votes"], bool(row["coach_pick"]), row["points"]) == (1, True, 14.0)


@pytest.mark.parametrize(
    ("language", "points", "cell"), [("fr", "5,7549", "5,75"), ("en", "5.7549", None)]
)
def test_progress_writes_points_as_the_reader_does(seeded, db, language, points, cell):
    answer_id = answered(db, seeded, picked=False)
    with transaction(db) as s:  # 2 votes: 1 base point + 3 x log2(1 + 2)
        vote(s, response_id=answer_id, user_id=seeded.coach_id)
    user = dataclasses.replace(advisor(seeded), language=language)
    at = app(user, script=page("progress")).run()
    assert not at.exception
    assert [m.value for m in at.metric[1:]] == [points] * 3
    [table] = at.dataframe
    assert table.value["points"].tolist() == [5.75]  # a number still: the column sorts by value
    shown = cells(table)  # French: pandas' Styler writes the decimal comma; English: "%.2f"
    assert (shown if shown is None else shown["points"].tolist()) == (cell and [cell])


def test_leaderboards_show_the_period_and_my_campaigns(seeded, db):
    answered(db, seeded, picked=False)
    now = datetime.now(UTC)
    with transaction(db) as s:
        create_campaign(
            s,
            name="Blue sprint",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=6),
            teams=["blue"],
            scenario_ids=[seeded.scenario_id],
            actor="coach",
        )
        create_campaign(
            s,
            name="Red sprint",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=6),
            teams=["red"],
            scenario_ids=[seeded.scenario_id],
            actor="coach",
        )
    at = app(advisor(seeded), script=page("leaderboards")).run()
    assert not at.exception and not at.error
    campaigns, campaign_board, period_board = (d.value for d in at.dataframe)
    assert list(campaigns["name"]) == ["Blue sprint"]  # only my team's
    assert list(campaign_board["name"]) == ["Ada Advisor", "Pat Peer"]
    assert list(campaign_board["you"]) == ["★", ""]
    assert list(period_board["name"]) == ["Ada Advisor", "Pat Peer"]
    assert period_board.iloc[0]["points"] == 4.0
    at.radio(key="leaderboard_by").set_value("team").run()
    at.radio(key="leaderboard_period").set_value("month").run()
    assert not at.exception
    team = at.dataframe[2].value
    assert list(team["name"]) == ["blue"] and list(team["you"]) == ["★"]
    at.radio(key="advisor_campaign_by").set_value("team").run()
    assert list(at.dataframe[1].value["name"]) == ["blue"]


def test_an_advisor_without_a_team_sees_no_campaign(seeded, db):
    answered(db, seeded, picked=False)
    loner = UserInfo(id=seeded.advisor_id, username="a", display_name="a", role="advisor")
    at = app(loner, script=page("leaderboards")).run()
    assert not at.exception
    assert at.info[0].value == "Your team is in no campaign yet."


def test_a_link_to_a_scenario_not_meant_for_the_advisor_says_so_once(seeded, db):
    answered(db, seeded, picked=False)
    at = app(advisor(seeded), script=page("my_scenarios"))
    at.session_state["open_scenario_id"] = seeded.scenario_id + 100  # another team's, say
    at.run()
    assert not at.exception and not at.error
    assert at.warning[0].value.startswith(f"Scenario {seeded.scenario_id + 100} is not among yours")
    assert at.selectbox(key="advisor_scenario_id").value == seeded.scenario_id  # theirs instead
    at.run()
    assert not at.warning  # said once
