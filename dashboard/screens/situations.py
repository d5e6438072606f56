"""Coach: teach the situations of a new domain, the comments the classifier is least sure of first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import components as c
from dashboard import data, errors
from dashboard.auth import require_role
from dashboard.i18n import decimal, t
from dashboard.labels import label, situation_label
from store.corrections import (
    correct_label,
    count_situation_queue,
    situation_label_counts,
    situation_queue,
)

QUEUE_SIZE = 10  # the least sure first; the caption says how many are left to label

user = require_role("coach")
st.title(t("nav_situations"))
st.caption(t("situations_intro"))
SAVED_KEY = "situation_label_saved"
if saved := st.session_state.pop(SAVED_KEY, None):
    st.success(saved)

situations = data.taxonomy_situations()
counts = data.read(situation_label_counts)
with st.expander(t("situations_counts"), expanded=False):
    c.table(
        pd.DataFrame(
            {
                t("situation"): [situation_label(s) for s in situations],
                t("situation_labels"): [counts.get(s, 0) for s in situations],
            }
        )
    )

queue = data.read(situation_queue, limit=QUEUE_SIZE)
if not queue:
    c.empty_state(t("situations_empty"))
else:
    c.list_count(len(queue), data.read(count_situation_queue), "situations_cut")
for row in queue:
    comment_id = row["comment_id"]
    with st.container(border=True):
        c.plain(row["text"])
        st.caption(
            c.md_escape(
                t(
                    "situations_now",
                    situation=situation_label(row["situation"]),
                    # No second choice told when nothing was found ("other", then "other").
                    runner_up=t("situations_runner_up", name=situation_label(row["runner_up"]))
                    if row["runner_up"] and row["runner_up"] != row["situation"]
                    else "",
                    confidence=decimal(round(row["confidence"], 2)),
                    language=label(row["language"]),
                    channel=label(row["channel"]),
                )
            )
        )
        left, right = st.columns([3, 1])
        # A label from elsewhere (an older taxonomy, a CSV) is not offered: start from "other".
        guess = row["situation"] if row["situation"] in situations else "other"
        choice = left.selectbox(
            t("situation_choice"),
            situations,
            index=situations.index(guess),
            format_func=situation_label,
            key=f"situation_choice_{comment_id}",
        )
        if right.button(t("save_label"), key=f"situation_save_{comment_id}"):
            try:
                data.write(
                    correct_label,
                    comment_id=comment_id,
                    field="situation",
                    new_value=choice,
                    actor=user.username,
                )
            except ValueError as exc:
                st.error(errors.message(exc))
            else:
                st.session_state[SAVED_KEY] = t(
                    "label_saved", id=comment_id, situation=situation_label(choice)
                )
                st.rerun()

st.info(t("situations_train"))
