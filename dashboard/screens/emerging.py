"""Leader: situations rising in a week (this week by default, or any past week) against their own
weeks before it, and families of similar cases growing fast this week; each with its data as CSV.
Reads the daily summary and the families."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from dashboard import charts, data
from dashboard import components as c
from dashboard.auth import require_role
from dashboard.downloads import csv_download
from dashboard.i18n import date_format, t
from store.families import MIN_FAMILY, count_families
from store.leader import (
    emerging_families,
    emerging_situations,
    feedback_first_day,
    summary_state,
    trend_options,
)

FILTERS = ["channel", "source", "sentiment", "language"]
FAMILIES_SHOWN = 50  # the families most rising; the caption says how many there are

require_role("leader")
st.title(t("ld_emerging_title"))

version, end = data.read(summary_state)
last = end.date()
first = data.read(feedback_first_day, version=version) or last
left, right = st.columns([1, 2])
# The week examined: the 7 days ending on the chosen day (the newest day by default), any past
# week of the history included; its baseline is the weeks just before it.
week_end = left.date_input(
    t("ld_week_ending"),
    value=last,
    min_value=min(first, last),
    max_value=last,
    format=date_format(),
    key="emerging_week",
)
week_end = week_end if week_end is not None else last
weeks = right.radio(
    t("ld_history"),
    [4, 8, 12],
    index=1,
    horizontal=True,
    format_func=lambda n: t("ld_weeks", n=n),
    key="emerging_weeks",
)
options = data.read(trend_options, version=version)
columns = st.columns(len(FILTERS))
filters = {
    d: c.pick(t(f"ld_dim_{d}"), options.get(d, []), f"emerging_f_{d}", columns[i])
    for i, d in enumerate(FILTERS)
}

with st.spinner(t("loading")):
    emerging = data.read(
        emerging_situations,
        now=datetime.combine(week_end, time(23, 59, 59), tzinfo=UTC),
        weeks=weeks,
        version=version,
        **filters,
    )
st.markdown(f"#### {c.md_escape(t('ld_situations'))}")
if emerging.table.empty or emerging.week_start is None:
    c.empty_state(t("ld_empty_emerging"))
else:
    shown_end = emerging.week_start + timedelta(days=6)
    st.caption(
        c.md_escape(
            t(
                "ld_emerging_help",
                start=emerging.week_start,
                end=shown_end,
                n=emerging.history_weeks,
            )
            # fewer than asked for: the store holds no more whole weeks before it
            + (t("ld_emerging_fewer", weeks=weeks) if emerging.history_weeks < weeks else "")
        )
    )
    flagged = int(emerging.table["flagged"].sum())
    st.markdown(c.md_escape(t("ld_flagged", n=flagged) if flagged else t("ld_none_flagged")))
    if emerging.table.loc[emerging.table["situation"] == "other", "flagged"].any():
        # What no situation reads is rising: a topic the taxonomy lacks, which coaches can teach.
        st.caption(c.md_escape(t("ld_other_rising")))
    c.table(emerging.table, key="emerging_table")
    name = f"{shown_end}-{weeks}w"
    csv_download(emerging.table, f"casebook-emerging-{name}.csv", "emerging_csv")
    st.caption(c.md_escape(t("ld_weekly_chart")))
    charts.small_multiples(emerging.chart, x="week", y="comments", facet="situation")
    csv_download(emerging.weekly, f"casebook-emerging-weekly-{name}.csv", "emerging_weekly_csv")

st.markdown(f"#### {c.md_escape(t('ld_families'))}")
if week_end != last:
    # Families keep this week's size only: no past week to set beside the one examined.
    st.info(t("ld_families_this_week_only", day=last))
    st.stop()
st.caption(c.md_escape(t("ld_families_help")))
situation = c.pick(t("ld_dim_situation"), options.get("situation", []), "families_situation")
families = data.read(
    emerging_families,
    weeks=weeks,
    situation=situation,
    limit=FAMILIES_SHOWN,
    min_size=MIN_FAMILY,
)
if families.empty:
    c.empty_state(t("ld_empty_families"))
else:
    c.list_count(len(families), data.read(count_families, situation=situation, min_size=MIN_FAMILY))
    c.table(families, key="families_table")
    csv_download(families, f"casebook-families-{weeks}w.csv", "families_csv")
