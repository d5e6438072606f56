"""Peer learning in the store: advisors' answers, votes and comments, the coach's picks, points,
leaderboards and an advisor's progress (the rules are in curation.learning); challenge campaigns
are store.campaigns. Each action also queues its xAPI statement in the same transaction
(store.xapi)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curation import learning
from curation.learning import Answer, Standing
from curation.review import ReviewState
from store import xapi
from store.models import Response, ResponseComment, Scenario, User, Vote
from store.users import record_audit

BY = ("person", "team")
NO_TEAM = "(no team)"
STANDING_COLUMNS = ["rank", "name", "points", "answers", "votes", "picks"]


def aware(value: datetime) -> datetime:
    """A stored time with its time zone (SQLite keeps none: UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------- answers, votes, comments


@dataclass(frozen=True)
class ResponseNote:
    """A comment on a response."""

    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class ResponseView:
    """An advisor's answer to a scenario, with its votes and comments."""

    id: int
    scenario_id: int
    user_id: int
    author: str
    text: str
    coach_pick: bool
    created_at: datetime
    votes: int
    voter_ids: tuple[int, ...] = ()
    comments: tuple[ResponseNote, ...] = field(default_factory=tuple)

    @property
    def n_comments(self) -> int:
        return len(self.comments)


def _responses(
    session: Session, ids: list[int] | None = None, scenario_id: int | None = None
) -> list[ResponseView]:
    query = select(Response, User.display_name).join(User, User.id == Response.user_id)
    if ids is not None:
        query = query.where(Response.id.in_(ids))
    if scenario_id is not None:
        query = query.where(Response.scenario_id == scenario_id)
    found = list(session.execute(query.order_by(Response.created_at, Response.id)))
    response_ids = [r.id for r, _ in found]
    voters: dict[int, list[int]] = {i: [] for i in response_ids}
    notes: dict[int, list[ResponseNote]] = {i: [] for i in response_ids}
    if response_ids:
        for response_id, user_id in session.execute(
            select(Vote.response_id, Vote.user_id).where(Vote.response_id.in_(response_ids))
        ):
            voters[response_id].append(user_id)
        for note, author in session.execute(
            select(ResponseComment, User.display_name)
            .join(User, User.id == ResponseComment.user_id)
            .where(ResponseComment.response_id.in_(response_ids))
            .order_by(ResponseComment.created_at, ResponseComment.id)
        ):
            notes[note.response_id].append(ResponseNote(author, note.text, note.created_at))
    return [
        ResponseView(
            id=r.id,
            scenario_id=r.scenario_id,
            user_id=r.user_id,
            author=author,
            text=r.text,
            coach_pick=r.coach_pick,
            created_at=r.created_at,
            votes=len(voters[r.id]),
            voter_ids=tuple(sorted(voters[r.id])),
            comments=tuple(notes[r.id]),
        )
        for r, author in found
    ]


def responses_for(session: Session, *, scenario_id: int) -> list[ResponseView]:
    """Every answer to a scenario, oldest first, with vote counts and comments."""
    return _responses(session, scenario_id=scenario_id)


def submit_response(session: Session, *, scenario_id: int, user_id: int, text: str) -> ResponseView:
    """Record an advisor's answer (redacted as comments are, `redacted`); one per person and
    scenario, only to a published scenario."""
    if not (text or "").strip():
        raise ValueError("the answer is empty")
    scenario = session.get(Scenario, scenario_id)
    if scenario is None or scenario.state != ReviewState.published:
        raise ValueError(f"scenario {scenario_id} is not published")
    if session.get(User, user_id) is None:
        raise ValueError(f"user {user_id} does not exist")
    existing = session.scalar(
        select(Response.id).where(Response.scenario_id == scenario_id, Response.user_id == user_id)
    )
    text = redacted(learning.check_answer(True, existing is not None, text), scenario.language)
    response = Response(scenario_id=scenario_id, user_id=user_id, text=text)
    session.add(response)
    session.flush()
    xapi.record_answer(session, response=response)
    return _responses(session, [response.id])[0]


def vote(session: Session, *, response_id: int, user_id: int) -> None:
    """One vote per person per response, never on one's own answer (ValueError otherwise)."""
    response = session.get(Response, response_id)
    if response is None:
        raise ValueError(f"response {response_id} does not exist")
    already = session.scalar(
        select(Vote.id).where(Vote.response_id == response_id, Vote.user_id == user_id)
    )
    learning.check_vote(user_id, response.user_id, already is not None)
    ballot = Vote(response_id=response_id, user_id=user_id)
    session.add(ballot)
    session.flush()
    xapi.record_vote(session, vote=ballot)


def redacted(text: str, language: str | None) -> str:
    """`text` redacted as customers' comments are (nlp.redact: e-mail addresses, phone, account
    and card numbers, handles and names of persons; the French NER for a French scenario): an
    advisor's answer or comment is shown to peers, who must read neither a customer's name or
    contact details there (an advisor may recall the case they handled) nor a colleague's
    (without a language, the redactor guesses English or French). The first call in a process
    loads the redactor's word lists and French NER (a few seconds)."""
    from nlp.redact import redact  # loads its models once: lazily

    return redact(text, language or None)[0]


def comment_on_response(session: Session, *, response_id: int, user_id: int, text: str) -> None:
    """Add a peer comment to an answer (redacted as comments are, `redacted`)."""
    text = learning.check_comment(text)
    response = session.get(Response, response_id)
    if response is None:
        raise ValueError(f"response {response_id} does not exist")
    scenario = session.get(Scenario, response.scenario_id)
    text = redacted(text, scenario.language if scenario else None)
    comment = ResponseComment(response_id=response_id, user_id=user_id, text=text)
    session.add(comment)
    session.flush()
    xapi.record_comment(session, comment=comment)


# ---------------------------------------------------------------------------- picks and standings


def pick_response(session: Session, *, response_id: int, actor: str, picked: bool = True) -> None:
    """A coach picks (or unpicks) an answer as one of the best; audited. `actor` is a username."""
    user = session.scalar(select(User).where(User.username == actor))
    learning.check_pick(str(user.role) if user else "")
    response = session.get(Response, response_id)
    if response is None:
        raise ValueError(f"response {response_id} does not exist")
    if response.coach_pick == picked:
        return
    response.coach_pick = picked
    entry = record_audit(
        session,
        actor=actor,
        action="response.pick" if picked else "response.unpick",
        entity="response",
        entity_id=response_id,
        detail={"scenario_id": response.scenario_id, "author_id": response.user_id},
    )
    session.flush()
    xapi.record_pick(session, entry=entry)


def standings(
    session: Session,
    *,
    by: str = "person",
    start: datetime | None = None,
    end: datetime | None = None,
    scenario_ids: Iterable[int] | None = None,
    teams: Iterable[str] | None = None,
    bonus: dict[int, float] | None = None,
) -> list[Standing]:
    """A leaderboard of the answers given in [start, end), optionally only to these scenarios and by
    members of these teams; by person (display name) or by team (the sum of its members' points).
    `bonus` adds points by user id (a campaign's quiz challenge)."""
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
    bonus = bonus or {}
    team_list = None if teams is None else list(teams)
    for user in session.scalars(select(User).where(User.id.in_(list(bonus.keys() - who.keys())))):
        if team_list is None or user.team in team_list:
            answers[user.id] = []
            who[user.id] = (user.display_name, user.team or NO_TEAM)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0, 0, 0.0])
    for user_id, given in answers.items():
        name, team = who[user_id]
        line = totals[name if by == "person" else team]
        line[0] += learning.points(given) + bonus.get(user_id, 0.0)
        line[1] += len(given)
        line[2] += sum(a.votes for a in given)
        line[3] += sum(a.coach_pick for a in given)
        line[4] += bonus.get(user_id, 0.0)
    return learning.rank(
        (key, round(p, 4), int(a), int(v), int(k), round(q, 4))
        for key, (p, a, v, k, q) in totals.items()
    )


def period_leaderboard(
    session: Session, *, period: str = "week", by: str = "person", now: datetime | None = None
) -> list[Standing]:
    """The leaderboard of the current calendar week or month (UTC), without a campaign."""
    start, end = learning.period_bounds(period, (now or datetime.now(UTC)).astimezone(UTC))
    return standings(session, by=by, start=start, end=end)


def standings_frame(lines: Iterable[learning.Standing], quiz: bool = False) -> pd.DataFrame:
    """Leaderboard lines as a table; with `quiz`, the quiz challenge's share of the points too."""
    columns = [*STANDING_COLUMNS, "quiz"] if quiz else STANDING_COLUMNS
    return pd.DataFrame(
        [(s.rank, s.name, s.points, s.answers, s.votes, s.picks, s.quiz) for s in lines],
        columns=[*STANDING_COLUMNS, "quiz"],
    )[columns]


def period_standings(
    session: Session, *, period: str = "week", by: str = "person", now: datetime | None = None
) -> pd.DataFrame:
    """This calendar week's or month's leaderboard by person or team."""
    return standings_frame(period_leaderboard(session, period=period, by=by, now=now))


# ---------------------------------------------------------------------------- an advisor's progress


@dataclass(frozen=True)
class AdvisorProgress:
    """An advisor's answers and points."""

    answers: pd.DataFrame  # scenario_id, title, answered_at, votes, comments, coach_pick, points
    points_total: float
    points_week: float
    points_month: float
    level: int


def advisor_progress(
    session: Session, *, user_id: int, now: datetime | None = None
) -> AdvisorProgress:
    """What an advisor has answered and earned: in all, this calendar week and this month."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    user = session.get(User, user_id)
    titles = dict(session.execute(select(Scenario.id, Scenario.title)).tuples().all())
    ids = list(session.scalars(select(Response.id).where(Response.user_id == user_id)))
    mine = _responses(session, ids) if ids else []
    rows = [
        {
            "scenario_id": r.scenario_id,
            "title": titles.get(r.scenario_id, ""),
            "answered_at": aware(r.created_at),
            "votes": r.votes,
            "comments": r.n_comments,
            "coach_pick": r.coach_pick,
            "points": round(
                learning.BASE_POINTS + learning.response_points(r.votes, r.coach_pick), 2
            ),
        }
        for r in reversed(mine)
    ]
    answers = pd.DataFrame(
        rows,
        columns=[
            "scenario_id",
            "title",
            "answered_at",
            "votes",
            "comments",
            "coach_pick",
            "points",
        ],
    )

    def earned(start: datetime | None = None, end: datetime | None = None) -> float:
        return learning.points(
            learning.Answer(r.scenario_id, r.votes, r.coach_pick)
            for r in mine
            if (start is None or aware(r.created_at) >= start)
            and (end is None or aware(r.created_at) < end)
        )

    return AdvisorProgress(
        answers=answers,
        points_total=earned(),
        points_week=earned(*learning.period_bounds("week", now)),
        points_month=earned(*learning.period_bounds("month", now)),
        level=user.level if user else 1,
    )
