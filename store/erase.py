"""Erasing a person: their comments and everything derived from them, found by their pseudonym."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from store.bulk import chunks
from store.ingest import (
    CROSS_POST_MIN_CHARS,
    link_cross_posts,
    pseudonym,
    refresh_threads,
)
from store.models import (
    Analysis,
    Campaign,
    Case,
    Comment,
    CommentRevision,
    LabelCorrection,
    QuarantinedRecord,
    Refinement,
    Scenario,
    Source,
    Thread,
)
from store.summaries import subtract_comments
from store.users import record_audit


@dataclass
class Erasure:
    """What an erasure removed."""

    author_ref: str
    comments: int = 0
    analyses: int = 0
    refinements: int = 0
    revisions: int = 0
    label_corrections: int = 0
    quarantined: int = 0
    cases: int = 0
    scenarios: int = 0
    campaign_quizzes: int = 0
    threads_deleted: int = 0
    threads_recounted: int = 0


def _count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def erase_author(
    session: Session, *, source_name: str, handle: str, key: bytes, actor: str
) -> Erasure:
    """Delete the comments of `handle` on source `source_name` and what was derived from them.

    Gone: the comments, their analyses, revisions and label corrections; the quarantined
    records of that source whose raw text names the handle; the cases and scenarios of every
    thread they wrote in (a scenario quotes the thread's turns), and the quizzes campaigns kept
    that ask about those scenarios or quote their real replies; the threads left empty. The
    other threads are recounted and marked changed, so curation rebuilds their cases from what
    remains. The audit log keeps the pseudonym and the counts, never the handle.
    """
    source = session.scalar(select(Source).where(Source.name == source_name))
    if source is None:
        raise ValueError(f"no source is called {source_name!r}")
    ref = pseudonym(key, source.name, handle)
    result = Erasure(author_ref=ref)
    rows = session.execute(
        select(
            Comment.id, Comment.thread_id, Comment.content_hash, func.length(Comment.text)
        ).where(Comment.source_id == source.id, Comment.author_ref == ref)
    ).all()
    ids = [cid for cid, _, _, _ in rows]
    threads = sorted({tid for _, tid, _, _ in rows})
    hashes = {h for _, _, h, n in rows if h and n >= CROSS_POST_MIN_CHARS}
    for chunk in chunks(ids):
        result.analyses += _count(session, Analysis, Analysis.comment_id.in_(chunk))
        result.refinements += _count(session, Refinement, Refinement.comment_id.in_(chunk))
        result.revisions += _count(session, CommentRevision, CommentRevision.comment_id.in_(chunk))
        result.label_corrections += _count(
            session, LabelCorrection, LabelCorrection.comment_id.in_(chunk)
        )
        subtract_comments(session, comment_ids=chunk)  # keep the dashboard's daily counts exact
        # Explicit deletes: they do not depend on SQLite's foreign_keys pragma being on.
        for model in (Analysis, Refinement, CommentRevision, LabelCorrection):
            session.execute(delete(model).where(model.comment_id.in_(chunk)))
        session.execute(
            update(Comment).where(Comment.duplicate_of_id.in_(chunk)).values(duplicate_of_id=None),
            execution_options={"synchronize_session": False},
        )
        session.execute(
            update(Case).where(Case.pivotal_comment_id.in_(chunk)).values(pivotal_comment_id=None),
            execution_options={"synchronize_session": False},
        )
        session.execute(
            delete(Comment).where(Comment.id.in_(chunk)),
            execution_options={"synchronize_session": False},
        )
    result.comments = len(ids)
    erased_scenarios: dict[int, str] = {}  # id: real reply, which a kept quiz may quote
    for chunk in chunks(threads):
        cases = select(Case.id).where(Case.thread_id.in_(chunk))
        for sid, body in session.execute(
            select(Scenario.id, Scenario.body).where(Scenario.case_id.in_(cases))
        ):
            erased_scenarios[sid] = str((body or {}).get("real_reply") or "")
        result.scenarios += _count(session, Scenario, Scenario.case_id.in_(cases))
        result.cases += _count(session, Case, Case.thread_id.in_(chunk))
        session.execute(
            delete(Scenario).where(Scenario.case_id.in_(cases)),
            execution_options={"synchronize_session": False},
        )
        session.execute(
            delete(Case).where(Case.thread_id.in_(chunk)),
            execution_options={"synchronize_session": False},
        )
        still = select(Comment.thread_id).where(Comment.thread_id.in_(chunk))
        empty = list(
            session.scalars(select(Thread.id).where(Thread.id.in_(chunk), Thread.id.not_in(still)))
        )
        if empty:
            session.execute(
                delete(Thread).where(Thread.id.in_(empty)),
                execution_options={"synchronize_session": False},
            )
        result.threads_deleted += len(empty)
        remaining = sorted(set(chunk) - set(empty))
        refresh_threads(session, thread_ids=remaining)
        result.threads_recounted += len(remaining)
    if hashes:
        link_cross_posts(session, hashes=hashes)  # copies that pointed at an erased comment
    result.campaign_quizzes = _forget_quizzes(session, erased_scenarios)
    result.quarantined = _erase_quarantined(session, source.id, handle)
    detail = {"source": source.name, **asdict(result)}
    record_audit(
        session, actor=actor, action="erase_author", entity="author", entity_id=ref, detail=detail
    )
    session.expire_all()  # rows went away behind the ORM's back
    return result


def _forget_quizzes(session: Session, scenarios: dict[int, str]) -> int:
    """Drop the quizzes campaigns kept (store.quiz) that ask about an erased scenario or offer
    its real reply as a choice: the campaign's next player gets one made without it."""
    if not scenarios:
        return 0
    replies = {r for r in scenarios.values() if r}
    dropped = 0
    for campaign in session.scalars(select(Campaign).where(Campaign.quiz.is_not(None))):
        questions = (campaign.quiz or {}).get("questions") or []
        if any(
            q.get("scenario_id") in scenarios or replies.intersection(q.get("choices") or [])
            for q in questions
        ):
            campaign.quiz = None
            dropped += 1
    session.flush()
    return dropped


def _erase_quarantined(session: Session, source_id: int, handle: str) -> int:
    """Delete the source's quarantined records whose raw text names `handle` as a whole word."""
    if not handle.strip():
        return 0
    whole = re.compile(rf"(?<![\w@]){re.escape(handle)}(?!\w)")
    candidates = session.execute(
        select(QuarantinedRecord.id, QuarantinedRecord.raw).where(
            QuarantinedRecord.source_id == source_id,
            QuarantinedRecord.raw.contains(handle, autoescape=True),
        )
    ).all()
    ids = [qid for qid, raw in candidates if whole.search(raw)]
    for chunk in chunks(ids):
        session.execute(
            delete(QuarantinedRecord).where(QuarantinedRecord.id.in_(chunk)),
            execution_options={"synchronize_session": False},
        )
    return len(ids)
