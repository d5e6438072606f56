"""The review workflow of cases and scenarios, as pure state transitions."""

from __future__ import annotations

from enum import StrEnum


class ReviewState(StrEnum):
    """Where a case or a scenario is in the review workflow (stored as these values, see store.models)."""

    candidate = "candidate"
    in_review = "in_review"
    approved = "approved"
    published = "published"
    archived = "archived"
    rejected = "rejected"


class IllegalTransition(ValueError):
    """A move the workflow does not allow."""


ALLOWED: dict[ReviewState, frozenset[ReviewState]] = {
    ReviewState.candidate: frozenset({ReviewState.in_review, ReviewState.rejected}),
    ReviewState.in_review: frozenset(
        {ReviewState.approved, ReviewState.rejected, ReviewState.candidate}
    ),
    ReviewState.approved: frozenset(
        {ReviewState.published, ReviewState.in_review, ReviewState.rejected}
    ),
    ReviewState.published: frozenset({ReviewState.archived}),
    ReviewState.archived: frozenset({ReviewState.published}),
    ReviewState.rejected: frozenset({ReviewState.candidate}),
}
# The step forward from each state that has one: what review pages offer first.
FORWARD: dict[ReviewState, ReviewState] = {
    ReviewState.candidate: ReviewState.in_review,
    ReviewState.in_review: ReviewState.approved,
    ReviewState.approved: ReviewState.published,
}


def transition(current: str, target: str) -> ReviewState:
    """The new state if moving from `current` to `target` is allowed; raises IllegalTransition otherwise."""
    here, there = ReviewState(current), ReviewState(target)
    if there not in ALLOWED[here]:
        allowed = ", ".join(sorted(ALLOWED[here])) or "none"
        raise IllegalTransition(f"cannot move from {here} to {there} (allowed: {allowed})")
    return there


def path_to(current: str, target: str) -> list[ReviewState]:
    """The shortest chain of legal moves from `current` to `target` (empty if already there)."""
    start, goal = ReviewState(current), ReviewState(target)
    frontier: list[list[ReviewState]] = [[start]]
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
