"""What the leader pages read: trends, emerging issues, training coverage, engagement, recovery.

Trends, emerging situations and coverage read daily_feedback (kept by enrichment, see
store/summaries.py), never the comments. It is one module because its reads share one period
and filter helper and serve one page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curation.review import ReviewState
from store.models import (
    Case,
    Family,
    Response,
    ResponseComment,
    Scenario,
    Source,
    Thread,
    User,
    Vote,
)
from store.models import DailyFeedback as F
from store.summaries import ensure_daily_feedback, latest_version, utc_day

NEGATIVE_START_ARCS = ("recovery", "escalation", "unresolved")
TREND_DIMENSIONS = ("channel", "source", "situation", "sentiment", "emotion", "language")
EMERGING_WEEKS = 8  # the history a week is compared with
EMERGING_Z = 2.0
EMERGING_MIN_COUNT = 5


@dataclass(frozen=True)
class RecoveryRate:
    """Share of negative-start cases that ended in a recovery."""

    recovered: int
    negative_start: int

    @property
    def rate(self) -> float | None:
        return self.recovered / self.negative_start if self.negative_start else None


def recovery_rate(
    session: Session,
    *,
    days: int | None = None,
    now: datetime | None = None,
    channel: str | None = None,
    situation: str | None = None,
    language: str | None = None,
) -> RecoveryRate:
    """Conversations that ended in a recovery among those that started negative (recovery,
    escalation, unresolved), as curation last read them: every curated thread, not only the
    notable ones kept as cases (a quiet unresolved conversation is no case, but it is an unhappy
    customer who was not won back).

    With `days`, only the conversations that ended in the last `days` (their last comment; their
    curation when they have no dates).
    """
    query = select(Thread.arc, func.count(Thread.id)).where(Thread.arc.in_(NEGATIVE_START_ARCS))
    if days is not None:
        now = now or datetime.now(UTC)
        ended = func.coalesce(Thread.last_comment_at, Thread.started_at, Thread.curated_at)
        query = query.where(ended >= now - timedelta(days=days))
    for name, value in (("channel", channel), ("situation", situation), ("language", language)):
        if value:
            query = query.where(getattr(Thread, name) == value)
    counts = dict(session.execute(query.group_by(Thread.arc)).tuples().all())
    return RecoveryRate(recovered=counts.get("recovery", 0), negative_start=sum(counts.values()))


def feedback_reference(
    session: Session, *, version: str | None = None, now: datetime | None = None
) -> datetime:
    """Where the leader's periods end: now, or the end of the newest summarised day when the
    store holds only older comments (an imported history still shows its last weeks)."""
    now = now or datetime.now(UTC)
    version = version or latest_version(session)
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
    *,
    days: int = 30,
    by: str = "channel",
    now: datetime | None = None,
    version: str | None = None,
    **filters: str | None,
) -> pd.DataFrame:
    """Comments per day and `by` (channel, source, situation, sentiment, emotion, language) over
    the last `days`, from daily_feedback of the current classifier version, zero-filled:
    day, group, comments. `filters` are equalities on the same dimensions."""
    if by not in TREND_DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(TREND_DIMENSIONS)}, not {by!r}")
    version = version or latest_version(session)
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


def trend_options(session: Session, *, version: str | None = None) -> dict[str, list[str]]:
    """The values of each trend dimension in daily_feedback of the current version, for filters."""
    version = version or latest_version(session)
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
    history_weeks: int = 0  # the weeks before that the mean and spread are of


EMERGING_COLUMNS = ["situation", "this_week", "mean", "std", "z", "flagged"]


def emerging_situations(
    session: Session,
    *,
    now: datetime | None = None,
    weeks: int = EMERGING_WEEKS,
    z_min: float = EMERGING_Z,
    min_count: int = EMERGING_MIN_COUNT,
    version: str | None = None,
    **filters: str | None,
) -> Emerging:
    """Each situation's comments in the last 7 days against the mean and std of the `weeks` weeks
    before (those the store covers whole: none before its first day); flagged when z >= `z_min`
    and the count >= `min_count`. With no whole week before, nothing is flagged.

    The std is floored at 1, so a situation never seen before needs `min_count` comments, and
    a flat history does not turn one extra comment into an alarm.
    """
    empty = Emerging(
        pd.DataFrame(columns=EMERGING_COLUMNS),
        pd.DataFrame(columns=["situation", "week", "comments"]),
        None,
    )
    version = version or latest_version(session)
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
    # Only the weeks the store covers whole are history: a week before its first day counted
    # as 0 comments and made a young store's every situation look rising.
    started = feedback_first_day(session, version=version) or first
    covered = [k for k in range(1, weeks + 1) if today - timedelta(days=7 * k + 6) >= started]
    counts = counts[[0, *covered]]
    this_week = counts[0]
    history = counts[covered]
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
    return Emerging(
        table.reset_index(drop=True), weekly.reset_index(drop=True), week_start, chart, len(covered)
    )


FAMILY_COLUMNS = ["family", "situation", "size", "this_week", "weekly_before", "z", "flagged"]


def emerging_families(
    session: Session,
    *,
    weeks: int = EMERGING_WEEKS,
    z_min: float = EMERGING_Z,
    min_count: int = EMERGING_MIN_COUNT,
    situation: str | None = None,
    limit: int | None = 50,
    min_size: int = 1,
) -> pd.DataFrame:
    """Families (of at least `min_size` cases) whose size this week stands out against the rest
    of their size (the first `limit`, all of them with None; count_families says how many there
    are).

    Families keep no weekly history: the rest of their size is spread over the `weeks` weeks
    before (a Poisson baseline), z = (this week - baseline) / sqrt(max(baseline, 1)).
    """
    query = select(Family.name, Family.situation, Family.size, Family.size_this_week).where(
        Family.size >= max(min_size, 1)
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
    return (frame if limit is None else frame.head(limit)).reset_index(drop=True)


# Situations that are no training need, never a gap and not in the average a gap is measured
# against: customers praising, and comments nothing in the taxonomy matched.
NO_TRAINING_NEED = frozenset({"praise", "other"})
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
    *,
    days: int = 30,
    now: datetime | None = None,
    version: str | None = None,
    **filters: str | None,
) -> pd.DataFrame:
    """Per situation: comments over the last `days` (daily_feedback), cases, published scenarios
    and distinct advisors who answered them (all time). `gap` marks situations with at least the
    average number of comments of the situations that are a training need (NO_TRAINING_NEED
    left out) and no published scenario."""
    comments: dict[str, int] = {}
    version = version or latest_version(session)
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
    # A scenario's situation is its body's (a coach may correct it in the editor), else its case's.
    taught = func.coalesce(Scenario.body[("context", "situation")].as_string(), Case.situation)
    published = dict(
        session.execute(
            select(taught, func.count(Scenario.id))
            .join(Case, Case.id == Scenario.case_id)
            .where(Scenario.state == ReviewState.published, *case_filters)
            .group_by(taught)
        )
        .tuples()
        .all()
    )
    practised = dict(
        session.execute(
            select(taught, func.count(func.distinct(Response.user_id)))
            .join(Scenario, Scenario.id == Response.scenario_id)
            .join(Case, Case.id == Scenario.case_id)
            .where(*case_filters)
            .group_by(taught)
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
    need = ~frame["situation"].isin(NO_TRAINING_NEED)
    seen = frame.loc[need & (frame["comments"] > 0), "comments"]
    average = seen.mean() if not seen.empty else 0
    frame["gap"] = (
        need
        & (frame["published_scenarios"] == 0)
        & (frame["comments"] > 0)
        & (frame["comments"] >= average)
    )
    return frame.sort_values(["gap", "comments"], ascending=False, kind="stable").reset_index(
        drop=True
    )


ENGAGEMENT_COLUMNS = ["week", "team", "site", "responses", "votes", "comments"]


def learning_engagement(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    team: str | None = None,
    site: str | None = None,
) -> pd.DataFrame:
    """Answers, votes and comments on answers per week (Monday) and the acting user's team and
    site, made from `since` (included) to `until` (excluded); either left out: no bound."""
    frames = []
    for measure, model in (("responses", Response), ("votes", Vote), ("comments", ResponseComment)):
        # Counted per day in SQL: the weeks are cut in pandas from a few rows per day and team.
        day = utc_day(session, column=model.created_at)
        query = (
            select(day, User.team, User.site, func.count())
            .join(User, User.id == model.user_id)
            .group_by(day, User.team, User.site)
        )
        if since is not None:
            query = query.where(model.created_at >= since)
        if until is not None:
            query = query.where(model.created_at < until)
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
    raw["week"] = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
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


def engagement_first_day(session: Session) -> date | None:
    """The day of the first answer, vote or comment on an answer: where "all" periods start."""
    firsts = [
        session.scalar(select(func.min(model.created_at)))
        for model in (Response, Vote, ResponseComment)
    ]
    days = [
        f.date() if isinstance(f, datetime) else date.fromisoformat(str(f)[:10])
        for f in firsts
        if f is not None
    ]
    return min(days, default=None)


def feedback_first_day(session: Session, *, version: str | None = None) -> date | None:
    """The first summarised day (e.g. of an imported 2015 history): where "all" periods start."""
    version = version or latest_version(session)
    if version is None:
        return None
    first = session.scalar(select(func.min(F.day)).where(F.classifier_version == version))
    if first is None:
        return None
    return first if isinstance(first, date) else date.fromisoformat(str(first)[:10])


def summary_state(session: Session) -> tuple[str | None, datetime]:
    """The classifier version the leader pages show, and where their periods end.

    A store analysed before the summary existed gets it here, once (one grouped INSERT ... SELECT).
    """
    ensure_daily_feedback(session)
    version = latest_version(session)
    return version, feedback_reference(session, version=version)


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
