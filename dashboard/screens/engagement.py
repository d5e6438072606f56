"""Leader: answers, votes and comments on answers per week of any period (or all), by team or
site, filtered; as CSV."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboard import charts, data
from dashboard import components as c
from dashboard.auth import require_role
from dashboard.downloads import csv_download
from dashboard.i18n import t, whole
from dashboard.periods import pick_period
from store.leader import engagement_first_day, engagement_options, learning_engagement

MEASURES = ["responses", "votes", "comments"]

require_role("leader")
st.title(t("ld_engagement_title"))

left, middle, *columns = st.columns([3, 1, 1, 1])
# Any period up to today (advisors answer in the app: today is the last day with activity).
today = datetime.now(UTC).date()
with left:
    period = pick_period("engagement_period", data.read(engagement_first_day), today, default=90)
by = middle.radio(
    t("ld_group"), ["team", "site"], format_func=lambda d: t(f"ld_dim_{d}"), key="engagement_by"
)
options = data.read(engagement_options)
team = c.pick(t("ld_dim_team"), options.get("team", []), "engagement_team", columns[0])
site = c.pick(t("ld_dim_site"), options.get("site", []), "engagement_site", columns[1])

with st.spinner(t("loading")):
    activity = data.read(
        learning_engagement, since=period.since, until=period.until, team=team, site=site
    )
if activity.empty:
    c.empty_state(t("ld_empty_engagement"))
    st.stop()
totals = st.columns(len(MEASURES))
for column, measure in zip(totals, MEASURES, strict=True):
    column.metric(t(f"ld_measure_{measure}"), whole(int(activity[measure].sum())))
measure = st.radio(
    t("ld_measure"),
    MEASURES,
    horizontal=True,
    format_func=lambda m: t(f"ld_measure_{m}"),
    key="engagement_measure",
)
charts.stacked_trend(
    activity, x="week", y=measure, color=by, weekly=True, span=(period.start, period.end)
)
c.table(activity, key="engagement_table")
csv_download(activity, f"casebook-engagement-{period.start}-{period.end}.csv", "engagement_csv")
