"""Peer learning rules: who may answer, vote and pick, and points that reward validated answers.

Points reward answers that peers and coaches validate, not volume: each answer earns a small
base point (one per scenario), capped per person and period, votes add with diminishing returns,
and a coach's pick adds a large bonus.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

BASE_POINTS = 1.0
MAX_BASE_ANSWERS = 10  # answers without votes earn base points up to this many per period
VOTE_POINTS = 3.0  # times log2(1 + votes): 1 vote 3, 3 votes 6, 7 votes 9
PICK_BONUS = 10.0


class NotAllowed(ValueError):
    """A peer-learning move the rules refuse."""


# A reply to a customer, and a word on a peer's: longer ones are no answer to compare (a
# 30,000-character answer was shown whole to every peer, and scored).
ANSWER_MAX = 3000
COMMENT_MAX = 1000


def check_answer(scenario_published: bool, already_answered: bool, text: str) -> str:
    """The answer's text if an advisor may answer now (not over ANSWER_MAX characters); one
    answer per advisor and scenario."""
    text = (text or "").strip()
    if not text:
        raise NotAllowed("the answer is empty")
    if len(text) > ANSWER_MAX:
        raise NotAllowed(f"the answer is longer than {ANSWER_MAX} characters")
    if not scenario_published:
        raise NotAllowed("the scenario is not published")
    if already_answered:
        raise NotAllowed("you have already answered this scenario")
    return text


def check_vote(voter_id: int, author_id: int, already_voted: bool) -> None:
    """One vote per person per answer, never on one's own."""
    if voter_id == author_id:
        raise NotAllowed("you cannot vote for your own answer")
    if already_voted:
        raise NotAllowed("you have already voted for this answer")


def check_comment(text: str) -> str:
    """The comment's text if it has one, not over COMMENT_MAX characters."""
    text = (text or "").strip()
    if not text:
        raise NotAllowed("the comment is empty")
    if len(text) > COMMENT_MAX:
        raise NotAllowed(f"the comment is longer than {COMMENT_MAX} characters")
    return text


def check_pick(actor_role: str) -> None:
    """Only a coach picks the best answers."""
    if actor_role != "coach":
        raise NotAllowed("only a coach can pick the best answers")


def vote_points(votes: int) -> float:
    """Points from peers' votes on one answer: grows with every vote, ever more slowly."""
    return VOTE_POINTS * math.log2(1 + max(0, votes))


def response_points(votes: int, coach_pick: bool) -> float:
    """What one answer earns beyond its base point: votes received and the coach's pick."""
    return vote_points(votes) + (PICK_BONUS if coach_pick else 0.0)


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer as scoring needs it."""

    scenario_id: int
    votes: int = 0
    coach_pick: bool = False


def points(answers: Iterable[Answer]) -> float:
    """A person's points over a period: capped base points plus what validated answers earn.

    Only one answer per scenario counts (the best one, should the data hold more).
    """
    best: dict[int, Answer] = {}
    for answer in answers:
        kept = best.get(answer.scenario_id)
        if kept is None or response_points(answer.votes, answer.coach_pick) > response_points(
            kept.votes, kept.coach_pick
        ):
            best[answer.scenario_id] = answer
    base = BASE_POINTS * min(len(best), MAX_BASE_ANSWERS)
    earned = sum(response_points(a.votes, a.coach_pick) for a in best.values())
    return round(base + earned, 4)


@dataclass(frozen=True, slots=True)
class Standing:
    """One line of a leaderboard."""

    rank: int
    name: str
    points: float  # in all: the answers' and the quiz challenge's
    answers: int
    votes: int
    picks: int
    quiz: float = 0.0  # of the points, those of a campaign's quiz challenge


def rank(totals: Iterable[tuple[str, float, int, int, int, float]]) -> list[Standing]:
    """Leaderboard lines from (name, points, answers, votes, picks, quiz points): most points
    first, ties share a rank."""
    ordered = sorted(totals, key=lambda t: (-t[1], t[0]))
    out: list[Standing] = []
    for position, (name, pts, answers, votes, picks, quiz) in enumerate(ordered, start=1):
        tied = out and out[-1].points == pts
        place = out[-1].rank if tied else position
        out.append(Standing(place, name, pts, answers, votes, picks, quiz))
    return out


PERIODS = ("week", "month")


def period_bounds(period: str, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the calendar week (from Monday) or month holding `now`, in its time zone."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7)
    if period == "month":
        start = day.replace(day=1)
        end = (
            start.replace(year=start.year + 1, month=1)
            if start.month == 12
            else start.replace(month=start.month + 1)
        )
        return start, end
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")


# ---------------------------------------------------------------------------- quiz challenges

QUIZ_POINTS = 2.0  # a right answer given at once; half of it at the very end of the time limit


def quiz_answer_points(right: bool, seconds: float, time_limit: float) -> float:
    """What one quiz answer earns: nothing if wrong or too late, else more the faster it came
    (Kahoot's idea: from QUIZ_POINTS at once down to half of it at the time limit)."""
    if not right or seconds > time_limit or time_limit <= 0:
        return 0.0
    return QUIZ_POINTS * (1 - 0.5 * max(0.0, seconds) / time_limit)
