"""Branching simulation (Captivate-style) built from a real case: the advisor chooses a reply at
each advisor turn, and the customer's next turn depends on that choice.

Every choice point is an advisor turn of the case. The path of the real conversation goes on with
the customer's real next message. At the pivotal reply the choices are the coach's answer (best),
the advisor's real reply (good when the case turned around, poor otherwise: its real outcome
follows either way) and replies taken from other cases where they did not work (poor: the
customer's next turn is the reaction those replies really got there). At an earlier advisor turn,
the real turn goes on and another case's poor reply leads to its reaction, then back to try again.
Texts are the bundles' (redacted); nothing is invented but the feedback lines of delivery.texts.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from delivery.model import CUSTOMER, OtherCase, ScenarioBundle, Turn
from delivery.texts import ui

BEST, GOOD, POOR = "best", "good", "poor"
POOR_ARCS = ("escalation", "unresolved")
MAX_POOR = 2  # poor alternatives at the pivotal reply


@dataclass(frozen=True, slots=True)
class Choice:
    """A reply the learner can pick, and the node it leads to."""

    text: str
    next: str
    quality: str  # best, good or poor
    source: str  # "coach", "real" or "other:<scenario id>"


@dataclass(frozen=True, slots=True)
class Node:
    """What the learner sees (the customer's turns, feedback on the last choice), then the choices.
    A node without choices is an ending."""

    id: str
    say: tuple[Turn, ...]
    choices: tuple[Choice, ...] = ()
    feedback: str | None = None
    quality: str | None = None

    @property
    def is_end(self) -> bool:
        return not self.choices


@dataclass(frozen=True, slots=True)
class Simulation:
    """A branching simulation: its nodes by id and the one it starts from."""

    scenario_id: int
    language: str
    title: str
    start: str
    nodes: dict[str, Node]

    def to_dict(self) -> dict[str, Any]:
        """The JSON the exported player and the dashboard read."""
        return {
            "start": self.start,
            "nodes": {
                node.id: {
                    "say": [
                        {"role": t.role, "speaker": t.speaker, "text": t.text} for t in node.say
                    ],
                    "feedback": node.feedback,
                    "quality": node.quality,
                    "choices": [
                        {"text": c.text, "next": c.next, "quality": c.quality, "source": c.source}
                        for c in node.choices
                    ],
                }
                for node in self.nodes.values()
            },
        }

    def path(self, picks: Sequence[int]) -> list[Node]:
        """The nodes visited when choosing picks[0], picks[1]... from the start (for tests and
        the dashboard's replay)."""
        node = self.nodes[self.start]
        visited = [node]
        for pick in picks:
            if node.is_end:
                break
            node = self.nodes[node.choices[pick].next]
            visited.append(node)
        return visited


def _segments(turns: tuple[Turn, ...]) -> list[tuple[tuple[Turn, ...], Turn | None]]:
    """The turns cut at each advisor turn: (customer turns before it, the advisor turn)."""
    segments: list[tuple[tuple[Turn, ...], Turn | None]] = []
    pending: list[Turn] = []
    for turn in turns:
        if turn.role == CUSTOMER:
            pending.append(turn)
        else:
            segments.append((tuple(pending), turn))
            pending = []
    segments.append((tuple(pending), None))  # the customer turns before the pivotal reply
    return segments


def _poor_replies(bundle: ScenarioBundle, others: Sequence[OtherCase], k: int) -> list[OtherCase]:
    """Other cases' replies that did not work, in the scenario's language: the same situation
    first (plausible but poor), then any (off-topic)."""
    mine = {bundle.real_reply or "", bundle.coach_answer or ""}
    pool = [
        o
        for o in others
        if o.language == bundle.language
        and o.scenario_id != bundle.scenario_id
        and o.real_reply not in mine
    ]
    poor = [o for o in pool if o.arc in POOR_ARCS]
    rng = random.Random(bundle.scenario_id)  # the same simulation every export
    rng.shuffle(poor)
    poor.sort(key=lambda o: o.situation != bundle.situation)
    return poor[:k]


def build_simulation(bundle: ScenarioBundle, others: Sequence[OtherCase] = ()) -> Simulation | None:
    """The branching simulation of a case, or None when it cannot have one (no customer turn
    or no real reply to branch from, or nothing to choose between)."""
    if not bundle.real_reply or not bundle.customer_turns:
        return None
    t = ui(bundle.language)
    rng = random.Random(bundle.scenario_id)
    nodes: dict[str, Node] = {}
    segments = _segments(bundle.turns)
    poor_pool = _poor_replies(bundle, others, MAX_POOR + len(segments))
    reacted = {
        o.scenario_id: (Turn(CUSTOMER, bundle.customer_turns[0].speaker, o.reaction),)
        if o.reaction
        else ()
        for o in poor_pool
    }

    def shuffled(choices: list[Choice]) -> tuple[Choice, ...]:
        rng.shuffle(choices)
        return tuple(choices)

    # the pivotal reply: the coach, the real reply, poor replies of other cases
    recovered = bundle.arc == "recovery"
    pivotal: list[Choice] = []
    if bundle.coach_answer:
        nodes["end-coach"] = Node(
            "end-coach",
            bundle.outcome if recovered else (),
            feedback=f"{t['fb_best']} {t['end_good']}",
            quality=BEST,
        )
        pivotal.append(Choice(bundle.coach_answer, "end-coach", BEST, "coach"))
    nodes["end-real"] = Node(
        "end-real",
        bundle.outcome,
        feedback=f"{t['fb_real_good' if recovered else 'fb_real_poor']} {t['end_real']}",
        quality=GOOD if recovered else POOR,
    )
    pivotal.append(Choice(bundle.real_reply, "end-real", GOOD if recovered else POOR, "real"))
    for other in poor_pool[:MAX_POOR]:
        node_id = f"end-other-{other.scenario_id}"
        nodes[node_id] = Node(
            node_id,
            reacted[other.scenario_id],
            feedback=f"{t['fb_poor']} {t['end_poor']}",
            quality=POOR,
        )
        pivotal.append(Choice(other.real_reply, node_id, POOR, f"other:{other.scenario_id}"))
    if len(pivotal) < 2:
        return None
    # the earlier advisor turns: the real one goes on, another case's poor reply detours back
    # (a poor reply may come back at another step when the pool is small); an advisor turn with
    # no poor reply to set beside it is no choice: it is told, with the turns after it
    detours = poor_pool[MAX_POOR:] + poor_pool[:MAX_POOR]
    steps: list[tuple[tuple[Turn, ...], Turn | None, OtherCase | None]] = []
    told: tuple[Turn, ...] = ()
    for customer, advisor in segments:
        if advisor is not None and not detours:
            told += (*customer, advisor)
            continue
        steps.append((told + customer, advisor, detours.pop(0) if advisor is not None else None))
        told = ()
    for i, (say, advisor, other) in enumerate(steps):
        node_id = f"step-{i}"
        if advisor is None:
            nodes[node_id] = Node(node_id, say, shuffled(pivotal))
            continue
        choices = [Choice(advisor.text, f"step-{i + 1}", GOOD, "real")]
        if other is not None:
            detour_id = f"detour-{i}-{other.scenario_id}"
            nodes[detour_id] = Node(
                detour_id,
                reacted[other.scenario_id],
                (Choice(t["try_again"], node_id, POOR, "retry"),),
                feedback=t["fb_poor"],
                quality=POOR,
            )
            choices.append(Choice(other.real_reply, detour_id, POOR, f"other:{other.scenario_id}"))
        nodes[node_id] = Node(node_id, say, shuffled(choices))
    return Simulation(
        scenario_id=bundle.scenario_id,
        language=bundle.language,
        title=bundle.title,
        start="step-0",
        nodes=nodes,
    )


def simulation_data(bundle: ScenarioBundle, others: Sequence[OtherCase]) -> dict[str, Any] | None:
    """build_simulation as the player's JSON (None when the case has no simulation)."""
    simulation = build_simulation(bundle, others)
    return simulation.to_dict() if simulation else None
