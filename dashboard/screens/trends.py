"""Leader: comments per day by channel or sentiment, the recovery rate, the data as CSV."""

from __future__ import annotations

import streamlit as st

from dashboard import components as c
from dashboard import data
from dashboard.auth import require_role
from dashboard.i18n import t

require_role("leader")
st.title(t("trend_title"))

left, right, metric = st.columns([2, 2, 2])
days = left.radio(
    t("period"),
    [7, 30, 90],
    index=1,
    horizontal=True,
    format_func=lambda n: t("days", n=n),
    key="trend_days",
)
by = right.radio(
    t("group_by"), ["channel", "sentiment"], horizontal=True, format_func=t, key="trend_by"
)

rate = data.recovery_rate()
metric.metric(
    t("recovery_rate"),
    t("no_recovery") if rate.rate is None else f"{rate.rate:.0%}",
    help=t("recovery_help", recovered=rate.recovered, total=rate.negative_start),
)

trend = data.feedback_trend(days, by)
if trend.empty:
    c.empty_state(t("empty_trend"))
    st.stop()
st.line_chart(trend, x="day", y="comments", color="group")
st.download_button(
    t("download_csv"),
    data=c.safe_csv(trend),
    file_name=f"casebook-trend-{by}-{days}d.csv",
    mime="text/csv",
    key="trend_csv",
    on_click="ignore",
)
