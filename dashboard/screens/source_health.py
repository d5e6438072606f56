"""Admin: each declared or stored source with its last run and counts, and the quarantine (its raw
text redacted; the unredacted text only on an explicit, audited action), each record's reason
in the reader's language (dashboard/quarantine_reasons.py)."""

from __future__ import annotations

import streamlit as st

from dashboard import components as c
from dashboard import data, quarantine_reasons
from dashboard.auth import require_role
from dashboard.downloads import csv_download
from dashboard.i18n import t
from store.quarantine import quarantine_count, sources_with_quarantine

RAW_KEY = "quarantine_raw_source"

user = require_role("admin")
st.title(t("nav_sources"))

st.markdown(f"#### {c.md_escape(t('sources_title'))}")
overview, problem = data.source_overview()
if problem:
    st.warning(t("ld_admin_sources_problem", problem=problem))
if overview.empty:
    c.empty_state(t("empty_sources"))
else:
    c.table(overview, key="sources_table")
    csv_download(overview, "casebook-sources.csv", "sources_csv")

st.markdown(f"#### {c.md_escape(t('quarantine_title'))}")
source = c.pick(t("ld_quarantine_source"), data.read(sources_with_quarantine), "quarantine_source")
# The raw text stays shown only for the source it was asked for: a new filter asks again, and
# coming back to the first one too (it was shown again without a click).
show_raw = st.session_state.get(RAW_KEY) == (source,)
if not show_raw:
    st.session_state.pop(RAW_KEY, None)
if show_raw:
    if st.button(
        t("quarantine_hide_raw"), key="quarantine_hide_raw", icon=":material/visibility_off:"
    ):
        st.session_state.pop(RAW_KEY, None)
        st.rerun()
elif st.button(t("quarantine_show_raw"), key="quarantine_show_raw", icon=":material/visibility:"):
    st.session_state[RAW_KEY] = (source,)
    st.rerun()
if show_raw:
    quarantine = data.quarantine_raw(user, source)
    st.warning(t("quarantine_raw_shown"))
else:
    quarantine = data.quarantine_redacted(source)
    st.caption(c.md_escape(t("quarantine_redacted")))
if quarantine.empty:
    c.empty_state(t("empty_quarantine"))
else:
    c.list_count(len(quarantine), data.read(quarantine_count, source=source), "quarantine_cut")
    # The reasons in the reader's language, in the table and in the CSV of what it shows.
    quarantine = quarantine_reasons.localised(quarantine)
    c.table(quarantine, key="quarantine_table")
    if show_raw:
        csv_download(
            lambda: data.export_quarantine_raw(user, source),
            "casebook-quarantine-raw.csv",
            "quarantine_csv",
        )
    else:
        csv_download(quarantine, "casebook-quarantine.csv", "quarantine_csv")
