"""Advisor: the campaigns of my team with their leaderboards, and this week's or month's
leaderboard, by person and by team."""

from __future__ import annotations

import streamlit as st

from dashboard import components as c
from dashboard import data
from dashboard.auth import require_role
from dashboard.i18n import t
from store.campaigns import campaign_rows, campaign_standings
from store.learning import period_standings

user = require_role("advisor")
st.title(t("nav_leaderboards"))


def _me(by: str) -> str | None:
    return user.display_name if by == "person" else user.team


st.markdown(f"#### {c.md_escape(t('my_campaigns'))}")
campaigns = data.read(campaign_rows, team=user.team) if user.team else None
if campaigns is None or campaigns.empty:
    c.empty_state(t("no_my_campaigns"))
else:
    c.table(campaigns.drop(columns=["campaign_id", "created_by"]))
    names = {int(row.campaign_id): row.name for row in campaigns.itertuples(index=False)}
    names = data.in_my_languages_first(names, user)
    left, right = st.columns([2, 1])
    campaign_id = left.selectbox(
        t("pick_campaign"), list(names), format_func=names.get, key="advisor_campaign_id"
    )
    campaign_by = c.standings_by("advisor_campaign_by", right)
    c.standings_table(
        data.read(campaign_standings, campaign_id=campaign_id, by=campaign_by),
        me=_me(campaign_by),
        key="advisor_campaign_standings",
    )

st.markdown(f"#### {c.md_escape(t('period_leaderboard'))}")
left, right = st.columns(2)
period = left.radio(
    t("period"),
    ["week", "month"],
    format_func=lambda p: t(f"this_{p}"),
    horizontal=True,
    key="leaderboard_period",
)
by = c.standings_by("leaderboard_by", right)
c.standings_table(
    data.read(period_standings, period=period, by=by), me=_me(by), key="period_standings"
)
