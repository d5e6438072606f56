"""Notability: how much a case is worth a coach's time, as a score in [0, 1] with its parts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime

from curation.arcs import CUSTOMER, Arc, Turn

ARC_VALUE = {"recovery": 1.0, "escalation": 0.9, "unresolved": 0.45, "praise": 0.3, "question": 0.1}

DEFAULT_WEIGHTS: dict[str, float] = {
    "arc": 0.35,
    "intensity": 0.2,
    "risk": 0.15,
    "engagement": 0.1,
    "novelty": 0.1,
    "recency": 0.1,
}

RECENCY_HALF_LIFE_DAYS = 14.0


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
) -> dict[str, float]:
    """Each part of the score in [0, 1]; `situation_share` is how common the thread's situation is."""
    customer = [t for t in turns if t.role == CUSTOMER]
    intensity = max((t.intensity for t in customer), default=0.0)
    risks = {r for t in turns for r in t.risks}
    reach = sum(t.likes + 2 * t.shares + t.replies for t in customer)
    age_days = max(0.0, (now - max(t.created_at for t in turns)).total_seconds() / 86400)
    return {
        "arc": ARC_VALUE.get(arc.kind, 0.0),
        "intensity": round(min(1.0, max(0.0, intensity)), 4),
        "risk": min(1.0, 0.5 * len(risks)),
        "engagement": round(1 - math.exp(-reach / 25), 4),
        "novelty": round(1 - min(1.0, max(0.0, situation_share)), 4),
        "recency": round(0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS), 4),
    }
