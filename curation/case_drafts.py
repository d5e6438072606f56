"""From a thread's analysed turns to a case: roles, outcome, arc, notability and a scenario draft."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache, partial

from curation.arcs import AGENT, CUSTOMER, Arc, Turn
from curation.feedback import NOT_A_CASE, CoachRules
from curation.notability import SituationTrend, explain, notability, score_parts
from curation.outcome import Outcome, Reader, conversation_outcome
from curation.roles import OTHER, AuthorStats, Roles, thread_roles, with_roles
from curation.scenarios import Draft, case_language, draft_scenario, situation_name


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
    # The scenario draft is written when first asked for: most threads make no case, and
    # drafting (names, redaction of the whole thread) would cost more than judging them.
    make_scenario: Callable[[], Draft] = field(repr=False, compare=False)
    main_text: str = ""  # the first customer turn (redacted): what near-duplicates are found on
    last_at: datetime | None = None  # the thread's last turn
    # The conversation's outcome (curation.outcome): what happened, and the cue that was seen.
    kind: str = "service"
    start: str = "none"
    need: str = "none"
    end: str = "none"
    cue: str = ""
    why: str = ""  # the explanation of the score shown in the queue
    delicate: tuple[str, ...] = ()
    roles: tuple[str, ...] = field(default=())  # each turn's fixed role, in time order
    raiser: str = ""  # the author (pseudonym) of the customer who raised the issue

    @property
    def scenario(self) -> Draft:
        """The scenario draft of the case (written once, on first use)."""
        return self.make_scenario()


PRAISE = "praise"  # the taxonomy's situation of a customer who thanks or praises


def main_situation(turns: list[Turn]) -> str:
    """The situation most customer turns are about, ignoring `other` when something else is known,
    and praise unless the customer opens with it: the thanks that end a complaint put right ("It
    works!! Thank you") do not make it a case about praise."""
    said = [t.situation for t in turns if t.role == CUSTOMER]
    counts = Counter(s for s in said if s != PRAISE or said[0] == PRAISE)
    known = [(s, n) for s, n in counts.most_common() if s != "other"]
    return known[0][0] if known else "other"


def coached_outcome(
    outcome: Outcome,
    turns: list[Turn],
    roles: Roles,
    rules: CoachRules,
    thread_key: Hashable | None,
) -> Outcome:
    """The outcome once coaches' verdicts apply: on this thread, and on its raiser's account."""
    verdict = rules.threads.get(thread_key) if thread_key is not None else None
    if verdict is not None and verdict.verdict == NOT_A_CASE:
        why = "a coach said: not a case"
    elif roles.raiser and roles.raiser in rules.not_service_raisers:
        why = "coaches said this account's threads are not cases"
    else:
        why = ""
    if why:
        return replace(
            outcome,
            kind="not_service",
            arc="not_service",
            pivotal=None,
            cue="",
            why=why,
            change=0.0,
        )
    if verdict is None or verdict.arc is None or verdict.arc == outcome.arc:
        return outcome
    pivotal = None
    if verdict.arc in ("recovery", "escalation"):
        agents = [i for i, r in enumerate(roles.roles) if r == AGENT]
        pivotal = outcome.pivotal
        if pivotal is None and agents:
            pivotal = agents[-1]
    change = {"recovery": 0.75, "escalation": -0.75}.get(verdict.arc, 0.0)
    return replace(
        outcome,
        arc=verdict.arc,
        pivotal=pivotal,
        change=change,
        why=f"a coach set the arc to {verdict.arc} (curation said {outcome.arc}); {outcome.why}",
    )


def curate_thread(
    turns: list[Turn],
    channel: str,
    situation_shares: Mapping[str, float],
    situation_labels: Mapping[str, Mapping[str, str]],
    now: datetime,
    weights: Mapping[str, float] | None = None,
    situation_trends: Mapping[str, SituationTrend] | None = None,
    author_stats: Mapping[str, AuthorStats] | None = None,
    rules: CoachRules | None = None,
    thread_key: Hashable | None = None,
    reader: Reader | None = None,
    situation_wants: Mapping[str, Mapping[str, str]] | None = None,
) -> CaseDraft | None:
    """The case a thread makes, or None when it has no turn the channel marks as a customer's.

    Roles are fixed first (`curation.roles`: agents who post as customers, other customers);
    `author_stats` (each author's threads across the store) helps find brand accounts.
    `situation_trends` (each situation's weekly counts) lets novelty reward a rising situation.
    `rules` (curation.feedback, learnt from coaches' verdicts) mute misleading cues and apply the
    verdict given on this thread (`thread_key`). `reader` (nlp.turns) reads a start or an end
    that no cue word reads. `situation_wants` (the taxonomy's, by language) says what the
    customer of the case's situation wants in its scenario draft.
    """
    turns = sorted(turns, key=lambda t: (t.created_at, t.comment_id))
    if not any(t.role == CUSTOMER for t in turns):
        return None
    roles = thread_roles(turns, author_stats)
    outcome = conversation_outcome(
        turns,
        channel=channel,
        roles=roles,
        muted=rules.muted_cues if rules else frozenset(),
        reader=reader,
    )
    if rules:
        outcome = coached_outcome(outcome, turns, roles, rules, thread_key)
    fixed = with_roles(turns, roles)
    customer = [t for t in fixed if t.role == CUSTOMER] or [t for t in turns if t.role == CUSTOMER]
    arc = Arc(outcome.arc, outcome.pivotal, [(i, t.sentiment_score) for i, t in enumerate(fixed)])
    situation = main_situation(fixed) if outcome.kind == "service" else main_situation(turns)
    share = situation_shares.get(situation, 0.0)
    trend = (situation_trends or {}).get(situation)
    parts = score_parts(fixed, arc, trend.share if trend else share, now, trend, outcome)
    lang = case_language(turns)
    label = situation_name(situation_labels, situation, lang)
    wants = (situation_wants or {}).get(situation, {}).get(lang)
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
        make_scenario=cache(partial(draft_scenario, fixed, arc, channel, situation, label, wants)),
        main_text=customer[0].text,
        last_at=turns[-1].created_at,
        kind=outcome.kind,
        start=outcome.start,
        need=outcome.need,
        end=outcome.end,
        cue=outcome.cue,
        why=explain(parts, outcome, weights),
        delicate=outcome.delicate,
        # Nobody raised an issue in a thread that is not a service conversation.
        roles=roles.roles
        if outcome.kind == "service"
        else tuple(CUSTOMER if r == OTHER else r for r in roles.roles),
        raiser=roles.raiser,
    )
