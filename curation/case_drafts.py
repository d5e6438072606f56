"""From a thread's analysed turns to a case: arc, notability and a scenario draft."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from curation.arcs import CUSTOMER, Turn, thread_arc
from curation.notability import SituationTrend, notability, score_parts
from curation.scenarios import Draft, case_language, draft_scenario


@dataclass(frozen=True, slots=True)
class CaseDraft:
    """What curation proposes for one thread."""

    arc: str
    channel: str
    pivotal_comment_id: int | None
    score: float
    parts: dict[str, float]
    situation: str
    emotion: str
    language: str
    scenario: Draft
    main_text: str = ""  # the first customer turn (redacted): what near-duplicates are found on
    last_at: datetime | None = None  # the thread's last turn


def main_situation(turns: list[Turn]) -> str:
    """The situation most customer turns are about, ignoring `other` when something else is known."""
    counts = Counter(t.situation for t in turns if t.role == CUSTOMER)
    known = [(s, n) for s, n in counts.most_common() if s != "other"]
    return known[0][0] if known else "other"


def curate_thread(
    turns: list[Turn],
    channel: str,
    situation_shares: Mapping[str, float],
    situation_labels: Mapping[str, Mapping[str, str]],
    now: datetime,
    weights: Mapping[str, float] | None = None,
    situation_trends: Mapping[str, SituationTrend] | None = None,
) -> CaseDraft | None:
    """The case a thread makes, or None when it has no customer turn to learn from.

    `situation_trends` (each situation's weekly counts) lets novelty reward a rising situation.
    """
    turns = sorted(turns, key=lambda t: (t.created_at, t.comment_id))
    customer = [t for t in turns if t.role == CUSTOMER]
    if not customer:
        return None
    arc = thread_arc(turns)
    situation = main_situation(turns)
    share = situation_shares.get(situation, 0.0)
    trend = (situation_trends or {}).get(situation)
    parts = score_parts(turns, arc, trend.share if trend else share, now, trend)
    lang = case_language(turns)
    label = situation_labels.get(situation, {}).get(lang, situation.replace("_", " ").capitalize())
    main = max(customer, key=lambda t: t.intensity)
    return CaseDraft(
        arc=arc.kind,
        channel=channel,
        pivotal_comment_id=turns[arc.pivotal].comment_id if arc.pivotal is not None else None,
        score=round(notability(parts, weights), 4),
        parts=parts,
        situation=situation,
        emotion=main.emotion,
        language=lang,
        scenario=draft_scenario(turns, arc, channel, situation, label),
        main_text=customer[0].text,
        last_at=turns[-1].created_at,
    )
