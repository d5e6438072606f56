"""Reading threads to curate and storing the cases and scenario drafts curation makes."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from curation.arcs import Turn
from curation.cases import CaseDraft
from store.ingest import _chunks
from store.models import Analysis, Case, Comment, ReviewState, Scenario, Thread, utcnow


def changed_threads(session: Session, before: datetime, limit: int) -> list[int]:
    """Ids of threads changed (before `before`) since they were last curated, oldest change first."""
    rows = session.scalars(
        select(Thread.id)
        .where(or_(Thread.curated_at.is_(None), Thread.changed_at > Thread.curated_at))
        .where(Thread.changed_at <= before)
        .order_by(Thread.changed_at, Thread.id)
        .limit(limit)
    )
    return list(rows)


def situation_shares(session: Session, version: str) -> dict[str, float]:
    """How common each situation is among the analyses of `version` (0 to 1)."""
    rows = session.execute(
        select(Analysis.situation, func.count())
        .where(Analysis.classifier_version == version)
        .group_by(Analysis.situation)
    ).all()
    total = sum(n for _, n in rows) or 1
    return {situation: n / total for situation, n in rows}


def thread_turns(
    session: Session, thread_ids: list[int], version: str
) -> dict[int, tuple[str, list[Turn]]]:
    """Each thread's channel and its analysed turns (comments not yet analysed are left out)."""
    out: dict[int, list[Turn]] = defaultdict(list)
    channel: dict[int, str] = {}
    for chunk in _chunks(thread_ids):
        rows = session.execute(
            select(Comment, Analysis)
            .join(
                Analysis,
                (Analysis.comment_id == Comment.id) & (Analysis.classifier_version == version),
            )
            .where(Comment.thread_id.in_(chunk))
            .order_by(Comment.thread_id, Comment.created_at, Comment.id)
        )
        for comment, analysis in rows:
            channel.setdefault(comment.thread_id, comment.channel)
            out[comment.thread_id].append(
                Turn(
                    comment_id=comment.id,
                    role=comment.author_role.value,
                    created_at=comment.created_at,
                    text=analysis.redacted_text,
                    language=analysis.language,
                    sentiment=analysis.sentiment,
                    sentiment_score=analysis.sentiment_score,
                    emotion=analysis.emotion,
                    intensity=analysis.intensity,
                    situation=analysis.situation,
                    risks=tuple(analysis.risks or ()),
                    likes=comment.likes,
                    shares=comment.shares,
                    replies=comment.replies,
                )
            )
    return {tid: (channel[tid], turns) for tid, turns in out.items()}


def save_case(session: Session, thread_id: int, draft: CaseDraft) -> Case:
    """Create or refresh the case of a thread; its scenario draft is refreshed while still a candidate."""
    case = session.scalar(select(Case).where(Case.thread_id == thread_id))
    if case is None:
        case = Case(thread_id=thread_id, state=ReviewState.candidate)
        session.add(case)
    case.arc, case.score, case.score_parts = draft.arc, draft.score, draft.parts
    case.situation, case.emotion, case.language = draft.situation, draft.emotion, draft.language
    case.channel = draft.channel
    case.pivotal_comment_id = draft.pivotal_comment_id
    case.updated_at = utcnow()
    session.flush()
    scenario = session.scalar(select(Scenario).where(Scenario.case_id == case.id))
    if scenario is None:
        scenario = Scenario(case_id=case.id, state=ReviewState.candidate, version=1)
        session.add(scenario)
    elif scenario.state != ReviewState.candidate:
        return case  # a coach has taken it over: curation no longer rewrites it
    else:
        scenario.version += 1
    scenario.title = draft.scenario.title
    scenario.language = draft.scenario.language
    scenario.level = draft.scenario.level
    scenario.skill_axis = draft.scenario.skill_axis
    scenario.body = draft.scenario.body
    session.flush()
    return case


def drop_case(session: Session, thread_id: int) -> None:
    """Remove a thread's candidate case that no longer makes the cut (reviewed cases are kept)."""
    case = session.scalar(select(Case).where(Case.thread_id == thread_id))
    if case is not None and case.state == ReviewState.candidate:
        session.delete(case)


def mark_curated(session: Session, thread_ids: list[int], at: datetime) -> None:
    """Record that these threads were curated as of `at`."""
    for chunk in _chunks(thread_ids):
        for thread in session.scalars(select(Thread).where(Thread.id.in_(chunk))):
            thread.curated_at = at
    session.flush()
