"""Who speaks in a thread: the customer who raised the issue, other customers, and the brand.

Channels mark a comment as the customer's or the brand's, but they get it wrong: a care team
that answers from a second account, an agent who signs `^AB` or `-Matt`, a brand's marketing
account, a bystander who joins a complaint. `thread_roles` fixes each turn's role with the reason
it saw, and `service_kind` says whether the thread is a service conversation at all (brands
talking to each other, marketing and contests are not).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from curation.arcs import AGENT, CUSTOMER, Turn

OTHER = "other_customer"  # a customer who is not the one who raised the issue
ROLES = (CUSTOMER, OTHER, AGENT)

# An agent's signature at the end of a reply: "^AB", "*Tara", "-Matt", "- KC", "~Jo", "–Sha".
# Redaction may have replaced the name or initials ("^[PERSON]", "-[PERSON]").
_SIGNATURE = re.compile(
    r"(?:\^\s?[A-Za-z]{1,12}|\*[A-Z][A-Za-z]{1,20}|(?:^|\s)[-–—~]\s?[A-Z][A-Za-z]{1,12}|"
    r"(?:^|\s)[-–—~]\s?[A-Z]{2,3}|(?:\^|\*|(?:^|\s)[-–—~])\s?\[PERSON\])"
    r"\s*(?:https?://\S+\s*)*[.!)]?\s*$"
)
# What agents say and customers rarely do.
_AGENT_PHRASES = re.compile(
    r"\b(?:(?:please|kindly|could you|can you)\s+(?:send|dm|follow|shoot|drop)\s+us|"
    r"send us a (?:dm|direct message|private message)|dm us|reach out to us|"
    r"we(?:'d| would) (?:like|love|be happy) to (?:help|assist|look into)|"
    r"how can (?:we|i) help|sorry (?:for|about) the (?:inconvenience|trouble|delay)|"
    r"we apologi[sz]e|our team|envoyez-nous|écrivez-nous en (?:privé|mp)|"
    r"(?:\w+ )?team here|here from (?:the )?\w+|"
    r"nous sommes désolés|notre équipe|en message privé)\b",
    re.IGNORECASE,
)
_MARKETING = re.compile(
    r"\b(?:giveaway|sweepstakes?|contest|competition|rt to win|retweet to win|to win|"
    r"enter (?:now|here|to)|use code|promo code|discount code|% off|"
    r"jeu[- ]concours|concours|à gagner|code promo|tentez votre chance)\b|#win\b|#giveaway\b",
    re.IGNORECASE,
)

MANY_THREADS = 5  # an account that speaks in this many threads...
MOSTLY_REPLYING = 0.8  # ...and opens few of them (replies in this share) is a brand's


@dataclass(frozen=True, slots=True)
class AuthorStats:
    """What the whole store says about one author: threads spoken in, and how many opened."""

    threads: int = 0
    opened: int = 0  # threads whose first turn is theirs
    marked_agent: int = 0  # comments the channel marked as the brand's


@dataclass(frozen=True, slots=True)
class Roles:
    """Each turn's role (in the thread's order) with why, and the raiser's author."""

    roles: tuple[str, ...]
    reasons: tuple[str, ...]  # "" when the channel's mark was kept
    raiser: str


def has_signature(text: str) -> bool:
    """Whether a reply ends with an agent's signature (`^AB`, `*Tara`, `-Matt`)."""
    return bool(_SIGNATURE.search(text.strip()[-60:]))


def is_marketing(text: str) -> bool:
    """Whether a turn reads like a promotion or a contest."""
    return bool(_MARKETING.search(text))


def _agent_reason(
    turn: Turn, agents: set[str], stats: Mapping[str, AuthorStats] | None
) -> str | None:
    """Why a turn the channel marked as a customer's is the brand's, or None."""
    if turn.author and turn.author in agents:
        return "same account as the brand's replies"
    if has_signature(turn.text):
        return "signed like an agent"
    s = (stats or {}).get(turn.author) if turn.author else None
    if s is not None and s.marked_agent > 0:
        return "account that answers as the brand elsewhere"
    if (
        s is not None
        and s.threads >= MANY_THREADS
        and (s.threads - s.opened) / s.threads >= MOSTLY_REPLYING
    ):
        return f"account replying in {s.threads} threads"
    if _AGENT_PHRASES.search(turn.text):
        return "speaks as the brand"
    return None


def _mentions(text: str) -> bool:
    return "@" in text or "[HANDLE]" in text


def _is_broadcast(turns: Sequence[Turn], roles: Sequence[str], first: int) -> bool:
    """The first customer turn is a post that addresses nobody (news, a promotion, a photo) and
    another customer then writes to the brand: that one raises the issue."""
    if _mentions(turns[first].text):
        return False
    return any(
        r == CUSTOMER and t.author != turns[first].author and _mentions(t.text)
        for t, r in zip(turns[first + 1 :], roles[first + 1 :], strict=True)
    )


def thread_roles(turns: Sequence[Turn], stats: Mapping[str, AuthorStats] | None = None) -> Roles:
    """The role of each turn (turns in time order), with the reason when it differs from the mark."""
    agents = {t.author for t in turns if t.role == AGENT and t.author}
    roles: list[str] = []
    reasons: list[str] = []
    for turn in turns:
        if turn.role == AGENT:
            roles.append(AGENT)
            reasons.append("")
            continue
        why = _agent_reason(turn, agents, stats)
        if why is not None:
            roles.append(AGENT)
            reasons.append(why)
            if turn.author:
                agents.add(turn.author)
        else:
            roles.append(CUSTOMER)
            reasons.append("")
    first = next((i for i, r in enumerate(roles) if r == CUSTOMER), None)
    if first is not None and _is_broadcast(turns, roles, first):
        roles[first] = OTHER
        reasons[first] = "a post others reply to, not a request to the brand"
    raiser = next((t.author for t, r in zip(turns, roles, strict=True) if r == CUSTOMER), "")
    if raiser:
        for i, turn in enumerate(turns):
            if roles[i] == CUSTOMER and turn.author and turn.author != raiser:
                roles[i] = OTHER
                reasons[i] = "another customer than the one who raised the issue"
    return Roles(tuple(roles), tuple(reasons), raiser)


def service_kind(turns: Sequence[Turn], roles: Roles) -> tuple[str, str]:
    """("service" or "not_service", why): brands among themselves, marketing and contests are not."""
    customer = [t for t, r in zip(turns, roles.roles, strict=True) if r == CUSTOMER]
    if not customer:
        return "not_service", "no customer speaks: brand accounts only"
    first = turns[0]
    if roles.roles[0] == AGENT and is_marketing(first.text):
        return "not_service", "opens with the brand's promotion"
    if all(is_marketing(t.text) for t in customer):
        return "not_service", "a contest or promotion, not a request"
    return "service", ""


def with_roles(turns: Sequence[Turn], roles: Roles) -> list[Turn]:
    """The turns with their fixed roles: agent, customer (the raiser) or other_customer."""
    from dataclasses import replace

    return [
        t if t.role == r else replace(t, role=r) for t, r in zip(turns, roles.roles, strict=True)
    ]
