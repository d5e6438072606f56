"""Threads to curate and the cases and scenario drafts curation makes of them.

Near-duplicates and families are decided by `curation.grouping` and kept by `store.families`;
label corrections are in `store.corrections`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case as when
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from curation.arcs import Turn
from curation.case_drafts import CaseDraft
from curation.grouping import Fingerprint, fingerprint
from curation.notability import PREVIOUS_WEEKS, SituationTrend
from curation.review import ReviewState
from curation.roles import AuthorStats
from store.bulk import chunks
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


def changed_threads(session: Session, *, before: datetime, limit: int) -> list[int]:
    """Ids of threads changed (before `before`) since they were last curated, oldest change first."""
    rows = session.scalars(
        select(Thread.id)
        .where(or_(Thread.curated_at.is_(None), Thread.changed_at > Thread.curated_at))
        .where(Thread.changed_at <= before)
        .order_by(Thread.changed_at, Thread.id)
        .limit(limit)
    )
    return list(rows)


def _pii_terms(text: str, spans: list[dict] | None) -> tuple[tuple[str, str], ...]:
    """The personal data an analysis found, as (original text, placeholder type) pairs."""
    return tuple(
        (text[span["start"] : span["end"]], str(span["type"]).upper())
        for span in spans or ()
        if 0 <= span["start"] < span["end"] <= len(text)
    )


def thread_turns(
    session: Session, *, thread_ids: list[int], version: str
) -> dict[int, tuple[str, list[Turn]]]:
    """Each thread's channel and its analysed turns (comments not yet analysed are left out)."""
    out: dict[int, list[Turn]] = defaultdict(list)
    channel: dict[int, str] = {}
    for chunk in chunks(thread_ids):
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
                    pii_terms=_pii_terms(comment.text, analysis.pii),
                    likes=comment.likes,
                    shares=comment.shares,
                    replies=comment.replies,
                    author=comment.author_ref,
                )
            )
    return {tid: (channel[tid], turns) for tid, turns in out.items()}


def author_stats(session: Session, *, authors: Sequence[str]) -> dict[str, AuthorStats]:
    """What the whole store says about these authors: threads they speak in, threads they open
    (a comment replying to nothing) and comments the channel marked as the brand's."""
    opened = when((Comment.parent_external_id.is_(None), Comment.thread_id), else_=None)
    marked = when((Comment.author_role == AuthorRole.agent, 1), else_=0)
    stats: dict[str, AuthorStats] = {}
    for chunk in chunks(sorted(set(authors))):
        rows = session.execute(
            select(
                Comment.author_ref,
                func.count(func.distinct(Comment.thread_id)),
                func.count(func.distinct(opened)),
                func.sum(marked),
            )
            .where(Comment.author_ref.in_(chunk))
            .group_by(Comment.author_ref)
        )
        for ref, threads, opens, agent in rows:
            stats[ref] = AuthorStats(
                threads=int(threads or 0), opened=int(opens or 0), marked_agent=int(agent or 0)
            )
    return stats


def _fill_case(case: Case, draft: CaseDraft) -> None:
    case.arc, case.score, case.score_parts = draft.arc, draft.score, draft.parts
    case.situation, case.emotion, case.language = draft.situation, draft.emotion, draft.language
    case.channel = draft.channel
    case.pivotal_comment_id = draft.pivotal_comment_id
    case.kind, case.start, case.need, case.end_state = (
        draft.kind,
        draft.start,
        draft.need,
        draft.end,
    )
    case.cue, case.why, case.delicate = draft.cue[:200], draft.why, list(draft.delicate)
    case.updated_at = utcnow()


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
    scenario.title = draft.scenario.title
    scenario.language = draft.scenario.language
    scenario.level = draft.scenario.level
    scenario.skill_axis = draft.scenario.skill_axis
    scenario.body = draft.scenario.body


def save_cases(session: Session, *, items: Sequence[tuple[int, CaseDraft]]) -> dict[str, int]:
    """Save a batch of threads' cases: near-duplicates collapse into an existing case, new cases join a family.

    A thread that already has a case keeps it (refreshed); a new thread whose main customer text
    is a near-duplicate of an existing case's (Jaccard ~0.8) makes no case: that case's
    `duplicate_count` grows and the thread is kept in `case_duplicates`. Returns counts of
    `cases` saved and `duplicates` collapsed. `curation.grouping` decides; this writes.
    """
    thread_ids = [tid for tid, _ in items]
    existing: dict[int, Case] = {}
    collapsed: dict[int, CaseDuplicate] = {}
    for chunk in chunks(thread_ids):
        existing.update(
            {c.thread_id: c for c in session.scalars(select(Case).where(Case.thread_id.in_(chunk)))}
        )
        collapsed.update(
            {
                d.thread_id: d
                for d in session.scalars(
                    select(CaseDuplicate).where(CaseDuplicate.thread_id.in_(chunk))
                )
            }
        )
    loaded = {c.id: c for c in existing.values()}
    scenarios: dict[int, Scenario] = {}
    signed_ids: set[int] = set()
    for chunk in chunks(list(loaded)):
        for scenario in session.scalars(
            select(Scenario).where(Scenario.case_id.in_(chunk)).order_by(Scenario.id)
        ):
            scenarios[scenario.case_id] = scenario  # the latest one wins
        signed_ids.update(
            session.scalars(select(CaseSignature.case_id).where(CaseSignature.case_id.in_(chunk)))
        )

    # A case is fingerprinted once: when it is new, or kept from before signatures existed.
    prints: dict[int, Fingerprint] = {}
    for tid, draft in items:
        case = existing.get(tid)
        if tid not in collapsed and (case is None or case.id not in signed_ids):
            prints[tid] = fingerprint(draft.main_text, draft.situation)
    grouping, families = batch_grouping(
        session,
        dup_keys=[k for tid, p in prints.items() if tid not in existing for k in p.dup_keys],
        family_keys=[k for p in prints.values() for k in p.family_keys],
    )

    increments: Counter[int] = Counter()  # stored case id (not loaded) -> threads collapsed
    pending: list[tuple[int, Case, float, datetime | None]] = []
    new_prints: list[tuple[Case, Fingerprint, Family | None]] = []
    counts = {"cases": 0, "duplicates": 0}
    for tid, draft in items:
        if tid in collapsed:
            collapsed[tid].seen_at = draft.last_at
            continue
        print_ = prints.get(tid)
        case = existing.get(tid)
        if case is None and print_ is not None:
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
                    session.add(
                        CaseDuplicate(
                            thread_id=tid,
                            case_id=duplicate.case_id,
                            similarity=duplicate.similarity,
                            seen_at=draft.last_at,
                        )
                    )
                counts["duplicates"] += 1
                continue
        if case is None:
            case = Case(thread_id=tid, state=ReviewState.candidate, duplicate_count=1)
            session.add(case)
        _fill_case(case, draft)
        _fill_scenario(session, case, scenarios.get(case.id) if case.id else None, draft)
        counts["cases"] += 1
        if print_ is None:
            continue
        family = None
        if case.family_id is None:
            family = families.record(grouping.join_family(print_, draft.situation))
        new_prints.append((case, print_, family))
        grouping.add_case(case, print_)

    session.flush()  # new cases, scenarios and families get their ids
    for tid, case, score, seen in pending:
        session.add(CaseDuplicate(thread_id=tid, case_id=case.id, similarity=score, seen_at=seen))
    count_duplicates(session, added=increments)
    for case, _, family in new_prints:
        if family is not None:
            case.family_id = family.id
    family_bands = []
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
    for chunk in chunks(list(thread_ids)):
        ids = list(
            session.scalars(
                select(Case.id).where(
                    Case.thread_id.in_(chunk), Case.state == ReviewState.candidate
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


def mark_curated(session: Session, *, thread_ids: list[int], at: datetime) -> None:
    """Record that these threads were curated as of `at`."""
    for chunk in chunks(thread_ids):
        for thread in session.scalars(select(Thread).where(Thread.id.in_(chunk))):
            thread.curated_at = at
    session.flush()


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
