"""Coach: one case in full: its conversation (redacted; the original on request, audited), each
comment's labels and a way to correct them, and a link to its scenario."""

from __future__ import annotations

import streamlit as st

from curation.corrections import EMOTIONS, LABEL_FIELDS, LANGUAGES, SENTIMENTS
from curation.feedback import NOT_A_CASE, WRONG_ARC
from curation.grouping import similar_threads
from curation.outcome import ARCS
from dashboard import components as c
from dashboard import data, errors
from dashboard.auth import require_role
from dashboard.i18n import current_language, fixed, t
from dashboard.labels import column, label, situation_label
from dashboard.why import why_in
from store.corrections import correct_label
from store.feedback import case_feedback, record_verdict
from store.queue import case_detail, case_queue

user = require_role("coach")
st.title(t("nav_case"))
c.show_flash()

queue = data.read(case_queue)
if queue.empty:
    c.empty_state(t("empty_cases"))
    st.stop()

labels = {
    int(row.case_id): t(
        "case_label",
        id=row.case_id,
        situation=situation_label(row.situation),
        arc=label(row.arc),
        score=fixed(row.score),
    )
    for row in queue.itertuples(index=False)
}
opened = st.session_state.get(c.OPEN_CASE_KEY)
ids = list(labels)
if opened is not None and opened not in labels:
    ids.insert(0, opened)  # opened from elsewhere (a family) but beyond the queue's length
case_id = st.selectbox(
    t("pick_case"),
    ids,
    index=ids.index(opened) if opened in ids else 0,
    format_func=lambda i: labels.get(i, f"#{i}"),
    key="case_page_id",
)
st.session_state[c.OPEN_CASE_KEY] = case_id
c.keep_in_url("case", case_id)
detail = data.read(case_detail, case_id=case_id)
if detail is None:
    c.empty_state(t("no_such_case"))
    st.stop()

st.caption(
    c.md_escape(
        t(
            "case_facts",
            arc=label(detail.arc),
            score=fixed(detail.score),
            situation=situation_label(detail.situation),
            emotion=label(detail.emotion),
            language=label(detail.language),
            channel=label(detail.channel),
            state=label(detail.state),
            n=similar_threads(detail.duplicate_count),
            family=detail.family or "-",
        )
    )
)
st.caption(
    c.md_escape(
        t(
            "case_outcome",
            start=label(detail.start),
            need=label(detail.need),
            end=label(detail.end),
            delicate=f" · {', '.join(label(d) for d in detail.delicate)}"
            if detail.delicate
            else "",
        )
    )
)
if detail.why:
    st.caption(c.md_escape(t("case_why", why=why_in(detail.why, current_language()))))
if detail.score_parts:
    c.score_parts_table(detail.score_parts)

with st.form(f"verdict_{case_id}"):
    st.markdown(f"**{c.md_escape(t('case_verdict'))}**")
    given = data.read(case_feedback, case_id=case_id)
    if given:
        st.caption(
            c.md_escape(
                t(
                    "verdicts_given",
                    verdicts="; ".join(
                        t(f"verdict_{g['verdict']}")
                        + (f" → {label(g['arc'])}" if g["arc"] else "")
                        + f" ({g['actor']})"
                        for g in given
                    ),
                )
            )
        )
    left, right = st.columns(2)
    verdict = left.radio(
        t("verdict_choice"),
        [NOT_A_CASE, WRONG_ARC],
        format_func=lambda v: t(f"verdict_{v}"),
        key=f"verdict_choice_{case_id}",
        horizontal=True,
        index=None,  # a verdict is chosen, never saved by a click on the button alone
    )
    arcs = [a for a in ARCS if a != detail.arc]
    right_arc = right.selectbox(
        t("right_arc"), arcs, format_func=label, key=f"verdict_arc_{case_id}"
    )
    save_verdict = st.form_submit_button(t("save_verdict"))
if save_verdict and verdict is None:
    st.warning(t("verdict_pick"))
elif save_verdict:
    try:
        data.write(
            record_verdict,
            case_id=case_id,
            verdict=verdict,
            arc=right_arc if verdict == WRONG_ARC else None,
            actor=user.username,
        )
    except ValueError as exc:
        st.error(errors.message(exc))
    else:
        c.flash(t("verdict_saved"))
        st.rerun()


def _audit_show_original() -> None:
    if st.session_state.get(f"show_original_{case_id}"):
        data.record_show_original(user, case_id)


show_original = st.checkbox(
    t("show_original"),
    key=f"show_original_{case_id}",
    on_change=_audit_show_original,
    help=t("show_original_help"),
)
originals = data.original_texts(user, case_id) if show_original else None

st.markdown(f"#### {c.md_escape(t('conversation'))}")
c.render_labelled_conversation(detail.comments, originals)

analysed = detail.comments[detail.comments["text"].notna()]
if not analysed.empty:
    st.markdown(f"#### {c.md_escape(t('correct_label'))}")
    positions = {
        int(row.comment_id): n
        for n, row in enumerate(detail.comments.itertuples(index=False), start=1)
    }
    rows = {int(row.comment_id): row for row in analysed.itertuples(index=False)}
    left, middle, right = st.columns(3)
    comment_id = left.selectbox(
        t("comment"),
        list(rows),
        format_func=lambda i: (
            f"#{positions[i]} · {label(rows[i].author_role)} · {c.label_line(rows[i])}"
        ),
        key=f"correct_comment_{case_id}",
    )
    field = middle.selectbox(
        t("label_field"), LABEL_FIELDS, format_func=column, key=f"correct_field_{case_id}"
    )
    current = getattr(rows[comment_id], field)
    choices = list(
        {
            "sentiment": SENTIMENTS,
            "emotion": EMOTIONS,
            "language": LANGUAGES,
            "situation": data.taxonomy_situations(),
        }[field]
    )
    if current and current not in choices:  # a label from elsewhere (an older taxonomy)
        choices.append(current)
    # One picker per comment and field, opened on that comment's label: a shared one kept the
    # value picked for the comment before, and saving it corrected this one by mistake.
    value = right.selectbox(
        t("new_label"),
        choices,
        index=choices.index(current) if current in choices else 0,
        format_func=situation_label if field == "situation" else label,
        key=f"correct_value_{case_id}_{comment_id}_{field}",
    )
    if st.button(t("save_correction"), key=f"correct_save_{case_id}"):
        try:
            correction = data.write(
                correct_label,
                comment_id=comment_id,
                field=field,
                new_value=value,
                actor=user.username,
            )
        except ValueError as exc:
            st.error(errors.message(exc))
        else:
            confirmed = correction.new_value == correction.old_value
            c.flash(t("label_confirmed" if confirmed else "correction_saved"))
            st.rerun()

if detail.scenario is not None:
    st.markdown(f"#### {c.md_escape(t('scenario_draft'))}")
    c.render_scenario_header(detail.scenario)
    if st.button(t("edit_scenario"), key="open_scenario", icon=":material/edit:"):
        st.session_state[c.OPEN_SCENARIO_KEY] = detail.scenario.id
        st.session_state.pop("coach_scenario_id", None)
        st.switch_page("screens/scenario.py")
