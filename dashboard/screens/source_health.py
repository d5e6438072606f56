"""Admin: each declared or stored source with its last run and counts, and the quarantine."""

from __future__ import annotations

import streamlit as st

from dashboard import components as c
from dashboard import data
from dashboard.auth import require_role
from dashboard.i18n import t
from store.quarantine import quarantined, sources_with_quarantine

require_role("admin")
st.title(t("nav_sources"))

st.markdown(f"#### {c.md_escape(t('sources_title'))}")
overview, problem = data.source_overview()
if problem:
    st.warning(t("ld_admin_sources_problem", problem=problem))
if overview.empty:
    c.empty_state(t("empty_sources"))
else:
    c.table(overview, key="sources_table")
    c.csv_download(overview, "casebook-sources.csv", "sources_csv")

st.markdown(f"#### {c.md_escape(t('quarantine_title'))}")
source = c.pick(t("ld_quarantine_source"), data.read(sources_with_quarantine), "quarantine_source")
quarantine = data.read(quarantined, source=source)
if quarantine.empty:
    c.empty_state(t("empty_quarantine"))
else:
    c.table(quarantine, key="quarantine_table")
    c.csv_download(quarantine, "casebook-quarantine.csv", "quarantine_csv")
