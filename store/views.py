"""Read and write functions behind the dashboard pages: they take a session, flush at most."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curation import learning
from curation.review import path_to, transition
from store.models import (
    Analysis,
    Case,
    Comment,
    Family,
    QuarantinedRecord,
    Response,
    ResponseComment,
    ReviewState,
    Scenario,
    ScenarioVersion,
    Source,
    Thread,
    User,
    Vote,
    utcnow,
)
from store.users import record_audit

NEGATIVE_START_ARCS = ("recovery", "escalation", "unresolved")
TREND_GROUPS = ("channel", "sentiment")

CASE_QUEUE_COLUMNS = [
    "case_id",
    "score",
    "arc",
    "situation",
    "emotion",
    "language",
    "channel",
    "duplicate_count",
    "family",
    "state",
    "scenario_id",
    "scenario_title",
    "scenario_state",
    "created_at",
]


class AdvisorLike(Protocol):
    language: str
    level: int
    team: str | None


# ---------------------------------------------------------------------------- small read models


@dataclass(frozen=True)
class ScenarioView:
    """A scenario as the pages show it."""

    id: int
    case_id: int
    title: str
    language: str
    level: int
    skill_axis: str
    body: dict[str, Any]
    model_answer: str | None
    target_teams: list[str]
    state: str
    version: int
    published_at: datetime | None


@dataclass(frozen=True)
class CaseDetail:
    """One case: its labels, its conversation (redacted) and its latest scenario draft."""

    id: int
    thread_id: int
    arc: str
    score: float
    score_parts: dict[str, Any]
    situation: str
    emotion: str
    language: str
    channel: str
    state: str
    pivotal_comment_id: int | None
    comments: pd.DataFrame
    scenario: ScenarioView | None
    duplicate_count: int = 1
    family: str | None = None


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


@dataclass(frozen=True)
class RecoveryRate:
    """Share of negative-start cases that ended in a recovery."""

    recovered: int
    negative_start: int

    @property
    def rate(self) -> float | None:
        return self.recovered / self.negative_start if self.negative_start else None


def _scenario_view(s: Scenario) -> ScenarioView:
    return ScenarioView(
        id=s.id,
        case_id=s.case_id,
        title=s.title,
        language=s.language,
        level=s.level,
        skill_axis=s.skill_axis,
        body=dict(s.body or {}),
        model_answer=s.model_answer,
        target_teams=[str(t) for t in (s.target_teams or [])],
        state=str(s.state),
        version=s.version,
        published_at=s.published_at,
    )


def _latest_analysis_ids():  # type: ignore[no-untyped-def]
    """Subquery: the newest analysis (highest id) of each comment."""
    return (
        select(Analysis.comment_id, func.max(Analysis.id).label("analysis_id"))
        .group_by(Analysis.comment_id)
        .subquery()
    )


# ---------------------------------------------------------------------------- coach


def case_filter_options(session: Session) -> dict[str, list[str]]:
    """The distinct situations, channels, languages and arcs of the cases, for filter widgets."""
    options: dict[str, list[str]] = {}
    for name in ("situation", "channel", "language", "arc"):
        column = getattr(Case, name)
        options[name] = [
            v for v in session.scalars(select(column).distinct().order_by(column)) if v
        ]
    return options


def case_queue(
    session: Session,
    situation: str | None = None,
    channel: str | None = None,
    language: str | None = None,
    arc: str | None = None,
    limit: int = 200,
    emotion: str | None = None,
    days: int | None = None,
) -> pd.DataFrame:
    """Cases with their latest scenario, most notable first; score parts become `score_<part>` columns.

    `days` keeps the cases whose conversation was active in the last `days` before the newest
    comment (the store's "now", so an imported history has a last week too).
    """
    latest = (
        select(Scenario.case_id, func.max(Scenario.id).label("scenario_id"))
        .group_by(Scenario.case_id)
        .subquery()
    )
    query = (
        select(Case, Scenario, Family.name)
        .outerjoin(latest, latest.c.case_id == Case.id)
        .outerjoin(Scenario, Scenario.id == latest.c.scenario_id)
        .outerjoin(Family, Family.id == Case.family_id)
        .order_by(Case.score.desc(), Case.id)
        .limit(limit)
    )
    for name, value in (
        ("situation", situation),
        ("channel", channel),
        ("language", language),
        ("arc", arc),
        ("emotion", emotion),
    ):
        if value:
            query = query.where(getattr(Case, name) == value)
    if days:
        since = period_reference(session) - timedelta(days=days)
        active = func.coalesce(Thread.last_comment_at, Case.created_at)
        query = query.join(Thread, Thread.id == Case.thread_id).where(active >= since)
    rows = []
    for case, scenario, family in session.execute(query):
        row: dict[str, Any] = {
            "case_id": case.id,
            "score": case.score,
            "arc": case.arc,
            "situation": case.situation,
            "emotion": case.emotion,
            "language": case.language,
            "channel": case.channel,
            "duplicate_count": case.duplicate_count,
            "family": family,
            "state": str(case.state),
            "scenario_id": scenario.id if scenario else None,
            "scenario_title": scenario.title if scenario else None,
            "scenario_state": str(scenario.state) if scenario else None,
            "created_at": case.created_at,
        }
        for part, value in (case.score_parts or {}).items():
            row[f"score_{part}"] = value
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=CASE_QUEUE_COLUMNS)
    parts = sorted(c for c in frame.columns if c not in CASE_QUEUE_COLUMNS)
    return frame[CASE_QUEUE_COLUMNS[:2] + parts + CASE_QUEUE_COLUMNS[2:]]


def case_detail(
    session: Session, case_id: int, include_original: bool = False
) -> CaseDetail | None:
    """A case with its thread's comments in order, shown through their latest analysis (redacted)."""
    case = session.get(Case, case_id)
    if case is None:
        return None
    latest = _latest_analysis_ids()
    query = (
        select(Comment, Analysis)
        .outerjoin(latest, latest.c.comment_id == Comment.id)
        .outerjoin(Analysis, Analysis.id == latest.c.analysis_id)
        .where(Comment.thread_id == case.thread_id)
        .order_by(Comment.created_at, Comment.id)
    )
    rows = []
    for comment, analysis in session.execute(query):
        row: dict[str, Any] = {
            "comment_id": comment.id,
            "created_at": comment.created_at,
            "author_role": str(comment.author_role),
            "channel": comment.channel,
            # Never fall back to the raw text: a comment not yet analysed is not yet redacted.
            "text": analysis.redacted_text if analysis else None,
            "language": analysis.language if analysis else None,
            "sentiment": analysis.sentiment if analysis else None,
            "emotion": analysis.emotion if analysis else None,
            "situation": analysis.situation if analysis else None,
            "is_pivotal": comment.id == case.pivotal_comment_id,
        }
        if include_original:
            row["original_text"] = comment.text
        rows.append(row)
    columns = [
        "comment_id",
        "created_at",
        "author_role",
        "channel",
        "text",
        "language",
        "sentiment",
        "emotion",
        "situation",
        "is_pivotal",
    ] + (["original_text"] if include_original else [])
    scenario = session.scalar(
        select(Scenario).where(Scenario.case_id == case.id).order_by(Scenario.id.desc()).limit(1)
    )
    return CaseDetail(
        id=case.id,
        thread_id=case.thread_id,
        arc=case.arc,
        score=case.score,
        score_parts=dict(case.score_parts or {}),
        situation=case.situation,
        emotion=case.emotion,
        language=case.language,
        channel=case.channel,
        state=str(case.state),
        pivotal_comment_id=case.pivotal_comment_id,
        comments=pd.DataFrame(rows, columns=columns),
        scenario=_scenario_view(scenario) if scenario else None,
        duplicate_count=case.duplicate_count,
        family=session.scalar(select(Family.name).where(Family.id == case.family_id))
        if case.family_id
        else None,
    )


def _move(
    session: Session,
    obj: Case | Scenario,
    entity: str,
    target: str,
    actor: str,
    reason: str | None = None,
) -> None:
    """Walk `obj` through the review workflow to `target`, one audited legal move at a time."""
    for step in path_to(str(obj.state), target):
        before = str(obj.state)
        obj.state = ReviewState(transition(before, step).value)
        record_audit(
            session,
            actor,
            f"{entity}.transition",
            entity,
            obj.id,
            {"from": before, "to": str(step), "reason": reason or f"towards {target}"},
        )


def _move_once(
    session: Session, obj: Case | Scenario, entity: str, target: str, actor: str, reason: str
) -> str:
    """One legal move with its reason in the audit log; an illegal move raises and records nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("say why: a move needs a reason")
    before = str(obj.state)
    obj.state = ReviewState(transition(before, target).value)
    record_audit(
        session,
        actor,
        f"{entity}.transition",
        entity,
        obj.id,
        {"from": before, "to": str(obj.state), "reason": reason},
    )
    return str(obj.state)


def move_case(session: Session, case_id: int, target: str, actor: str, reason: str) -> str:
    """Move a case one step in the review workflow (IllegalTransition if not allowed); returns its state."""
    case = session.get(Case, case_id)
    if case is None:
        raise ValueError(f"case {case_id} does not exist")
    return _move_once(session, case, "case", target, actor, reason)


def move_scenario(session: Session, scenario_id: int, target: str, actor: str, reason: str) -> str:
    """Move a scenario one step in the review workflow (IllegalTransition if not allowed); returns its state."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise ValueError(f"scenario {scenario_id} does not exist")
    if target == ReviewState.published and not (scenario.model_answer or "").strip():
        raise ValueError("write the model answer before publishing")
    state = _move_once(session, scenario, "scenario", target, actor, reason)
    if state == ReviewState.published and scenario.published_at is None:
        scenario.published_at = utcnow()
    session.flush()
    return state


SKILL_AXES = ("operational", "relational", "managerial")


def edit_scenario(
    session: Session,
    scenario_id: int,
    actor: str,
    title: str | None = None,
    body: dict[str, Any] | None = None,
    model_answer: str | None = None,
    level: int | None = None,
    skill_axis: str | None = None,
    language: str | None = None,
    target_teams: Iterable[str] | None = None,
    reason: str | None = None,
) -> ScenarioView:
    """Edit a scenario, keeping the previous content as a version; audited (with `reason` if given).

    A candidate draft moves to in_review (and its case too), so curation stops rewriting it.
    """
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise ValueError(f"scenario {scenario_id} does not exist")
    if scenario.state in (ReviewState.archived, ReviewState.rejected):
        raise ValueError(f"scenario {scenario_id} is {scenario.state}: move it back before editing")
    if level is not None and level not in (1, 2, 3):
        raise ValueError(f"level must be 1, 2 or 3, not {level!r}")
    if skill_axis is not None and skill_axis not in SKILL_AXES:
        raise ValueError(f"skill axis must be one of {', '.join(SKILL_AXES)}, not {skill_axis!r}")
    if language is not None and language not in ("en", "fr"):
        raise ValueError(f"language must be en or fr, not {language!r}")
    if title is not None and not title.strip():
        raise ValueError("the title is empty")
    new: dict[str, Any] = {
        "title": title.strip()[:300] if title is not None else None,
        "body": dict(body) if body is not None else None,
        "model_answer": model_answer.strip() if model_answer is not None else None,
        "level": level,
        "skill_axis": skill_axis,
        "language": language,
        "target_teams": sorted({t.strip() for t in target_teams if t and t.strip()})
        if target_teams is not None
        else None,
    }
    changed = {
        name: value
        for name, value in new.items()
        if value is not None and value != getattr(scenario, name)
    }
    if not changed:
        return _scenario_view(scenario)
    session.add(
        ScenarioVersion(
            scenario_id=scenario.id,
            version=scenario.version,
            title=scenario.title,
            body=dict(scenario.body or {}),
            model_answer=scenario.model_answer,
            level=scenario.level,
            skill_axis=scenario.skill_axis,
            edited_by=actor,
        )
    )
    for name, value in changed.items():
        setattr(scenario, name, value)
    scenario.version += 1
    record_audit(
        session,
        actor,
        "scenario.edit",
        "scenario",
        scenario.id,
        {"fields": sorted(changed), "version": scenario.version}
        | ({"reason": reason.strip()} if reason and reason.strip() else {}),
    )
    if scenario.state == ReviewState.candidate:
        _move_once(session, scenario, "scenario", "in_review", actor, "edited by a coach")
        if scenario.case.state == ReviewState.candidate:
            _move_once(session, scenario.case, "case", "in_review", actor, "scenario edited")
    session.flush()
    return _scenario_view(scenario)


def scenario_versions(session: Session, scenario_id: int) -> list[dict[str, Any]]:
    """The earlier versions of a scenario, oldest first."""
    return [
        {
            "version": v.version,
            "title": v.title,
            "body": v.body,
            "model_answer": v.model_answer,
            "level": v.level,
            "skill_axis": v.skill_axis,
            "edited_by": v.edited_by,
            "created_at": v.created_at,
        }
        for v in session.scalars(
            select(ScenarioVersion)
            .where(ScenarioVersion.scenario_id == scenario_id)
            .order_by(ScenarioVersion.version)
        )
    ]


def publish_scenario(
    session: Session,
    scenario_id: int,
    actor: str,
    model_answer: str | None = None,
    level: int | None = None,
    target_teams: Iterable[str] | None = None,
    reason: str | None = None,
) -> ScenarioView:
    """Set the coach's edits and move the scenario (and its case) to published, with audit lines."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise ValueError(f"scenario {scenario_id} does not exist")
    if level is not None and level not in (1, 2, 3):
        raise ValueError(f"level must be 1, 2 or 3, not {level!r}")
    changes: dict[str, Any] = {}
    if model_answer is not None and model_answer.strip() != (scenario.model_answer or ""):
        scenario.model_answer = model_answer.strip()
        changes["model_answer"] = True
    if not (scenario.model_answer or "").strip():
        raise ValueError("write the model answer before publishing")
    if level is not None and level != scenario.level:
        changes["level"] = [scenario.level, level]
        scenario.level = level
    if target_teams is not None:
        teams = sorted({t.strip() for t in target_teams if t and t.strip()})
        if teams != sorted(scenario.target_teams or []):
            changes["target_teams"] = teams
            scenario.target_teams = teams
    was_published = scenario.state == ReviewState.published
    _move(session, scenario, "scenario", "published", actor, reason)
    if was_published and changes:
        scenario.version += 1
    if not was_published:
        scenario.published_at = utcnow()
    _move(session, scenario.case, "case", "published", actor, reason)
    record_audit(session, actor, "scenario.publish", "scenario", scenario.id, changes)
    session.flush()
    return _scenario_view(scenario)


def list_scenarios(session: Session, state: str | None = None) -> pd.DataFrame:
    """All scenarios (or those in `state`), newest first."""
    query = select(Scenario).order_by(Scenario.id.desc())
    if state:
        query = query.where(Scenario.state == ReviewState(state))
    rows = [
        {
            "scenario_id": s.id,
            "case_id": s.case_id,
            "title": s.title,
            "language": s.language,
            "level": s.level,
            "state": str(s.state),
            "target_teams": ", ".join(s.target_teams or []),
            "published_at": s.published_at,
        }
        for s in session.scalars(query)
    ]
    columns = [
        "scenario_id",
        "case_id",
        "title",
        "language",
        "level",
        "state",
        "target_teams",
        "published_at",
    ]
    return pd.DataFrame(rows, columns=columns)


def get_scenario(session: Session, scenario_id: int) -> ScenarioView | None:
    """One scenario, or None."""
    scenario = session.get(Scenario, scenario_id)
    return _scenario_view(scenario) if scenario else None


# ---------------------------------------------------------------------------- advisor


def scenarios_for_advisor(session: Session, user: AdvisorLike) -> list[ScenarioView]:
    """Published scenarios for the user's level and team, in their language (all languages if none)."""
    query = (
        select(Scenario)
        .where(Scenario.state == ReviewState.published, Scenario.level <= user.level)
        .order_by(Scenario.published_at.desc(), Scenario.id.desc())
    )
    # target_teams is JSON: filtered here, fine at the scale of a training catalogue.
    eligible = [
        s for s in session.scalars(query) if not s.target_teams or user.team in s.target_teams
    ]
    in_language = [s for s in eligible if s.language == user.language]
    return [_scenario_view(s) for s in (in_language or eligible)]


def submit_response(session: Session, scenario_id: int, user_id: int, text: str) -> ResponseView:
    """Record an advisor's answer; one per person and scenario, only to a published scenario."""
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
    text = learning.check_answer(True, existing is not None, text)
    response = Response(scenario_id=scenario_id, user_id=user_id, text=text)
    session.add(response)
    session.flush()
    return _responses(session, [response.id])[0]


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


def responses_for(session: Session, scenario_id: int) -> list[ResponseView]:
    """Every answer to a scenario, oldest first, with vote counts and comments."""
    return _responses(session, scenario_id=scenario_id)


def vote(session: Session, response_id: int, user_id: int) -> None:
    """One vote per person per response, never on one's own answer (ValueError otherwise)."""
    response = session.get(Response, response_id)
    if response is None:
        raise ValueError(f"response {response_id} does not exist")
    already = session.scalar(
        select(Vote.id).where(Vote.response_id == response_id, Vote.user_id == user_id)
    )
    learning.check_vote(user_id, response.user_id, already is not None)
    session.add(Vote(response_id=response_id, user_id=user_id))
    session.flush()


def comment_on_response(session: Session, response_id: int, user_id: int, text: str) -> None:
    """Add a peer comment to an answer."""
    text = learning.check_comment(text)
    if session.get(Response, response_id) is None:
        raise ValueError(f"response {response_id} does not exist")
    session.add(ResponseComment(response_id=response_id, user_id=user_id, text=text))
    session.flush()


# ---------------------------------------------------------------------------- leader


def recovery_rate(
    session: Session,
    days: int | None = None,
    now: datetime | None = None,
    channel: str | None = None,
    situation: str | None = None,
    language: str | None = None,
) -> RecoveryRate:
    """Cases with arc "recovery" among cases that started negative (recovery, escalation, unresolved).

    With `days`, only the cases whose conversation ended in the last `days` (its thread's last
    comment; the case's creation when the thread has no dates).
    """
    query = select(Case.arc, func.count(Case.id)).where(Case.arc.in_(NEGATIVE_START_ARCS))
    if days is not None:
        now = now or datetime.now(UTC)
        ended = func.coalesce(Thread.last_comment_at, Thread.started_at, Case.created_at)
        query = query.join(Thread, Thread.id == Case.thread_id).where(
            ended >= now - timedelta(days=days)
        )
    for name, value in (("channel", channel), ("situation", situation), ("language", language)):
        if value:
            query = query.where(getattr(Case, name) == value)
    counts = dict(session.execute(query.group_by(Case.arc)).tuples().all())
    return RecoveryRate(recovered=counts.get("recovery", 0), negative_start=sum(counts.values()))


# Leader pages read daily_feedback (kept by enrichment, see store/summaries.py), never comments.
TREND_DIMENSIONS = ("channel", "source", "situation", "sentiment", "emotion", "language")
EMERGING_WEEKS = 8  # the history a week is compared with
EMERGING_Z = 2.0
EMERGING_MIN_COUNT = 5


def current_version(session: Session) -> str | None:
    """The classifier version the leader pages show: the newest analysis's (an index lookup)."""
    from store.summaries import latest_version

    return latest_version(session)


def feedback_reference(
    session: Session, version: str | None = None, now: datetime | None = None
) -> datetime:
    """Where the leader's periods end: now, or the end of the newest summarised day when the
    store holds only older comments (an imported history still shows its last weeks)."""
    from store.models import DailyFeedback as F

    now = now or datetime.now(UTC)
    version = version or current_version(session)
    if version is None:
        return now
    newest = session.scalar(select(func.max(F.day)).where(F.classifier_version == version))
    if newest is None:
        return now
    if not isinstance(newest, date):
        newest = date.fromisoformat(str(newest))
    end = datetime(newest.year, newest.month, newest.day, 23, 59, 59, tzinfo=UTC)
    return min(now, end)


def _feedback_rows(
    session: Session,
    version: str,
    since: date | None,
    until: date | None,
    filters: dict[str, str | None],
) -> Any:
    """A select over daily_feedback of `version`, between two days, with equality filters."""
    from store.models import DailyFeedback as F

    query = select().select_from(F).where(F.classifier_version == version)
    if since is not None:
        query = query.where(F.day >= since)
    if until is not None:
        query = query.where(F.day <= until)
    for name, value in filters.items():
        if not value:
            continue
        if name == "source":
            query = query.where(
                F.source_id == select(Source.id).where(Source.name == value).scalar_subquery()
            )
        elif name in TREND_DIMENSIONS:
            query = query.where(getattr(F, name) == value)
        else:
            raise ValueError(f"no filter called {name!r}")
    return query


def _dimension(name: str) -> Any:
    from store.models import DailyFeedback as F

    if name == "source":
        return select(Source.name).where(Source.id == F.source_id).scalar_subquery()
    return getattr(F, name)


def _empty_trend() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": pd.Series(dtype="datetime64[ns]"),
            "group": pd.Series(dtype=str),
            "comments": pd.Series(dtype="int64"),
        }
    )


def summary_trend(
    session: Session,
    days: int = 30,
    by: str = "channel",
    now: datetime | None = None,
    version: str | None = None,
    **filters: str | None,
) -> pd.DataFrame:
    """Comments per day and `by` (channel, source, situation, sentiment, emotion, language) over
    the last `days`, from daily_feedback of the current classifier version, zero-filled:
    day, group, comments. `filters` are equalities on the same dimensions."""
    from store.models import DailyFeedback as F

    if by not in TREND_DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(TREND_DIMENSIONS)}, not {by!r}")
    version = version or current_version(session)
    if version is None:
        return _empty_trend()
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    since = today - timedelta(days=days)
    group = _dimension(by)
    query = (
        _feedback_rows(session, version, since, today, filters)
        .add_columns(F.day, group.label("group"), func.sum(F.comments))
        .group_by(F.day, group)
    )
    raw = pd.DataFrame(list(session.execute(query).tuples()), columns=["day", "group", "comments"])
    raw = raw[raw["comments"] > 0]
    if raw.empty:
        return _empty_trend()
    raw["day"] = pd.to_datetime(raw["day"])
    raw["group"] = raw["group"].fillna("unknown").astype(str)
    counts = raw.groupby(["day", "group"])["comments"].sum()
    grid = pd.MultiIndex.from_product(
        [pd.date_range(since, today, freq="D"), sorted(raw["group"].unique())],
        names=["day", "group"],
    )
    out = counts.reindex(grid, fill_value=0).reset_index()
    out["comments"] = out["comments"].astype("int64")
    return out


def trend_options(session: Session, version: str | None = None) -> dict[str, list[str]]:
    """The values of each trend dimension in daily_feedback of the current version, for filters."""
    from store.models import DailyFeedback as F

    version = version or current_version(session)
    options: dict[str, list[str]] = {name: [] for name in TREND_DIMENSIONS}
    if version is None:
        return options
    # One pass over the version's rows (a few per day and label), not one query per dimension.
    columns = [F.source_id, F.channel, F.situation, F.sentiment, F.emotion, F.language]
    rows = session.execute(
        select(*columns).where(F.classifier_version == version).group_by(*columns)
    ).all()
    names = dict(session.execute(select(Source.id, Source.name)).tuples().all())
    values: dict[str, set[str]] = {name: set() for name in TREND_DIMENSIONS}
    for source_id, channel, situation, sentiment, emotion, language in rows:
        values["source"].add(names.get(source_id, str(source_id)))
        values["channel"].add(channel)
        values["situation"].add(situation)
        values["sentiment"].add(sentiment)
        values["emotion"].add(emotion)
        values["language"].add(language)
    return {name: sorted(v for v in values[name] if v) for name in TREND_DIMENSIONS}


@dataclass(frozen=True)
class Emerging:
    """Situations this week against their own previous weeks, and the weekly counts behind them."""

    table: pd.DataFrame  # situation, this_week, mean, std, z, flagged
    weekly: pd.DataFrame  # situation, week (its first day), comments
    week_start: date | None
    chart: pd.DataFrame = field(default_factory=pd.DataFrame)  # the weekly rows worth a chart


EMERGING_COLUMNS = ["situation", "this_week", "mean", "std", "z", "flagged"]


def emerging_situations(
    session: Session,
    now: datetime | None = None,
    weeks: int = EMERGING_WEEKS,
    z_min: float = EMERGING_Z,
    min_count: int = EMERGING_MIN_COUNT,
    version: str | None = None,
    **filters: str | None,
) -> Emerging:
    """Each situation's comments in the last 7 days against the mean and std of the `weeks` weeks
    before; flagged when z >= `z_min` and the count >= `min_count`.

    The std is floored at 1, so a situation never seen before needs `min_count` comments, and
    a flat history does not turn one extra comment into an alarm.
    """
    from store.models import DailyFeedback as F

    empty = Emerging(
        pd.DataFrame(columns=EMERGING_COLUMNS),
        pd.DataFrame(columns=["situation", "week", "comments"]),
        None,
    )
    version = version or current_version(session)
    if version is None:
        return empty
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    first = today - timedelta(days=7 * (weeks + 1) - 1)
    query = (
        _feedback_rows(session, version, first, today, filters)
        .add_columns(F.day, F.situation, func.sum(F.comments))
        .group_by(F.day, F.situation)
    )
    raw = pd.DataFrame(
        list(session.execute(query).tuples()), columns=["day", "situation", "comments"]
    )
    if raw.empty or raw["comments"].sum() <= 0:
        return empty
    ago = [
        (today - (d if isinstance(d, date) else date.fromisoformat(str(d)))).days // 7
        for d in raw["day"]
    ]
    raw["weeks_ago"] = ago
    counts = (
        raw.groupby(["situation", "weeks_ago"])["comments"]
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=range(weeks + 1), fill_value=0)
    )
    this_week = counts[0]
    history = counts[list(range(1, weeks + 1))]
    mean = history.mean(axis=1)
    std = history.std(axis=1, ddof=0).clip(lower=1.0)
    z = (this_week - mean) / std
    table = pd.DataFrame(
        {
            "situation": counts.index.astype(str),
            "this_week": this_week.astype("int64").values,
            "mean": mean.round(1).values,
            "std": std.round(1).values,
            "z": z.round(2).values,
        }
    )
    table["flagged"] = (table["z"] >= z_min) & (table["this_week"] >= min_count)
    table = table.sort_values(["flagged", "z", "this_week"], ascending=False, kind="stable")
    week_start = today - timedelta(days=6)
    weekly = counts.stack().rename("comments").reset_index()
    weekly["week"] = [week_start - timedelta(days=7 * int(k)) for k in weekly["weeks_ago"]]
    weekly["week"] = pd.to_datetime(weekly["week"])
    weekly = weekly[["situation", "week", "comments"]].sort_values(["situation", "week"])
    # The flagged situations, or the most rising ones when none is: a readable handful of lines.
    shown = list(table.loc[table["flagged"], "situation"])[:8] or list(table["situation"])[:5]
    chart = weekly[weekly["situation"].isin(shown)].reset_index(drop=True)
    return Emerging(table.reset_index(drop=True), weekly.reset_index(drop=True), week_start, chart)


FAMILY_COLUMNS = ["family", "situation", "size", "this_week", "weekly_before", "z", "flagged"]


def emerging_families(
    session: Session,
    weeks: int = EMERGING_WEEKS,
    z_min: float = EMERGING_Z,
    min_count: int = EMERGING_MIN_COUNT,
    situation: str | None = None,
    limit: int = 50,
) -> pd.DataFrame:
    """Families whose size this week stands out against the rest of their size.

    Families keep no weekly history: the rest of their size is spread over the `weeks` weeks
    before (a Poisson baseline), z = (this week - baseline) / sqrt(max(baseline, 1)).
    """
    query = select(Family.name, Family.situation, Family.size, Family.size_this_week).where(
        Family.size > 0
    )
    if situation:
        query = query.where(Family.situation == situation)
    rows = []
    for name, fam_situation, size, this_week in session.execute(query):
        baseline = max(size - this_week, 0) / weeks
        z = (this_week - baseline) / max(baseline, 1.0) ** 0.5
        rows.append(
            {
                "family": name,
                "situation": fam_situation,
                "size": size,
                "this_week": this_week,
                "weekly_before": round(baseline, 1),
                "z": round(z, 2),
                "flagged": z >= z_min and this_week >= min_count,
            }
        )
    frame = pd.DataFrame(rows, columns=FAMILY_COLUMNS)
    if frame.empty:
        return frame
    frame = frame.sort_values(["flagged", "z", "this_week"], ascending=False, kind="stable")
    return frame.head(limit).reset_index(drop=True)


COVERAGE_COLUMNS = [
    "situation",
    "comments",
    "cases",
    "published_scenarios",
    "advisors_practised",
    "gap",
]


def training_coverage(
    session: Session,
    days: int = 30,
    now: datetime | None = None,
    version: str | None = None,
    **filters: str | None,
) -> pd.DataFrame:
    """Per situation: comments over the last `days` (daily_feedback), cases, published scenarios
    and distinct advisors who answered them (all time). `gap` marks situations with at least the
    average number of comments and no published scenario."""
    from store.models import DailyFeedback as F

    comments: dict[str, int] = {}
    version = version or current_version(session)
    if version is not None:
        today = (now or datetime.now(UTC)).astimezone(UTC).date()
        query = (
            _feedback_rows(session, version, today - timedelta(days=days), today, filters)
            .add_columns(F.situation, func.sum(F.comments))
            .group_by(F.situation)
        )
        comments = {s: int(n or 0) for s, n in session.execute(query).tuples()}
    case_filters = [
        getattr(Case, name) == value
        for name, value in filters.items()
        if value and name in ("channel", "language")
    ]
    cases = dict(
        session.execute(
            select(Case.situation, func.count(Case.id))
            .where(*case_filters)
            .group_by(Case.situation)
        )
        .tuples()
        .all()
    )
    published = dict(
        session.execute(
            select(Case.situation, func.count(Scenario.id))
            .join(Case, Case.id == Scenario.case_id)
            .where(Scenario.state == ReviewState.published, *case_filters)
            .group_by(Case.situation)
        )
        .tuples()
        .all()
    )
    practised = dict(
        session.execute(
            select(Case.situation, func.count(func.distinct(Response.user_id)))
            .join(Scenario, Scenario.id == Response.scenario_id)
            .join(Case, Case.id == Scenario.case_id)
            .where(*case_filters)
            .group_by(Case.situation)
        )
        .tuples()
        .all()
    )
    situations = sorted(set(comments) | set(cases) | set(published))
    frame = pd.DataFrame(
        [
            {
                "situation": s,
                "comments": comments.get(s, 0),
                "cases": int(cases.get(s, 0)),
                "published_scenarios": int(published.get(s, 0)),
                "advisors_practised": int(practised.get(s, 0)),
            }
            for s in situations
        ],
        columns=COVERAGE_COLUMNS[:-1],
    )
    if frame.empty:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    seen = frame.loc[frame["comments"] > 0, "comments"]
    average = seen.mean() if not seen.empty else 0
    frame["gap"] = (
        (frame["published_scenarios"] == 0)
        & (frame["comments"] > 0)
        & (frame["comments"] >= average)
    )
    return frame.sort_values(["gap", "comments"], ascending=False, kind="stable").reset_index(
        drop=True
    )


ENGAGEMENT_COLUMNS = ["week", "team", "site", "responses", "votes", "comments"]


def learning_engagement(
    session: Session,
    weeks: int = 12,
    now: datetime | None = None,
    team: str | None = None,
    site: str | None = None,
) -> pd.DataFrame:
    """Answers, votes and comments on answers per week (Monday) and the acting user's team and site."""
    from store.summaries import utc_day

    now = now or datetime.now(UTC)
    since = now - timedelta(weeks=weeks)
    frames = []
    for measure, model in (("responses", Response), ("votes", Vote), ("comments", ResponseComment)):
        # Counted per day in SQL: the weeks are cut in pandas from a few rows per day and team.
        day = utc_day(session, model.created_at)
        query = (
            select(day, User.team, User.site, func.count())
            .join(User, User.id == model.user_id)
            .where(model.created_at >= since, model.created_at <= now)
            .group_by(day, User.team, User.site)
        )
        if team:
            query = query.where(User.team == team)
        if site:
            query = query.where(User.site == site)
        rows = pd.DataFrame(
            list(session.execute(query).tuples()), columns=["day", "team", "site", "n"]
        )
        rows["measure"] = measure
        frames.append(rows)
    raw = pd.concat(frames, ignore_index=True)
    if raw.empty:
        return pd.DataFrame(columns=ENGAGEMENT_COLUMNS)
    day = pd.to_datetime(raw["day"].astype(str))
    raw["week"] = day - pd.to_timedelta(day.dt.weekday, unit="D")
    raw["team"] = raw["team"].fillna("(none)")
    raw["site"] = raw["site"].fillna("(none)")
    out = (
        raw.groupby(["week", "team", "site", "measure"])["n"]
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=["responses", "votes", "comments"], fill_value=0)
        .reset_index()
    )
    out.columns.name = None
    return out[ENGAGEMENT_COLUMNS].sort_values(["week", "team", "site"]).reset_index(drop=True)


def engagement_options(session: Session) -> dict[str, list[str]]:
    """The teams and sites of the accounts, for filters."""
    return {
        name: [
            v
            for v in session.scalars(
                select(getattr(User, name)).distinct().order_by(getattr(User, name))
            )
            if v
        ]
        for name in ("team", "site")
    }


# ---------------------------------------------------------------------------- admin


def quarantine_records(
    session: Session, limit: int = 200, source: str | None = None
) -> pd.DataFrame:
    """The newest quarantined records (of one source, by name, if given) with their reason."""
    query = (
        select(QuarantinedRecord, Source.name)
        .join(Source, Source.id == QuarantinedRecord.source_id)
        .order_by(QuarantinedRecord.id.desc())
        .limit(limit)
    )
    if source:
        query = query.where(Source.name == source)
    rows = [
        {
            "id": q.id,
            "source": name,
            "position": q.position,
            "reason": q.reason,
            "raw": q.raw[:500],
            "created_at": q.created_at,
        }
        for q, name in session.execute(query)
    ]
    return pd.DataFrame(rows, columns=["id", "source", "position", "reason", "raw", "created_at"])


def quarantine_sources(session: Session) -> list[str]:
    """Names of the sources that have quarantined records."""
    return list(
        session.scalars(
            select(Source.name)
            .where(Source.id.in_(select(QuarantinedRecord.source_id)))
            .order_by(Source.name)
        )
    )


def list_users(session: Session, role: str | None = None) -> pd.DataFrame:
    """Users (of one role, if given) without their password hashes."""
    columns = [
        "id",
        "username",
        "display_name",
        "role",
        "team",
        "site",
        "language",
        "level",
        "is_demo",
        "created_at",
    ]
    rows = [
        {c: (str(getattr(u, c)) if c == "role" else getattr(u, c)) for c in columns}
        for u in session.scalars(
            (select(User).where(User.role == role) if role else select(User)).order_by(
                User.username
            )
        )
    ]
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------- coach & advisor pages

PERIOD_DAYS = (7, 30, 90)
STANDING_COLUMNS = ["rank", "name", "points", "answers", "votes", "picks"]
CAMPAIGN_COLUMNS = [
    "campaign_id",
    "name",
    "status",
    "starts_at",
    "ends_at",
    "teams",
    "scenarios",
    "created_by",
]


def period_reference(session: Session) -> datetime:
    """The end of the queue's periods: the newest comment's time (now on a live store)."""
    newest = session.scalar(select(func.max(Comment.created_at)))
    if newest is None:
        return utcnow()
    return newest if newest.tzinfo else newest.replace(tzinfo=UTC)


def queue_filter_options(session: Session) -> dict[str, list[str]]:
    """The case queue's filter values: situations, channels, languages, arcs and emotions."""
    options = case_filter_options(session)
    options["emotion"] = [
        v for v in session.scalars(select(Case.emotion).distinct().order_by(Case.emotion)) if v
    ]
    return options


def original_texts(session: Session, case_id: int) -> dict[int, str]:
    """The unredacted text of a case's comments, by comment id (coach only; the caller audits)."""
    case = session.get(Case, case_id)
    if case is None:
        return {}
    rows = session.execute(
        select(Comment.id, Comment.text).where(Comment.thread_id == case.thread_id)
    )
    return {comment_id: text for comment_id, text in rows}


def family_rows(
    session: Session, situation: str | None = None, limit: int = 50, examples: int = 3
) -> list[dict[str, Any]]:
    """The largest families this week, each with its most notable example cases."""
    from store.families import family_list  # store.families pulls in the ingest module

    families = family_list(session, limit=limit, situation=situation)
    latest = (
        select(Scenario.case_id, func.max(Scenario.id).label("scenario_id"))
        .group_by(Scenario.case_id)
        .subquery()
    )
    for family in families:
        rows = session.execute(
            select(Case.id, Case.arc, Case.score, Case.duplicate_count, Scenario.title)
            .outerjoin(latest, latest.c.case_id == Case.id)
            .outerjoin(Scenario, Scenario.id == latest.c.scenario_id)
            .where(Case.family_id == family["id"])
            .order_by(Case.score.desc(), Case.id)
            .limit(examples)
        )
        family["examples"] = [
            {"case_id": i, "arc": arc, "score": score, "duplicates": dups, "title": title or ""}
            for i, arc, score, dups, title in rows
        ]
    return families


def team_names(session: Session) -> list[str]:
    """The teams users belong to."""
    return [t for t in session.scalars(select(User.team).distinct().order_by(User.team)) if t]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def campaign_rows(
    session: Session, team: str | None = None, now: datetime | None = None
) -> pd.DataFrame:
    """Campaigns (those of `team` only, when given), the latest start first, with their status."""
    from store.campaigns import list_campaigns

    now = now or datetime.now(UTC)
    rows = []
    for c in list_campaigns(session):
        teams = [str(t) for t in c.teams or []]
        if team is not None and team not in teams:
            continue
        starts, ends = _aware(c.starts_at), _aware(c.ends_at)
        status = "upcoming" if now < starts else "ended" if now >= ends else "running"
        rows.append(
            {
                "campaign_id": c.id,
                "name": c.name,
                "status": status,
                "starts_at": starts,
                "ends_at": ends,
                "teams": ", ".join(teams),
                "scenarios": len(c.scenario_ids or []),
                "created_by": c.created_by,
            }
        )
    return pd.DataFrame(rows, columns=CAMPAIGN_COLUMNS)


def _standings_frame(lines: Iterable[learning.Standing]) -> pd.DataFrame:
    return pd.DataFrame(
        [(s.rank, s.name, s.points, s.answers, s.votes, s.picks) for s in lines],
        columns=STANDING_COLUMNS,
    )


def campaign_standings(session: Session, campaign_id: int, by: str = "person") -> pd.DataFrame:
    """A campaign's leaderboard by person or team: rank, name, points, answers, votes, picks."""
    from store.campaigns import leaderboard

    return _standings_frame(leaderboard(session, campaign_id, by=by))


def period_standings(
    session: Session, period: str = "week", by: str = "person", now: datetime | None = None
) -> pd.DataFrame:
    """This calendar week's or month's leaderboard by person or team."""
    from store.learning import period_leaderboard

    return _standings_frame(period_leaderboard(session, period=period, by=by, now=now))


@dataclass(frozen=True)
class AdvisorProgress:
    """An advisor's answers and points."""

    answers: pd.DataFrame  # scenario_id, title, answered_at, votes, comments, coach_pick, points
    points_total: float
    points_week: float
    points_month: float
    level: int


def advisor_progress(
    session: Session, user_id: int, now: datetime | None = None
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
            "answered_at": _aware(r.created_at),
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
            if (start is None or _aware(r.created_at) >= start)
            and (end is None or _aware(r.created_at) < end)
        )

    return AdvisorProgress(
        answers=answers,
        points_total=earned(),
        points_week=earned(*learning.period_bounds("week", now)),
        points_month=earned(*learning.period_bounds("month", now)),
        level=user.level if user else 1,
    )
