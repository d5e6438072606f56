"""Coach: families of similar cases (two cases or more, single cases on request), largest this
week first, with example cases to open."""

from __future__ import annotations

import streamlit as st

from curation.grouping import similar_threads
from dashboard import components as c
from dashboard import data
from dashboard.auth import require_role
from dashboard.i18n import fixed, t
from dashboard.labels import label, situation_label
from store.families import MIN_FAMILY, count_families
from store.queue import family_rows, queue_filter_options

FAMILIES_SHOWN = 50  # the largest this week; the caption says how many there are

require_role("coach")
st.title(t("nav_families"))

situations = data.read(queue_filter_options)["situation"]
situation = c.pick(t("situation"), situations, "family_situation", format_func=situation_label)
singles = st.checkbox(t("families_singles"), key="family_singles")
min_size = 1 if singles else MIN_FAMILY
families = data.read(family_rows, situation=situation, limit=FAMILIES_SHOWN, min_size=min_size)
if not families:
    hidden = 0 if singles else data.read(count_families, situation=situation, min_size=1)
    c.empty_state(t("empty_families_singles", n=hidden) if hidden else t("empty_families"))
    st.stop()
c.list_count(len(families), data.read(count_families, situation=situation, min_size=min_size))

c.table(c.families_frame(families))
for family in families:
    with st.expander(
        c.md_escape(
            t(
                "family_title",
                name=family["name"] or "-",
                n=family["size"],
                week=family["size_this_week"],
            )
        )
    ):
        if not family["examples"]:
            c.empty_state(t("no_case_match"))
        for example in family["examples"]:
            left, right = st.columns([5, 1])
            with left:
                c.plain(
                    t(
                        "family_example",
                        id=example["case_id"],
                        title=example["title"],
                        arc=label(example["arc"]),
                        score=fixed(example["score"]),
                        n=similar_threads(example["duplicates"]),
                    )
                )
            if right.button(t("open"), key=f"family_open_{family['id']}_{example['case_id']}"):
                st.session_state[c.OPEN_CASE_KEY] = example["case_id"]
                st.session_state.pop("case_page_id", None)
                st.switch_page("screens/case.py")
