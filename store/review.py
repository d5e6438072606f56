"""Review moves of cases and scenarios: curation.review's legal transitions applied and audited.

The rules (which moves are legal) live in curation.review; this module applies them to a stored
case or scenario and records each move in the audit log. A page never decides a move is legal.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from curation.review import ReviewState, path_to, transition
from store.models import Case, Scenario
from store.users import record_audit


def _entity(item: Case | Scenario) -> str:
    return "case" if isinstance(item, Case) else "scenario"


def _record(session: Session, item: Case | Scenario, actor: str, details: dict[str, str]) -> None:
    entity = _entity(item)
    record_audit(
        session,
        actor=actor,
        action=f"{entity}.transition",
        entity=entity,
        entity_id=item.id,
        detail=details,
    )


def move_one_step(
    session: Session, item: Case | Scenario, *, target: str, actor: str, reason: str
) -> str:
    """One legal move with its reason in the audit log; an illegal move raises and records nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("say why: a move needs a reason")
    before = str(item.state)
    item.state = ReviewState(transition(before, target).value)
    _record(session, item, actor, {"from": before, "to": str(item.state), "reason": reason})
    return str(item.state)


def move_along(
    session: Session, item: Case | Scenario, *, target: str, actor: str, reason: str
) -> None:
    """Walk `item` to `target` one legal, audited move at a time, each with `reason` (how a case
    follows its scenario: store.scenarios)."""
    for step in path_to(str(item.state), target):
        move_one_step(session, item, target=step.value, actor=actor, reason=reason)
