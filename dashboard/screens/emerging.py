"""Leader: situations rising this week against their own previous weeks, and families of similar
cases growing fast; each with its data as CSV. Reads the daily summary and the families."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import charts, data
from dashboard import components as c
from dashboard.auth import require_role
from dashboard.i18n import t
from store.leader import emerging_families, emerging_situations, summary_state, trend_options

FILTERS = ["channel", "source", "sentiment", "language"]

require_role("leader")
st.title(t("ld_emerging_title"))

weeks = st.radio(
    t("ld_history"),
    [4, 8, 12],
    index=1,
    horizontal=True,
    format_func=lambda n: t("ld_weeks", n=n),
    key="emerging_weeks",
)
version, end = data.read(summary_state)
options = data.read(trend_options, version=version)
columns = st.columns(len(FILTERS))
filters = {
    d: c.pick(t(f"ld_dim_{d}"), options.get(d, []), f"emerging_f_{d}", columns[i])
    for i, d in enumerate(FILTERS)
}

with st.spinner(t("loading")):
    emerging = data.read(emerging_situations, now=end, weeks=weeks, version=version, **filters)
st.markdown(f"#### {c.md_escape(t('ld_situations'))}")
if emerging.table.empty or emerging.week_start is None:
    c.empty_state(t("ld_empty_emerging"))
else:
    end = emerging.week_start + timedelta(days=6)
    st.caption(c.md_escape(t("ld_emerging_help", start=emerging.week_start, end=end, weeks=weeks)))
    flagged = int(emerging.table["flagged"].sum())
    st.markdown(c.md_escape(t("ld_flagged", n=flagged) if flagged else t("ld_none_flagged")))
    c.table(emerging.table, key="emerging_table")
    c.csv_download(emerging.table, f"casebook-emerging-{weeks}w.csv", "emerging_csv")
    st.caption(c.md_escape(t("ld_weekly_chart")))
    charts.small_multiples(emerging.chart, x="week", y="comments", facet="situation")
    c.csv_download(emerging.weekly, f"casebook-emerging-weekly-{weeks}w.csv", "emerging_weekly_csv")

st.markdown(f"#### {c.md_escape(t('ld_families'))}")
st.caption(c.md_escape(t("ld_families_help")))
situation = c.pick(t("ld_dim_situation"), options.get("situation", []), "families_situation")
families = data.read(emerging_families, weeks=weeks, situation=situation)
if families.empty:
    c.empty_state(t("ld_empty_families"))
else:
    c.table(families, key="families_table")
    c.csv_download(families, f"casebook-families-{weeks}w.csv", "families_csv")
