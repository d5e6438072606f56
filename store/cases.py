"""Reading threads to curate and storing the cases and scenario drafts curation makes."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import case as when
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from curation import similarity as sim
from curation.arcs import Turn
from curation.cases import CaseDraft
from curation.corrections import check_correction, corrected_sentiment_score
from curation.notability import PREVIOUS_WEEKS, SituationTrend
from curation.review import ReviewState
from store.bulk import chunks, dialect_insert
from store.models import (
    Analysis,
    Case,
    CaseBand,
    CaseDuplicate,
    CaseSignature,
    Comment,
    Family,
    FamilyBand,
    LabelCorrection,
    Scenario,
    Thread,
    utcnow,
)
from store.users import record_audit

FAMILY_SEED_MEMBERS = 5  # a family's band keys come from its first members only (no drift)
WEEK = timedelta(days=7)


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


def _pii_terms(text: str, spans: list[dict] | None) -> tuple[tuple[str, str], ...]:
    """The personal data an analysis found, as (original text, placeholder type) pairs."""
    return tuple(
        (text[span["start"] : span["end"]], str(span["type"]).upper())
        for span in spans or ()
        if 0 <= span["start"] < span["end"] <= len(text)
    )


def thread_turns(
    session: Session, thread_ids: list[int], version: str
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
                )
            )
    return {tid: (channel[tid], turns) for tid, turns in out.items()}


def save_case(session: Session, thread_id: int, draft: CaseDraft) -> Case:
    """Create or refresh the case of a thread; its scenario draft is refreshed while still a candidate.

    No near-duplicate check nor family here: `save_cases` does both for a batch.
    """
    case = session.scalar(select(Case).where(Case.thread_id == thread_id))
    if case is None:
        case = Case(thread_id=thread_id, state=ReviewState.candidate)
        session.add(case)
    _fill_case(case, draft)
    session.flush()
    scenario = session.scalar(select(Scenario).where(Scenario.case_id == case.id))
    _fill_scenario(session, case, scenario, draft)
    session.flush()
    return case


def _fill_case(case: Case, draft: CaseDraft) -> None:
    case.arc, case.score, case.score_parts = draft.arc, draft.score, draft.parts
    case.situation, case.emotion, case.language = draft.situation, draft.emotion, draft.language
    case.channel = draft.channel
    case.pivotal_comment_id = draft.pivotal_comment_id
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


def drop_case(session: Session, thread_id: int) -> None:
    """Remove a thread's candidate case that no longer makes the cut (reviewed cases are kept)."""
    drop_cases(session, [thread_id])


def drop_cases(session: Session, thread_ids: Sequence[int]) -> int:
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


def mark_curated(session: Session, thread_ids: list[int], at: datetime) -> None:
    """Record that these threads were curated as of `at`."""
    for chunk in chunks(thread_ids):
        for thread in session.scalars(select(Thread).where(Thread.id.in_(chunk))):
            thread.curated_at = at
    session.flush()


# ---------------------------------------------------------------------------- novelty


def situation_trends(
    session: Session, version: str, reference: datetime | None = None
) -> dict[str, SituationTrend]:
    """Each situation's overall share, its count this week and in the 4 weeks before.

    The week ends at `reference` (default: the newest comment, so an imported history has a
    "this week" too).
    """
    if reference is None:
        reference = session.scalar(select(func.max(Comment.created_at))) or utcnow()
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


def week_reference(session: Session) -> datetime:
    """The end of "this week": the newest comment's time (now on a live store)."""
    return session.scalar(select(func.max(Comment.created_at))) or utcnow()


# ---------------------------------------------------------------------------- dedupe + families


@dataclass
class _Signed:
    """A case's signatures and keys, computed once per batch."""

    dup: np.ndarray | None
    dup_keys: list[int]
    terms: list[str]
    family_keys: list[int]


@dataclass
class _Batch:
    """What a batch learns as it goes, for the threads after it in the same batch."""

    dup: dict[int, list[Case]] = field(default_factory=lambda: defaultdict(list))
    sigs: dict[int, np.ndarray] = field(default_factory=dict)  # id(case) -> signature
    family: dict[int, list[Family]] = field(default_factory=lambda: defaultdict(list))
    family_bands: list[tuple[Family, list[int]]] = field(default_factory=list)


def _sign(draft: CaseDraft) -> _Signed:
    dup = sim.dup_signature(draft.main_text)
    terms = sim.content_terms(draft.main_text)
    fam = sim.family_signature(terms)
    return _Signed(
        dup=dup,
        dup_keys=sim.dup_keys(dup) if dup is not None else [],
        terms=terms,
        family_keys=sim.family_keys(fam, draft.situation) if fam is not None else [],
    )


def _best_duplicate(
    signed: _Signed,
    stored: dict[int, list[int]],
    stored_sigs: dict[int, np.ndarray],
    batch: _Batch,
    loaded: dict[int, Case],
) -> tuple[Case | int | None, float]:
    """The most similar earlier case (stored id or case of this batch) above the verify threshold."""
    assert signed.dup is not None
    best: Case | int | None = None
    best_score = 0.0
    seen: set[int] = set()
    for key in signed.dup_keys:
        for case_id in stored.get(key, ()):
            if case_id in seen or case_id not in stored_sigs:
                continue
            seen.add(case_id)
            score = sim.similarity(signed.dup, stored_sigs[case_id])
            if score > best_score:
                best, best_score = loaded.get(case_id, case_id), score
        for case in batch.dup.get(key, ()):
            if id(case) in seen:
                continue
            seen.add(id(case))
            score = sim.similarity(signed.dup, batch.sigs[id(case)])
            if score > best_score:
                best, best_score = case, score
    if best is None or best_score < sim.DUP_VERIFY:
        return None, 0.0
    return best, round(best_score, 4)


def _join_family(
    session: Session,
    draft: CaseDraft,
    signed: _Signed,
    stored: dict[int, set[int]],
    families: dict[int, Family],
    batch: _Batch,
) -> Family:
    """The family a new case joins (the one it shares most band keys with), or a new one."""
    hits: Counter[int] = Counter()
    objects: dict[int, Family] = {}
    for key in set(signed.family_keys):
        found = {id(f): f for f in batch.family.get(key, ())}
        found.update({id(families[i]): families[i] for i in stored.get(key, ()) if i in families})
        objects.update(found)
        hits.update(found.keys())
    if hits:
        family = objects[min(hits, key=lambda k: (-hits[k], objects[k].id or 1 << 62, k))]
    else:
        family = Family(situation=draft.situation, name="", terms=[], size=0, size_this_week=0)
        session.add(family)
    members = family.size or 0
    family.size = members + 1
    family.terms = sim.merge_terms(family.terms or [], signed.terms)
    family.name = sim.family_name(family.terms)
    family.updated_at = utcnow()
    if members < FAMILY_SEED_MEMBERS and signed.family_keys:
        batch.family_bands.append((family, signed.family_keys))
        for key in set(signed.family_keys):
            if family not in batch.family[key]:
                batch.family[key].append(family)
    return family


def save_cases(session: Session, items: Sequence[tuple[int, CaseDraft]]) -> dict[str, int]:
    """Save a batch of threads' cases: near-duplicates collapse into an existing case, new cases join a family.

    A thread that already has a case keeps it (refreshed); a new thread whose main customer text
    is a near-duplicate of an existing case's (Jaccard ~0.8) makes no case: that case's
    `duplicate_count` grows and the thread is kept in `case_duplicates`. Returns counts of
    `cases` saved and `duplicates` collapsed.
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

    signs: dict[int, _Signed] = {}
    for tid, draft in items:
        case = existing.get(tid)
        if tid not in collapsed and (case is None or case.id not in signed_ids):
            signs[tid] = _sign(draft)

    # Candidates already in the store: one query per chunk of band keys for the whole batch.
    stored_dups: dict[int, list[int]] = defaultdict(list)
    keys = sorted({k for tid, s in signs.items() if tid not in existing for k in s.dup_keys})
    for chunk in chunks(keys):
        for key, case_id in session.execute(
            select(CaseBand.key, CaseBand.case_id).where(CaseBand.key.in_(chunk))
        ):
            stored_dups[key].append(case_id)
    stored_sigs: dict[int, np.ndarray] = {}
    for chunk in chunks(sorted({c for ids in stored_dups.values() for c in ids})):
        for case_id, text in session.execute(
            select(CaseSignature.case_id, CaseSignature.signature).where(
                CaseSignature.case_id.in_(chunk)
            )
        ):
            stored_sigs[case_id] = sim.decode(text)
    stored_families: dict[int, set[int]] = defaultdict(set)
    for chunk in chunks(sorted({k for s in signs.values() for k in s.family_keys})):
        for key, family_id in session.execute(
            select(FamilyBand.key, FamilyBand.family_id).where(FamilyBand.key.in_(chunk))
        ):
            stored_families[key].add(family_id)
    families: dict[int, Family] = {}
    for chunk in chunks(sorted({f for ids in stored_families.values() for f in ids})):
        families.update(
            {f.id: f for f in session.scalars(select(Family).where(Family.id.in_(chunk)))}
        )

    batch = _Batch()
    increments: Counter[int] = Counter()  # stored case id (not loaded) -> threads collapsed
    pending: list[tuple[int, Case, float, datetime | None]] = []
    new_signed: list[tuple[Case, _Signed, Family | None]] = []
    counts = {"cases": 0, "duplicates": 0}
    for tid, draft in items:
        if tid in collapsed:
            collapsed[tid].seen_at = draft.last_at
            continue
        signed = signs.get(tid)
        case = existing.get(tid)
        if case is None and signed is not None and signed.dup is not None:
            best, score = _best_duplicate(signed, stored_dups, stored_sigs, batch, loaded)
            if isinstance(best, Case):
                best.duplicate_count = (best.duplicate_count or 1) + 1
                pending.append((tid, best, score, draft.last_at))
            elif best is not None:
                increments[best] += 1
                session.add(
                    CaseDuplicate(
                        thread_id=tid, case_id=best, similarity=score, seen_at=draft.last_at
                    )
                )
            if best is not None:
                counts["duplicates"] += 1
                continue
        if case is None:
            case = Case(thread_id=tid, state=ReviewState.candidate, duplicate_count=1)
            session.add(case)
        _fill_case(case, draft)
        _fill_scenario(session, case, scenarios.get(case.id) if case.id else None, draft)
        counts["cases"] += 1
        if signed is None:
            continue
        family = None
        if case.family_id is None:
            family = _join_family(session, draft, signed, stored_families, families, batch)
        new_signed.append((case, signed, family))
        if signed.dup is not None:
            batch.sigs[id(case)] = signed.dup
            for key in signed.dup_keys:
                batch.dup[key].append(case)

    session.flush()  # new cases, scenarios and families get their ids
    for tid, case, score, seen in pending:
        session.add(CaseDuplicate(thread_id=tid, case_id=case.id, similarity=score, seen_at=seen))
    for case_id, n in increments.items():
        session.execute(
            update(Case).where(Case.id == case_id).values(duplicate_count=Case.duplicate_count + n),
            execution_options={"synchronize_session": False},
        )
    signature_rows: list[dict[str, Any]] = []
    band_rows: list[dict[str, Any]] = []
    for case, signed, family in new_signed:
        if family is not None:
            case.family_id = family.id
        if signed.dup is not None:
            signature_rows.append({"case_id": case.id, "signature": sim.encode(signed.dup)})
            band_rows.extend({"key": k, "case_id": case.id} for k in set(signed.dup_keys))
    family_rows = sorted({(k, f.id) for f, keys in batch.family_bands for k in keys})
    for table, rows in (
        (CaseSignature, signature_rows),
        (CaseBand, band_rows),
        (FamilyBand, [{"key": k, "family_id": f} for k, f in family_rows]),
    ):
        for chunk in chunks(rows):
            session.execute(
                dialect_insert(session, table=table).on_conflict_do_nothing(), list(chunk)
            )
    session.flush()
    return counts


def refresh_families(session: Session, reference: datetime | None = None) -> int:
    """Recount each family's size (threads, duplicates included) and this week's; drop empty ones.

    Returns how many families changed. One grouped query over the cases: cheap enough to run
    after every curation.
    """
    reference = reference or week_reference(session)
    week = reference - WEEK
    size: Counter[int] = Counter()
    this_week: Counter[int] = Counter()
    for family_id, total, recent in session.execute(
        select(
            Case.family_id,
            func.sum(Case.duplicate_count),
            func.sum(when((Thread.last_comment_at > week, 1), else_=0)),
        )
        .join(Thread, Thread.id == Case.thread_id)
        .where(Case.family_id.is_not(None))
        .group_by(Case.family_id)
    ):
        size[family_id] = int(total or 0)
        this_week[family_id] = int(recent or 0)
    for family_id, recent in session.execute(
        select(Case.family_id, func.count())
        .join(CaseDuplicate, CaseDuplicate.case_id == Case.id)
        .where(Case.family_id.is_not(None), CaseDuplicate.seen_at > week)
        .group_by(Case.family_id)
    ):
        this_week[family_id] += int(recent or 0)
    changed = []
    empty = []
    for family_id, old_size, old_week in session.execute(
        select(Family.id, Family.size, Family.size_this_week)
    ):
        if family_id not in size:
            empty.append(family_id)
        elif (old_size, old_week) != (size[family_id], this_week[family_id]):
            changed.append(
                {"id": family_id, "size": size[family_id], "size_this_week": this_week[family_id]}
            )
    # Names weigh each family's terms against the other families of its situation.
    terms_of: dict[str | None, dict[int, list[Any]]] = defaultdict(dict)
    named: dict[int, str] = {}
    for family_id, situation, terms, name in session.execute(
        select(Family.id, Family.situation, Family.terms, Family.name)
    ):
        if family_id in size:
            terms_of[situation][family_id] = terms or []
            named[family_id] = name
    renamed = {
        family_id: name
        for group in terms_of.values()
        for family_id, name in sim.name_families(group).items()
        if name != named[family_id]
    }
    rows = {row["id"]: row for row in changed}
    for family_id, name in renamed.items():
        rows.setdefault(
            family_id,
            {"id": family_id, "size": size[family_id], "size_this_week": this_week[family_id]},
        )["name"] = name
    changed = [{**row, "name": renamed.get(row["id"], named[row["id"]])} for row in rows.values()]
    for chunk in chunks(changed):
        session.execute(update(Family), list(chunk))
    for chunk in chunks(empty):
        session.execute(delete(Family).where(Family.id.in_(chunk)))
    session.flush()
    return len(changed) + len(empty)


def reset_similarity(session: Session) -> int:
    """Forget duplicates and families so the next curation recomputes them all (`--rebuild`).

    Candidate cases are removed (curation makes them again, collapsing duplicates anew);
    reviewed cases stay, and get their signature and family back when curated. Every thread
    is marked for curation. Returns how many candidate cases were removed.
    """
    session.execute(delete(CaseDuplicate))
    session.execute(delete(CaseBand))
    session.execute(delete(CaseSignature))
    session.execute(update(Case).values(family_id=None, duplicate_count=1))
    session.execute(delete(FamilyBand))
    session.execute(delete(Family))
    removed = session.execute(delete(Case).where(Case.state == ReviewState.candidate)).rowcount
    session.execute(update(Thread).values(curated_at=None))
    session.flush()
    session.expire_all()
    return int(removed or 0)


def family_list(
    session: Session, limit: int = 50, situation: str | None = None
) -> list[dict[str, Any]]:
    """The largest families this week: id, name, situation, size, size_this_week, terms."""
    query = (
        select(Family)
        .order_by(Family.size_this_week.desc(), Family.size.desc(), Family.id)
        .limit(limit)
    )
    if situation:
        query = query.where(Family.situation == situation)
    return [
        {
            "id": f.id,
            "name": f.name,
            "situation": f.situation,
            "size": f.size,
            "size_this_week": f.size_this_week,
            "terms": [t for t, _ in (f.terms or [])][:10],
        }
        for f in session.scalars(query)
    ]


# ---------------------------------------------------------------------------- label corrections


def correct_label(
    session: Session, comment_id: int, field: str, new_value: str, actor: str
) -> LabelCorrection:
    """Correct one label of a comment's latest analysis; the correction is kept (old value, classifier
    version) for retraining, audited, and the comment's thread is curated again."""
    value = check_correction(field, new_value)
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise ValueError(f"comment {comment_id} does not exist")
    analysis = session.scalar(
        select(Analysis)
        .where(Analysis.comment_id == comment_id)
        .order_by(Analysis.id.desc())
        .limit(1)
    )
    if analysis is None:
        raise ValueError(f"comment {comment_id} has not been analysed yet")
    old = getattr(analysis, field)
    correction = LabelCorrection(
        comment_id=comment_id,
        field=field,
        old_value=old,
        new_value=value,
        classifier_version=analysis.classifier_version,
        actor=actor,
    )
    session.add(correction)
    setattr(analysis, field, value)
    if field == "sentiment":
        analysis.sentiment_score = corrected_sentiment_score(value, analysis.sentiment_score)
    thread = session.get(Thread, comment.thread_id)
    if thread is not None:
        thread.changed_at = utcnow()
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="comment.correct_label",
        entity="comment",
        entity_id=comment_id,
        detail={
            "field": field,
            "from": old,
            "to": value,
            "classifier_version": analysis.classifier_version,
        },
    )
    return correction


def label_corrections(session: Session) -> list[dict[str, Any]]:
    """The latest correction of each comment and field, with the comment's redacted text."""
    latest = (
        select(func.max(LabelCorrection.id))
        .group_by(LabelCorrection.comment_id, LabelCorrection.field)
        .scalar_subquery()
    )
    newest_analysis = (
        select(Analysis.comment_id, func.max(Analysis.id).label("analysis_id"))
        .group_by(Analysis.comment_id)
        .subquery()
    )
    rows = session.execute(
        select(LabelCorrection, Analysis.redacted_text)
        .outerjoin(newest_analysis, newest_analysis.c.comment_id == LabelCorrection.comment_id)
        .outerjoin(Analysis, Analysis.id == newest_analysis.c.analysis_id)
        .where(LabelCorrection.id.in_(latest))
        .order_by(LabelCorrection.id)
    )
    return [
        {
            "comment_id": c.comment_id,
            # Only ever the redacted text: a comment not analysed has no safe text to export.
            "text": text or "",
            "field": c.field,
            "old_label": c.old_value,
            "label": c.new_value,
            "classifier_version": c.classifier_version,
            "corrected_by": c.actor,
            "corrected_at": c.created_at.isoformat(),
        }
        for c, text in rows
    ]


def export_corrections(session: Session, path: Path) -> int:
    """Write the corrections for retraining as CSV (redacted text, field, new label); returns the rows."""
    rows = label_corrections(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [
        "comment_id",
        "text",
        "field",
        "old_label",
        "label",
        "classifier_version",
        "corrected_by",
        "corrected_at",
    ]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


# ---------------------------------------------------------------------------- the coach's queue


def top_case_rows(session: Session, limit: int = 20) -> list[dict[str, Any]]:
    """The most notable cases: arc, score and parts, situation, language, channel, duplicates,
    family, the scenario draft's title and the pivotal reply's redacted text."""
    latest = (
        select(Scenario.case_id, func.max(Scenario.id).label("scenario_id"))
        .group_by(Scenario.case_id)
        .subquery()
    )
    rows = session.execute(
        select(Case, Scenario.title, Family.name, Family.size, Family.size_this_week)
        .outerjoin(latest, latest.c.case_id == Case.id)
        .outerjoin(Scenario, Scenario.id == latest.c.scenario_id)
        .outerjoin(Family, Family.id == Case.family_id)
        .order_by(Case.score.desc(), Case.id)
        .limit(limit)
    ).all()
    pivotal_ids = [c.pivotal_comment_id for c, *_ in rows if c.pivotal_comment_id]
    replies: dict[int, str] = {}
    for chunk in chunks(pivotal_ids):
        for comment_id, text in session.execute(
            select(Analysis.comment_id, Analysis.redacted_text)
            .where(Analysis.comment_id.in_(chunk))
            .order_by(Analysis.id)
        ):
            replies[comment_id] = text  # the newest analysis wins
    return [
        {
            "id": case.id,
            "arc": case.arc,
            "score": case.score,
            "parts": dict(case.score_parts or {}),
            "situation": case.situation,
            "language": case.language,
            "channel": case.channel,
            "state": str(case.state),
            "duplicate_count": case.duplicate_count,
            "family_id": case.family_id,
            "family": family or "",
            "family_size": family_size or 0,
            "family_size_this_week": family_week or 0,
            "title": title or "",
            "pivotal_comment_id": case.pivotal_comment_id,
            "pivotal_reply": replies.get(case.pivotal_comment_id or -1),
        }
        for case, title, family, family_size, family_week in rows
    ]


def collapsed_threads(session: Session, case_id: int) -> list[int]:
    """The threads collapsed into a case as near-duplicates."""
    return list(
        session.scalars(
            select(CaseDuplicate.thread_id)
            .where(CaseDuplicate.case_id == case_id)
            .order_by(CaseDuplicate.thread_id)
        )
    )
