"""The coach's queue in the store: the notable cases, one case with its conversation, its moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curation.queue_mix import ARC_SPREAD, mixed_order
from store.bulk import chunks
from store.families import family_list
from store.models import (
    Analysis,
    Case,
    CaseDuplicate,
    Comment,
    Family,
    Scenario,
    Thread,
    utcnow,
)
from store.refinements import refined_readings
from store.review import move_one_step
from store.scenarios import ScenarioView, scenario_view

PERIOD_DAYS = (7, 30, 90)  # the periods a coach can narrow the queue to
# A case's comments carry the slow pass's reading too (None where it has not read them).
REFINED_COLUMNS = [
    "refined_sentiment",
    "refined_sentiment_score",
    "refined_emotion",
    "refined_intensity",
]


CASE_QUEUE_COLUMNS = [
    "case_id",
    "score",
    "arc",
    "why",
    "start",
    "need",
    "end",
    "delicate",
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
    kind: str = "service"
    start: str = "none"
    need: str = "none"
    end: str = "none"
    cue: str = ""
    why: str = ""
    delicate: tuple[str, ...] = ()


def _latest_analysis_ids():  # type: ignore[no-untyped-def]
    """Subquery: the newest analysis (highest id) of each comment."""
    return (
        select(Analysis.comment_id, func.max(Analysis.id).label("analysis_id"))
        .group_by(Analysis.comment_id)
        .subquery()
    )


def period_reference(session: Session) -> datetime:
    """The end of the queue's periods: the newest comment's time (now on a live store)."""
    newest = session.scalar(select(func.max(Comment.created_at)))
    if newest is None:
        return utcnow()
    return newest if newest.tzinfo else newest.replace(tzinfo=UTC)


def period_start(session: Session) -> datetime | None:
    """The oldest comment's time (e.g. of an imported 2015 history): where "all" starts."""
    oldest = session.scalar(select(func.min(Comment.created_at)))
    if oldest is None:
        return None
    return oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)


def queue_filter_options(session: Session) -> dict[str, list[str]]:
    """The case queue's filter values: situations, channels, languages, arcs and emotions."""
    options: dict[str, list[str]] = {}
    for name in ("situation", "channel", "language", "arc", "emotion"):
        column = getattr(Case, name)
        options[name] = [
            v for v in session.scalars(select(column).distinct().order_by(column)) if v
        ]
    return options


def _filtered(
    session: Session,
    query: Any,
    equal: dict[str, str | None],
    days: int | None,
    since: datetime | None,
    until: datetime | None,
) -> Any:
    """`query` (over Case) kept to the filters of case_queue."""
    for name, value in equal.items():
        if value:
            query = query.where(getattr(Case, name) == value)
    if days:
        since = period_reference(session) - timedelta(days=days)
    if since is not None or until is not None:
        active = func.coalesce(Thread.last_comment_at, Case.created_at)
        query = query.join(Thread, Thread.id == Case.thread_id)
        if since is not None:
            query = query.where(active >= since)
        if until is not None:
            query = query.where(active < until)
    return query


def _mixed(session: Session, query: Any, limit: int | None) -> list[Any]:
    """The rows of `query` (selecting Case first, ordered by score) in the queue's mixed order
    (`curation.queue_mix`), at most `limit`. Only cases scoring at least the `limit`-th score
    minus ARC_SPREAD can reach the first `limit` places of the mixed order: only those are read."""
    if limit is not None:
        nth = session.execute(query.offset(max(0, limit - 1)).limit(1)).first()
        if nth is not None:
            query = query.where(Case.score >= nth[0].score - ARC_SPREAD)
    rows = session.execute(query).all()
    return mixed_order(rows, lambda r: r[0].score, lambda r: r[0].arc)[:limit]


def count_cases(
    session: Session,
    *,
    situation: str | None = None,
    channel: str | None = None,
    language: str | None = None,
    arc: str | None = None,
    emotion: str | None = None,
    days: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """How many cases case_queue's filters match (its list stops at `limit`)."""
    equal = {
        "situation": situation,
        "channel": channel,
        "language": language,
        "arc": arc,
        "emotion": emotion,
    }
    query = _filtered(session, select(func.count(Case.id)), equal, days, since, until)
    return int(session.scalar(query) or 0)


def case_queue(
    session: Session,
    *,
    situation: str | None = None,
    channel: str | None = None,
    language: str | None = None,
    arc: str | None = None,
    limit: int | None = 200,
    emotion: str | None = None,
    days: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> pd.DataFrame:
    """Cases with their latest scenario, most notable first (mixed so that one arc does not fill
    the top: `curation.queue_mix`); score parts become `score_<part>` columns.

    `days` keeps the cases whose conversation was active in the last `days` before the newest
    comment (the store's "now", so an imported history has a last week too); `since` and `until`
    keep those active in that range (e.g. an imported 2015 history). At most `limit` rows (all
    with None): count_cases says how many match.
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
    )
    query = _filtered(
        session,
        query,
        {
            "situation": situation,
            "channel": channel,
            "language": language,
            "arc": arc,
            "emotion": emotion,
        },
        days,
        since,
        until,
    )
    rows = []
    for case, scenario, family in _mixed(session, query, limit):
        row: dict[str, Any] = {
            "case_id": case.id,
            "score": case.score,
            "arc": case.arc,
            "why": case.why,
            "start": case.start,
            "need": case.need,
            "end": case.end_state,
            "delicate": ", ".join(case.delicate or ()),
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
    session: Session, *, case_id: int, include_original: bool = False
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
    # The slow pass's reading of the customer comments, beside the fast labels (store.refinements).
    refined = refined_readings(session, comment_ids=[r["comment_id"] for r in rows])
    for row in rows:
        reading = refined.get(row["comment_id"], {})
        for name in REFINED_COLUMNS:
            row[name] = reading.get(name.removeprefix("refined_"))
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
        *REFINED_COLUMNS,
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
        scenario=scenario_view(scenario) if scenario else None,
        duplicate_count=case.duplicate_count,
        family=session.scalar(select(Family.name).where(Family.id == case.family_id))
        if case.family_id
        else None,
        kind=case.kind,
        start=case.start,
        need=case.need,
        end=case.end_state,
        cue=case.cue,
        why=case.why,
        delicate=tuple(case.delicate or ()),
    )


def original_texts(session: Session, *, case_id: int) -> dict[int, str]:
    """The unredacted text of a case's comments, by comment id (coach only; the caller audits)."""
    case = session.get(Case, case_id)
    if case is None:
        return {}
    rows = session.execute(
        select(Comment.id, Comment.text).where(Comment.thread_id == case.thread_id)
    )
    return {comment_id: text for comment_id, text in rows}


def family_rows(
    session: Session,
    *,
    situation: str | None = None,
    limit: int = 50,
    examples: int = 3,
    min_size: int = 1,
) -> list[dict[str, Any]]:
    """The largest families this week (of at least `min_size` cases), each with its most notable
    example cases."""
    families = family_list(session, limit=limit, situation=situation, min_size=min_size)
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


def move_case(session: Session, *, case_id: int, target: str, actor: str, reason: str) -> str:
    """Move a case one step in the review workflow (IllegalTransition if not allowed); returns its state."""
    case = session.get(Case, case_id)
    if case is None:
        raise ValueError(f"case {case_id} does not exist")
    return move_one_step(session, case, target=target, actor=actor, reason=reason)


def top_case_rows(
    session: Session,
    *,
    limit: int = 20,
    language: str | None = None,
    arc: str | None = None,
    situation: str | None = None,
) -> list[dict[str, Any]]:
    """The most notable cases, in the queue's mixed order (`curation.queue_mix`): arc, score and
    parts, situation, language, channel, duplicates, family, the scenario draft's title, the
    pivotal reply's redacted text, and the conversation's outcome (kind, start, need, end, the cue
    seen, the score's explanation, delicate situations). `language`, `arc` and `situation` keep
    the cases that have that value, as case_queue's filters do."""
    latest = (
        select(Scenario.case_id, func.max(Scenario.id).label("scenario_id"))
        .group_by(Scenario.case_id)
        .subquery()
    )
    query = (
        select(Case, Scenario.title, Family.name, Family.size, Family.size_this_week)
        .outerjoin(latest, latest.c.case_id == Case.id)
        .outerjoin(Scenario, Scenario.id == latest.c.scenario_id)
        .outerjoin(Family, Family.id == Case.family_id)
        .order_by(Case.score.desc(), Case.id)
    )
    equal = {"language": language, "arc": arc, "situation": situation}
    rows = _mixed(session, _filtered(session, query, equal, None, None, None), limit)
    pivotal_ids = [c.pivotal_comment_id for c, *_ in rows if c.pivotal_comment_id]
    replies: dict[int, str] = {}
    for chunk in chunks(pivotal_ids):
        for comment_id, text in session.execute(
            select(Analysis.comment_id, Analysis.redacted_text)
            .where(Analysis.comment_id.in_(chunk))
            .order_by(Analysis.id)
        ):
            replies[comment_id] = text  # the newest analysis wins
    return [
        {
            "id": case.id,
            "arc": case.arc,
            "score": case.score,
            "parts": dict(case.score_parts or {}),
            "situation": case.situation,
            "language": case.language,
            "channel": case.channel,
            "state": str(case.state),
            "duplicate_count": case.duplicate_count,
            "family_id": case.family_id,
            "family": family or "",
            "family_size": family_size or 0,
            "family_size_this_week": family_week or 0,
            "title": title or "",
            "pivotal_comment_id": case.pivotal_comment_id,
            "pivotal_reply": replies.get(case.pivotal_comment_id or -1),
            "kind": case.kind,
            "start": case.start,
            "need": case.need,
            "end": case.end_state,
            "cue": case.cue,
            "why": case.why,
            "delicate": list(case.delicate or ()),
        }
        for case, title, family, family_size, family_week in rows
    ]


def collapsed_threads(session: Session, *, case_id: int) -> list[int]:
    """The threads collapsed into a case as near-duplicates."""
    return list(
        session.scalars(
            select(CaseDuplicate.thread_id)
            .where(CaseDuplicate.case_id == case_id)
            .order_by(CaseDuplicate.thread_id)
        )
    )
