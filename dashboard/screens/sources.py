"""Admin: ingest health of each source, and the quarantine."""

from __future__ import annotations

import streamlit as st

from dashboard import components as c
from dashboard import data
from dashboard.auth import require_role
from dashboard.i18n import t

require_role("admin")
st.title(t("nav_sources"))

st.markdown(f"#### {c.md_escape(t('sources_title'))}")
health = data.source_health()
if health.empty:
    c.empty_state(t("empty_sources"))
else:
    c.table(health)

st.markdown(f"#### {c.md_escape(t('quarantine_title'))}")
quarantine = data.quarantine_records()
if quarantine.empty:
    c.empty_state(t("empty_quarantine"))
else:
    c.table(quarantine)
