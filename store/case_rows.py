"""The rows curation writes many at a time: new cases with their scenario drafts, threads
collapsed into a case.

Core inserts, many rows a statement (a curation from scratch writes tens of thousands of
cases); `store.cases` decides what to write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from curation.case_drafts import CaseDraft
from curation.review import ReviewState
from store.bulk import INSERT_CHUNK, chunks
from store.models import Case, CaseDuplicate, Family, Scenario, utcnow


def case_values(draft: CaseDraft) -> dict[str, Any]:
    """The columns of a case that curation writes (the same for a new case and a refreshed one)."""
    return {
        "arc": draft.arc,
        "score": draft.score,
        "score_parts": draft.parts,
        "situation": draft.situation,
        "emotion": draft.emotion,
        "language": draft.language,
        "channel": draft.channel,
        "pivotal_comment_id": draft.pivotal_comment_id,
        "kind": draft.kind,
        "start": draft.start,
        "need": draft.need,
        "end_state": draft.end,
        "cue": draft.cue[:200],
        "why": draft.why,
        "delicate": list(draft.delicate),
        "updated_at": utcnow(),
    }


def scenario_values(draft: CaseDraft) -> dict[str, Any]:
    scenario = draft.scenario
    return {
        "title": scenario.title,
        "language": scenario.language,
        "level": scenario.level,
        "skill_axis": scenario.skill_axis,
        "body": scenario.body,
    }


@dataclass(eq=False, slots=True)
class NewCase:
    """A case this batch makes: its row, written in one statement with the others; its id after."""

    thread_id: int
    draft: CaseDraft
    duplicate_count: int = 1
    family: Family | None = None
    id: int = 0


def insert_new_cases(session: Session, new: Sequence[NewCase]) -> None:
    """Write a batch's new cases and their scenario drafts (a few statements, not one per row)."""
    if not new:
        return
    rows = [
        {
            "thread_id": c.thread_id,
            "state": ReviewState.candidate,
            "duplicate_count": c.duplicate_count,
            "family_id": c.family.id if c.family is not None else None,
            **case_values(c.draft),
        }
        for c in new
    ]
    by_thread = {c.thread_id: c for c in new}
    # Core inserts of many rows a statement (SQLAlchemy's "insertmanyvalues"); each new id is
    # matched to its case by thread id (unique). Ids follow the rows' order, which ties between
    # near-duplicates rely on (the oldest case wins): PostgreSQL is asked to guarantee it (it
    # does so in batches); SQLite gives the rows of one INSERT ... VALUES their ids in order,
    # and asked to guarantee it would insert one row a statement.
    cases = Case.__table__
    statement = insert(cases).returning(
        cases.c.id,
        cases.c.thread_id,
        sort_by_parameter_order=session.get_bind().dialect.name != "sqlite",
    )
    for chunk in chunks(rows, INSERT_CHUNK):
        for case_id, thread_id in session.execute(statement, list(chunk)):
            by_thread[thread_id].id = case_id
    scenarios = [
        {
            "case_id": c.id,
            "state": ReviewState.candidate,
            "version": 1,
            **scenario_values(c.draft),
        }
        for c in new
    ]
    for chunk in chunks(scenarios, INSERT_CHUNK):
        session.execute(insert(Scenario.__table__), list(chunk))


def insert_duplicates(
    session: Session, rows: Sequence[tuple[int, int, float, datetime | None]]
) -> None:
    """Keep the threads collapsed into a case ((thread id, case id, similarity, seen at))."""
    values = [
        {"thread_id": tid, "case_id": case_id, "similarity": score, "seen_at": seen}
        for tid, case_id, score, seen in rows
    ]
    for chunk in chunks(values, INSERT_CHUNK):
        session.execute(insert(CaseDuplicate.__table__), list(chunk))
