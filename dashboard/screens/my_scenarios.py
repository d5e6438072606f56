"""Advisor: answer the scenarios meant for you, then compare with the real reply, the coach and peers,
and practise the conversation as a branching simulation."""

from __future__ import annotations

import streamlit as st

from curation.learning import ANSWER_MAX, COMMENT_MAX
from dashboard import components as c
from dashboard import data, errors
from dashboard.auth import require_role
from dashboard.i18n import t
from store.bundles import scenario_simulation
from store.learning import comment_on_response, responses_for, submit_response, vote
from store.scenarios import scenarios_for_advisor

user = require_role("advisor")
st.title(t("nav_my_scenarios"))
c.show_flash()

scenarios = data.read(scenarios_for_advisor, user=user)
if not scenarios:
    c.empty_state(t("empty_my_scenarios"))
    st.stop()

by_id = {s.id: s for s in scenarios}
ids = list(by_id)
opened = st.session_state.get(c.OPEN_SCENARIO_KEY)  # a deep link (?scenario=ID)
if opened is not None and opened not in ids:
    # Not published, or meant for another level, team or customers' language: said once, not
    # replaced silently by another scenario.
    st.session_state.pop(c.OPEN_SCENARIO_KEY)
    st.warning(t("scenario_not_yours", id=opened), icon=":material/link_off:")
scenario_id = st.selectbox(
    t("pick_scenario"),
    ids,
    index=ids.index(opened) if opened in ids else 0,
    format_func=lambda i: by_id[i].title,
    key="advisor_scenario_id",
)
c.keep_in_url("scenario", scenario_id)
scenario = by_id[scenario_id]
responses = data.read(responses_for, scenario_id=scenario.id)
mine = next((r for r in responses if r.user_id == user.id), None)

c.render_scenario_header(scenario)
c.render_context(scenario)
st.markdown(f"#### {c.md_escape(t('question'))}")
question = (scenario.body or {}).get("question")
if question and question != t("question"):
    c.plain(question)

if mine is None:
    with st.form(f"answer_{scenario.id}"):
        text = st.text_area(
            t("your_answer"), max_chars=ANSWER_MAX, key=f"answer_text_{scenario.id}"
        )
        submitted = st.form_submit_button(t("submit"), type="primary")
    if submitted:
        try:
            # The first answer a server saves loads the redactor (a few seconds).
            with st.spinner(t("saving")):
                data.write(submit_response, scenario_id=scenario.id, user_id=user.id, text=text)
        except ValueError as exc:
            st.error(errors.message(exc))
        else:
            c.flash(t("answer_saved"))
            st.rerun()
    st.stop()

st.markdown(f"**{c.md_escape(t('your_saved_answer'))}**")
c.render_response(mine)
c.render_reveal(scenario)

simulation = data.read(scenario_simulation, scenario_id=scenario.id)
if simulation:
    with st.expander(t("simulation_title"), icon=":material/call_split:"):
        st.caption(c.md_escape(t("simulation_intro")))
        c.render_simulation(simulation, key=f"advisor_{scenario.id}")

st.markdown(f"#### {c.md_escape(t('peers_answers'))}")
peers = [r for r in responses if r.user_id != user.id]
if not peers:
    c.empty_state(t("no_peers"))
for response in peers:
    c.render_response(response)
    voted = user.id in response.voter_ids
    vote_col, comment_col = st.columns([1, 4])
    if vote_col.button(
        t("voted") if voted else t("vote"), key=f"vote_{response.id}", disabled=voted
    ):
        try:
            data.write(vote, response_id=response.id, user_id=user.id)
        except ValueError as exc:
            st.error(errors.message(exc))
        else:
            st.rerun()
    with comment_col.form(f"comment_{response.id}", clear_on_submit=True, border=False):
        note = st.text_input(
            t("add_comment"), max_chars=COMMENT_MAX, key=f"comment_text_{response.id}"
        )
        if st.form_submit_button(t("send_comment")):
            try:
                with st.spinner(t("saving")):
                    data.write(
                        comment_on_response, response_id=response.id, user_id=user.id, text=note
                    )
            except ValueError as exc:
                st.error(errors.message(exc))
            else:
                st.rerun()
