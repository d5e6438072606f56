"""Scenarios in the store: list and read them, edit them (keeping versions), move and publish them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.review import ReviewState
from store.models import Scenario, ScenarioVersion, utcnow
from store.review import move_along, move_one_step
from store.users import record_audit

SKILL_AXES = ("operational", "relational", "managerial")


class AdvisorLike(Protocol):
    language: str
    level: int
    team: str | None


@dataclass(frozen=True)
class ScenarioView:
    """A scenario as the pages show it."""

    id: int
    case_id: int
    title: str
    language: str
    level: int
    skill_axis: str
    body: dict[str, Any]
    model_answer: str | None
    target_teams: list[str]
    state: str
    version: int
    published_at: datetime | None


def scenario_view(s: Scenario) -> ScenarioView:
    """The page-facing copy of a stored scenario."""
    return ScenarioView(
        id=s.id,
        case_id=s.case_id,
        title=s.title,
        language=s.language,
        level=s.level,
        skill_axis=s.skill_axis,
        body=dict(s.body or {}),
        model_answer=s.model_answer,
        target_teams=[str(t) for t in (s.target_teams or [])],
        state=str(s.state),
        version=s.version,
        published_at=s.published_at,
    )


def list_scenarios(session: Session, *, state: str | None = None) -> pd.DataFrame:
    """All scenarios (or those in `state`), newest first."""
    query = select(Scenario).order_by(Scenario.id.desc())
    if state:
        query = query.where(Scenario.state == ReviewState(state))
    rows = [
        {
            "scenario_id": s.id,
            "case_id": s.case_id,
            "title": s.title,
            "language": s.language,
            "level": s.level,
            "state": str(s.state),
            "target_teams": ", ".join(s.target_teams or []),
            "published_at": s.published_at,
        }
        for s in session.scalars(query)
    ]
    columns = [
        "scenario_id",
        "case_id",
        "title",
        "language",
        "level",
        "state",
        "target_teams",
        "published_at",
    ]
    return pd.DataFrame(rows, columns=columns)


def get_scenario(session: Session, *, scenario_id: int) -> ScenarioView | None:
    """One scenario, or None."""
    scenario = session.get(Scenario, scenario_id)
    return scenario_view(scenario) if scenario else None


def scenario_versions(session: Session, *, scenario_id: int) -> list[dict[str, Any]]:
    """The earlier versions of a scenario, oldest first."""
    return [
        {
            "version": v.version,
            "title": v.title,
            "body": v.body,
            "model_answer": v.model_answer,
            "level": v.level,
            "skill_axis": v.skill_axis,
            "edited_by": v.edited_by,
            "created_at": v.created_at,
        }
        for v in session.scalars(
            select(ScenarioVersion)
            .where(ScenarioVersion.scenario_id == scenario_id)
            .order_by(ScenarioVersion.version)
        )
    ]


def scenarios_for_advisor(session: Session, *, user: AdvisorLike) -> list[ScenarioView]:
    """Published scenarios for the user's level and team, in their language (all languages if none)."""
    query = (
        select(Scenario)
        .where(Scenario.state == ReviewState.published, Scenario.level <= user.level)
        .order_by(Scenario.published_at.desc(), Scenario.id.desc())
    )
    # target_teams is JSON: filtered here, fine at the scale of a training catalogue.
    eligible = [
        s for s in session.scalars(query) if not s.target_teams or user.team in s.target_teams
    ]
    in_language = [s for s in eligible if s.language == user.language]
    return [scenario_view(s) for s in (in_language or eligible)]


def edit_scenario(
    session: Session,
    *,
    scenario_id: int,
    actor: str,
    title: str | None = None,
    body: dict[str, Any] | None = None,
    model_answer: str | None = None,
    level: int | None = None,
    skill_axis: str | None = None,
    language: str | None = None,
    target_teams: Iterable[str] | None = None,
    reason: str | None = None,
) -> ScenarioView:
    """Edit a scenario, keeping the previous content as a version; audited (with `reason` if given).

    A candidate draft moves to in_review (and its case too), so curation stops rewriting it.
    """
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise ValueError(f"scenario {scenario_id} does not exist")
    if scenario.state in (ReviewState.archived, ReviewState.rejected):
        raise ValueError(f"scenario {scenario_id} is {scenario.state}: move it back before editing")
    if level is not None and level not in (1, 2, 3):
        raise ValueError(f"level must be 1, 2 or 3, not {level!r}")
    if skill_axis is not None and skill_axis not in SKILL_AXES:
        raise ValueError(f"skill axis must be one of {', '.join(SKILL_AXES)}, not {skill_axis!r}")
    if language is not None and language not in ("en", "fr"):
        raise ValueError(f"language must be en or fr, not {language!r}")
    if title is not None and not title.strip():
        raise ValueError("the title is empty")
    new: dict[str, Any] = {
        "title": title.strip()[:300] if title is not None else None,
        "body": dict(body) if body is not None else None,
        "model_answer": model_answer.strip() if model_answer is not None else None,
        "level": level,
        "skill_axis": skill_axis,
        "language": language,
        "target_teams": sorted({t.strip() for t in target_teams if t and t.strip()})
        if target_teams is not None
        else None,
    }
    changed = {
        name: value
        for name, value in new.items()
        if value is not None and value != getattr(scenario, name)
    }
    if not changed:
        return scenario_view(scenario)
    session.add(
        ScenarioVersion(
            scenario_id=scenario.id,
            version=scenario.version,
            title=scenario.title,
            body=dict(scenario.body or {}),
            model_answer=scenario.model_answer,
            level=scenario.level,
            skill_axis=scenario.skill_axis,
            edited_by=actor,
        )
    )
    for name, value in changed.items():
        setattr(scenario, name, value)
    scenario.version += 1
    record_audit(
        session,
        actor=actor,
        action="scenario.edit",
        entity="scenario",
        entity_id=scenario.id,
        detail={"fields": sorted(changed), "version": scenario.version}
        | ({"reason": reason.strip()} if reason and reason.strip() else {}),
    )
    if scenario.state == ReviewState.candidate:
        move_one_step(
            session, scenario, target="in_review", actor=actor, reason="edited by a coach"
        )
        if scenario.case.state == ReviewState.candidate:
            move_one_step(
                session, scenario.case, target="in_review", actor=actor, reason="scenario edited"
            )
    session.flush()
    return scenario_view(scenario)


def move_scenario(
    session: Session, *, scenario_id: int, target: str, actor: str, reason: str
) -> str:
    """Move a scenario one step in the review workflow (IllegalTransition if not allowed); returns
    its state. Published, its case follows it there (recorded as a publish too)."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise ValueError(f"scenario {scenario_id} does not exist")
    if target == ReviewState.published and not (scenario.model_answer or "").strip():
        raise ValueError("write the model answer before publishing")
    state = move_one_step(session, scenario, target=target, actor=actor, reason=reason)
    if state == ReviewState.published:
        if scenario.published_at is None:
            scenario.published_at = utcnow()
        publish_scenario(session, scenario_id=scenario_id, actor=actor, reason=reason)
    session.flush()
    return state


def publish_scenario(
    session: Session,
    *,
    scenario_id: int,
    actor: str,
    model_answer: str | None = None,
    level: int | None = None,
    target_teams: Iterable[str] | None = None,
    reason: str | None = None,
) -> ScenarioView:
    """Set the coach's edits and move the scenario (and its case) to published, with audit lines."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise ValueError(f"scenario {scenario_id} does not exist")
    if level is not None and level not in (1, 2, 3):
        raise ValueError(f"level must be 1, 2 or 3, not {level!r}")
    changes: dict[str, Any] = {}
    if model_answer is not None and model_answer.strip() != (scenario.model_answer or ""):
        scenario.model_answer = model_answer.strip()
        changes["model_answer"] = True
    if not (scenario.model_answer or "").strip():
        raise ValueError("write the model answer before publishing")
    if level is not None and level != scenario.level:
        changes["level"] = [scenario.level, level]
        scenario.level = level
    if target_teams is not None:
        teams = sorted({t.strip() for t in target_teams if t and t.strip()})
        if teams != sorted(scenario.target_teams or []):
            changes["target_teams"] = teams
            scenario.target_teams = teams
    was_published = scenario.state == ReviewState.published
    move_along(session, scenario, target="published", actor=actor, reason=reason)
    if was_published and changes:
        scenario.version += 1
    if not was_published:
        scenario.published_at = utcnow()
    move_along(session, scenario.case, target="published", actor=actor, reason=reason)
    record_audit(
        session,
        actor=actor,
        action="scenario.publish",
        entity="scenario",
        entity_id=scenario.id,
        detail=changes,
    )
    session.flush()
    return scenario_view(scenario)
