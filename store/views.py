"""Read and write functions behind the dashboard pages: they take a session, flush at most."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
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
    IngestRun,
    QuarantinedRecord,
    Response,
    ResponseComment,
    ReviewState,
    Scenario,
    ScenarioVersion,
    Source,
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
) -> pd.DataFrame:
    """Cases with their latest scenario, most notable first; score parts become `score_<part>` columns."""
    latest = (
        select(Scenario.case_id, func.max(Scenario.id).label("scenario_id"))
        .group_by(Scenario.case_id)
        .subquery()
    )
    query = (
        select(Case, Scenario)
        .outerjoin(latest, latest.c.case_id == Case.id)
        .outerjoin(Scenario, Scenario.id == latest.c.scenario_id)
        .order_by(Case.score.desc(), Case.id)
        .limit(limit)
    )
    for name, value in (
        ("situation", situation),
        ("channel", channel),
        ("language", language),
        ("arc", arc),
    ):
        if value:
            query = query.where(getattr(Case, name) == value)
    rows = []
    for case, scenario in session.execute(query):
        row: dict[str, Any] = {
            "case_id": case.id,
            "score": case.score,
            "arc": case.arc,
            "situation": case.situation,
            "emotion": case.emotion,
            "language": case.language,
            "channel": case.channel,
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
) -> ScenarioView:
    """Edit a scenario, keeping the previous content as a version; audited.

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
        {"fields": sorted(changed), "version": scenario.version},
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


def feedback_trend(
    session: Session, days: int = 90, by: str = "channel", now: datetime | None = None
) -> pd.DataFrame:
    """Comments per day and channel (or sentiment) over the last `days`, zero-filled: day, group, comments."""
    if by not in TREND_GROUPS:
        raise ValueError(f"by must be one of {', '.join(TREND_GROUPS)}, not {by!r}")
    now = now or datetime.now(UTC)
    since = now - timedelta(days=days)
    latest = _latest_analysis_ids()
    # Comments outer-joined to their latest analysis: a comment not yet analysed counts as "unknown".
    query = (
        select(Comment.created_at, Comment.channel, Analysis.sentiment)
        .outerjoin(latest, latest.c.comment_id == Comment.id)
        .outerjoin(Analysis, Analysis.id == latest.c.analysis_id)
        .where(Comment.created_at >= since, Comment.created_at <= now)
    )
    raw = pd.DataFrame(list(session.execute(query)), columns=["created_at", "channel", "sentiment"])
    if raw.empty:
        return pd.DataFrame(
            {
                "day": pd.Series(dtype="datetime64[ns]"),
                "group": pd.Series(dtype=str),
                "comments": pd.Series(dtype="int64"),
            }
        )
    raw["day"] = pd.to_datetime(
        [c.astimezone(UTC).date() if c.tzinfo else c.date() for c in raw["created_at"]]
    )
    raw["group"] = raw[by].fillna("unknown").astype(str)
    counts = raw.groupby(["day", "group"]).size().rename("comments")
    all_days = pd.date_range(since.date(), now.date(), freq="D")
    grid = pd.MultiIndex.from_product(
        [all_days, sorted(raw["group"].unique())], names=["day", "group"]
    )
    out = counts.reindex(grid, fill_value=0).reset_index()
    out["comments"] = out["comments"].astype("int64")
    return out


def recovery_rate(session: Session) -> RecoveryRate:
    """Cases with arc "recovery" among cases that started negative (recovery, escalation, unresolved)."""
    counts = dict(
        session.execute(
            select(Case.arc, func.count(Case.id))
            .where(Case.arc.in_(NEGATIVE_START_ARCS))
            .group_by(Case.arc)
        ).all()
    )
    return RecoveryRate(recovered=counts.get("recovery", 0), negative_start=sum(counts.values()))


# ---------------------------------------------------------------------------- admin


def source_health(session: Session) -> pd.DataFrame:
    """Each source with its last ingest run, its comment count and its quarantine count."""
    last_run = (
        select(IngestRun.source_id, func.max(IngestRun.id).label("run_id"))
        .group_by(IngestRun.source_id)
        .subquery()
    )
    n_comments = (
        select(Comment.source_id, func.count(Comment.id).label("n"))
        .group_by(Comment.source_id)
        .subquery()
    )
    n_quarantined = (
        select(QuarantinedRecord.source_id, func.count(QuarantinedRecord.id).label("n"))
        .group_by(QuarantinedRecord.source_id)
        .subquery()
    )
    query = (
        select(Source, IngestRun, n_comments.c.n, n_quarantined.c.n)
        .outerjoin(last_run, last_run.c.source_id == Source.id)
        .outerjoin(IngestRun, IngestRun.id == last_run.c.run_id)
        .outerjoin(n_comments, n_comments.c.source_id == Source.id)
        .outerjoin(n_quarantined, n_quarantined.c.source_id == Source.id)
        .order_by(Source.name)
    )
    rows = [
        {
            "source_id": source.id,
            "name": source.name,
            "kind": source.kind,
            "channel": source.channel,
            "enabled": source.enabled,
            "last_run_status": str(run.status) if run else None,
            "last_run_started_at": run.started_at if run else None,
            "last_run_finished_at": run.finished_at if run else None,
            "last_run_read": run.n_read if run else None,
            "last_run_new": run.n_new if run else None,
            "last_run_quarantined": run.n_quarantined if run else None,
            "last_run_error": run.error if run else None,
            "comments": comments or 0,
            "quarantined": quarantined or 0,
        }
        for source, run, comments, quarantined in session.execute(query)
    ]
    columns = [
        "source_id",
        "name",
        "kind",
        "channel",
        "enabled",
        "last_run_status",
        "last_run_started_at",
        "last_run_finished_at",
        "last_run_read",
        "last_run_new",
        "last_run_quarantined",
        "last_run_error",
        "comments",
        "quarantined",
    ]
    return pd.DataFrame(rows, columns=columns)


def quarantine_records(session: Session, limit: int = 200) -> pd.DataFrame:
    """The newest quarantined records with their source name and reason."""
    query = (
        select(QuarantinedRecord, Source.name)
        .join(Source, Source.id == QuarantinedRecord.source_id)
        .order_by(QuarantinedRecord.id.desc())
        .limit(limit)
    )
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


def list_users(session: Session) -> pd.DataFrame:
    """Users without their password hashes."""
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
        for u in session.scalars(select(User).order_by(User.username))
    ]
    return pd.DataFrame(rows, columns=columns)
