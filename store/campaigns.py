"""Challenge campaigns in the store: a campaign over published scenarios of one language, for some
teams during some days; its leaderboard (answers within it, plus its quiz challenge's points, kept
apart in their own column) and the lists the pages and commands show."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.learning import Standing
from store import xapi
from store.learning import aware, standings, standings_frame
from store.models import Campaign, QuizAttempt, Scenario, User
from store.users import LANGUAGE_NAMES, record_audit

CAMPAIGN_COLUMNS = [
    "campaign_id",
    "name",
    "status",
    "first_day",
    "last_day",
    "teams",
    "scenarios",
    "created_by",
]


def create_campaign(
    session: Session,
    *,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    teams: Iterable[str],
    scenario_ids: Iterable[int],
    actor: str,
) -> Campaign:
    """A campaign over existing scenarios for some teams during [starts_at, ends_at); audited."""
    name = (name or "").strip()
    if not name:
        raise ValueError("the campaign needs a name")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("give the campaign's dates a time zone")
    if ends_at <= starts_at:
        raise ValueError("the campaign must end after it starts")
    team_list = sorted({t.strip() for t in teams if t and t.strip()})
    if not team_list:
        raise ValueError("name at least one team")
    ids = sorted(set(scenario_ids))
    if not ids:
        raise ValueError("choose at least one scenario")
    languages = dict(
        session.execute(select(Scenario.id, Scenario.language).where(Scenario.id.in_(ids))).all()
    )
    missing = [i for i in ids if i not in languages]
    if missing:
        raise ValueError(f"no such scenario: {', '.join(map(str, missing))}")
    if len(set(languages.values())) > 1:  # or some would read a quiz in another language
        names = sorted(LANGUAGE_NAMES.get(code, code) for code in set(languages.values()))
        raise ValueError(
            "a campaign's scenarios share one language (its quiz is the same for everyone): "
            f"these are in {' and '.join(names)}; make one campaign a language"
        )
    campaign = Campaign(
        name=name[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        teams=team_list,
        scenario_ids=ids,
        created_by=actor,
    )
    session.add(campaign)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="campaign.create",
        entity="campaign",
        entity_id=campaign.id,
        detail={"teams": team_list, "scenario_ids": ids},
    )
    return campaign


def list_campaigns(session: Session) -> list[Campaign]:
    """Every campaign, the latest start first."""
    return list(session.scalars(select(Campaign).order_by(Campaign.starts_at.desc(), Campaign.id)))


def campaign_leaderboard(
    session: Session, *, campaign_id: int, by: str = "person"
) -> list[Standing]:
    """A campaign's leaderboard: only answers within its period, to its scenarios, by its teams
    (xapi.CampaignScope, the rule its xAPI export follows too), plus the points of its quiz
    challenge."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise ValueError(f"campaign {campaign_id} does not exist")
    scope = xapi.campaign_scope(campaign)
    quiz = dict(
        session.execute(
            select(QuizAttempt.user_id, QuizAttempt.points).where(
                QuizAttempt.campaign_id == campaign_id
            )
        )
        .tuples()
        .all()
    )
    return standings(
        session,
        by=by,
        start=scope.starts_at,
        end=scope.ends_at,
        scenario_ids=scope.scenario_ids,
        teams=scope.teams,
        bonus=quiz,
    )


def campaign_standings(session: Session, *, campaign_id: int, by: str = "person") -> pd.DataFrame:
    """A campaign's leaderboard by person or team: rank, name, points, answers, votes, picks and
    quiz (the quiz challenge's points, counted in the points)."""
    return standings_frame(campaign_leaderboard(session, campaign_id=campaign_id, by=by), quiz=True)


def team_names(session: Session) -> list[str]:
    """The teams users belong to."""
    return [t for t in session.scalars(select(User.team).distinct().order_by(User.team)) if t]


def campaign_rows(
    session: Session, *, team: str | None = None, now: datetime | None = None
) -> pd.DataFrame:
    """Campaigns (those of `team` only, when given), the latest start first, with their status."""
    now = now or datetime.now(UTC)
    rows = []
    for c in list_campaigns(session):
        teams = [str(t) for t in c.teams or []]
        if team is not None and team not in teams:
            continue
        starts, ends = aware(c.starts_at), aware(c.ends_at)
        status = "upcoming" if now < starts else "ended" if now >= ends else "running"
        rows.append(
            {
                "campaign_id": c.id,
                "name": c.name,
                "status": status,
                # A campaign runs over [starts_at, ends_at): its last day is the one before the end.
                "first_day": starts.date(),
                "last_day": (ends - timedelta(microseconds=1)).date(),
                "teams": ", ".join(teams),
                "scenarios": len(c.scenario_ids or []),
                "created_by": c.created_by,
            }
        )
    return pd.DataFrame(rows, columns=CAMPAIGN_COLUMNS)


def campaign_languages(session: Session, *, campaign_ids: list[int]) -> dict[int, set[str]]:
    """The languages of each campaign's scenarios (a campaign's quiz asks in theirs)."""
    campaigns = session.scalars(select(Campaign).where(Campaign.id.in_(campaign_ids))).all()
    wanted = {int(i) for c in campaigns for i in c.scenario_ids or []}
    language = dict(
        session.execute(select(Scenario.id, Scenario.language).where(Scenario.id.in_(wanted)))
        .tuples()
        .all()
    )
    return {
        c.id: {language[int(i)] for i in c.scenario_ids or [] if int(i) in language}
        for c in campaigns
    }
