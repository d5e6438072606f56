"""The advisor's quiz challenge page under AppTest: play a running campaign's quiz once, against
the clock, and find its points in the campaign's leaderboard."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dashboard import data
from dashboard.components import md_escape
from store.campaigns import campaign_leaderboard
from store.db import transaction
from store.models import QuizProgress, XapiStatement
from store.quiz import campaign_quiz
from tests.dashboard.harness import app, info, page
from tests.xapi_world import make_world


def test_an_advisor_plays_the_quiz_once_and_scores(db):
    with transaction(db) as s:
        w = make_world(s, n=4)
        quiz = campaign_quiz(s, campaign_id=w.campaign_id)
    ana = info(db, w.users["ana"])
    at = app(ana, script=page("quiz")).run()
    assert not at.exception
    assert at.selectbox(key="quiz_campaign_id").value == w.campaign_id
    assert "4 questions" in at.markdown[0].value
    at.button(key="quiz_start").click().run()
    assert "30 s left of 30 s" in at.get("progress")[0].proto.text
    for n, q in enumerate(quiz.questions):
        assert at.markdown[0].value.endswith(q.prompt)
        radio = at.radio(key=f"quiz_{w.campaign_id}_{q.key}")
        assert list(radio.options) == list(q.choices)
        answer = q.correct if n != 1 else (q.correct + 1) % len(q.choices)  # one wrong
        if n == 2:  # one right but late: shown 60 s ago (the store's clock)
            with transaction(db) as s:
                progress = s.scalar(select(QuizProgress))
                progress.shown_at = progress.shown_at - timedelta(seconds=60)
        radio.set_value(answer).run()
        at.button(key="quiz_next").click().run()
        assert not at.exception, at.exception
    # The result once (it was shown twice: a flash of it and the stored attempt's).
    assert len(at.success) == 1 and "2/4 right" in at.success[0].value
    with transaction(db) as s:
        board = campaign_leaderboard(s, campaign_id=w.campaign_id)
        kinds = list(s.scalars(select(XapiStatement.kind).order_by(XapiStatement.id)))
    assert board[0].name == "Ana" and 3.5 < board[0].points <= 4.0
    assert kinds == ["quiz", "joined"]
    # Once only: the page now shows the score, not the questions.
    again = app(ana, script=page("quiz")).run()
    assert "2/4 right" in again.success[0].value and not again.radio
    # ... and the answers, each with the right one: question 2 wrong, question 3 right but late.
    shown = [m.value for m in again.markdown]
    assert shown[0] == "#### Your answers"
    numbered = [m for m in shown if m.startswith("**")]
    assert numbered == [f"**{n}. {q.prompt}**" for n, q in enumerate(quiz.questions, 1)]
    wrong, late = quiz.questions[1], quiz.questions[2]
    assert f"{md_escape('Right answer:')} {md_escape(wrong.answer)}" in shown
    assert any(
        m.startswith(":red[") and "the right answer, but too late: 60 s of 30 s" in m for m in shown
    )
    assert sum(m.startswith(":green[") for m in shown) == 2  # the two right in time
    assert md_escape(late.answer) in next(m for m in shown if "too late" in m)


def test_a_refresh_resumes_the_quiz_at_its_question_with_its_clock(db):
    with transaction(db) as s:
        w = make_world(s, n=4)
        quiz = campaign_quiz(s, campaign_id=w.campaign_id)
    ana = info(db, w.users["ana"])
    at = app(ana, script=page("quiz")).run()
    at.button(key="quiz_start").click().run()
    for q in quiz.questions[:2]:
        at.radio(key=f"quiz_{w.campaign_id}_{q.key}").set_value(q.correct).run()
        at.button(key="quiz_next").click().run()
    with transaction(db) as s:  # the third question has been on screen for 20 s
        progress = s.scalar(select(QuizProgress))
        progress.shown_at = progress.shown_at - timedelta(seconds=20)
    data.clear_reads()  # changed behind the dashboard's back: its cached reads are stale
    # A refresh (a new session): no fresh start, the third question, 10 s left.
    again = app(ana, script=page("quiz")).run()
    assert not again.exception and "quiz_start" not in [b.key for b in again.button]
    assert again.markdown[0].value.endswith(quiz.questions[2].prompt)
    assert "10 s left of 30 s" in again.get("progress")[0].proto.text
    with transaction(db) as s:
        assert len(s.scalar(select(QuizProgress)).answers) == 2


def test_no_running_campaign_no_quiz(db):
    with transaction(db) as s:
        w = make_world(s, n=4)
    at = app(info(db, w.users["cy"]), script=page("quiz")).run()  # team red has no campaign
    assert not at.exception and not at.button
    assert "No campaign of your team is running" in at.info[0].value


def test_the_campaign_in_the_advisors_language_is_offered_first(db):
    import dataclasses
    from datetime import UTC, datetime, timedelta

    from store.campaigns import create_campaign
    from store.models import Scenario

    with transaction(db) as s:
        w = make_world(s, n=4)
        for scenario_id in w.scenarios[2:]:
            s.get(Scenario, scenario_id).language = "fr"
        now = datetime.now(UTC)
        french = create_campaign(
            s,
            name="Défi de décembre",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=13),
            teams=["blue"],
            scenario_ids=w.scenarios[2:],
            actor="coach",
        ).id
    ana = info(db, w.users["ana"])
    english = app(dataclasses.replace(ana, language="en"), script=page("quiz")).run()
    assert english.selectbox(key="quiz_campaign_id").options == [
        "December challenge",
        "Défi de décembre",
    ]
    at = app(dataclasses.replace(ana, language="fr"), script=page("quiz")).run()
    assert not at.exception
    assert at.selectbox(key="quiz_campaign_id").value == french
    # The customers' languages decide, not the interface's; the leaderboards follow them too.
    serves_french = dataclasses.replace(ana, language="en", work_languages=("fr",))
    for script, key in (("quiz", "quiz_campaign_id"), ("leaderboards", "advisor_campaign_id")):
        at = app(serves_french, script=page(script)).run()
        assert at.selectbox(key=key).value == french, script


def test_a_stale_tab_cannot_answer_the_question_another_tab_answered(db):
    from store.quiz import answer_quiz

    with transaction(db) as s:
        w = make_world(s, n=4)
        quiz = campaign_quiz(s, campaign_id=w.campaign_id)
    ana = info(db, w.users["ana"])
    at = app(ana, script=page("quiz")).run()
    at.button(key="quiz_start").click().run()
    first = quiz.questions[0]
    at.radio(key=f"quiz_{w.campaign_id}_{first.key}").set_value(first.correct).run()
    with transaction(db) as s:  # another tab answers the first question meanwhile
        answer_quiz(
            s, campaign_id=w.campaign_id, user_id=w.users["ana"], key=first.key, chosen=None
        )
    data.clear_reads()
    # This tab still shows the first question: its click is refused, not sent as no answer to
    # the second one (which it never showed).
    at.button(key="quiz_next").click().run()
    assert not at.exception
    assert "already answered" in at.warning[0].value
    assert at.markdown[0].value.endswith(quiz.questions[1].prompt)
    with transaction(db) as s:
        assert [a["key"] for a in s.scalar(select(QuizProgress)).answers] == [first.key]


def test_a_question_past_its_time_says_so(db):
    with transaction(db) as s:
        w = make_world(s, n=4)
    ana = info(db, w.users["ana"])
    at = app(ana, script=page("quiz")).run()
    at.button(key="quiz_start").click().run()
    assert not at.warning  # 30 s left
    with transaction(db) as s:
        progress = s.scalar(select(QuizProgress))
        progress.shown_at = progress.shown_at - timedelta(seconds=40)
    data.clear_reads()
    again = app(ana, script=page("quiz")).run()
    assert "0 s left of 30 s" in again.get("progress")[0].proto.text
    assert again.warning[0].value.startswith("Time's up: this question counts as wrong")
