"""The outcome of a conversation: how the customer starts, whether their need is met, how they end.

Per-comment analyses (sentiment score, emotion, intensity, risks) say how each message sounds;
a coach needs to know what happened across the conversation. `conversation_outcome` reads the
turns with their fixed roles (`curation.roles`) and returns:

- `start`: complaint, request or praise (the raiser's first turn);
- `need`: solved, answered, redirected (to DMs, a phone line, a link) or ignored;
- `end`: delighted, satisfied, relieved, neutral, waiting, angrier or threatening (to leave, go
  public or sue), from the raiser's last turn after a reply;
- `arc`: recovery (a clearly unhappy customer who ends clearly better because of what the advisor
  did; a polite "thanks" after a redirect is not), escalation (ends worse or threatens after a
  reply), unresolved, praise, question, or not_service;
- the pivotal advisor turn of recoveries and escalations, with the cue seen and a sentence of why;
- delicate situations a coach must see: safety, legal, vulnerable customer, privacy slip.

Rules over cue words (English and French, `curation.cues`) and the analyses; both were written
on the development split of the annotated set (data/eval/conversations), never on its test split.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from casebook_data.outcome_labels import ARCS, DELICATE, ENDS, KINDS, NEEDS, STARTS
from curation.arcs import AGENT, CUSTOMER, NEGATIVE, POSITIVE, READER_CUE, Turn
from curation.cue_search import Reader, reading, recording_cues
from curation.cue_search import counts as _counts
from curation.cue_search import find as _find
from curation.cue_search import first_cue as _first_cue
from curation.cue_search import reads as _reads
from curation.cues import (
    ANGRIER,
    COMPLAINT,
    CONDITION_AFTER,
    COURTESY,
    COURTESY_QUESTION,
    DELIGHTED,
    ELSEWHERE,
    ENDS_WITH_QUESTION,
    EXPLAINED,
    FIX_UNSURE_AFTER,
    FIX_UNSURE_BEFORE,
    FIXED_BY_CUSTOMER,
    FIXED_PRESENT_OK,
    LEGAL,
    NEGATED_BEFORE,
    PII_PLACEHOLDER,
    PRAISE,
    PRESENT_ENDINGS,
    PRIVACY,
    PUBLIC_CHANNELS,
    REDIRECT,
    RELIEVED,
    REQUEST,
    SAFETY,
    SATISFIED,
    SOLVED_AGENT,
    THANKS,
    THREAT,
    THREAT_LEGAL,
    UNTIMELY,
    VULNERABLE,
    WAITING,
    Cues,
    plain,
    rating,
)
from curation.roles import AuthorStats, Roles, service_kind, thread_roles

__all__ = [
    "ARCS",
    "DELICATE",
    "ENDS",
    "KINDS",
    "NEEDS",
    "STARTS",
    "Outcome",
    "conversation_outcome",
    "recording_cues",
]

BETTER = ("delighted", "satisfied", "relieved")
WORSE = ("angrier", "threatening")
# The cues of a start or an end the turn reader read (no cue word did).
READS_COMPLAINT = f"{READER_CUE} a complaint"
READS_BETTER = f"{READER_CUE} better off"
READS_WORSE = f"{READER_CUE} worse off"
UPSET_EMOTIONS = ("anger", "disgust", "sadness", "fear")
# Review and survey scores (curation.cues.rating, 0 to 1): 1-2 stars of 5 (4/10 or less) is a
# clearly unhappy start; 3 stars of 5 or more after a reply ends satisfied.
LOW_SCORE = 0.4
HIGH_SCORE = 0.6


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened in a conversation, with the cue seen for each call."""

    kind: str  # service or not_service
    start: str
    need: str
    end: str
    arc: str
    pivotal: int | None  # index of the pivotal advisor turn in the turns given
    cue: str  # the words that decided the arc (or the kind), quoted
    why: str  # one sentence a coach can read
    delicate: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    role_reasons: tuple[str, ...] = ()
    change: float = 0.0  # how much better (+) or worse (-) the customer ends, in [-1, 1]
    # Escalations: the first turn that shows the worsening (the end, counted once as `change`),
    # the delicate situations already there before it, and whether it is a routine threat (a
    # customer upset from the start who threatens after a plain answer) rather than a failure a
    # reply caused (a redirect, no answer, a question back, or a customer not upset before).
    worse_at: int | None = None
    delicate_before: tuple[str, ...] = ()
    routine_threat: bool = False


def _start(turn: Turn) -> tuple[str, str]:
    """complaint, request, praise or other, with the cue."""
    text = turn.text
    score = rating(text)  # a review's or survey's score, when the turn gives one
    if score is not None and score <= LOW_SCORE:
        return "complaint", f"score {score:.1f}"
    complaint = _find(COMPLAINT, text) or _find(THREAT, text) or _find(ANGRIER, text)
    praise = _find(PRAISE, text) or _find(DELIGHTED, text)
    if praise and not complaint:
        return "praise", praise
    if complaint:
        return "complaint", complaint
    # No cue word: the analyses' tone and emotion (a general model, not fitted on the annotated
    # threads) back the rules off, when they agree the customer is unhappy.
    if turn.sentiment_score <= NEGATIVE and turn.emotion in UPSET_EMOTIONS:
        return "complaint", f"{turn.emotion}, tone {turn.sentiment_score:+.2f}"
    if _reads("start_complaint", text):
        return "complaint", READS_COMPLAINT
    request = _find(REQUEST, text) or ("?" if "?" in text else "")
    if request:
        return "request", request
    if turn.sentiment_score >= 0.6 and turn.emotion == "joy":
        return "praise", f"joy, tone {turn.sentiment_score:+.2f}"
    return "other", ""


def _unhappy(turn: Turn, start: str) -> bool:
    """A clearly unhappy customer: a complaint that sounds upset, or one with a strong cue."""
    score = rating(turn.text)
    return start == "complaint" and (
        "!" in turn.text
        or _reads("unhappy", turn.text)
        or (score is not None and score <= LOW_SCORE)
        or turn.sentiment_score <= NEGATIVE
        or turn.emotion in ("anger", "disgust", "sadness", "fear")
        or bool(_find(ANGRIER, turn.text) or _find(THREAT, turn.text))
    )


def _end(turn: Turn, *, read_worse: bool = True) -> tuple[str, str]:
    """How the customer ends (their last turn after a reply), with the cue.

    "angrier" needs the customer's words: a cue of `ANGRIER` or `THREAT`, or, when no cue word
    reads the turn, the turn reader's `end_worse` (words learnt from the development threads'
    ends; `read_worse=False`: cue words only). A very negative, angry tone alone is how an upset
    customer who is still waiting sounds too ("They have no info either.."). On the real
    development threads, a rule that also read "angrier" from the tone (<= -0.8 with anger or
    disgust) got 19 escalations right of 27 said; without it, 20 right of 24 (6 December 2026,
    before the English sentiment classifier learnt customer-service comments, which read such
    turns more negative still: 17 right of 34 with the rule)."""
    text = turn.text
    relieved = _relieved(text)
    delighted = _find(DELIGHTED, text)
    # A strong word in a warm, positive thanks is emphasis ("seriously impressed!"), not an
    # outburst; a threat counts whatever the tone.
    warm = bool(relieved or delighted) and turn.sentiment_score >= POSITIVE
    for label, pattern in (("threatening", THREAT), ("angrier", ANGRIER)):
        cue = _find(pattern, text) if label == "threatening" else _angrier(text)
        if cue and not (label == "angrier" and warm):
            return label, cue
    if read_worse and not (relieved or delighted) and _reads("end_worse", text):
        return "angrier", READS_WORSE
    waiting = _find(WAITING, text) or _find(COMPLAINT, text)
    if waiting and not (relieved or delighted):
        return "waiting", waiting
    score = rating(text)
    if score is not None and score <= LOW_SCORE:
        return "waiting", f"score {score:.1f}"
    if relieved:
        return "relieved", relieved
    if delighted:
        return "delighted", delighted
    satisfied = _satisfied(text)
    if satisfied:
        return "satisfied", satisfied
    if score is not None and score >= HIGH_SCORE:
        return "satisfied", f"score {score:.1f}"
    if _find(WAITING, text):
        return "waiting", _find(WAITING, text)
    fixed = "" if ENDS_WITH_QUESTION.search(text.strip()) else fix_confirmed(text)
    if fixed:
        return "satisfied", fixed
    if _reads("end_better", text):
        return "satisfied", READS_BETTER
    return "neutral", _find(THANKS, text)


def _unnegated(cues: Cues, text: str, reach: int) -> str:
    """The first cue of `cues` in `text` with no negation (`NEGATED_BEFORE`) in the `reach`
    characters before it, or ""."""
    return _first_cue(
        cues, text, lambda m: NEGATED_BEFORE.search(text[max(0, m.start() - reach) : m.start()])
    )


def _angrier(text: str) -> str:
    """The first "angrier" cue that no negation comes just before ("for not making me feel like
    an idiot"), or ""."""
    return _unnegated(ANGRIER, text, 30)


def _relieved(text: str) -> str:
    """The first "relieved" cue that no negation comes just before ("none of it worked", "not
    back up"), or ""."""
    return _unnegated(RELIEVED, text, 12)


def _satisfied(text: str) -> str:
    """The first "satisfied" cue that no negation comes just before ("none of it helped", "not
    great"), or ""."""
    return _unnegated(SATISFIED, text, 12)


def fix_confirmed(text: str) -> str:
    """The customer says the problem is fixed ("it's sorted", "that worked", "c'est réglé"): a
    word of the fix families (`FIXED_BY_CUSTOMER`, matched by stem, so every form of the family
    counts and no form was picked for one thread) that no negation, modal or condition comes
    just before ("not fixed", "needs to be fixed", "if it works", "toujours pas réglé") and no
    "pas"/"yet" comes just after. Returns the word as written, or "". The stem is the cue that
    is recorded and muted (`recording_cues`, coaches' muted cues)."""
    for m in FIXED_BY_CUSTOMER.finditer(text):
        stem = m.group(1).lower()
        present_ok = stem in FIXED_PRESENT_OK
        ending = m.group(2).lower()
        if (ending in PRESENT_ENDINGS) != present_ok and ending != "ed":
            continue
        if FIX_UNSURE_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
            continue
        if FIX_UNSURE_AFTER.match(text[m.end() :]):
            continue
        if _counts(stem):
            return m.group(0)
    return ""


def _agent_move(turn: Turn) -> tuple[str, str]:
    """What one advisor reply does: solved, redirected, answered, asked, thanked (only) or ignored
    (with the cue)."""
    text = turn.text
    solved = _find(SOLVED_AGENT, text)
    if solved:
        return "solved", solved
    if _find(UNTIMELY, text):
        return "ignored", _find(UNTIMELY, text)
    if _find(EXPLAINED, text):
        return "answered", _find(EXPLAINED, text)
    redirect = _redirect(text)
    if redirect:
        return "redirected", redirect
    if ENDS_WITH_QUESTION.search(text.strip()) and not _courtesy_last(text):
        return "asked", "?"
    if _only_courtesy(text):
        return "thanked", ""
    return "answered", ""


def _only_courtesy(text: str) -> bool:
    """A short reply that only thanks or wishes well ("We appreciate you coming back! -Becky"):
    it answers nothing."""
    said = _ADDRESSING.sub(" ", text)
    if len(said.split()) > COURTESY_WORDS or COURTESY.search(said) is None:
        return False
    # Little left beside the courtesy ("We appreciate | you coming back!"); "Merci pour votre
    # retour. Consultez notre FAQ." points somewhere.
    return len(COURTESY.pattern.sub(" ", plain(said)).split()) <= COURTESY_LEFT


# Mentions, links and signatures ("^AB", "-Becky", "*ABN"): not what a reply says.
_ADDRESSING = re.compile(r"@\w+|https?://\S+|(?:^|\s)[-–—~^*]\s?(?:\w+|\[PERSON\])\.?\s*$")
COURTESY_WORDS = 10
COURTESY_LEFT = 4


def _courtesy_last(text: str) -> bool:
    """The reply's last question is a closing courtesy ("Anything else I can help with?")."""
    last = re.split(r"[.!?\n]", text[: text.rfind("?")])[-1]
    return COURTESY_QUESTION.search(last) is not None


def _redirect(text: str) -> str:
    """The first redirect cue that is not a fallback under a condition ("DM me if he isn't
    there": the reply itself acts), or ""."""
    return _first_cue(REDIRECT, text, lambda m: CONDITION_AFTER.match(text[m.end() : m.end() + 40]))


def _delicate(turns: Sequence[Turn], roles: Sequence[str], channel: str) -> tuple[str, ...]:
    found: list[str] = []
    customer_text = " ".join(t.text for t, r in zip(turns, roles, strict=True) if r != AGENT)
    risks = {r for t in turns for r in t.risks}
    if "safety" in risks or _find(SAFETY, customer_text):
        found.append("safety")
    if "legal" in risks or _find(LEGAL, customer_text) or _find(THREAT_LEGAL, customer_text):
        found.append("legal")
    if _find(VULNERABLE, customer_text):
        found.append("vulnerable")
    public = channel.lower() in PUBLIC_CHANNELS
    slips = {"EMAIL", "PHONE", "CARD", "IBAN", "ACCOUNT", "ADDRESS"}
    agent_pii = any(
        kind in slips
        for t, r in zip(turns, roles, strict=True)
        if r == AGENT
        for _, kind in t.pii_terms
    )
    customer_pii = public and any(
        PII_PLACEHOLDER.search(t.text) for t, r in zip(turns, roles, strict=True) if r != AGENT
    )
    if agent_pii or customer_pii or _find(PRIVACY, customer_text):
        found.append("privacy")
    return tuple(found)


def _need(moves: Sequence[tuple[int, str, str]], end: str) -> str:
    """The best state the advisors reached for the raiser's need."""
    kinds = [m[1] for m in moves]
    if "solved" in kinds or end == "relieved":
        return "solved"
    if "answered" in kinds:
        return "answered"
    if "redirected" in kinds:
        return "redirected"
    return "ignored"


def conversation_outcome(
    turns: Sequence[Turn],
    *,
    channel: str = "",
    stats: Mapping[str, AuthorStats] | None = None,
    roles: Roles | None = None,
    muted: frozenset[str] = frozenset(),
    reader: Reader | None = None,
) -> Outcome:
    """The outcome of a thread whose turns are in time order (roles fixed here unless given).

    `muted`: cues (lower case) that coaches' feedback says mislead; they are not read.
    `reader`: reads a start or an end when no cue word does (nlp.turns).
    """
    with reading(muted, reader):
        return _outcome(turns, channel, roles or thread_roles(turns, stats))


def _outcome(turns: Sequence[Turn], channel: str, roles: Roles) -> Outcome:
    kind, kind_why = service_kind(turns, roles)
    delicate = _delicate(turns, roles.roles, channel) if turns else ()
    base: dict[str, Any] = {
        "roles": roles.roles,
        "role_reasons": roles.reasons,
        "delicate": delicate,
    }
    if kind != "service":
        return Outcome(kind, "other", "none", "none", "not_service", None, "", kind_why, **base)
    raiser = [i for i, r in enumerate(roles.roles) if r == CUSTOMER]
    agents = [i for i, r in enumerate(roles.roles) if r == AGENT]
    first = turns[raiser[0]]
    start, start_cue = _start(first)
    unhappy = _unhappy(first, start)
    replies = [a for a in agents if a > raiser[0]]
    if not replies:
        arc = {"complaint": "unresolved", "praise": "praise"}.get(start, "question")
        need = "none" if start in ("praise", "other") else "ignored"
        why = f"{start} ({start_cue!r}), no advisor replied" if start_cue else "no advisor replied"
        return Outcome(kind, start, need, "none", arc, None, start_cue, why, **base)

    moves = [(a, *_agent_move(turns[a])) for a in replies]
    after = [i for i in raiser if i > replies[0]]
    last = turns[after[-1]] if after else None
    end, end_cue = _end(last) if last is not None else ("none", "")
    if end not in BETTER and end not in WORSE:
        # A threat or an outburst earlier in the exchange stands unless the customer ends better.
        # Cue words only: the reader learnt the last turns.
        for i in after[:-1]:
            earlier, earlier_cue = _end(turns[i], read_worse=False)
            if earlier in WORSE:
                end, end_cue = earlier, earlier_cue
    if end == "angrier" and _end(first, read_worse=end_cue == READS_WORSE)[0] == "angrier":
        # Angrier is more upset than at the start (RUBRIC.md): a customer who opened as angry
        # (the same strong words, or the reader reads both turns so) and ends so is still
        # waiting, not worse. A threat counts whatever the start.
        end = "waiting"
    need = _need(moves, end)
    if start in ("praise", "other") and need in ("answered", "ignored"):
        need = "none"

    change = 0.0
    if end in BETTER:
        change = {"satisfied": 0.5, "relieved": 0.75, "delighted": 1.0}[end]
    elif end in WORSE:
        change = -0.75 if end == "angrier" else -1.0
    if not unhappy and change > 0:
        change /= 2

    before_end = [m for m in moves if after and m[0] < after[-1]]
    helped = [m for m in before_end if m[1] in ("solved", "answered")]
    arc, pivotal, cue, why = "", None, "", ""
    elsewhere = bool(last is not None and _find(ELSEWHERE, last.text))
    if (
        unhappy
        and end in BETTER
        and helped
        and not elsewhere
        and not (end == "satisfied" and need == "redirected")
    ):
        arc = "recovery"
        pick = next((m for m in reversed(helped) if m[1] == "solved"), helped[-1])
        pivotal, cue = pick[0], pick[2] or end_cue
        why = (
            f"upset at first ({start_cue!r}); the advisor {pick[1]} it"
            + (f" ({pick[2]!r})" if pick[2] else "")
            + f"; ends {end} ({end_cue!r})"
        )
    elif end in WORSE and before_end:
        # The reply just before the first turn that shows the worsening.
        worse_at = next(
            (i for i in after if _find(THREAT, turns[i].text) or _find(ANGRIER, turns[i].text)),
            after[-1],
        )
        pick = next((m for m in reversed(moves) if m[0] < worse_at), before_end[-1])
        arc, pivotal, cue = "escalation", pick[0], end_cue
        routine = end == "threatening" and unhappy and pick[1] in ("answered", "solved")
        why = (
            f"after the advisor {pick[1]}"
            + (f" ({pick[2]!r})" if pick[2] else "")
            + f", the customer ends {end} ({end_cue!r})"
            + ("; upset from the start: a routine threat" if routine else "")
        )
        base["worse_at"] = worse_at
        base["delicate_before"] = _delicate(turns[:worse_at], roles.roles[:worse_at], channel)
        base["routine_threat"] = routine
    elif start == "praise":
        arc, cue, why = "praise", start_cue, f"praise ({start_cue!r})"
    elif start == "complaint":
        arc, cue = "unresolved", end_cue or start_cue
        why = f"complaint ({start_cue!r}), need {need}, ends {end}" + (
            f" ({end_cue!r})" if end_cue else ""
        )
    else:
        arc, cue = ("question" if start == "request" else "unresolved"), start_cue
        if start == "other":
            arc = "praise" if end in BETTER else "unresolved"
        why = f"{start}" + (f" ({start_cue!r})" if start_cue else "") + f", need {need}, ends {end}"
    return Outcome(kind, start, need, end, arc, pivotal, cue, why, change=round(change, 4), **base)
