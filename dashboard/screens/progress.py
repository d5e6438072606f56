"""Advisor: my answers, my points (in all, this week, this month) and my level."""

from __future__ import annotations

import streamlit as st

from dashboard import components as c
from dashboard import data
from dashboard.auth import require_role
from dashboard.i18n import decimal, t
from store.learning import advisor_progress

user = require_role("advisor")
st.title(t("nav_progress"))

progress = data.read(advisor_progress, user_id=user.id)
# The level's name is long ("continuing training"), and so are the points' labels in French
# ("Points (depuis le début)"): the level on a line of its own, the three points beside each other.
st.metric(t("level"), c.level_label(progress.level))
total, week, month = st.columns(3)
total.metric(t("points_total"), decimal(progress.points_total))
week.metric(t("points_week"), decimal(progress.points_week))
month.metric(t("points_month"), decimal(progress.points_month))
st.caption(c.md_escape(t("points_help")))

st.markdown(f"#### {c.md_escape(t('my_answers'))}")
if progress.answers.empty:
    c.empty_state(t("no_answers_yet"))
    st.stop()
# The points beside the title: at 1280 px a long title pushed them out of view.
c.table(progress.answers[["title", "points", "votes", "comments", "coach_pick", "answered_at"]])
