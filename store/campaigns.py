"""Challenge campaigns: a set of scenarios, a period and the teams taking part."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.learning import Standing
from store.learning import standings
from store.models import Campaign, Scenario
from store.users import record_audit


def create_campaign(
    session: Session,
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
    found = set(session.scalars(select(Scenario.id).where(Scenario.id.in_(ids))))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValueError(f"no such scenario: {', '.join(map(str, missing))}")
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
        actor,
        "campaign.create",
        "campaign",
        campaign.id,
        {"teams": team_list, "scenario_ids": ids},
    )
    return campaign


def list_campaigns(session: Session) -> list[Campaign]:
    """Every campaign, the latest start first."""
    return list(session.scalars(select(Campaign).order_by(Campaign.starts_at.desc(), Campaign.id)))


def leaderboard(session: Session, campaign_id: int, by: str = "person") -> list[Standing]:
    """A campaign's leaderboard: only answers within its period, to its scenarios, by its teams."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise ValueError(f"campaign {campaign_id} does not exist")
    return standings(
        session,
        by=by,
        start=campaign.starts_at,
        end=campaign.ends_at,
        scenario_ids=[int(i) for i in campaign.scenario_ids or []],
        teams=[str(t) for t in campaign.teams or []],
    )
