"""Threads to curate and the cases and scenario drafts curation makes of them.

Near-duplicates and families are decided by `curation.grouping` and kept by `store.families`;
new cases and collapsed threads are written many rows a statement by `store.case_rows`; label
corrections are in `store.corrections`.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, func, or_, select, type_coerce, update
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from curation.arcs import Turn
from curation.case_drafts import CaseDraft
from curation.grouping import Fingerprint, fingerprint
from curation.notability import PREVIOUS_WEEKS, SituationTrend
from curation.review import ReviewState
from curation.roles import AuthorStats
from store.bulk import LOOKUP_CHUNK, among, chunks
from store.case_rows import (
    NewCase,
    case_values,
    insert_duplicates,
    insert_new_cases,
    scenario_values,
)
from store.families import (
    WEEK,
    batch_grouping,
    count_duplicates,
    save_band_keys,
    week_reference,
)
from store.models import (
    Analysis,
    AuthorRole,
    Case,
    CaseDuplicate,
    CaseSignature,
    Comment,
    Family,
    Scenario,
    Thread,
    utcnow,
)


def any_curated(session: Session) -> bool:
    """Whether any thread of the store has been curated."""
    return (
        session.scalar(select(Thread.id).where(Thread.curated_at.is_not(None)).limit(1)) is not None
    )


def changed_threads(session: Session, *, before: datetime, limit: int | None) -> list[int]:
    """Ids of threads changed (before `before`) since they were last curated, oldest change first."""
    rows = session.scalars(
        select(Thread.id)
        .where(or_(Thread.curated_at.is_(None), Thread.changed_at > Thread.curated_at))
        .where(Thread.changed_at <= before)
        .order_by(Thread.changed_at, Thread.id)
        .limit(limit)
    )
    return list(rows)


_NO_PII = ("[]", "null")  # the texts of an empty list and of a JSON null


def _pii_terms(text: str, spans: list[dict] | None) -> tuple[tuple[str, str], ...]:
    """The personal data an analysis found, as (original text, placeholder type) pairs."""
    return tuple(
        (text[span["start"] : span["end"]], str(span["type"]).upper())
        for span in spans or ()
        if 0 <= span["start"] < span["end"] <= len(text)
    )


def _aware(value: datetime | str) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives the text it keeps, PostgreSQL a datetime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json(value: Any) -> Any:
    """A stored JSON value (SQLite gives its text, PostgreSQL the value)."""
    return json.loads(value) if isinstance(value, str) else value


def thread_turns(
    session: Session, *, thread_ids: list[int], version: str
) -> dict[int, tuple[str, list[Turn]]]:
    """Each thread's channel and its analysed turns (comments not yet analysed are left out).

    Plain columns, not ORM objects, and times and JSON read as the database gives them then
    converted here (what the column types would give): curation reads every changed thread, and
    per-row conversions were most of the time of a large curation.
    """
    out: dict[int, list[Turn]] = defaultdict(list)
    channel: dict[int, str] = {}
    columns = (
        Comment.id,
        Comment.thread_id,
        Comment.channel,
        type_coerce(Comment.author_role, String),
        type_coerce(Comment.created_at, String),
        Comment.text,
        Comment.likes,
        Comment.shares,
        Comment.replies,
        Comment.author_ref,
        Analysis.redacted_text,
        Analysis.language,
        Analysis.sentiment,
        Analysis.sentiment_score,
        Analysis.emotion,
        Analysis.intensity,
        Analysis.situation,
        type_coerce(Analysis.risks, String),
        type_coerce(Analysis.pii, String),
    )
    # Most comments share a few risk lists ("[]", '["churn"]'...): each distinct text is read
    # once. Half have no personal data: nothing to read.
    risks_of: dict[str | None, tuple[str, ...]] = {}
    for chunk in chunks(thread_ids, LOOKUP_CHUNK):
        rows = session.execute(
            select(*columns)
            .join(
                Analysis,
                (Analysis.comment_id == Comment.id) & (Analysis.classifier_version == version),
            )
            .where(among(session, column=Comment.thread_id, values=chunk))
            .order_by(Comment.thread_id, Comment.created_at, Comment.id)
        )
        for row in rows:
            (cid, tid, chan, role, created, text, likes, shares, replies, author) = row[:10]
            (redacted, language, sentiment, score, emotion, intensity, situation) = row[10:17]
            raw, pii = row[17], row[18]
            if raw is None or type(raw) is str:
                risks = risks_of.get(raw)
                if risks is None:
                    risks = risks_of[raw] = tuple(_json(raw) or ())
            else:  # PostgreSQL gives the value
                risks = tuple(raw)
            pii_terms = () if not pii or pii in _NO_PII else _pii_terms(text, _json(pii))
            channel.setdefault(tid, chan)
            out[tid].append(
                Turn(
                    comment_id=cid,
                    role=str(role),
                    created_at=_aware(created),
                    text=redacted,
                    language=language,
                    sentiment=sentiment,
                    sentiment_score=score,
                    emotion=emotion,
                    intensity=intensity,
                    situation=situation,
                    risks=risks,
                    pii_terms=pii_terms,
                    likes=likes,
                    shares=shares,
                    replies=replies,
                    author=author,
                )
            )
    return {tid: (channel[tid], turns) for tid, turns in out.items()}


def author_stats(session: Session, *, authors: Sequence[str]) -> dict[str, AuthorStats]:
    """What the whole store says about these authors: threads they speak in, threads they open
    (a comment replying to nothing) and comments the channel marked as the brand's."""
    opened = when((Comment.parent_external_id.is_(None), Comment.thread_id), else_=None)
    marked = when((Comment.author_role == AuthorRole.agent, 1), else_=0)
    stats: dict[str, AuthorStats] = {}
    for chunk in chunks(sorted(set(authors)), LOOKUP_CHUNK):
        rows = session.execute(
            select(
                Comment.author_ref,
                func.count(func.distinct(Comment.thread_id)),
                func.count(func.distinct(opened)),
                func.sum(marked),
            )
            .where(among(session, column=Comment.author_ref, values=chunk))
            .group_by(Comment.author_ref)
        )
        for ref, threads, opens, agent in rows:
            stats[ref] = AuthorStats(
                threads=int(threads or 0), opened=int(opens or 0), marked_agent=int(agent or 0)
            )
    return stats


def _fill_case(case: Case, draft: CaseDraft) -> None:
    for name, value in case_values(draft).items():
        setattr(case, name, value)


def _fill_scenario(
    session: Session, case: Case, scenario: Scenario | None, draft: CaseDraft
) -> None:
    if scenario is None:
        scenario = Scenario(case=case, state=ReviewState.candidate, version=1)
        session.add(scenario)
    elif scenario.state != ReviewState.candidate:
        return  # a coach has taken it over: curation no longer rewrites it
    else:
        scenario.version += 1
    for name, value in scenario_values(draft).items():
        setattr(scenario, name, value)


def save_cases(
    session: Session,
    *,
    items: Sequence[tuple[int, CaseDraft]],
    prints: Mapping[int, Fingerprint] | None = None,
) -> dict[str, int]:
    """Save a batch of threads' cases: near-duplicates collapse into an existing case, new cases join a family.

    A thread that already has a case keeps it (refreshed); a new thread whose main customer text
    is a near-duplicate of an existing case's (Jaccard ~0.8) makes no case: that case's
    `duplicate_count` grows and the thread is kept in `case_duplicates`. Returns counts of
    `cases` saved and `duplicates` collapsed. `curation.grouping` decides; this writes (new
    cases with their scenarios in a few statements: a large curation makes thousands).
    `prints`: fingerprints already computed (by thread id), e.g. where the threads were judged.
    """
    thread_ids = [tid for tid, _ in items]
    existing: dict[int, Case] = {}
    collapsed: dict[int, CaseDuplicate] = {}
    for chunk in chunks(thread_ids, LOOKUP_CHUNK):
        existing.update(
            {
                c.thread_id: c
                for c in session.scalars(
                    select(Case).where(among(session, column=Case.thread_id, values=chunk))
                )
            }
        )
        collapsed.update(
            {
                d.thread_id: d
                for d in session.scalars(
                    select(CaseDuplicate).where(
                        among(session, column=CaseDuplicate.thread_id, values=chunk)
                    )
                )
            }
        )
    loaded = {c.id: c for c in existing.values()}
    scenarios: dict[int, Scenario] = {}
    signed_ids: set[int] = set()
    for chunk in chunks(list(loaded), LOOKUP_CHUNK):
        for scenario in session.scalars(
            select(Scenario)
            .where(among(session, column=Scenario.case_id, values=chunk))
            .order_by(Scenario.id)
        ):
            scenarios[scenario.case_id] = scenario  # the latest one wins
        signed_ids.update(
            session.scalars(
                select(CaseSignature.case_id).where(
                    among(session, column=CaseSignature.case_id, values=chunk)
                )
            )
        )

    # A case is fingerprinted once: when it is new, or kept from before signatures existed.
    known, prints = prints or {}, {}
    for tid, draft in items:
        stored = existing.get(tid)
        if tid not in collapsed and (stored is None or stored.id not in signed_ids):
            prints[tid] = known.get(tid) or fingerprint(
                draft.main_text, draft.situation, draft.language
            )
    grouping, families = batch_grouping(
        session,
        dup_keys=[k for tid, p in prints.items() if tid not in existing for k in p.dup_keys],
        family_keys=[k for p in prints.values() for k in p.family_keys],
    )

    increments: Counter[int] = Counter()  # stored case id (not loaded) -> threads collapsed
    pending: list[tuple[int, Case | NewCase, float, datetime | None]] = []
    stored_duplicates: list[tuple[int, int, float, datetime | None]] = []
    new_prints: list[tuple[Case | NewCase, Fingerprint, Family | None]] = []
    new_cases: list[NewCase] = []
    counts = {"cases": 0, "duplicates": 0}
    for tid, draft in items:
        if tid in collapsed:
            collapsed[tid].seen_at = draft.last_at
            continue
        print_ = prints.get(tid)
        stored = existing.get(tid)
        if stored is None and print_ is not None:
            duplicate = grouping.duplicate_of(print_)
            if duplicate is not None:
                earlier = duplicate.case
                if earlier is None and duplicate.case_id is not None:
                    earlier = loaded.get(duplicate.case_id)
                if earlier is not None:
                    earlier.duplicate_count = (earlier.duplicate_count or 1) + 1
                    pending.append((tid, earlier, duplicate.similarity, draft.last_at))
                elif duplicate.case_id is not None:
                    increments[duplicate.case_id] += 1
                    stored_duplicates.append(
                        (tid, duplicate.case_id, duplicate.similarity, draft.last_at)
                    )
                counts["duplicates"] += 1
                continue
        case: Case | NewCase
        if stored is None:
            case = NewCase(tid, draft)
            new_cases.append(case)
        else:
            case = stored
            _fill_case(stored, draft)
            _fill_scenario(session, stored, scenarios.get(stored.id), draft)
        counts["cases"] += 1
        if print_ is None:
            continue
        family = None
        if stored is None or stored.family_id is None:
            family = families.record(grouping.join_family(print_, draft.situation))
        if isinstance(case, NewCase):
            case.family = family
        new_prints.append((case, print_, family))
        grouping.add_case(case, print_)

    session.flush()  # new families get their ids, refreshed cases are written
    insert_new_cases(session, new_cases)
    stored_duplicates.extend(
        (tid, earlier.id, score, seen) for tid, earlier, score, seen in pending
    )
    insert_duplicates(session, stored_duplicates)
    count_duplicates(session, added=increments)
    for case, _, family in new_prints:
        if family is not None and isinstance(case, Case):
            case.family_id = family.id
    family_bands: list[tuple[int, int]] = []
    for group, keys in grouping.family_bands:
        row = families.row(group)
        assert row is not None, "a family with band keys has been recorded"
        family_bands.extend((k, row.id) for k in keys)
    save_band_keys(
        session,
        cases=[(case.id, p) for case, p, _ in new_prints],
        family_bands=family_bands,
    )
    session.flush()
    return counts


def drop_cases(session: Session, *, thread_ids: Sequence[int]) -> int:
    """Remove these threads' candidate cases; threads collapsed into them get curated again."""
    dropped = 0
    for chunk in chunks(list(thread_ids), LOOKUP_CHUNK):
        ids = list(
            session.scalars(
                select(Case.id).where(
                    among(session, column=Case.thread_id, values=chunk),
                    Case.state == ReviewState.candidate,
                )
            )
        )
        if not ids:
            continue
        orphans = select(CaseDuplicate.thread_id).where(CaseDuplicate.case_id.in_(ids))
        session.execute(
            update(Thread).where(Thread.id.in_(orphans)).values(changed_at=utcnow()),
            execution_options={"synchronize_session": False},
        )
        for case in session.scalars(select(Case).where(Case.id.in_(ids))):
            session.delete(case)
        dropped += len(ids)
    session.flush()
    return dropped


def mark_changed(session: Session, *, thread_id: int) -> None:
    """Have the next curate run read this thread again (a label corrected, a verdict given)."""
    thread = session.get(Thread, thread_id)
    if thread is not None:
        thread.changed_at = utcnow()


def mark_curated(
    session: Session,
    *,
    thread_ids: list[int],
    at: datetime,
    readings: Mapping[int, tuple[str, str, str]],
) -> None:
    """Record that these threads were curated as of `at`, with each one's reading (arc,
    situation, language; none for a thread without a customer): one UPDATE by primary key a
    chunk of threads."""
    rows = []
    for tid in thread_ids:
        arc, situation, language = readings.get(tid, (None, None, None))
        rows.append(
            {"id": tid, "curated_at": at, "arc": arc, "situation": situation, "language": language}
        )
    for chunk in chunks(rows, LOOKUP_CHUNK):
        session.execute(update(Thread), list(chunk))


def situation_trends(
    session: Session, *, version: str, reference: datetime | None = None
) -> dict[str, SituationTrend]:
    """Each situation's overall share, its count this week and in the 4 weeks before.

    The week ends at `reference` (default: the newest comment, so an imported history has a
    "this week" too).
    """
    if reference is None:
        reference = week_reference(session)
    week = reference - WEEK
    before = week - PREVIOUS_WEEKS * WEEK
    this_week = func.sum(when((Comment.created_at > week, 1), else_=0))
    previous = func.sum(
        when(((Comment.created_at > before) & (Comment.created_at <= week), 1), else_=0)
    )
    rows = session.execute(
        select(Analysis.situation, func.count(), this_week, previous)
        .join(Comment, Comment.id == Analysis.comment_id)
        .where(Analysis.classifier_version == version)
        .group_by(Analysis.situation)
    ).all()
    total = sum(n for _, n, _, _ in rows) or 1
    week_total = sum(int(w or 0) for _, _, w, _ in rows)
    previous_total = sum(int(p or 0) for _, _, _, p in rows)
    return {
        situation: SituationTrend(
            share=n / total,
            this_week=int(w or 0),
            this_week_total=week_total,
            previous=int(p or 0),
            previous_total=previous_total,
        )
        for situation, n, w, p in rows
    }
