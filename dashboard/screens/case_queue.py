"""Coach: the queue of notable cases (filters, score parts, duplicates, family); read one, write the
model answer and move its scenario one legal step of the review workflow with a reason (up to
published), or open it on the case page."""

from __future__ import annotations

import streamlit as st

from curation.grouping import similar_threads
from curation.queue_mix import ARC_SPREAD
from dashboard import components as c
from dashboard import data, errors
from dashboard.auth import require_role
from dashboard.i18n import current_language, decimal, fixed, t
from dashboard.labels import column as heading
from dashboard.labels import label, situation_label
from dashboard.periods import ALL, pick_period
from dashboard.why import why_in
from store.queue import (
    case_detail,
    case_queue,
    count_cases,
    period_reference,
    period_start,
    queue_filter_options,
)
from store.scenarios import EDITABLE, legal_moves, review_scenario

QUEUE_SIZES = (
    50,
    200,
    1000,
)  # or all: the most notable cases shown; the caption says how many match

STAY = "stay"  # the queue form's choice to save without a move


def move_choices(state: str) -> list[str]:
    """The moves offered from `state`: the legal ones, the step forward first, and where the
    content may be edited, staying in the state (first for a published scenario: it has no step
    forward, and improving its answer must not archive it)."""
    targets = list(legal_moves(state))
    if state in EDITABLE:  # (a string: a selectbox reads the value None as no choice)
        targets.insert(1 if state != "published" else 0, STAY)
    return targets


user = require_role("coach")
st.title(t("nav_case_queue"))
c.show_flash()

options = data.read(queue_filter_options)
if not any(options.values()):
    c.empty_state(t("empty_cases"))
    st.stop()

FILTERS = ("situation", "channel", "language", "arc", "emotion")
columns = st.columns(len(FILTERS))
filters = {}
for column, name in zip(columns, FILTERS, strict=False):
    filters[name] = c.pick(
        t(name),
        options[name],
        f"filter_{name}",
        column,
        situation_label if name == "situation" else label,
    )
# Any period of the conversations' activity, "all" by default (an imported history included).
oldest = data.read(period_start)
newest = data.read(period_reference).date()
period_column, size_column = st.columns([3, 1])
with period_column:
    period = pick_period("filter_period", oldest.date() if oldest else None, newest, default=ALL)
span = {} if period.everything else {"since": period.since, "until": period.until}
limit = c.pick_list_size("queue_limit", QUEUE_SIZES, 200, size_column)

with st.spinner(t("loading")):
    queue = data.read(case_queue, **filters, **span, limit=limit)
    total = data.read(count_cases, **filters, **span)
if queue.empty:
    c.empty_state(t("no_case_match"))
    st.stop()
c.list_count(len(queue), total, "list_cut", "list_all")
st.caption(t("queue_order", spread=decimal(ARC_SPREAD)))
# "Similar threads": the copies beside the case's own thread. The score's parts go last, so
# that the outcome and why it scores so are in view beside the score (at 1280 px too).
shown = queue.drop(columns=["created_at"])
parts = [name for name in shown.columns if str(name).startswith("score_")]
shown = shown[[name for name in shown.columns if name not in parts] + parts]
language = current_language()
c.table(
    shown.assign(
        duplicate_count=shown["duplicate_count"].map(similar_threads),
        why=shown["why"].map(lambda why: why_in(why or "", language)),
    ),
    column_config={"why": st.column_config.TextColumn(heading("why"), width="large")},
)

labels = {
    row.case_id: t(
        "case_label",
        id=row.case_id,
        situation=situation_label(row.situation),
        arc=label(row.arc),
        score=fixed(row.score),
    )
    for row in queue.itertuples(index=False)
}
case_id = st.selectbox(t("pick_case"), list(labels), format_func=labels.get, key="case_id")
detail = data.read(case_detail, case_id=case_id) if case_id is not None else None
if detail is None:
    st.stop()
if st.button(t("open_case"), key="open_case", icon=":material/open_in_new:"):
    st.session_state[c.OPEN_CASE_KEY] = case_id
    st.session_state.pop("case_page_id", None)
    st.switch_page("screens/case.py")

left, right = st.columns(2)
with left:
    st.markdown(f"#### {c.md_escape(t('conversation'))}")
    c.render_conversation(detail.comments)
with right:
    st.markdown(f"#### {c.md_escape(t('scenario_draft'))}")
    scenario = detail.scenario
    if scenario is None:
        c.empty_state(t("no_scenario"))
        st.stop()
    c.render_scenario_header(scenario)
    c.render_context(scenario)
    c.render_objectives(scenario)
    st.markdown(f"**{c.md_escape(t('real_reply'))}**")
    c.real_reply(scenario.body or {})
    targets = move_choices(scenario.state)
    if not targets:
        st.info(t("no_legal_moves", state=t(f"state_{scenario.state}")))
        st.stop()
    with st.form(f"publish_{scenario.id}"):
        answer = st.text_area(
            t("model_answer"), value=scenario.model_answer or "", key=f"answer_{scenario.id}"
        )
        level = st.selectbox(
            t("level"),
            [1, 2, 3],
            index=max(0, min(2, scenario.level - 1)),
            key=f"level_{scenario.id}",
        )
        teams = st.text_input(
            t("target_teams"), value=", ".join(scenario.target_teams), key=f"teams_{scenario.id}"
        )
        target = st.selectbox(
            t("move_to"),
            targets,
            format_func=lambda s: (
                t("stay_in", state=t(f"state_{scenario.state}")) if s == STAY else t(f"state_{s}")
            ),
            key=f"target_{scenario.id}",
        )
        reason = st.text_input(t("reason"), key=f"reason_{scenario.id}")
        st.caption(c.md_escape(t("review_help")))
        submitted = st.form_submit_button(t("save_and_move"), type="primary")
    if submitted:
        try:
            moved = data.write(
                review_scenario,
                scenario_id=scenario.id,
                target=None if target == STAY else target,
                actor=user.username,
                reason=reason,
                model_answer=answer,
                level=level,
                target_teams=teams.split(","),
            )
        except ValueError as exc:
            st.error(errors.message(exc))
        else:
            # The next move starts afresh: the choices of the new state (its own picker), no
            # reason typed (a second click moved one step further with the same reason).
            c.flash(
                t("moved", state=t(f"state_{moved.state}"))
                if target != STAY
                else t("scenario_saved"),
                **{f"reason_{scenario.id}": ""},
                **{f"target_{scenario.id}": next(iter(move_choices(moved.state)), None)},
                **{f"teams_{scenario.id}": ", ".join(moved.target_teams)},  # as saved
            )
            st.rerun()
