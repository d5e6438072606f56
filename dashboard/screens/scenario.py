"""Coach: one scenario as advisors see it, with the advisors' answers, votes and comments."""

from __future__ import annotations

import streamlit as st

from dashboard import components as c
from dashboard import data
from dashboard.auth import require_role
from dashboard.i18n import t

require_role("coach")
st.title(t("nav_scenario"))

scenarios = data.list_scenarios()
if scenarios.empty:
    c.empty_state(t("empty_scenarios"))
    st.stop()

labels = {
    row.scenario_id: f"#{row.scenario_id} · {row.title} · {row.state}"
    for row in scenarios.itertuples(index=False)
}
scenario_id = st.selectbox(
    t("pick_scenario"), list(labels), format_func=labels.get, key="coach_scenario_id"
)
scenario = data.get_scenario(scenario_id) if scenario_id is not None else None
if scenario is None:
    st.stop()

c.render_scenario_header(scenario)
c.render_context(scenario)
c.render_objectives(scenario)
c.render_reveal(scenario)

st.markdown(f"#### {c.md_escape(t('responses'))}")
responses = data.responses_for(scenario.id)
if not responses:
    c.empty_state(t("no_responses"))
for response in responses:
    c.render_response(response)
