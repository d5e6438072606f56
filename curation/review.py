"""The review workflow of cases and scenarios, as pure state transitions."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    candidate = "candidate"
    in_review = "in_review"
    approved = "approved"
    published = "published"
    archived = "archived"
    rejected = "rejected"


class IllegalTransition(ValueError):
    """A move the workflow does not allow."""


ALLOWED: dict[State, frozenset[State]] = {
    State.candidate: frozenset({State.in_review, State.rejected}),
    State.in_review: frozenset({State.approved, State.rejected, State.candidate}),
    State.approved: frozenset({State.published, State.in_review, State.rejected}),
    State.published: frozenset({State.archived}),
    State.archived: frozenset({State.published}),
    State.rejected: frozenset({State.candidate}),
}


def transition(current: str, target: str) -> State:
    """The new state if moving from `current` to `target` is allowed; raises IllegalTransition otherwise."""
    here, there = State(current), State(target)
    if there not in ALLOWED[here]:
        allowed = ", ".join(sorted(ALLOWED[here])) or "none"
        raise IllegalTransition(f"cannot move from {here} to {there} (allowed: {allowed})")
    return there


def path_to(current: str, target: str) -> list[State]:
    """The shortest chain of legal moves from `current` to `target` (empty if already there)."""
    start, goal = State(current), State(target)
    frontier: list[list[State]] = [[start]]
    seen = {start}
    while frontier:
        path = frontier.pop(0)
        if path[-1] == goal:
            return path[1:]
        for nxt in sorted(ALLOWED[path[-1]]):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append([*path, nxt])
    raise IllegalTransition(f"no path from {start} to {goal}")
