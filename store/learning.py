"""Peer learning in the store: the coach's picks, points and leaderboards (rules in curation.learning)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curation import learning
from curation.learning import Answer, Standing
from store.models import Response, User, Vote
from store.users import record_audit

BY = ("person", "team")
NO_TEAM = "(no team)"


def pick_response(session: Session, response_id: int, actor: str, picked: bool = True) -> None:
    """A coach picks (or unpicks) an answer as one of the best; audited. `actor` is a username."""
    user = session.scalar(select(User).where(User.username == actor))
    learning.check_pick(str(user.role) if user else "")
    response = session.get(Response, response_id)
    if response is None:
        raise ValueError(f"response {response_id} does not exist")
    if response.coach_pick == picked:
        return
    response.coach_pick = picked
    record_audit(
        session,
        actor,
        "response.pick" if picked else "response.unpick",
        "response",
        response_id,
        {"scenario_id": response.scenario_id, "author_id": response.user_id},
    )
    session.flush()


def standings(
    session: Session,
    by: str = "person",
    start: datetime | None = None,
    end: datetime | None = None,
    scenario_ids: Iterable[int] | None = None,
    teams: Iterable[str] | None = None,
) -> list[Standing]:
    """A leaderboard of the answers given in [start, end), optionally only to these scenarios and by
    members of these teams; by person (display name) or by team (the sum of its members' points)."""
    if by not in BY:
        raise ValueError(f"by must be person or team, not {by!r}")
    votes = (
        select(Vote.response_id, func.count(Vote.id).label("n"))
        .group_by(Vote.response_id)
        .subquery()
    )
    query = (
        select(
            Response.user_id,
            User.display_name,
            User.team,
            Response.scenario_id,
            func.coalesce(votes.c.n, 0),
            Response.coach_pick,
        )
        .join(User, User.id == Response.user_id)
        .outerjoin(votes, votes.c.response_id == Response.id)
    )
    if start is not None:
        query = query.where(Response.created_at >= start)
    if end is not None:
        query = query.where(Response.created_at < end)
    if scenario_ids is not None:
        query = query.where(Response.scenario_id.in_(list(scenario_ids)))
    if teams is not None:
        query = query.where(User.team.in_(list(teams)))
    answers: dict[int, list[Answer]] = defaultdict(list)
    who: dict[int, tuple[str, str]] = {}
    for user_id, name, team, scenario_id, n_votes, pick in session.execute(query):
        answers[user_id].append(Answer(scenario_id, int(n_votes), bool(pick)))
        who[user_id] = (name, team or NO_TEAM)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0, 0])
    for user_id, given in answers.items():
        name, team = who[user_id]
        line = totals[name if by == "person" else team]
        line[0] += learning.points(given)
        line[1] += len(given)
        line[2] += sum(a.votes for a in given)
        line[3] += sum(a.coach_pick for a in given)
    return learning.rank(
        (key, round(p, 4), int(a), int(v), int(k)) for key, (p, a, v, k) in totals.items()
    )


def period_leaderboard(
    session: Session, period: str = "week", by: str = "person", now: datetime | None = None
) -> list[Standing]:
    """The leaderboard of the current calendar week or month (UTC), without a campaign."""
    start, end = learning.period_bounds(period, (now or datetime.now(UTC)).astimezone(UTC))
    return standings(session, by=by, start=start, end=end)
