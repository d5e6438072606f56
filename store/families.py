"""Near-duplicates and families in the store: the candidates of a batch, what grouping decided, rebuilds.

The decisions (which case a new one duplicates, which family it joins, names) are
`curation.grouping`'s; this module fetches candidates by band key and writes the result.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from curation import similarity as sim
from curation.grouping import CaseGrouping, FamilyGroup, Fingerprint, renamed_families
from curation.review import ReviewState
from store.bulk import INSERT_CHUNK, LOOKUP_CHUNK, among, chunks, dialect_insert
from store.models import (
    Case,
    CaseBand,
    CaseDuplicate,
    CaseSignature,
    Comment,
    Family,
    FamilyBand,
    Thread,
    utcnow,
)

WEEK = timedelta(days=7)


def week_reference(session: Session) -> datetime:
    """The end of "this week": the newest comment's time (now on a live store)."""
    return session.scalar(select(func.max(Comment.created_at))) or utcnow()


@dataclass
class BatchFamilies:
    """The families a batch touches, as stored rows: the stored ones it loaded and those it starts."""

    session: Session
    stored: dict[int, Family]
    started: dict[int, Family] = field(default_factory=dict)  # id(group) -> its new row

    def groups(self) -> dict[int, FamilyGroup]:
        """The stored families as grouping sees them."""
        return {
            family_id: FamilyGroup(
                situation=f.situation,
                id=family_id,
                terms=list(f.terms or []),
                size=f.size or 0,
                name=f.name,
            )
            for family_id, f in self.stored.items()
        }

    def record(self, group: FamilyGroup) -> Family:
        """The row of a family a case has just joined, with its new size, terms and name."""
        family = self.row(group)
        if family is None:
            family = Family(situation=group.situation, name="", terms=[], size=0, size_this_week=0)
            self.session.add(family)
            self.started[id(group)] = family
        family.size = group.size
        family.terms = group.terms
        family.name = group.name
        family.updated_at = utcnow()
        return family

    def row(self, group: FamilyGroup) -> Family | None:
        """The row of a family already recorded (or loaded), None for one not yet recorded."""
        if group.id is not None:
            return self.stored[group.id]
        return self.started.get(id(group))


def batch_grouping(
    session: Session, *, dup_keys: Iterable[int], family_keys: Iterable[int]
) -> tuple[CaseGrouping[Any], BatchFamilies]:
    """The stored cases and families sharing a band key with a batch (one query per chunk of keys),
    ready for grouping the batch's new cases (the caller's handles on them: `CaseGrouping[Any]`)."""
    stored_cases: dict[int, list[int]] = defaultdict(list)
    for chunk in chunks(sorted(set(dup_keys)), LOOKUP_CHUNK):
        for key, case_id in session.execute(
            select(CaseBand.key, CaseBand.case_id)
            .where(among(session, column=CaseBand.key, values=chunk))
            .order_by(CaseBand.key, CaseBand.case_id)  # ties go to the oldest case, every run
        ):
            stored_cases[key].append(case_id)
    signatures: dict[int, np.ndarray] = {}
    for chunk in chunks(sorted({c for ids in stored_cases.values() for c in ids}), LOOKUP_CHUNK):
        for case_id, text in session.execute(
            select(CaseSignature.case_id, CaseSignature.signature).where(
                among(session, column=CaseSignature.case_id, values=chunk)
            )
        ):
            signatures[case_id] = sim.decode(text)
    stored_families: dict[int, set[int]] = defaultdict(set)
    for chunk in chunks(sorted(set(family_keys)), LOOKUP_CHUNK):
        for key, family_id in session.execute(
            select(FamilyBand.key, FamilyBand.family_id).where(
                among(session, column=FamilyBand.key, values=chunk)
            )
        ):
            stored_families[key].add(family_id)
    rows: dict[int, Family] = {}
    for chunk in chunks(sorted({f for ids in stored_families.values() for f in ids}), LOOKUP_CHUNK):
        rows.update(
            {
                f.id: f
                for f in session.scalars(
                    select(Family).where(among(session, column=Family.id, values=chunk))
                )
            }
        )
    families = BatchFamilies(session, rows)
    grouping: CaseGrouping[Any] = CaseGrouping(
        stored_cases=stored_cases,
        signatures=signatures,
        stored_families=stored_families,
        families=families.groups(),
    )
    return grouping, families


def save_band_keys(
    session: Session,
    *,
    cases: Sequence[tuple[int, Fingerprint]],
    family_bands: Iterable[tuple[int, int]],
) -> None:
    """Keep new cases' signatures and band keys, and families' band keys ((key, family id) pairs)."""
    signature_rows: list[dict[str, Any]] = []
    band_rows: list[dict[str, Any]] = []
    for case_id, print_ in cases:
        if print_.dup is not None:
            signature_rows.append({"case_id": case_id, "signature": sim.encode(print_.dup)})
            band_rows.extend({"key": k, "case_id": case_id} for k in set(print_.dup_keys))
    family_rows = [{"key": k, "family_id": f} for k, f in sorted(set(family_bands))]
    # Core inserts into the tables (not the ORM's bulk inserts: no per-row work of theirs).
    for table, rows in (
        (CaseSignature.__table__, signature_rows),
        (CaseBand.__table__, band_rows),
        (FamilyBand.__table__, family_rows),
    ):
        for chunk in chunks(rows):
            session.execute(
                dialect_insert(session, table=table).on_conflict_do_nothing(), list(chunk)
            )


def count_duplicates(session: Session, *, added: Counter[int]) -> None:
    """Add to stored cases' duplicate counts (case id -> threads collapsed into it), in the
    database (one statement run for many cases)."""
    cases = Case.__table__
    statement = (
        update(cases)
        .where(cases.c.id == bindparam("b_case"))
        .values(duplicate_count=cases.c.duplicate_count + bindparam("b_added"))
    )
    rows = [{"b_case": case_id, "b_added": n} for case_id, n in sorted(added.items())]
    for chunk in chunks(rows, INSERT_CHUNK):
        session.execute(statement, list(chunk))


def refresh_families(session: Session, *, reference: datetime | None = None) -> int:
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
    kept = [
        FamilyGroup(situation=situation, id=family_id, terms=terms or [], name=name)
        for family_id, situation, terms, name in session.execute(
            select(Family.id, Family.situation, Family.terms, Family.name)
        )
        if family_id in size
    ]
    named = {family.id: family.name for family in kept}
    renamed = renamed_families(kept)
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


# The lists of families show those of two cases or more by default: one case alone is not yet a
# family (most of them are single cases).
MIN_FAMILY = 2


def count_families(session: Session, *, situation: str | None = None, min_size: int = 0) -> int:
    """How many families (of one situation, if given; of at least `min_size` cases) there are:
    the lists of family_list and the leader's emerging families stop at their `limit`."""
    query = select(func.count(Family.id)).where(Family.size >= min_size)
    if situation:
        query = query.where(Family.situation == situation)
    return int(session.scalar(query) or 0)


def family_list(
    session: Session, *, limit: int = 50, situation: str | None = None, min_size: int = 1
) -> list[dict[str, Any]]:
    """The largest families this week (of at least `min_size` cases): id, name, situation, size,
    size_this_week, terms."""
    query = (
        select(Family)
        .where(Family.size >= min_size)
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
