"""Advisor: the quiz challenge of a running campaign of my team, Kahoot-style: one question at a
time against the clock, scored by the store (late answers count as wrong), once per campaign;
the points go to the campaign's leaderboard."""

from __future__ import annotations

import math
import time

import streamlit as st

from dashboard import components as c
from dashboard import data, errors
from dashboard.auth import require_role
from dashboard.i18n import fixed, t
from store.campaigns import campaign_rows
from store.quiz import (
    ReviewLine,
    answer_quiz,
    campaign_quiz,
    quiz_attempt,
    quiz_progress,
    quiz_review,
    start_quiz,
)

user = require_role("advisor")
st.title(t("nav_quiz"))
c.show_flash()

campaigns = data.read(campaign_rows, team=user.team) if user.team else None
running = campaigns[campaigns["status"] == "running"] if campaigns is not None else None
if running is None or running.empty:
    c.empty_state(t("quiz_no_campaign"))
    st.stop()
names = {int(row.campaign_id): row.name for row in running.itertuples(index=False)}
names = data.in_my_languages_first(names, user)
campaign_id = st.selectbox(
    t("pick_campaign"), list(names), format_func=names.get, key="quiz_campaign_id"
)


def answered(line: ReviewLine) -> str:
    """A reviewed question's answer, marked right or wrong ("No answer"; "too late" and its seconds)."""
    if line.right:
        return f":green[:material/check_circle:] {c.md_escape(line.choices[line.correct])}"
    if line.chosen is None:
        return f":red[:material/cancel:] {c.md_escape(t('quiz_no_answer'))}"
    shown = f":red[:material/cancel:] {c.md_escape(line.choices[line.chosen])}"
    if not line.late:
        return shown
    late = "quiz_right_but_late" if line.chosen == line.correct else "quiz_late"
    return f"{shown} ({t(late, seconds=fixed(line.seconds, 0), limit=line.limit)})"


done = data.read(quiz_attempt, campaign_id=campaign_id, user_id=user.id)
if done is not None:
    st.success(
        t(
            "quiz_done",
            correct=done.correct,
            questions=done.questions,
            points=fixed(done.points, 1),
            n=round(done.points, 1),  # "0,0 point", "1.9 points"
        )
    )
    review = data.read(quiz_review, campaign_id=campaign_id, user_id=user.id)
    if review:
        st.markdown(f"#### {c.md_escape(t('quiz_review'))}")
    for n, line in enumerate(review, 1):
        with st.container(border=True):
            st.markdown(f"**{n}. {c.md_escape(line.prompt)}**")
            if line.excerpt:
                st.markdown(f"> {c.md_escape(line.excerpt)}")
            st.markdown(answered(line))
            if line.chosen != line.correct:
                right = c.md_escape(line.choices[line.correct])
                st.markdown(f"{c.md_escape(t('quiz_right_answer'))} {right}")
    st.stop()

try:
    quiz = data.read(campaign_quiz, campaign_id=campaign_id)
except ValueError as exc:
    c.empty_state(t("quiz_unavailable", reason=errors.translated(exc)))
    st.stop()

# The try under way is kept by the store answer by answer: a refresh or another tab resumes it
# at the question shown, its clock still running from when it was shown.
progress = data.read(quiz_progress, campaign_id=campaign_id, user_id=user.id)
total = len(quiz.questions)
if progress is None:
    st.write(t("quiz_intro", n=total, seconds=quiz.questions[0].time_limit))
    if st.button(t("quiz_start"), type="primary", key="quiz_start"):
        try:
            data.write(start_quiz, campaign_id=campaign_id, user_id=user.id)
        except ValueError as exc:
            st.error(errors.message(exc))
        else:
            st.rerun()
    st.stop()


@st.fragment(run_every=1)
def clock(limit: int, shown_at: float) -> None:
    """The time left on this question, ticking each second (only this part of the page reruns)."""
    left = max(0.0, limit - (time.time() - shown_at))
    st.progress(left / limit, text=t("quiz_clock", left=math.ceil(left), limit=limit))
    if left <= 0:
        st.warning(t("quiz_times_up"), icon=":material/timer_off:")


QUIZ_REFUSED = "quiz_refused"


def send(key: str) -> None:
    """The answer to question `key`, the one on this screen when its button was drawn (another
    tab may have answered it since: the store then refuses, where the button read at the next
    run would have sent no answer to the question after it)."""
    try:
        data.write(
            answer_quiz,
            campaign_id=campaign_id,
            user_id=user.id,
            key=key,
            chosen=st.session_state.get(f"quiz_{campaign_id}_{key}"),
        )
    except ValueError as exc:
        st.session_state[QUIZ_REFUSED] = errors.message(exc)


if refused := st.session_state.pop(QUIZ_REFUSED, None):
    st.warning(refused)
question = quiz.questions[progress.index]
st.caption(t("quiz_progress", n=progress.index + 1, total=total))
clock(question.time_limit, progress.shown_at.timestamp())
st.markdown(f"#### {c.md_escape(question.prompt)}")
if question.excerpt:
    st.markdown(f"> {c.md_escape(question.excerpt)}")
st.radio(
    t("quiz_choose"),
    list(range(len(question.choices))),
    format_func=lambda i: question.choices[i],
    index=None,
    key=f"quiz_{campaign_id}_{question.key}",
)
last = progress.index == total - 1
# The page runs again after the click: the next question, or the stored score shown once.
st.button(
    t("quiz_finish" if last else "quiz_next"),
    type="primary",
    key="quiz_next",
    on_click=send,
    args=(question.key,),
)
