"""Coaches' verdicts on cases ("not a case", "wrong arc"): kept, audited, and read back as rules.

`curation.feedback` decides what the verdicts mean; this keeps them and hands them to curation.
A verdict marks its thread as changed, so the next `casebook curate` applies it at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from curation.feedback import CoachRules, Verdict, check_verdict, learn_rules
from curation.outcome import ARCS
from store.cases import mark_changed
from store.models import AuthorRole, Case, CaseFeedback, Comment
from store.users import record_audit


def record_verdict(
    session: Session, *, case_id: int, verdict: str, actor: str, arc: str | None = None
) -> CaseFeedback:
    """Keep a coach's verdict on a case (with what curation had said), in place of their earlier
    one on its thread, audit it, and have the thread curated again; BadVerdict (a ValueError) when the verdict or arc is not allowed."""
    verdict, arc = check_verdict(verdict, arc, ARCS)
    case = session.get(Case, case_id)
    if case is None:
        raise ValueError(f"case {case_id} does not exist")
    raiser = session.scalar(
        select(Comment.author_ref)
        .where(Comment.thread_id == case.thread_id, Comment.author_role == AuthorRole.customer)
        .order_by(Comment.created_at, Comment.id)
        .limit(1)
    )
    # A coach's verdict on a thread replaces their earlier one (the audit log keeps both): a
    # second click, or a change of mind, made two verdicts that could contradict each other.
    session.execute(
        delete(CaseFeedback).where(
            CaseFeedback.thread_id == case.thread_id, CaseFeedback.actor == actor
        )
    )
    row = CaseFeedback(
        thread_id=case.thread_id,
        verdict=verdict,
        arc=arc,
        said_arc=case.arc,
        said_cue=(case.cue or "")[:200],
        raiser=raiser or "",
        actor=actor,
    )
    session.add(row)
    mark_changed(session, thread_id=case.thread_id)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="case.feedback",
        entity="case",
        entity_id=case_id,
        detail={"verdict": verdict, "arc": arc, "said_arc": case.arc},
    )
    return row


def coach_rules(session: Session) -> CoachRules:
    """The rules learnt from every verdict kept (curation.feedback.learn_rules)."""
    rows = session.scalars(select(CaseFeedback).order_by(CaseFeedback.id))
    return learn_rules(
        Verdict(
            thread=r.thread_id,
            verdict=r.verdict,
            said_arc=r.said_arc,
            said_cue=r.said_cue,
            arc=r.arc,
            raiser=r.raiser,
        )
        for r in rows
    )


def case_feedback(session: Session, *, case_id: int) -> list[dict[str, Any]]:
    """The verdicts given on a case's thread, oldest first."""
    case = session.get(Case, case_id)
    if case is None:
        return []
    rows = session.scalars(
        select(CaseFeedback)
        .where(CaseFeedback.thread_id == case.thread_id)
        .order_by(CaseFeedback.id)
    )
    return [
        {
            "verdict": r.verdict,
            "arc": r.arc,
            "said_arc": r.said_arc,
            "actor": r.actor,
            "created_at": r.created_at,
        }
        for r in rows
    ]
