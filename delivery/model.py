"""What every delivery format is built from: published scenarios as plain, redacted dataclasses.

The store (store.bundles) gathers them; nothing here knows a database. Every text in these
classes is the REDACTED one: customers' turns as the scenario shows them (built from the analyses'
redacted text), peers' answers passed through nlp.redact. Advisors never see unredacted text, in
Casebook or in an LMS.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from delivery.texts import channel_name

CUSTOMER, AGENT = "customer", "agent"
LANGUAGES = ("en", "fr")
SKILL_AXES = ("operational", "relational", "managerial")


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of the case as advisors see it: who speaks ("customer" or "agent"), the name
    shown ("Customer A", "Advisor"...) and the redacted text."""

    role: str
    speaker: str
    text: str

    @property
    def is_customer(self) -> bool:
        return self.role == CUSTOMER


@dataclass(frozen=True, slots=True)
class Objective:
    """A learning objective of the scenario on one skill axis (operational, relational, managerial)."""

    axis: str
    text: str


@dataclass(frozen=True, slots=True)
class PeerAnswer:
    """An advisor's answer to the scenario (redacted; no author: exports never name advisors)."""

    response_id: int
    text: str
    votes: int
    coach_pick: bool


@dataclass(frozen=True, slots=True)
class CampaignInfo:
    """The challenge campaign a pack comes from."""

    id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    teams: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScenarioBundle:
    """A published scenario with all that a player, a quiz or a handout needs.

    `turns` are the messages up to the pivotal reply (customer and advisor turns), `real_reply`
    the reply that advisor really wrote, `outcome` what followed it, `coach_answer` the coach's
    model answer, `peer_answers` the best answers of peers (coach picks first, then by votes).
    """

    scenario_id: int
    case_id: int
    title: str
    language: str
    level: int
    skill_axis: str
    situation: str
    channel: str
    arc: str
    version: int
    published_at: datetime | None
    customer_wants: str
    question: str
    turns: tuple[Turn, ...]
    real_reply: str | None
    outcome: tuple[Turn, ...]
    cues: tuple[str, ...]
    objectives: tuple[Objective, ...]
    coach_answer: str | None
    peer_answers: tuple[PeerAnswer, ...] = ()
    tags: tuple[str, ...] = ()
    campaign: CampaignInfo | None = None
    situation_name: str = ""  # the taxonomy's name of `situation` in the scenario's language

    @property
    def situation_shown(self) -> str:
        """The situation as a reader of the scenario's language names it."""
        return self.situation_name or self.situation

    @property
    def channel_shown(self) -> str:
        """The channel as a reader of the scenario's language names it."""
        return channel_name(self.channel, self.language)

    @property
    def customer_turns(self) -> tuple[Turn, ...]:
        """The customer's messages before the pivotal reply."""
        return tuple(t for t in self.turns if t.is_customer)

    @property
    def advisor_turns(self) -> tuple[Turn, ...]:
        """The advisors' messages before the pivotal reply."""
        return tuple(t for t in self.turns if not t.is_customer)

    @property
    def all_turns(self) -> tuple[Turn, ...]:
        """The whole conversation: the turns, the real reply (when known) and the outcome."""
        reply = (
            (Turn(AGENT, _advisor_name(self.language), self.real_reply),) if self.real_reply else ()
        )
        return self.turns + reply + self.outcome

    @property
    def main_objective(self) -> Objective | None:
        """The objective on the scenario's own skill axis (the first one otherwise)."""
        return next((o for o in self.objectives if o.axis == self.skill_axis), None) or (
            self.objectives[0] if self.objectives else None
        )


@dataclass(frozen=True, slots=True)
class OtherCase:
    """Another published scenario's real reply and need: where distractors (quiz) and alternative
    choices (branching) come from. Redacted like the bundles."""

    scenario_id: int
    language: str
    situation: str
    customer_wants: str
    real_reply: str
    arc: str
    reaction: str = ""  # the customer's next message after that reply (redacted), if any


@dataclass(frozen=True, slots=True)
class Pack:
    """What an export covers: one scenario or several (a campaign, a situation, a level), and the
    pool of other cases that distractors come from."""

    id: str  # a stable identifier: "scenario-12", "campaign-3", "situation-billing-level-2"
    title: str
    bundles: tuple[ScenarioBundle, ...]
    others: tuple[OtherCase, ...] = ()
    campaign: CampaignInfo | None = None
    exported_at: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def language(self) -> str:
        """The language most of its scenarios are in (English when empty)."""
        counts = Counter(b.language for b in self.bundles)
        return counts.most_common(1)[0][0] if counts else "en"


def _advisor_name(language: str) -> str:
    return "Conseiller" if language == "fr" else "Advisor"
