"""Scenarios in the store: list and read them, edit them (keeping versions), move and publish them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.review import ALLOWED, FORWARD, IllegalTransition, ReviewState
from store.models import Campaign, Scenario, ScenarioVersion, utcnow
from store.review import move_along, move_one_step
from store.users import record_audit

SKILL_AXES = ("operational", "relational", "managerial")
# A scenario's content can be edited in these states only: a candidate is curation's draft (a
# coach starts its review first, with a reason), archived and rejected ones are closed.
EDITABLE = (ReviewState.in_review, ReviewState.approved, ReviewState.published)


class AdvisorLike(Protocol):
    level: int
    team: str | None

    @property
    def practice_languages(self) -> tuple[str, ...]: ...


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
    """Published scenarios for the user's level and team, in the languages of the customers they
    serve (UserInfo.practice_languages; all languages if none is in them)."""
    query = (
        select(Scenario)
        .where(Scenario.state == ReviewState.published, Scenario.level <= user.level)
        .order_by(Scenario.published_at.desc(), Scenario.id.desc())
    )
    # target_teams is JSON: filtered here, fine at the scale of a training catalogue.
    eligible = [
        s for s in session.scalars(query) if not s.target_teams or user.team in s.target_teams
    ]
    in_language = [s for s in eligible if s.language in user.practice_languages]
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
    """Edit a scenario in review, approved or published, keeping the previous content as a version;
    audited (with `reason` if given). Never moves its state: a candidate is refused (start its
    review first, move_scenario), as are archived and rejected scenarios."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise ValueError(f"scenario {scenario_id} does not exist")
    if scenario.state == ReviewState.candidate:
        raise ValueError(
            f"scenario {scenario_id} is a candidate: move it to in_review (with a reason) to edit it"
        )
    if scenario.state not in EDITABLE:
        raise ValueError(f"scenario {scenario_id} is {scenario.state}: move it back before editing")
    if level is not None and level not in (1, 2, 3):
        raise ValueError(f"level must be 1, 2 or 3, not {level!r}")
    if skill_axis is not None and skill_axis not in SKILL_AXES:
        raise ValueError(f"skill axis must be one of {', '.join(SKILL_AXES)}, not {skill_axis!r}")
    if language is not None and language not in ("en", "fr"):
        raise ValueError(f"language must be en or fr, not {language!r}")
    if title is not None and not title.strip():
        raise ValueError("the title is empty")
    if body is not None and any(
        isinstance(turn, dict) and not str(turn.get("text") or "").strip()
        for turn in body.get("turns") or []
    ):
        raise ValueError("a turn of the conversation is empty")
    if language is not None and language != scenario.language:
        for campaign in session.scalars(select(Campaign)):
            if scenario.id in (campaign.scenario_ids or []):
                # A campaign's quiz is one language (create_campaign refuses a mix).
                raise ValueError(
                    f"scenario {scenario.id} is in campaign '{campaign.name}': its language "
                    "cannot change"
                )
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
    # An empty text or list given where there is none is no change ("" for no model answer).
    changed = {
        name: value
        for name, value in new.items()
        if value is not None and (value or None) != (getattr(scenario, name) or None)
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
    session.flush()
    return scenario_view(scenario)


def legal_moves(state: str) -> list[str]:
    """The states a scenario in `state` may move to (curation.review), for pages to offer: the
    step forward first (in review, approved, published), then the others by name."""
    here = ReviewState(state)
    forward = FORWARD.get(here)
    return sorted((s.value for s in ALLOWED[here]), key=lambda s: (s != forward, s))


def _case_follows(session: Session, scenario: Scenario, actor: str, reason: str) -> None:
    # A scenario in review takes its candidate case along (curation then leaves both alone); a
    # published one takes its case to published. Each of the case's moves is legal and audited.
    case, state = scenario.case, scenario.state
    why = f"scenario {scenario.id} moved to {state}: {reason}"
    if state == ReviewState.in_review and case.state == ReviewState.candidate:
        move_one_step(session, case, target="in_review", actor=actor, reason=why)
    elif state == ReviewState.published and case.state != ReviewState.published:
        move_along(session, case, target="published", actor=actor, reason=why)


def move_scenario(
    session: Session, *, scenario_id: int, target: str, actor: str, reason: str
) -> str:
    """Move a scenario one legal step in the review workflow with a reason (IllegalTransition if
    the move is not allowed, ValueError without a reason); audited; returns its state. A scenario
    is published only with a model answer; its case follows it (store.scenarios._case_follows)."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise ValueError(f"scenario {scenario_id} does not exist")
    if target == ReviewState.published and not (scenario.model_answer or "").strip():
        raise ValueError("write the model answer before publishing")
    state = move_one_step(session, scenario, target=target, actor=actor, reason=reason)
    if state == ReviewState.published and scenario.published_at is None:
        scenario.published_at = utcnow()
    _case_follows(session, scenario, actor, reason)
    session.flush()
    return state


def publish_scenario(
    session: Session,
    *,
    scenario_id: int,
    actor: str,
    reason: str,
    model_answer: str | None = None,
    level: int | None = None,
    target_teams: Iterable[str] | None = None,
) -> ScenarioView:
    """Set the coach's answer, level and teams and publish an approved (or archived) scenario (one
    legal move, with its reason; its case follows), or update a published one in place (a new
    version);
    audited. From a state that cannot move to published (candidate, in_review, rejected) it
    raises IllegalTransition: a scenario is reviewed and approved first."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise ValueError(f"scenario {scenario_id} does not exist")
    if not (reason or "").strip():
        raise ValueError("say why: a move needs a reason")
    was_published = scenario.state == ReviewState.published
    if not was_published and ReviewState.published not in ALLOWED[ReviewState(scenario.state)]:
        raise IllegalTransition(
            f"scenario {scenario_id} is {scenario.state}: a scenario is reviewed and approved "
            "before it is published "
            f"(allowed from here: {', '.join(legal_moves(str(scenario.state))) or 'none'})"
        )
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
    if was_published:
        if changes:
            scenario.version += 1
    else:
        move_scenario(
            session, scenario_id=scenario_id, target="published", actor=actor, reason=reason
        )
    record_audit(
        session,
        actor=actor,
        action="scenario.publish",
        entity="scenario",
        entity_id=scenario.id,
        detail=changes | {"reason": reason.strip()},
    )
    session.flush()
    return scenario_view(scenario)


def review_scenario(
    session: Session,
    *,
    scenario_id: int,
    target: str | None,
    actor: str,
    reason: str,
    model_answer: str | None = None,
    level: int | None = None,
    target_teams: Iterable[str] | None = None,
) -> ScenarioView:
    """The case queue's one action: save the coach's answer, level and teams and make one legal
    move with its reason (`target` None: no move, the content saved in a state that allows
    editing). Publishing goes through publish_scenario; otherwise the content is saved (as a
    version) in whichever of the two states allows editing, before or after the move."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise ValueError(f"scenario {scenario_id} does not exist")
    if target is None:
        return edit_scenario(
            session,
            scenario_id=scenario_id,
            actor=actor,
            reason=reason or None,
            model_answer=model_answer,
            level=level,
            target_teams=target_teams,
        )
    if target == ReviewState.published:
        return publish_scenario(
            session,
            scenario_id=scenario_id,
            actor=actor,
            reason=reason,
            model_answer=model_answer,
            level=level,
            target_teams=target_teams,
        )
    edits = {"model_answer": model_answer, "level": level, "target_teams": target_teams}

    def save() -> None:
        edit_scenario(session, scenario_id=scenario_id, actor=actor, reason=reason, **edits)

    if scenario.state in EDITABLE:
        save()
        move_scenario(session, scenario_id=scenario_id, target=target, actor=actor, reason=reason)
    else:
        move_scenario(session, scenario_id=scenario_id, target=target, actor=actor, reason=reason)
        if scenario.state in EDITABLE:
            save()
    return scenario_view(scenario)
