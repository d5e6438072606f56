"""Coach: challenge campaigns: create one (name, period, teams, scenarios), list them, and see each
one's leaderboard by person and by team."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from dashboard import components as c
from dashboard import data, errors
from dashboard.auth import require_role
from dashboard.i18n import date_format, t
from store.campaigns import campaign_rows, campaign_standings, team_names
from store.scenarios import list_scenarios

user = require_role("coach")
st.title(t("nav_campaigns"))
c.show_flash()

st.markdown(f"#### {c.md_escape(t('new_campaign'))}")
scenarios = data.read(list_scenarios, state="published")
if scenarios.empty:
    c.empty_state(t("campaign_needs_scenarios"))
else:
    titles = {
        int(row.scenario_id): f"#{row.scenario_id} · {row.title}"
        for row in scenarios.itertuples(index=False)
    }
    today = datetime.now(UTC).date()
    with st.form("new_campaign"):
        name = st.text_input(t("campaign_name"), max_chars=200, key="campaign_name")
        left, right = st.columns(2)
        first_day = left.date_input(
            t("first_day"), value=today, format=date_format(), key="campaign_first_day"
        )
        last_day = right.date_input(
            t("last_day"),
            value=today + timedelta(days=13),
            format=date_format(),
            key="campaign_last_day",
        )
        teams = st.multiselect(
            t("teams"),
            data.read(team_names),
            accept_new_options=True,
            placeholder=t("choose_teams"),
            key="campaign_teams",
        )
        chosen = st.multiselect(
            t("scenarios"),
            list(titles),
            format_func=titles.get,
            placeholder=t("choose_scenarios"),
            key="campaign_scenarios",
        )
        create = st.form_submit_button(t("create_campaign"), type="primary")
    if create:
        try:
            created = data.create_campaign(name, first_day, last_day, teams, chosen, user.username)
        except ValueError as exc:
            st.error(errors.message(exc))
        else:
            # An empty form for the next one (a second click made the same campaign again), and
            # the new campaign's leaderboard opened below.
            c.flash(
                t("campaign_created"),
                campaign_name="",
                campaign_teams=[],
                campaign_scenarios=[],
                coach_campaign_id=created,
            )
            st.rerun()

st.markdown(f"#### {c.md_escape(t('campaigns'))}")
campaigns = data.read(campaign_rows)
if campaigns.empty:
    c.empty_state(t("empty_campaigns"))
    st.stop()
c.table(campaigns)

names = {int(row.campaign_id): row.name for row in campaigns.itertuples(index=False)}
campaign_id = st.selectbox(
    t("pick_campaign"), list(names), format_func=names.get, key="coach_campaign_id"
)
by = c.standings_by("coach_campaign_by")
c.standings_table(
    data.read(campaign_standings, campaign_id=campaign_id, by=by), key="campaign_standings"
)
st.markdown(f"#### {c.md_escape(t('export_title'))}")
c.export_section(user, f"campaign_{campaign_id}", campaign_id=campaign_id)
