"""Notability: how much a case is worth a coach's time, as a score in [0, 1] with its parts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from curation.arcs import CUSTOMER, Arc, Turn
from curation.outcome import Outcome

ARC_VALUE = {
    "recovery": 1.0,
    "escalation": 0.9,
    "unresolved": 0.4,
    "praise": 0.25,
    "question": 0.1,
    "not_service": 0.0,
}
# A routine redirect to DMs or a phone line teaches little: its arc counts for this share.
REDIRECT_FACTOR = 0.5
# A routine threat (upset from the start, threatens after a plain answer) teaches less than a
# failure a reply caused or a turnaround: its arc counts for this share.
ROUTINE_THREAT_FACTOR = 0.7
DELICATE_VALUE = 0.6  # each delicate situation (safety, legal, vulnerable, privacy), up to 1

DEFAULT_WEIGHTS: dict[str, float] = {
    "arc": 0.35,
    "outcome": 0.15,
    "delicate": 0.15,
    "intensity": 0.1,
    "risk": 0.1,
    "engagement": 0.05,
    "novelty": 0.05,
    "recency": 0.05,
}
PART_NAMES = {
    "arc": "arc",
    "outcome": "change in the customer",
    "delicate": "delicate situation",
    "intensity": "intensity",
    "risk": "risks",
    "engagement": "reach",
    "novelty": "rare or rising situation",
    "recency": "recent",
}

RECENCY_HALF_LIFE_DAYS = 14.0
RARE_SHARE = 0.1  # a situation with this share of all comments is "rare" to about 0.37
MIN_RISING = 3  # fewer comments than this in a week is noise, not a rise
RISING_FLOOR = 0.005  # the smallest earlier share a rise is measured against
PREVIOUS_WEEKS = 4


@dataclass(frozen=True, slots=True)
class SituationTrend:
    """How often a situation comes up: overall, this week, and in the 4 weeks before."""

    share: float = 0.0  # of all comments, 0 to 1
    this_week: int = 0
    this_week_total: int = 0
    previous: int = 0  # in the 4 weeks before this one
    previous_total: int = 0


def rarity(share: float) -> float:
    """1 for a situation never seen, falling fast as it becomes common."""
    return math.exp(-min(1.0, max(0.0, share)) / RARE_SHARE)


def rising(trend: SituationTrend) -> float:
    """0 when this week's share is no higher than the previous weeks'; 1 when it is three times it."""
    if trend.this_week < MIN_RISING or trend.this_week_total <= 0:
        return 0.0
    now = min(1.0, trend.this_week / trend.this_week_total)
    before = trend.previous / trend.previous_total if trend.previous_total > 0 else 0.0
    ratio = now / max(before, RISING_FLOOR)
    return min(1.0, max(0.0, (ratio - 1.0) / 2.0))


def novelty(trend: SituationTrend) -> float:
    """A situation rarely seen, or one rising this week: the larger of rarity and rise, in [0, 1]."""
    return round(max(rarity(trend.share), rising(trend)), 4)


def notability(parts: Mapping[str, float], weights: Mapping[str, float] | None = None) -> float:
    """The weighted mean of the parts (each clipped to [0, 1]); bounded and monotone in every part."""
    weights = weights or DEFAULT_WEIGHTS
    total = sum(max(0.0, w) for w in weights.values())
    if total == 0:
        return 0.0
    score = sum(
        max(0.0, w) * min(1.0, max(0.0, float(parts.get(name, 0.0)))) for name, w in weights.items()
    )
    return min(1.0, max(0.0, score / total))


def score_parts(
    turns: list[Turn],
    arc: Arc,
    situation_share: float,
    now: datetime,
    trend: SituationTrend | None = None,
    outcome: Outcome | None = None,
) -> dict[str, float]:
    """Each part of the score in [0, 1]; `situation_share` is how common the thread's situation is.

    With a `trend` (the situation's weekly counts) novelty also rewards a situation on the rise.
    With the conversation's `outcome`, a routine redirect counts less, a clear change in the
    customer (`outcome`) and a delicate situation (`delicate`) count more.
    """
    trend = trend or SituationTrend(share=situation_share)
    customer = [t for t in turns if t.role == CUSTOMER]
    intensity = max((t.intensity for t in customer), default=0.0)
    # An escalation's end (the threat, the outburst) is counted once, as the change in the
    # customer: risks and delicate situations count when they were there before it.
    worse_at = outcome.worse_at if outcome is not None and arc.kind == "escalation" else None
    risks = {r for t in turns[:worse_at] for r in t.risks}
    reach = sum(t.likes + 2 * t.shares + t.replies for t in customer)
    age_days = max(0.0, (now - max(t.created_at for t in turns)).total_seconds() / 86400)
    arc_value = ARC_VALUE.get(arc.kind, 0.0)
    change = delicate = 0.0
    if outcome is not None:
        if outcome.need == "redirected" and arc.kind not in ("recovery", "escalation"):
            arc_value *= REDIRECT_FACTOR
        if arc.kind in ("recovery", "escalation"):
            change = abs(outcome.change)
        if arc.kind == "escalation" and outcome.routine_threat:
            arc_value *= ROUTINE_THREAT_FACTOR
        if outcome.kind == "service":
            situations = outcome.delicate_before if worse_at is not None else outcome.delicate
            delicate = min(1.0, DELICATE_VALUE * len(situations))
    return {
        "arc": round(arc_value, 4),
        "outcome": round(min(1.0, change), 4),
        "delicate": round(delicate, 4),
        "intensity": round(min(1.0, max(0.0, intensity)), 4),
        "risk": min(1.0, 0.5 * len(risks)),
        "engagement": round(1 - math.exp(-reach / 25), 4),
        "novelty": novelty(trend),
        "recency": round(0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS), 4),
    }


def explain(
    parts: Mapping[str, float],
    outcome: Outcome | None = None,
    weights: Mapping[str, float] | None = None,
    top: int = 3,
) -> str:
    """Why a case scores what it does: what happened, then the parts that weigh most in the score."""
    weights = weights or DEFAULT_WEIGHTS
    shares = sorted(
        ((weights.get(k, 0.0) * min(1.0, max(0.0, float(v))), k) for k, v in parts.items()),
        reverse=True,
    )
    said = [f"{PART_NAMES.get(k, k)} {v:.2f}" for v, k in shares[:top] if v > 0]
    head = ""
    if outcome is not None:
        head = outcome.why
        if outcome.delicate:
            head += f"; delicate: {', '.join(outcome.delicate)}"
    return (head + " | " if head else "") + ("weighs most: " + ", ".join(said) if said else "")
