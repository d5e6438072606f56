"""Learning from coaches: "not a case" and "wrong arc" on a case become rules for the next curation.

A coach's verdict is kept with what curation had said (the arc, the cue it saw, the raiser's
author). `learn_rules` turns the verdicts into:

- per-thread overrides: a thread a coach said is not a case stays out of the queue; a thread whose
  arc a coach corrected keeps the coach's arc;
- muted cues: a cue word that misled curation in at least `MIN_WRONG` verdicts is no longer read,
  so every other thread where it would have misled is curated differently too;
- not-a-service accounts: a raiser whose threads coaches called "not a case" at least `MIN_WRONG`
  times (a brand's marketing account, a bot) makes no case any more.

The generalising rules (muted cues, accounts) are what `casebook evaluate conversations` measures,
by replaying the labels of one half of the dev split as coaches' verdicts and scoring the other.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from curation.arcs import READER_CUE

NOT_A_CASE = "not_a_case"
WRONG_ARC = "wrong_arc"
VERDICTS = (NOT_A_CASE, WRONG_ARC)
MIN_WRONG = 2
# Cues read off the analyses, a review's score or the turn reader (nlp/turns.py), not words: no
# muting would stop them being read ("anger, tone -0.90", "score 0.2", "reads as worse off").
_READ_CUE = re.compile(rf"^(?:\w+, )?tone [-+]\d|^score \d|^{re.escape(READER_CUE)} ")


@dataclass(frozen=True, slots=True)
class Verdict:
    """One coach's verdict on a case, with what curation had said."""

    thread: Hashable
    verdict: str  # NOT_A_CASE or WRONG_ARC
    said_arc: str
    said_cue: str = ""
    arc: str | None = None  # the coach's arc (WRONG_ARC)
    raiser: str = ""


@dataclass(frozen=True, slots=True)
class CoachRules:
    """What curation does differently because of coaches' verdicts."""

    threads: Mapping[Hashable, Verdict] = field(default_factory=dict)
    muted_cues: frozenset[str] = frozenset()
    not_service_raisers: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.threads or self.muted_cues or self.not_service_raisers)


class BadVerdict(ValueError):
    """A verdict that is not one of VERDICTS, or a wrong arc without the right one."""


def check_verdict(verdict: str, arc: str | None, arcs: Iterable[str]) -> tuple[str, str | None]:
    """The verdict and arc, checked: WRONG_ARC needs an arc among `arcs`, NOT_A_CASE none."""
    verdict = (verdict or "").strip().lower()
    if verdict not in VERDICTS:
        raise BadVerdict(f"a verdict is one of {', '.join(VERDICTS)}, not {verdict!r}")
    if verdict == NOT_A_CASE:
        return verdict, None
    arc = (arc or "").strip().lower()
    if arc not in tuple(arcs):
        raise BadVerdict(f"the right arc is one of {', '.join(arcs)}, not {arc!r}")
    return verdict, arc


def learn_rules(verdicts: Iterable[Verdict], min_wrong: int = MIN_WRONG) -> CoachRules:
    """Rules from coaches' verdicts (the latest verdict on a thread wins)."""
    latest: dict[Hashable, Verdict] = {}
    for v in verdicts:
        latest[v.thread] = v
    misleading: Counter[str] = Counter()
    raisers: Counter[str] = Counter()
    for v in latest.values():
        cue = v.said_cue.strip().lower()
        wrong_cue = v.verdict == NOT_A_CASE or (v.arc is not None and v.arc != v.said_arc)
        if cue and wrong_cue and not _READ_CUE.match(cue) and cue != "?":
            misleading[cue] += 1
        if v.verdict == NOT_A_CASE and v.raiser:
            raisers[v.raiser] += 1
    return CoachRules(
        threads=latest,
        muted_cues=frozenset(c for c, n in misleading.items() if n >= min_wrong),
        not_service_raisers=frozenset(r for r, n in raisers.items() if n >= min_wrong),
    )
