"""Grouping new cases: which earlier case a new one duplicates, which family it joins, how families are named.

The store fetches the candidates (stored cases and families sharing a band key with a batch)
and writes what is decided here; nothing here needs a database. A batch is grouped in order:
a case can collapse into, or join the family of, a case that came before it in the same batch.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

from curation import similarity as sim

FAMILY_SEED_MEMBERS = 5  # a family's band keys come from its first members only (no drift)
NAME_TERMS = 3
KEEP_TERMS = 40
_NO_ID = 1 << 62  # a family started in this batch ranks after the stored ones on a tie

C = TypeVar("C")  # the caller's handle on a case of the batch (the store passes its ORM case)

TermCounts = Sequence[Sequence[object]] | Mapping[str, int]


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """A case's signatures and band keys, computed once from its main customer text."""

    dup: np.ndarray | None  # None: too short to tell near-duplicates apart
    dup_keys: list[int]
    terms: list[str]
    family_keys: list[int]  # none when the text has too few content words


def similar_threads(duplicate_count: int) -> int:
    """The near-identical threads collapsed into a case beside its own: a case's
    `duplicate_count` counts its own thread too (1 when it has no copy)."""
    return max(int(duplicate_count) - 1, 0)


def fingerprint(text: str, situation: str, language: str = "") -> Fingerprint:
    """The near-duplicate and family signatures of a main customer text, with their band keys
    (a family's within the case's situation and language)."""
    dup = sim.dup_signature(text)
    terms = sim.content_terms(text)
    family = sim.family_signature(terms)
    return Fingerprint(
        dup=dup,
        dup_keys=sim.dup_keys(dup) if dup is not None else [],
        terms=terms,
        family_keys=sim.family_keys(family, situation, language) if family is not None else [],
    )


@dataclass(slots=True, eq=False)
class FamilyGroup:
    """A family as grouping sees it: a stored one (its id) or one started in this batch (no id)."""

    situation: str | None
    id: int | None = None
    terms: list[list[object]] = field(default_factory=list)
    size: int = 0
    name: str = ""


@dataclass(frozen=True, slots=True)
class Duplicate(Generic[C]):
    """The earlier case a new one duplicates: a stored case (`case_id`) or one of this batch (`case`)."""

    similarity: float
    case_id: int | None = None
    case: C | None = None


class CaseGrouping(Generic[C]):
    """The grouping decisions for one batch of new cases, taken in order against the store's candidates.

    `stored_cases`: near-duplicate band key -> ids of the stored cases with that key;
    `signatures`: stored case id -> its near-duplicate signature;
    `stored_families`: family band key -> ids of the stored families with that key;
    `families`: stored family id -> the family.
    """

    def __init__(
        self,
        *,
        stored_cases: Mapping[int, Sequence[int]],
        signatures: Mapping[int, np.ndarray],
        stored_families: Mapping[int, Collection[int]],
        families: Mapping[int, FamilyGroup],
    ) -> None:
        self._stored_cases = stored_cases
        self._signatures = signatures
        self._stored_families = stored_families
        self._families = families
        self._cases: dict[int, list[tuple[C, np.ndarray]]] = defaultdict(list)
        self._batch_families: dict[int, list[FamilyGroup]] = defaultdict(list)
        self._started: dict[int, int] = {}  # id(family started here) -> its rank among them
        self.family_bands: list[tuple[FamilyGroup, list[int]]] = []
        """Band keys families gained in this batch (from their first members), to store."""

    def duplicate_of(self, fingerprint: Fingerprint) -> Duplicate[C] | None:
        """The most similar earlier case (stored, or of this batch) above the verify threshold, if any.

        Candidates are weighed band key by band key, stored ones first; on equal similarity
        the first one seen wins.
        """
        sig = fingerprint.dup
        if sig is None:
            return None
        best: Duplicate[C] | None = None
        best_score = 0.0
        seen_stored: set[int] = set()
        seen_new: set[int] = set()
        for key in fingerprint.dup_keys:
            for case_id in self._stored_cases.get(key, ()):
                if case_id in seen_stored or case_id not in self._signatures:
                    continue
                seen_stored.add(case_id)
                score = sim.similarity(sig, self._signatures[case_id])
                if score > best_score:
                    best, best_score = Duplicate(score, case_id=case_id), score
            for case, other in self._cases.get(key, ()):
                if id(case) in seen_new:
                    continue
                seen_new.add(id(case))
                score = sim.similarity(sig, other)
                if score > best_score:
                    best, best_score = Duplicate(score, case=case), score
        if best is None or best_score < sim.DUP_VERIFY:
            return None
        return Duplicate(round(best_score, 4), case_id=best.case_id, case=best.case)

    def add_case(self, case: C, fingerprint: Fingerprint) -> None:
        """Remember a case of this batch, so the cases after it can collapse into it."""
        if fingerprint.dup is not None:
            for key in fingerprint.dup_keys:
                self._cases[key].append((case, fingerprint.dup))

    def join_family(self, fingerprint: Fingerprint, situation: str | None) -> FamilyGroup:
        """The family a new case joins (the one it shares most band keys with, the oldest on a tie),
        or a new one; the family's size, terms and name are updated."""
        hits: dict[int, int] = {}  # id(family) -> band keys shared, in the order first seen
        objects: dict[int, FamilyGroup] = {}
        stored = self._families
        for key in set(fingerprint.family_keys):
            found = {id(f): f for f in self._batch_families.get(key, ())}
            for i in self._stored_families.get(key, ()):
                if i in stored:
                    found[id(stored[i])] = stored[i]
            objects.update(found)
            for k in found:
                hits[k] = hits.get(k, 0) + 1
        if hits:
            family = objects[min(hits, key=lambda k: (-hits[k], self._rank(objects[k])))]
        else:
            family = FamilyGroup(situation=situation)
            self._started[id(family)] = len(self._started)
        members = family.size
        family.size = members + 1
        family.terms = merge_terms(family.terms, fingerprint.terms)
        # merge_terms ranks the terms as family_name does: the name is the first ones.
        family.name = " · ".join(str(t) for t, _ in family.terms[:NAME_TERMS])[:200] or "(no terms)"
        if members < FAMILY_SEED_MEMBERS and fingerprint.family_keys:
            self.family_bands.append((family, fingerprint.family_keys))
            for key in set(fingerprint.family_keys):
                if family not in self._batch_families[key]:
                    self._batch_families[key].append(family)
        return family

    def _rank(self, family: FamilyGroup) -> tuple[int, int]:
        if family.id is not None:
            return family.id, 0
        return _NO_ID, self._started[id(family)]


def merge_terms(counts: TermCounts, new_terms: Iterable[str]) -> list[list[object]]:
    """A family's term counts (as [term, count] pairs) with one more member's terms added, top first."""
    merged: dict[str, int] = (
        dict(counts) if isinstance(counts, Mapping) else {str(t): int(n) for t, n in counts}  # type: ignore[call-overload]
    )
    for term in set(new_terms):
        merged[term] = merged.get(term, 0) + 1
    top = sorted(merged.items(), key=lambda item: (-item[1], item[0]))[:KEEP_TERMS]
    return [[term, n] for term, n in top]


def family_name(counts: TermCounts, n: int = NAME_TERMS) -> str:
    """A family's name: its most frequent terms, e.g. "parcel · lost · refund"."""
    pairs = counts.items() if isinstance(counts, Mapping) else [(t, c) for t, c in counts]
    ranked = sorted(((str(t), int(c)) for t, c in pairs), key=lambda p: (-p[1], p[0]))  # type: ignore[call-overload]
    name = " · ".join(term for term, _ in ranked[:n])
    return name[:200] or "(no terms)"


def name_families(
    term_counts: Mapping[int, Sequence[Sequence[object]]], n: int = NAME_TERMS
) -> dict[int, str]:
    """Each family's name from the terms that set it apart: its term counts weighted by how few
    of the other families share the term (TF-IDF over families)."""
    df: Counter[str] = Counter(str(t) for counts in term_counts.values() for t, _ in counts)
    total = len(term_counts)
    names = {}
    for family, counts in term_counts.items():
        weighted = {
            str(t): int(c) * math.log((1 + total) / (1 + df[str(t)])) + int(c) * 1e-6  # type: ignore[call-overload]
            for t, c in counts
        }
        ranked = sorted(weighted.items(), key=lambda p: (-p[1], p[0]))
        names[family] = " · ".join(t for t, _ in ranked[:n])[:200] or "(no terms)"
    return names


def renamed_families(families: Iterable[FamilyGroup]) -> dict[int, str]:
    """The families whose name changes, with their new name: each family's terms are weighed
    against the other families of its situation (`name_families`)."""
    by_situation: dict[str | None, dict[int, list[list[object]]]] = defaultdict(dict)
    named: dict[int, str] = {}
    for family in families:
        assert family.id is not None, "only stored families are renamed"
        by_situation[family.situation][family.id] = family.terms
        named[family.id] = family.name
    return {
        family_id: name
        for group in by_situation.values()
        for family_id, name in name_families(group).items()
        if name != named[family_id]
    }
