"""Cached data access for the pages: one engine per database URL, short-lived read caches.

Reads are keyed by the database URL so two stores in one process (tests) never share a cache;
every write clears the read caches so the page that made it sees it at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from casebook.settings import get_settings
from store import campaigns as store_campaigns
from store import learning, views
from store.corrections import correct_label as _correct_label
from store.db import get_engine, transaction
from store.users import UserInfo, record_audit, user_info
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
def _case_queue(url: str, situation, channel, language, arc, emotion, days) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    with transaction(_engine(url)) as s:
        return views.case_queue(
            s,
            situation=situation,
            channel=channel,
            language=language,
            arc=arc,
            emotion=emotion,
            days=days,
        )


def case_queue(
    situation: str | None = None,
    channel: str | None = None,
    language: str | None = None,
    arc: str | None = None,
    emotion: str | None = None,
    days: int | None = None,
) -> pd.DataFrame:
    """The coach's queue of cases, most notable first (active in the last `days`, if given)."""
    return _case_queue(db_url(), situation, channel, language, arc, emotion, days)


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
def _recovery_rate(url: str) -> views.RecoveryRate:
    with transaction(_engine(url)) as s:
        return views.recovery_rate(s)


def recovery_rate() -> views.RecoveryRate:
    """Share of negative-start cases that recovered."""
    return _recovery_rate(db_url())


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


def user_by_username(username: str) -> UserInfo | None:
    """The account called `username` (for a sign-in the identity provider vouched for), or None."""
    from sqlalchemy import select

    from store.models import User

    with transaction(engine()) as s:
        user = s.scalar(select(User).where(User.username == username))
        return user_info(user) if user else None


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


# ---------------------------------------------------------------------------- coach & advisor pages


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _queue_filter_options(url: str) -> dict[str, list[str]]:
    with transaction(_engine(url)) as s:
        return views.queue_filter_options(s)


def queue_filter_options() -> dict[str, list[str]]:
    """Distinct situations, channels, languages, arcs and emotions of the cases."""
    return _queue_filter_options(db_url())


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _period_reference(url: str) -> datetime:
    with transaction(_engine(url)) as s:
        return views.period_reference(s)


def period_reference() -> datetime:
    """Where the queue's periods end: the newest comment's time."""
    return _period_reference(db_url())


def original_texts(user: UserInfo, case_id: int) -> dict[int, str]:
    """The unredacted comments of a case, for a coach only; never cached (kept out of shared memory)."""
    if user.role != "coach":
        raise PermissionError("only a coach may see the original text")
    with transaction(engine()) as s:
        return views.original_texts(s, case_id)


def record_show_original(user: UserInfo, case_id: int) -> None:
    """Audit that a coach chose to see a case's original (unredacted) text."""
    if user.role != "coach":
        raise PermissionError("only a coach may see the original text")
    with transaction(engine()) as s:
        record_audit(s, user.username, "case.show_original", "case", case_id, {})


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _scenario_versions(url: str, scenario_id: int) -> list[dict[str, Any]]:
    with transaction(_engine(url)) as s:
        return views.scenario_versions(s, scenario_id)


def scenario_versions(scenario_id: int) -> list[dict[str, Any]]:
    """A scenario's earlier versions, oldest first."""
    return _scenario_versions(db_url(), scenario_id)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _family_rows(url: str, situation: str | None) -> list[dict[str, Any]]:
    with transaction(_engine(url)) as s:
        return views.family_rows(s, situation=situation)


def family_rows(situation: str | None = None) -> list[dict[str, Any]]:
    """Families of similar cases, largest this week first, with example cases."""
    return _family_rows(db_url(), situation)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _team_names(url: str) -> list[str]:
    with transaction(_engine(url)) as s:
        return views.team_names(s)


def team_names() -> list[str]:
    """The teams users belong to."""
    return _team_names(db_url())


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _published_scenarios(url: str) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.list_scenarios(s, state="published")


def published_scenarios() -> pd.DataFrame:
    """The published scenarios, newest first."""
    return _published_scenarios(db_url())


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _campaigns(url: str, team: str | None) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.campaign_rows(s, team=team)


def campaigns(team: str | None = None) -> pd.DataFrame:
    """Campaigns (only those of `team`, when given), the latest start first."""
    return _campaigns(db_url(), team)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _campaign_standings(url: str, campaign_id: int, by: str) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.campaign_standings(s, campaign_id, by=by)


def campaign_standings(campaign_id: int, by: str = "person") -> pd.DataFrame:
    """A campaign's leaderboard by person or team."""
    return _campaign_standings(db_url(), campaign_id, by)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _period_standings(url: str, period: str, by: str) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.period_standings(s, period=period, by=by)


def period_standings(period: str = "week", by: str = "person") -> pd.DataFrame:
    """This week's or month's leaderboard by person or team."""
    return _period_standings(db_url(), period, by)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _advisor_progress(url: str, user_id: int) -> views.AdvisorProgress:
    with transaction(_engine(url)) as s:
        return views.advisor_progress(s, user_id)


def advisor_progress(user_id: int) -> views.AdvisorProgress:
    """An advisor's answers and points."""
    return _advisor_progress(db_url(), user_id)


def correct_label(comment_id: int, field: str, value: str, actor: str) -> None:
    """Correct one label of a comment (kept for retraining, audited)."""
    with transaction(engine()) as s:
        _correct_label(s, comment_id=comment_id, field=field, new_value=value, actor=actor)
    clear_reads()


def edited_body(
    body: dict[str, Any],
    turn_texts: dict[int, str] | None = None,
    cues: Iterable[str] | None = None,
    question: str | None = None,
) -> dict[str, Any]:
    """A scenario body with new texts for some turns (by position), new cues and a new question."""
    new = dict(body or {})
    if turn_texts:
        turns = [dict(turn) for turn in new.get("turns") or []]
        for i, text in turn_texts.items():
            if 0 <= i < len(turns):
                turns[i]["text"] = text.strip()
        new["turns"] = turns
    if cues is not None:
        new["cues"] = [c.strip() for c in cues if c and c.strip()]
    if question is not None and question.strip():
        new["question"] = question.strip()
    return new


def edit_scenario(
    scenario_id: int,
    actor: str,
    reason: str,
    *,
    title: str | None = None,
    turn_texts: dict[int, str] | None = None,
    cues: Iterable[str] | None = None,
    question: str | None = None,
    model_answer: str | None = None,
    level: int | None = None,
    skill_axis: str | None = None,
    language: str | None = None,
    target_teams: Iterable[str] | None = None,
) -> views.ScenarioView:
    """Save a coach's edit of a scenario as a new version, with its reason (audited)."""
    if not (reason or "").strip():
        raise ValueError("say why: an edit needs a reason")
    with transaction(engine()) as s:
        current = views.get_scenario(s, scenario_id)
        if current is None:
            raise ValueError(f"scenario {scenario_id} does not exist")
        result = views.edit_scenario(
            s,
            scenario_id,
            actor,
            title=title,
            body=edited_body(current.body, turn_texts, cues, question),
            model_answer=model_answer,
            level=level,
            skill_axis=skill_axis,
            language=language,
            target_teams=target_teams,
            reason=reason,
        )
    clear_reads()
    return result


def move_scenario(scenario_id: int, target: str, actor: str, reason: str) -> str:
    """Move a scenario one legal step (its case follows it to published); returns the new state."""
    with transaction(engine()) as s:
        state = views.move_scenario(s, scenario_id, target, actor, reason)
        if state == "published":
            views.publish_scenario(s, scenario_id, actor, reason=reason)  # the case follows
    clear_reads()
    return state


def pick_response(response_id: int, actor: str, picked: bool = True) -> None:
    """A coach picks (or unpicks) one of the best answers."""
    with transaction(engine()) as s:
        learning.pick_response(s, response_id, actor, picked=picked)
    clear_reads()


def create_campaign(
    name: str,
    first_day: date,
    last_day: date,
    teams: Iterable[str],
    scenario_ids: Iterable[int],
    actor: str,
) -> int:
    """Create a campaign running from the start of `first_day` to the end of `last_day` (UTC)."""
    starts = datetime.combine(first_day, time.min, tzinfo=UTC)
    ends = datetime.combine(last_day, time.min, tzinfo=UTC) + timedelta(days=1)
    with transaction(engine()) as s:
        campaign = store_campaigns.create_campaign(
            s, name, starts, ends, teams, scenario_ids, actor
        )
        campaign_id = campaign.id
    clear_reads()
    return campaign_id


# ---------------------------------------------------------------------------- leader & admin pages
# Leader reads go to daily_feedback (kept by enrichment), never to comments. Filters travel as a
# sorted tuple of (dimension, value) pairs so they can key the cache.

Filters = tuple[tuple[str, str], ...]


def _filters(values: dict[str, str | None]) -> Filters:
    return tuple(sorted((k, v) for k, v in values.items() if v))


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _summary_state(url: str) -> tuple[str | None, datetime]:
    from store.summaries import ensure_daily_feedback

    with transaction(_engine(url)) as s:
        # A store analysed before the summary existed gets it once (one grouped INSERT ... SELECT).
        ensure_daily_feedback(s)
    with transaction(_engine(url)) as s:
        version = views.current_version(s)
        return version, views.feedback_reference(s, version)


def summary_state() -> tuple[str | None, datetime]:
    """The classifier version the leader pages show, and where their periods end."""
    return _summary_state(db_url())


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _trend_options(url: str, version: str | None) -> dict[str, list[str]]:
    with transaction(_engine(url)) as s:
        return views.trend_options(s, version)


def trend_options() -> dict[str, list[str]]:
    """The values of each trend dimension, for the leader's filters."""
    version, _ = summary_state()
    return _trend_options(db_url(), version)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _summary_trend(
    url: str, version: str | None, now: datetime, days: int, by: str, filters: Filters
) -> pd.DataFrame:
    if version is None:
        return views._empty_trend()
    with transaction(_engine(url)) as s:
        return views.summary_trend(s, days, by, now, version, **dict(filters))


def summary_trend(days: int, by: str, **filters: str | None) -> pd.DataFrame:
    """Comments per day by a dimension (channel, source, situation, ...), filtered."""
    version, now = summary_state()
    return _summary_trend(db_url(), version, now, days, by, _filters(filters))


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _period_recovery(url: str, now: datetime, days: int, filters: Filters) -> views.RecoveryRate:
    with transaction(_engine(url)) as s:
        return views.recovery_rate(s, days=days, now=now, **dict(filters))


def period_recovery(days: int, **filters: str | None) -> views.RecoveryRate:
    """The recovery rate of the cases that ended in the period (channel, situation, language)."""
    _, now = summary_state()
    keep = {k: v for k, v in filters.items() if k in ("channel", "situation", "language")}
    return _period_recovery(db_url(), now, days, _filters(keep))


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _emerging(
    url: str, version: str | None, now: datetime, weeks: int, filters: Filters
) -> views.Emerging:
    with transaction(_engine(url)) as s:
        return views.emerging_situations(s, now, weeks=weeks, version=version, **dict(filters))


def emerging_situations(weeks: int, **filters: str | None) -> views.Emerging:
    """Situations this week against their previous `weeks` weeks."""
    version, now = summary_state()
    return _emerging(db_url(), version, now, weeks, _filters(filters))


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _emerging_families(url: str, weeks: int, situation: str | None) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.emerging_families(s, weeks=weeks, situation=situation)


def emerging_families(weeks: int, situation: str | None = None) -> pd.DataFrame:
    """Families whose size this week stands out against the rest of their size."""
    return _emerging_families(db_url(), weeks, situation)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _training_coverage(
    url: str, version: str | None, now: datetime, days: int, filters: Filters
) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.training_coverage(s, days, now, version, **dict(filters))


def training_coverage(days: int, **filters: str | None) -> pd.DataFrame:
    """Per situation: comments in the period, cases, published scenarios, advisors who practised."""
    version, now = summary_state()
    return _training_coverage(db_url(), version, now, days, _filters(filters))


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _learning_engagement(url: str, weeks: int, team: str | None, site: str | None) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.learning_engagement(s, weeks, team=team, site=site)


def learning_engagement(
    weeks: int, team: str | None = None, site: str | None = None
) -> pd.DataFrame:
    """Answers, votes and comments per week, team and site."""
    return _learning_engagement(db_url(), weeks, team, site)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _engagement_options(url: str) -> dict[str, list[str]]:
    with transaction(_engine(url)) as s:
        return views.engagement_options(s)


def engagement_options() -> dict[str, list[str]]:
    """Teams and sites, for the engagement filters."""
    return _engagement_options(db_url())


SOURCE_COLUMNS = [
    "name",
    "kind",
    "channel",
    "schedule",
    "enabled",
    "declared",
    "stored",
    "last_run_status",
    "last_run_started_at",
    "last_run_finished_at",
    "last_run_error",
    "comments",
    "quarantined",
]


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _source_overview(url: str, sources_file: str) -> tuple[pd.DataFrame, str | None]:
    from pathlib import Path

    from casebook.pipeline import load_sources_file
    from store.reports import source_overview

    problem = None
    try:
        declared = load_sources_file(Path(sources_file))
    except Exception as exc:  # a broken sources.yaml: still show what the store holds
        declared, problem = [], str(exc)
    rows = source_overview(_engine(url), declared)
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS), problem


def source_overview() -> tuple[pd.DataFrame, str | None]:
    """Declared and stored sources with their last run and counts; and a sources-file problem, if any."""
    return _source_overview(db_url(), str(get_settings().sources_file))


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _quarantine_for(url: str, source: str | None) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.quarantine_records(s, source=source)


def quarantine_for(source: str | None = None) -> pd.DataFrame:
    """The newest quarantined records, of one source if given."""
    return _quarantine_for(db_url(), source)


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _quarantine_sources(url: str) -> list[str]:
    with transaction(_engine(url)) as s:
        return views.quarantine_sources(s)


def quarantine_sources() -> list[str]:
    """Sources with quarantined records."""
    return _quarantine_sources(db_url())


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _users_of(url: str, role: str | None) -> pd.DataFrame:
    with transaction(_engine(url)) as s:
        return views.list_users(s, role=role)


def users_of(role: str | None = None) -> pd.DataFrame:
    """Accounts (of one role if given), never their password hashes."""
    return _users_of(db_url(), role)
