"""Leader: comments per day by channel, source, situation, sentiment or emotion, filtered; the
recovery rate over the period; the data as CSV. Reads the daily summary, never the comments."""

from __future__ import annotations

from datetime import time

import streamlit as st

from dashboard import charts, data
from dashboard import components as c
from dashboard.auth import require_role
from dashboard.downloads import csv_download
from dashboard.i18n import colon, percent, t, whole
from dashboard.periods import pick_period
from store.leader import (
    feedback_first_day,
    recovery_rate,
    summary_state,
    summary_trend,
    trend_options,
)

DIMENSIONS = ["channel", "source", "situation", "sentiment", "emotion", "language"]

require_role("leader")
st.title(t("trend_title"))

version, end = data.read(summary_state)
first = data.read(feedback_first_day, version=version)
left, right, metric = st.columns([3, 3, 2])
with left:
    period = pick_period("trend_days", first, end.date())
by = right.radio(
    t("group_by"),
    DIMENSIONS,
    horizontal=True,
    format_func=lambda d: t(f"ld_dim_{d}"),
    key="trend_by",
)
options = data.read(trend_options, version=version)
with st.expander(t("ld_filters")):
    columns = st.columns(len(DIMENSIONS))
    filters = {
        d: c.pick(t(f"ld_dim_{d}"), options.get(d, []), f"trend_f_{d}", columns[i])
        for i, d in enumerate(DIMENSIONS)
    }

rate = data.read(
    recovery_rate,
    days=period.days,
    now=period.now,
    channel=filters["channel"],
    situation=filters["situation"],
    language=filters["language"],
)
metric.metric(
    t("recovery_rate"),
    t("no_recovery") if rate.rate is None else percent(rate.rate),
    help=t("recovery_help", recovered=rate.recovered, total=rate.negative_start),
)
if any(filters[d] for d in DIMENSIONS if d not in ("channel", "situation", "language")):
    # A conversation has a channel, a situation and a language, not one emotion or sentiment.
    metric.caption(c.md_escape(t("recovery_filters")))

with st.spinner(t("loading")):
    trend = data.read(
        summary_trend, days=period.days, by=by, now=period.now, version=version, **filters
    )
if trend.empty:
    c.empty_state(t("empty_trend"))
    st.stop()
st.caption(c.md_escape(t("ld_version", version=version, day=end.date())))
if period.end == end.date() and end.time() < time(23, 59):
    # Today's bar is the day so far: lower than the others, it is no fall.
    st.caption(c.md_escape(t("ld_partial_day", day=end.date(), time=f"{end:%H:%M}")))
charts.stacked_trend(trend, x="day", y="comments", color="group")
# A caption, not a second metric: the recovery rate stays the page's one headline figure.
st.caption(c.md_escape(f"{t('ld_total')}{colon()}{whole(trend['comments'].sum())}"))
csv_download(trend, f"casebook-trend-{by}-{period.start}-{period.end}.csv", "trend_csv")
