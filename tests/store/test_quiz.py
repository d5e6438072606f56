"""A campaign's quiz challenge in the store: questions, scoring, one attempt, leaderboard, xAPI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from curation.learning import QUIZ_POINTS
from delivery.quiz import quiz_from_json
from store.campaigns import campaign_leaderboard
from store.models import Campaign, XapiStatement
from store.quiz import campaign_quiz, quiz_attempt, quiz_review, start_quiz, submit_quiz
from tests.xapi_world import make_world


def test_quiz_is_the_same_for_everyone_and_scored_by_the_store(session):
    w = make_world(session, n=4)
    quiz = campaign_quiz(session, campaign_id=w.campaign_id)
    assert quiz == campaign_quiz(session, campaign_id=w.campaign_id)
    assert {q.scenario_id for q in quiz.questions} == set(w.scenarios[:2])
    assert [q.kind for q in quiz.questions] == ["reply", "want", "reply", "want"]
    first = quiz.questions[0]
    assert first.answer == "Real reply number 0, sorted today."
    assert all(c.startswith("Real reply number") for c in first.choices)

    answers = {q.key: (q.correct, 3.0) for q in quiz.questions}
    answers[quiz.questions[1].key] = ((quiz.questions[1].correct + 1) % 4, 2.0)  # wrong
    answers[quiz.questions[2].key] = (quiz.questions[2].correct, 31.0)  # right but too late
    view = submit_quiz(session, campaign_id=w.campaign_id, user_id=w.users["ana"], answers=answers)
    assert (view.questions, view.correct) == (4, 2)
    assert view.points == pytest.approx(2 * QUIZ_POINTS * (1 - 0.5 * 3 / 30))
    assert [a["right"] for a in view.answers] == [True, False, False, True]
    assert quiz_attempt(session, campaign_id=w.campaign_id, user_id=w.users["ana"]) == view

    with pytest.raises(ValueError, match="already played"):
        submit_quiz(session, campaign_id=w.campaign_id, user_id=w.users["ana"], answers={})
    with pytest.raises(ValueError, match="not for your team"):
        submit_quiz(session, campaign_id=w.campaign_id, user_id=w.users["cy"], answers={})
    with pytest.raises(ValueError, match="not running"):
        submit_quiz(
            session,
            campaign_id=w.campaign_id,
            user_id=w.users["bob"],
            answers={},
            now=datetime.now(UTC) + timedelta(days=30),
        )
    with pytest.raises(ValueError, match="no such question"):
        submit_quiz(
            session, campaign_id=w.campaign_id, user_id=w.users["bob"], answers={"x": (0, 1)}
        )


def test_quiz_points_count_in_the_campaign_leaderboard_and_as_statements(session):
    w = make_world(session, n=4)
    quiz = campaign_quiz(session, campaign_id=w.campaign_id)
    submit_quiz(
        session,
        campaign_id=w.campaign_id,
        user_id=w.users["bob"],
        answers={q.key: (q.correct, 0.0) for q in quiz.questions},
    )
    board = campaign_leaderboard(session, campaign_id=w.campaign_id)
    assert [(s.name, s.points, s.answers) for s in board] == [("Bob", 4 * QUIZ_POINTS, 0)]
    team = campaign_leaderboard(session, campaign_id=w.campaign_id, by="team")
    assert [(s.name, s.points) for s in team] == [("blue", 4 * QUIZ_POINTS)]
    # The quiz's share of the points has a column of its own in the campaign's table.
    from store.campaigns import campaign_standings

    table = campaign_standings(session, campaign_id=w.campaign_id)
    assert table[["name", "points", "quiz"]].values.tolist() == [
        ["Bob", 4 * QUIZ_POINTS, 4 * QUIZ_POINTS]
    ]
    rows = list(session.scalars(select(XapiStatement).order_by(XapiStatement.id)))
    assert [r.kind for r in rows] == ["quiz", "joined"]
    result = rows[0].statement["result"]
    assert result["score"] == {"scaled": 1.0, "raw": 4, "min": 0, "max": 4}
    assert rows[0].statement["object"]["id"].endswith(f"/quizzes/campaign-{w.campaign_id}")


def test_campaign_quiz_exports(session):
    import io
    import zipfile

    from openpyxl import load_workbook

    from delivery.quiz import KAHOOT_HEADER_ROW, build_quiz
    from store.bundles import Selection, scenario_pack
    from store.exports import export_file

    w = make_world(session, n=4)
    # The files hold the very quiz the advisors play in the dashboard.
    assert build_quiz(scenario_pack(session, campaign_id=w.campaign_id)) == campaign_quiz(
        session, campaign_id=w.campaign_id
    )
    selection = Selection(campaign_id=w.campaign_id)
    name, sheet, media = export_file(session, format="kahoot", selection=selection)
    assert name.endswith(".xlsx") and "spreadsheetml" in media
    rows = list(
        load_workbook(io.BytesIO(sheet)).active.iter_rows(
            min_row=KAHOOT_HEADER_ROW + 1, values_only=True
        )
    )
    assert len(rows) == 4 and rows[0][1].startswith("Which reply turned this customer around?")
    _, text, _ = export_file(session, format="gift", selection=selection)
    assert text.decode().count("::reply-") == 2 and text.decode().count("::want-") == 2
    _, package, _ = export_file(session, format="qti", selection=selection)
    assert (
        len([n for n in zipfile.ZipFile(io.BytesIO(package)).namelist() if n.startswith("items/")])
        == 4
    )


def test_a_quiz_under_way_is_kept_answer_by_answer_and_timed_by_the_store(session):
    from store.models import QuizProgress
    from store.quiz import answer_quiz, quiz_progress, start_quiz

    w = make_world(session, n=4)
    ana = w.users["ana"]
    quiz = campaign_quiz(session, campaign_id=w.campaign_id)
    t0 = datetime.now(UTC)
    assert start_quiz(session, campaign_id=w.campaign_id, user_id=ana, now=t0).index == 0
    # Starting again (a refresh, another tab) never restarts the clock.
    again = start_quiz(
        session, campaign_id=w.campaign_id, user_id=ana, now=t0 + timedelta(seconds=9)
    )
    assert (again.index, again.shown_at) == (0, t0)
    with pytest.raises(ValueError, match="already answered"):
        answer_quiz(
            session, campaign_id=w.campaign_id, user_id=ana, key=quiz.questions[1].key, chosen=0
        )
    said, at = None, t0
    for n, q in enumerate(quiz.questions):
        at = at + timedelta(seconds=40 if n == 2 else 5)  # the third one late
        said = answer_quiz(
            session, campaign_id=w.campaign_id, user_id=ana, key=q.key, chosen=q.correct, now=at
        )
        if n < 3:
            assert said is None
            assert quiz_progress(session, campaign_id=w.campaign_id, user_id=ana).index == n + 1
    assert said is not None and (said.questions, said.correct) == (4, 3)
    assert [a["seconds"] for a in said.answers] == [5.0, 5.0, 40.0, 5.0]
    assert session.scalar(select(QuizProgress)) is None  # the try under way became the attempt
    assert quiz_attempt(session, campaign_id=w.campaign_id, user_id=ana) == said
    with pytest.raises(ValueError, match="already played"):
        start_quiz(session, campaign_id=w.campaign_id, user_id=ana)
    with pytest.raises(ValueError, match="not for your team"):
        start_quiz(session, campaign_id=w.campaign_id, user_id=w.users["cy"])


def test_the_quiz_its_first_player_got_is_everyones_whatever_is_published_after(session):
    from delivery.quiz import build_quiz
    from store.bundles import scenario_pack
    from store.models import Campaign, Case, Scenario, Thread
    from store.quiz import answer_quiz, start_quiz

    w = make_world(session, n=4)
    start_quiz(session, campaign_id=w.campaign_id, user_id=w.users["ana"])
    played = campaign_quiz(session, campaign_id=w.campaign_id)
    assert session.get(Campaign, w.campaign_id).quiz is not None  # kept at the first start
    # Coaches publish more cases during the campaign: a quiz built now draws other wrong answers.
    model = session.get(Scenario, w.scenarios[3])
    for i in range(6):
        thread = Thread(
            source_id=model.case.thread.source_id, external_id=f"later{i}", channel="chat"
        )
        session.add(thread)
        session.flush()
        case = Case(
            thread_id=thread.id,
            arc="recovery",
            score=0.4,
            situation=f"new {i}",
            emotion="anger",
            language="en",
            channel="chat",
        )
        session.add(case)
        session.flush()
        body = {**model.body, "real_reply": f"A reply published later, number {i}."}
        body["context"] = {"situation": f"new {i}", "customer_wants": f"The customer wants: {i}"}
        session.add(
            Scenario(
                case_id=case.id,
                title=f"Later {i}",
                language="en",
                level=1,
                skill_axis="relational",
                state=model.state,
                body=body,
                published_at=datetime.now(UTC) + timedelta(minutes=i),
            )
        )
    session.flush()
    assert build_quiz(scenario_pack(session, campaign_id=w.campaign_id)) != played
    assert campaign_quiz(session, campaign_id=w.campaign_id) == played
    # A player after them answers the quiz they were shown, scored against its own choices.
    bob = w.users["bob"]
    start_quiz(session, campaign_id=w.campaign_id, user_id=bob)
    view = None
    for q in played.questions:
        view = answer_quiz(
            session, campaign_id=w.campaign_id, user_id=bob, key=q.key, chosen=q.correct
        )
    assert view is not None and view.correct == len(played.questions)
    # The campaign's quiz files are that quiz too, not one built anew from today's cases.
    from delivery.quiz import gift
    from store.bundles import Selection
    from store.exports import export_file

    _, text, _ = export_file(session, format="gift", selection=Selection(campaign_id=w.campaign_id))
    assert text.decode("utf-8") == gift(played)


def test_a_quiz_exported_before_anyone_plays_is_the_one_they_play(session):
    from store.bundles import Selection
    from store.exports import export_file
    from store.models import Campaign

    w = make_world(session, n=4)
    export_file(session, format="gift", selection=Selection(campaign_id=w.campaign_id))
    kept = session.get(Campaign, w.campaign_id).quiz
    assert kept is not None  # fixed by the export: the Kahoot a coach runs is the one played
    assert campaign_quiz(session, campaign_id=w.campaign_id) == quiz_from_json(kept)


def test_the_review_shows_each_answer_beside_the_right_one_once_played(session):
    w = make_world(session, n=4)
    ana = w.users["ana"]
    assert quiz_review(session, campaign_id=w.campaign_id, user_id=ana) == []  # not played
    start_quiz(session, campaign_id=w.campaign_id, user_id=ana)  # keeps the quiz played
    quiz = campaign_quiz(session, campaign_id=w.campaign_id)
    first, second, third, fourth = quiz.questions
    answers = {
        first.key: (first.correct, 3.0),
        second.key: ((second.correct + 1) % len(second.choices), 2.0),
        third.key: (third.correct, 31.0),
    }  # the fourth unanswered
    submit_quiz(session, campaign_id=w.campaign_id, user_id=ana, answers=answers)
    review = quiz_review(session, campaign_id=w.campaign_id, user_id=ana)
    assert [(r.prompt, r.correct) for r in review] == [
        (q.prompt, q.correct) for q in quiz.questions
    ]
    assert [r.right for r in review] == [True, False, False, False]
    assert [r.late for r in review] == [False, False, True, False]
    assert [r.chosen for r in review] == [
        first.correct,
        answers[second.key][0],
        third.correct,
        None,
    ]
    # The quiz dropped (a person's erasure): one built again may differ, so no review.
    session.get(Campaign, w.campaign_id).quiz = None
    assert quiz_review(session, campaign_id=w.campaign_id, user_id=ana) == []
