"""xAPI 1.0.3 statements for Casebook's peer-learning actions (pure: dataclasses in, dicts out).

Every action (an advisor answers a scenario and so completes it, comments on or votes up a peer's
answer, joins a campaign, finishes a quiz challenge; a coach picks or unpicks an answer) becomes
one statement:

- actor: the Casebook account (`account.homePage` + `account.name`: the username), never an
  e-mail address;
- verb: from the ADL vocabulary (answered, completed, commented, registered, voided) or the
  Tin Can registry (voted-up, selected);
- object: an activity under the Casebook IRI base (`{base}/scenarios/12`,
  `{base}/responses/34`, `{base}/campaigns/5`, `{base}/quizzes/campaign-5`);
- context: the registration (a UUID per advisor and campaign, or per advisor and scenario), the
  scenario and campaign as context activities, and campaign, situation, level, skill axis and
  language as extensions under `{base}/extensions/...`;
- timestamp: when the action happened (UTC);
- id: a UUID derived from the base and the action's key (uuid5), so building the statement of
  the same action again gives the same id and an LRS never stores it twice.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

XAPI_VERSION = "1.0.3"


@dataclass(frozen=True)
class Verb:
    """An xAPI verb: its IRI and its English display."""

    iri: str
    display: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.iri, "display": {"en-US": self.display}}


# ADL's vocabulary (adlnet.gov/expapi/verbs) and the Tin Can registry (id.tincanapi.com/verb).
ANSWERED = Verb("http://adlnet.gov/expapi/verbs/answered", "answered")
COMPLETED = Verb("http://adlnet.gov/expapi/verbs/completed", "completed")
COMMENTED = Verb("http://adlnet.gov/expapi/verbs/commented", "commented")
REGISTERED = Verb("http://adlnet.gov/expapi/verbs/registered", "registered")
VOIDED = Verb("http://adlnet.gov/expapi/verbs/voided", "voided")
VOTED_UP = Verb("http://id.tincanapi.com/verb/voted-up", "voted up")
SELECTED = Verb("http://id.tincanapi.com/verb/selected", "selected")

# Activity types (ADL's vocabulary).
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
COURSE = "http://adlnet.gov/expapi/activities/course"
# An advisor's answer as an object others act on (Tin Can registry: a reply in a discussion).
REPLY = "http://id.tincanapi.com/activitytype/reply"

# Names of the context extensions, under `{base}/extensions/`.
EXTENSIONS = ("campaign", "situation", "level", "skill-axis", "language", "author")


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("naive datetime: give the action's time a time zone")
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _name(text: str, language: str) -> dict[str, str]:
    return {"en-US" if language == "en" else language: text}


@dataclass(frozen=True)
class ScenarioRef:
    """What a statement says about the scenario an action is about."""

    id: int
    title: str
    language: str
    situation: str
    level: int
    skill_axis: str
    question: str = "What would you reply?"


@dataclass(frozen=True)
class CampaignRef:
    """The campaign an action counts in."""

    id: int
    name: str


@dataclass(frozen=True)
class Action:
    """One peer-learning action, as the store describes it.

    `kind` is one of KINDS; `key` identifies the action among those of its kind (a response id,
    a vote id, an audit entry id...): the statement's id is derived from (kind, key).
    """

    kind: str
    key: str
    actor: str  # the username
    at: datetime
    scenario: ScenarioRef | None = None
    campaign: CampaignRef | None = None
    response_id: int | None = None  # the answer commented on, voted up or picked
    response_author: str | None = None  # its author's username
    text: str | None = None  # the answer's or the comment's text
    score: float | None = None  # a quiz challenge: correct answers / questions, in [0, 1]
    correct: int | None = None
    questions: int | None = None
    seconds: float | None = None
    voids: str | None = None  # a retracted pick: the statement id it voids


KINDS = ("answered", "completed", "commented", "voted-up", "picked", "unpicked", "joined", "quiz")


class XapiBuilder:
    """Builds the statements of actions under one Casebook IRI base (e.g. https://casebook.example.org/xapi)."""

    def __init__(self, base: str, platform: str = "Casebook") -> None:
        base = base.strip().rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise ValueError(f"the xAPI IRI base must be an http(s) IRI, not {base!r}")
        self.base = base
        self.platform = platform
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, base)

    # ------------------------------------------------------------------ IRIs and ids

    def iri(self, *parts: object) -> str:
        """An IRI under the base."""
        return "/".join([self.base, *(str(p) for p in parts)])

    def extension(self, name: str) -> str:
        """The IRI of a context extension."""
        return self.iri("extensions", name)

    def statement_id(self, kind: str, key: str) -> str:
        """The statement id of an action: the same action always gives the same id."""
        return str(uuid.uuid5(self.namespace, f"{kind}:{key}"))

    def registration(self, username: str, action: Action) -> str:
        """One registration per advisor and campaign (or, outside campaigns, per scenario)."""
        if action.campaign is not None:
            scope = f"campaign:{action.campaign.id}"
        elif action.scenario is not None:
            scope = f"scenario:{action.scenario.id}"
        else:
            scope = "casebook"
        return str(uuid.uuid5(self.namespace, f"registration:{scope}:{username}"))

    def actor(self, username: str) -> dict[str, Any]:
        """An agent identified by their Casebook account, never by e-mail."""
        if not username:
            raise ValueError("an xAPI actor needs a username")
        return {"objectType": "Agent", "account": {"homePage": self.base, "name": username}}

    # ------------------------------------------------------------------ activities

    def scenario_activity(self, s: ScenarioRef) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": self.iri("scenarios", s.id),
            "definition": {"name": _name(s.title, s.language), "type": SIMULATION},
        }

    def question_activity(self, s: ScenarioRef) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": self.iri("scenarios", s.id, "question"),
            "definition": {
                "name": _name(s.title, s.language),
                "description": _name(s.question, s.language),
                "type": INTERACTION,
                "interactionType": "long-fill-in",
            },
        }

    def response_activity(self, response_id: int, s: ScenarioRef | None) -> dict[str, Any]:
        name = f"Answer {response_id}" + (f" to: {s.title}" if s else "")
        return {
            "objectType": "Activity",
            "id": self.iri("responses", response_id),
            "definition": {"name": {"en-US": name}, "type": REPLY},
        }

    def campaign_activity(self, c: CampaignRef) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": self.iri("campaigns", c.id),
            "definition": {"name": {"en-US": c.name}, "type": COURSE},
        }

    def quiz_activity(self, c: CampaignRef | None) -> dict[str, Any]:
        key = f"campaign-{c.id}" if c else "open"
        name = f"Quiz challenge: {c.name}" if c else "Quiz challenge"
        return {
            "objectType": "Activity",
            "id": self.iri("quizzes", key),
            "definition": {"name": {"en-US": name}, "type": ASSESSMENT},
        }

    # ------------------------------------------------------------------ context

    def context(self, action: Action) -> dict[str, Any]:
        s, c = action.scenario, action.campaign
        extensions: dict[str, Any] = {}
        context: dict[str, Any] = {
            "registration": self.registration(action.actor, action),
            "platform": self.platform,
        }
        if s is not None:
            context["language"] = s.language
            extensions[self.extension("situation")] = s.situation
            extensions[self.extension("level")] = s.level
            extensions[self.extension("skill-axis")] = s.skill_axis
            extensions[self.extension("language")] = s.language
        if c is not None:
            extensions[self.extension("campaign")] = c.id
        if action.response_author:
            extensions[self.extension("author")] = self.actor(action.response_author)["account"]
        activities: dict[str, list[dict[str, Any]]] = {}
        # The scenario is the parent of what happens in it, the campaign groups it (neither is
        # repeated as context of a statement whose object it is).
        if s is not None and action.kind != "completed":
            activities["parent"] = [self.scenario_activity(s)]
        if c is not None and action.kind != "joined":
            activities["grouping"] = [self.campaign_activity(c)]
        if activities:
            context["contextActivities"] = activities
        if extensions:
            context["extensions"] = extensions
        return context

    # ------------------------------------------------------------------ statements

    def statement(self, action: Action) -> dict[str, Any]:
        """The xAPI 1.0.3 statement of one action."""
        kind = action.kind
        if kind not in KINDS:
            raise ValueError(f"unknown action kind {kind!r} (one of {', '.join(KINDS)})")
        verb: Verb
        result: dict[str, Any] | None = None
        obj: dict[str, Any]
        if kind in ("answered", "completed"):
            if action.scenario is None:
                raise ValueError(f"a {kind} action needs its scenario")
            if kind == "answered":
                verb, obj = ANSWERED, self.question_activity(action.scenario)
                result = {"response": action.text or "", "completion": True}
            else:
                verb, obj = COMPLETED, self.scenario_activity(action.scenario)
                result = {"completion": True}
        elif kind in ("commented", "voted-up", "picked"):
            if action.response_id is None:
                raise ValueError(f"a {kind} action needs the response it is about")
            obj = self.response_activity(action.response_id, action.scenario)
            verb = {"commented": COMMENTED, "voted-up": VOTED_UP, "picked": SELECTED}[kind]
            if kind == "commented":
                result = {"response": action.text or ""}
        elif kind == "unpicked":
            if not action.voids:
                raise ValueError("an unpicked action needs the id of the pick it retracts")
            verb = VOIDED
            obj = {"objectType": "StatementRef", "id": action.voids}
        elif kind == "joined":
            if action.campaign is None:
                raise ValueError("a joined action needs its campaign")
            verb, obj = REGISTERED, self.campaign_activity(action.campaign)
        else:  # quiz
            verb, obj = COMPLETED, self.quiz_activity(action.campaign)
            result = quiz_result(action)
        statement: dict[str, Any] = {
            "id": self.statement_id(kind, action.key),
            "actor": self.actor(action.actor),
            "verb": verb.as_dict(),
            "object": obj,
            "timestamp": _iso(action.at),
            "version": XAPI_VERSION,
        }
        if kind != "unpicked":  # a voiding statement carries nothing else (xAPI 1.0.3, 2.3.2)
            statement["context"] = self.context(action)
        if result is not None:
            statement["result"] = result
        return statement


def quiz_result(action: Action) -> dict[str, Any]:
    """A quiz challenge's result: scaled and raw score, completion, duration."""
    if action.correct is None or not action.questions:
        raise ValueError("a quiz action needs its number of questions and of correct answers")
    if not 0 <= action.correct <= action.questions:
        raise ValueError("correct answers must be between 0 and the number of questions")
    result: dict[str, Any] = {
        "score": {
            "scaled": round(action.correct / action.questions, 4),
            "raw": action.correct,
            "min": 0,
            "max": action.questions,
        },
        "completion": True,
    }
    if action.seconds is not None:
        result["duration"] = duration(action.seconds)
    return result


def duration(seconds: float) -> str:
    """An ISO 8601 duration (xAPI's result.duration), to the hundredth of a second."""
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    minutes, rest = divmod(round(seconds, 2), 60)
    hours, minutes = divmod(int(minutes), 60)
    text = f"{rest:.2f}".rstrip("0").rstrip(".")
    return f"PT{hours}H{minutes}M{text}S" if hours else f"PT{minutes}M{text}S"


def statements_file(statements: list[dict[str, Any]]) -> bytes:
    """Statements as one JSON array (UTF-8), the body an LRS accepts on POST /statements."""
    return (json.dumps(statements, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
