"""Leader: per situation, the comments of the period beside the training that covers it: cases,
published scenarios and the advisors who practised them; busy situations without a scenario stand out."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data
from dashboard import components as c
from dashboard.auth import require_role
from dashboard.downloads import csv_download
from dashboard.i18n import t
from dashboard.labels import named_values
from dashboard.periods import pick_period
from store.leader import feedback_first_day, summary_state, training_coverage, trend_options

FILTERS = ["channel", "language"]

require_role("leader")
st.title(t("ld_coverage_title"))

left, *columns = st.columns([3, 1, 1])
version, end = data.read(summary_state)
with left:
    period = pick_period(
        "coverage_days", data.read(feedback_first_day, version=version), end.date()
    )
options = data.read(trend_options, version=version)
filters = {
    d: c.pick(t(f"ld_dim_{d}"), options.get(d, []), f"coverage_f_{d}", columns[i])
    for i, d in enumerate(FILTERS)
}

with st.spinner(t("loading")):
    coverage = data.read(
        training_coverage, days=period.days, now=period.now, version=version, **filters
    )
if coverage.empty:
    c.empty_state(t("ld_empty_coverage"))
    st.stop()
st.caption(c.md_escape(t("ld_coverage_help")))
gaps = int(coverage["gap"].sum())
if gaps:
    st.warning(t("ld_gaps", n=gaps), icon=":material/warning:")
else:
    st.success(t("ld_no_gaps"))
charts.bars(coverage, x="situation", y="comments", color="gap", horizontal=True, flag=True)
gap_rows = coverage["gap"].astype(bool).tolist()
c.table(
    named_values(coverage).style.apply(
        lambda row: ["background-color: #fde2e1" if gap_rows[row.name] else "" for _ in row],
        axis=1,
    ),
    key="coverage_table",
)
csv_download(coverage, f"casebook-coverage-{period.start}-{period.end}.csv", "coverage_csv")
