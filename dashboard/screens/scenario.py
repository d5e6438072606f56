"""Coach: one scenario: as advisors see it, its editor (saved as versions), its earlier versions,
its review workflow, and the advisors' answers with the coach's picks."""

from __future__ import annotations

import streamlit as st

from casebook_data.taxonomy_names import what_wanted
from dashboard import components as c
from dashboard import data, errors
from dashboard.auth import require_role
from dashboard.i18n import t
from dashboard.labels import label, situation_label
from store.learning import pick_response, responses_for
from store.scenarios import (
    EDITABLE,
    SKILL_AXES,
    get_scenario,
    legal_moves,
    list_scenarios,
    move_scenario,
    scenario_versions,
)

user = require_role("coach")
st.title(t("nav_scenario"))
c.show_flash()

scenarios = data.read(list_scenarios)
if scenarios.empty:
    c.empty_state(t("empty_scenarios"))
    st.stop()

labels = {
    int(row.scenario_id): f"#{row.scenario_id} · {row.title} · {label(row.state)}"
    for row in scenarios.itertuples(index=False)
}
ids = list(labels)
opened = st.session_state.get(c.OPEN_SCENARIO_KEY)
# A save or a move renames the scenario's label (its title, its state): it sets the picker
# again (c.flash's resets), or the browser would keep the old label as the value.
PICKER = "coach_scenario_id"
scenario_id = st.selectbox(
    t("pick_scenario"),
    ids,
    index=ids.index(opened) if opened in ids else 0,
    format_func=labels.get,
    key=PICKER,
)
st.session_state[c.OPEN_SCENARIO_KEY] = scenario_id
c.keep_in_url("scenario", scenario_id)
scenario = data.read(get_scenario, scenario_id=scenario_id) if scenario_id is not None else None
if scenario is None:
    st.stop()

c.render_scenario_header(scenario)
st.caption(
    c.md_escape(t("version_line", version=scenario.version, axis=label(scenario.skill_axis)))
)
# Tracked by key: a save or a move reruns the page on the tab it was made in (a message shown
# above the tabs made them new ones, on the first tab).
preview, edit, workflow, versions, answers = st.tabs(
    [t("tab_preview"), t("tab_edit"), t("tab_workflow"), t("tab_versions"), t("responses")],
    key="scenario_tab",
    on_change="rerun",
)

with preview:
    c.render_context(scenario)
    c.render_objectives(scenario)
    c.render_reveal(scenario)
    st.markdown(f"#### {c.md_escape(t('export_title'))}")
    if scenario.state == "published":
        # Its version in the key: a file prepared before an edit is not offered after it.
        c.export_section(
            user, f"scenario_{scenario.id}_v{scenario.version}", scenario_id=scenario.id
        )
    else:
        st.caption(c.md_escape(t("export_needs_published")))


def editor() -> None:
    """The editor of a scenario that can be edited: each save is a new version, with a reason."""
    sid = scenario.id
    body = scenario.body or {}
    with st.form(f"edit_{sid}"):
        title = st.text_input(
            t("title"), value=scenario.title, max_chars=300, key=f"edit_title_{sid}"
        )
        # The situation advisors see, the exports name and training coverage counts: the case's
        # until a coach corrects it (a case read as a churn threat that is a billing error).
        situations = data.taxonomy_situations()
        was = str((body.get("context") or {}).get("situation") or "other")
        choices = situations if was in situations else [was, *situations]
        situation = st.selectbox(
            t("situation"),
            choices,
            index=choices.index(was),
            format_func=situation_label,
            help=t("scenario_situation_help"),
            key=f"edit_situation_{sid}",
        )
        # What advisors read under the context and what the quiz asks: the taxonomy's need of
        # the draft's situation until a coach says better.
        wants = st.text_input(
            t("customer_wants"),
            value=what_wanted((body.get("context") or {}).get("customer_wants") or ""),
            max_chars=300,
            help=t("customer_wants_help"),
            key=f"edit_wants_{sid}",
        )
        turn_texts = {}
        for i, turn in enumerate(body.get("turns") or []):
            if turn.get("role", "customer") == "customer":
                turn_texts[i] = st.text_area(
                    t("customer_turn", n=i + 1, speaker=turn.get("speaker", "")),
                    value=str(turn.get("text", "")),
                    key=f"edit_turn_{sid}_{i}",
                )
        cues = st.text_area(
            t("cues_one_per_line"), value="\n".join(body.get("cues") or []), key=f"edit_cues_{sid}"
        )
        shown_question = body.get("question") or t("question")
        question = st.text_input(t("question_text"), value=shown_question, key=f"edit_q_{sid}")
        answer = st.text_area(
            t("model_answer"), value=scenario.model_answer or "", key=f"edit_answer_{sid}"
        )
        left, middle, right = st.columns(3)
        level = left.selectbox(
            t("level"),
            [1, 2, 3],
            index=max(0, min(2, scenario.level - 1)),
            format_func=c.level_label,
            key=f"edit_level_{sid}",
        )
        axis = middle.selectbox(
            t("skill_axis"),
            SKILL_AXES,
            index=SKILL_AXES.index(scenario.skill_axis) if scenario.skill_axis in SKILL_AXES else 0,
            format_func=lambda a: t(f"objective_{a}"),
            key=f"edit_axis_{sid}",
        )
        language = right.selectbox(
            t("language"),
            ["en", "fr"],
            index=1 if scenario.language == "fr" else 0,
            format_func=label,
            key=f"edit_language_{sid}",
        )
        teams = st.text_input(
            t("target_teams"), value=", ".join(scenario.target_teams), key=f"edit_teams_{sid}"
        )
        reason = st.text_input(t("reason"), key=f"edit_reason_{sid}")
        save = st.form_submit_button(t("save_version"), type="primary")
    if save:
        try:
            saved = data.edit_scenario(
                sid,
                user.username,
                reason,
                title=title,
                turn_texts=turn_texts,
                cues=cues.splitlines(),
                # The default question shown is no edit of a scenario that has none.
                question=None if question.strip() == shown_question else question,
                wants=wants,
                situation=situation if situation != was else None,
                model_answer=answer,
                level=level,
                skill_axis=axis,
                language=language,
                target_teams=teams.split(","),
            )
        except ValueError as exc:
            st.error(errors.message(exc))
        else:
            if saved.version == scenario.version:
                st.info(t("nothing_changed"))
                return
            # The next edit says its own why; the picker shows the new title.
            c.flash(t("version_saved"), **{f"edit_reason_{sid}": "", PICKER: sid})
            st.rerun()


with edit:
    if scenario.state in EDITABLE:
        editor()
    else:
        st.info(t("edit_needs_review", state=t(f"state_{scenario.state}"), tab=t("tab_workflow")))


def mover(targets: list[str]) -> None:
    """One legal move of the review workflow, with its reason."""
    with st.form(f"move_{scenario.id}"):
        target = st.selectbox(
            t("move_to"),
            targets,
            format_func=lambda s: t(f"state_{s}"),
            key=f"move_target_{scenario.id}",
        )
        move_reason = st.text_input(t("reason"), key=f"move_reason_{scenario.id}")
        move = st.form_submit_button(t("move"))
    if move:
        try:
            state = data.write(
                move_scenario,
                scenario_id=scenario.id,
                target=target,
                actor=user.username,
                reason=move_reason,
            )
        except ValueError as exc:
            st.error(errors.message(exc))
        else:
            c.flash(
                t("moved", state=t(f"state_{state}")),
                **{PICKER: scenario.id, f"move_reason_{scenario.id}": ""},
                **{f"move_target_{scenario.id}": next(iter(legal_moves(state)), None)},
            )
            st.rerun()


with workflow:
    st.caption(c.md_escape(t("review_help")))
    legal = legal_moves(scenario.state)  # only the legal moves are offered
    if legal:
        mover(legal)
    else:
        st.info(t("no_legal_moves", state=t(f"state_{scenario.state}")))

with versions:
    earlier = data.read(scenario_versions, scenario_id=scenario.id)
    if not earlier:
        c.empty_state(t("no_versions"))
    for version in reversed(earlier):
        with st.expander(
            c.md_escape(
                t(
                    "version_title",
                    version=version["version"],
                    title=version["title"],
                    who=version["edited_by"] or "curation",
                    at=version["created_at"],
                )
            )
        ):
            st.caption(
                c.md_escape(f"{t('level')} {version['level']} · {label(version['skill_axis'])}")
            )
            c.render_turns((version["body"] or {}).get("turns") or [])
            st.markdown(f"**{c.md_escape(t('model_answer'))}**")
            c.plain(version["model_answer"] or t("no_coach_answer"))

with answers:
    responses = data.read(responses_for, scenario_id=scenario.id)
    if not responses:
        c.empty_state(t("no_responses"))
    for response in responses:
        c.render_response(response)
        if scenario.state == "published" and st.button(
            t("unpick") if response.coach_pick else t("pick"),
            key=f"pick_{response.id}",
            icon=":material/star:",
        ):
            try:
                data.write(
                    pick_response,
                    response_id=response.id,
                    actor=user.username,
                    picked=not response.coach_pick,
                )
            except ValueError as exc:
                st.error(errors.message(exc))
            else:
                st.rerun()
