"""Conversation arcs: how the customer's mood moves across a thread, and the reply that moved it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

CUSTOMER = "customer"
AGENT = "agent"

NEGATIVE = -0.25  # a customer turn at or below this score is upset
POSITIVE = 0.25  # at or above this, pleased
WORSENING = 0.2  # an escalation: the mood drops by at least this after a reply
# How a cue the turn reader gave (nlp/turns.py, asked by curation.outcome) starts: no cue word,
# so coaches' verdicts (curation.feedback) do not mute it.
READER_CUE = "reads as"

ARCS = ("recovery", "escalation", "unresolved", "praise", "question")


@dataclass(frozen=True, slots=True)
class Turn:
    """One comment of a thread with its analysis, as curation needs it."""

    comment_id: int
    role: str  # CUSTOMER or AGENT
    created_at: datetime
    text: str  # redacted
    language: str = "und"
    sentiment: str = "neutral"
    sentiment_score: float = 0.0
    emotion: str = "neutral"
    intensity: float = 0.0
    situation: str = "other"
    risks: tuple[str, ...] = ()
    # (original text, placeholder type) of the personal data the analysis found in this turn
    pii_terms: tuple[tuple[str, str], ...] = ()
    likes: int = 0
    shares: int = 0
    replies: int = 0
    author: str = ""  # the author's pseudonym: who speaks, for roles


@dataclass(frozen=True, slots=True)
class Arc:
    """The arc of a thread, its pivotal advisor reply (an index into the turns) and the trajectory."""

    kind: str
    pivotal: int | None
    trajectory: list[tuple[int, float]] = field(default_factory=list)  # (turn index, score)


def thread_arc(turns: list[Turn]) -> Arc:
    """The arc of a thread whose turns are in time order."""
    customer = [(i, t.sentiment_score) for i, t in enumerate(turns) if t.role == CUSTOMER]
    if not customer:
        return Arc("question", None, [])
    agents = [i for i, t in enumerate(turns) if t.role == AGENT]

    # recovery: upset, then an advisor reply, then pleased
    for pos, (i, score) in enumerate(customer):
        if score > NEGATIVE:
            continue
        for j, later in customer[pos + 1 :]:
            replies = [a for a in agents if i < a < j]
            if later >= POSITIVE and replies:
                return Arc("recovery", replies[-1], customer)

    # escalation: after an advisor reply, the customer is worse than before, and ends upset
    worst_drop, pivotal = 0.0, None
    for (i, before), (j, after) in zip(customer, customer[1:], strict=False):
        replies = [a for a in agents if i < a < j]
        drop = before - after
        if (
            replies
            and after <= NEGATIVE
            and (drop >= WORSENING or turns[j].intensity - turns[i].intensity >= WORSENING)
            and drop >= worst_drop
        ):
            worst_drop, pivotal = drop, replies[-1]
    if pivotal is not None and customer[-1][1] <= NEGATIVE:
        return Arc("escalation", pivotal, customer)

    first = customer[0][1]
    if first >= POSITIVE and all(score > NEGATIVE for _, score in customer):
        return Arc("praise", None, customer)
    if any(score <= NEGATIVE for _, score in customer):
        return Arc("unresolved", None, customer)
    return Arc("question", None, customer)
