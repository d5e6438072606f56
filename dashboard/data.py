"""Cached data access for the pages: one engine per database URL, short-lived read caches.

Reads are keyed by the database URL so two stores in one process (tests) never share a cache;
every write clears the read caches so the page that made it sees it at once.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from casebook.settings import get_settings
from store import views
from store.db import get_engine, transaction
from store.users import UserInfo, user_info
from store.users import authenticate as _authenticate

READ_TTL = 30  # seconds: flows write in the background, pages should not lag far behind


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return get_engine(url)


def db_url() -> str:
    """The configured store's URL."""
    return get_settings().db_url


def engine() -> Engine:
    """The configured store's engine, shared by every session of this process."""
    return _engine(db_url())


def clear_reads() -> None:
    """Forget cached reads (after a write)."""
    st.cache_data.clear()


# ---------------------------------------------------------------------------- reads


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _case_filter_options(url: str) -> dict[str, list[str]]:
    with transaction(_engine(url)) as s:
        return views.case_filter_options(s)


def case_filter_options() -> dict[str, list[str]]:
    """Distinct values for the case queue's filters."""
    return _case_filter_options(db_url())


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _case_queue(url: str, situation, channel, language, arc) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    with transaction(_engine(url)) as s:
        return views.case_queue(s, situation=situation, channel=channel, language=language, arc=arc)


def case_queue(
    situation: str | None = None,
    channel: str | None = None,
    language: str | None = None,
    arc: str | None = None,
) -> pd.DataFrame:
    """The coach's queue of cases, most notable first."""
    return _case_queue(db_url(), situation, channel, language, arc)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _case_detail(url: str, case_id: int) -> views.CaseDetail | None:
    with transaction(_engine(url)) as s:
        return views.case_detail(s, case_id)


def case_detail(case_id: int) -> views.CaseDetail | None:
    """One case with its redacted conversation and scenario draft."""
    return _case_detail(db_url(), case_id)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _list_scenarios(url: str) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.list_scenarios(s)


def list_scenarios() -> pd.DataFrame:
    """Every scenario, newest first."""
    return _list_scenarios(db_url())


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _get_scenario(url: str, scenario_id: int) -> views.ScenarioView | None:
    with transaction(_engine(url)) as s:
        return views.get_scenario(s, scenario_id)


def get_scenario(scenario_id: int) -> views.ScenarioView | None:
    """One scenario."""
    return _get_scenario(db_url(), scenario_id)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _scenarios_for_advisor(
    url: str, language: str, level: int, team: str | None
) -> list[views.ScenarioView]:
    advisor = UserInfo(
        id=0,
        username="",
        display_name="",
        role="advisor",
        team=team,
        language=language,
        level=level,
    )
    with transaction(_engine(url)) as s:
        return views.scenarios_for_advisor(s, advisor)


def scenarios_for_advisor(user: UserInfo) -> list[views.ScenarioView]:
    """The published scenarios meant for this advisor."""
    return _scenarios_for_advisor(db_url(), user.language, user.level, user.team)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _responses_for(url: str, scenario_id: int) -> list[views.ResponseView]:
    with transaction(_engine(url)) as s:
        return views.responses_for(s, scenario_id)


def responses_for(scenario_id: int) -> list[views.ResponseView]:
    """The answers to a scenario, with votes and comments."""
    return _responses_for(db_url(), scenario_id)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _feedback_trend(url: str, days: int, by: str) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.feedback_trend(s, days=days, by=by)


def feedback_trend(days: int, by: str) -> pd.DataFrame:
    """Comments per day by channel or sentiment."""
    return _feedback_trend(db_url(), days, by)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _recovery_rate(url: str) -> views.RecoveryRate:
    with transaction(_engine(url)) as s:
        return views.recovery_rate(s)


def recovery_rate() -> views.RecoveryRate:
    """Share of negative-start cases that recovered."""
    return _recovery_rate(db_url())


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _source_health(url: str) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.source_health(s)


def source_health() -> pd.DataFrame:
    """Sources with their last run and counts."""
    return _source_health(db_url())


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _quarantine_records(url: str) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.quarantine_records(s)


def quarantine_records() -> pd.DataFrame:
    """The newest quarantined records."""
    return _quarantine_records(db_url())


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _list_users(url: str) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.list_users(s)


def list_users() -> pd.DataFrame:
    """Users, without password hashes."""
    return _list_users(db_url())


# ---------------------------------------------------------------------------- writes (never cached)


def authenticate(username: str, password: str) -> UserInfo | None:
    """The user behind these credentials, or None."""
    with transaction(engine()) as s:
        user = _authenticate(s, username, password)
        return user_info(user) if user else None


def publish_scenario(
    scenario_id: int,
    actor: str,
    model_answer: str | None,
    level: int | None,
    target_teams: Iterable[str] | None,
) -> views.ScenarioView:
    """Publish a scenario with the coach's edits."""
    with transaction(engine()) as s:
        result = views.publish_scenario(
            s, scenario_id, actor, model_answer=model_answer, level=level, target_teams=target_teams
        )
    clear_reads()
    return result


def submit_response(scenario_id: int, user_id: int, text: str) -> views.ResponseView:
    """Record an advisor's answer."""
    with transaction(engine()) as s:
        result = views.submit_response(s, scenario_id, user_id, text)
    clear_reads()
    return result


def vote(response_id: int, user_id: int) -> None:
    """Vote for a peer's answer."""
    with transaction(engine()) as s:
        views.vote(s, response_id, user_id)
    clear_reads()


def comment_on_response(response_id: int, user_id: int, text: str) -> None:
    """Comment on a peer's answer."""
    with transaction(engine()) as s:
        views.comment_on_response(s, response_id, user_id, text)
    clear_reads()
