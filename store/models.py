"""The store's tables: typed SQLAlchemy 2 models, one per domain noun.

It is one module because the tables are one schema: Alembic's autogenerate and store/validation.py
read them from one metadata, and their foreign keys name each other.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from curation.review import ReviewState

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always gives back aware UTC datetimes (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


def _enum(cls: type[enum.Enum]) -> Enum:
    # Stored as plain strings so SQLite and PostgreSQL share one migration and adding a value is easy.
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class AuthorRole(enum.StrEnum):
    customer = "customer"
    agent = "agent"


class Role(enum.StrEnum):
    coach = "coach"
    advisor = "advisor"
    leader = "leader"
    admin = "admin"


class RunStatus(enum.StrEnum):
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    abandoned = "abandoned"  # its process stopped without finishing it (killed, crashed)


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(40))
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    cursor: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    schedule: Mapped[str | None] = mapped_column(String(100))  # cron, when declared
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IngestRun(Base):
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[RunStatus] = mapped_column(_enum(RunStatus), default=RunStatus.running)
    n_read: Mapped[int] = mapped_column(default=0)
    n_new: Mapped[int] = mapped_column(default=0)
    n_quarantined: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(120))  # "host:pid" of the process running it
    heartbeat_at: Mapped[
        datetime | None
    ]  # its last committed batch: a run silent for long is stale

    source: Mapped[Source] = relationship()


class QuarantinedRecord(Base):
    __tablename__ = "quarantine"
    __table_args__ = (
        # A record is known by its source, the identity of the file it was read from (its
        # SHA-1; "" for network sources) and its position in it.
        UniqueConstraint(
            "source_id", "origin", "position", name="uq_quarantine_source_origin_position"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(64), default="", server_default="")
    position: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)  # `casebook quarantine retry` runs
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Thread(Base):
    __tablename__ = "threads"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id", name="uq_threads_source_external"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime | None]
    last_comment_at: Mapped[datetime | None]
    n_comments: Mapped[int] = mapped_column(default=0)
    # Set when a comment arrives or is analysed; curation picks up threads changed since it last ran.
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    curated_at: Mapped[datetime | None]
    # The last curation's reading of the conversation, kept for every curated thread, a case or
    # not: the leader's recovery rate counts every conversation that started unhappy, not only
    # the notable ones kept as cases.
    arc: Mapped[str | None] = mapped_column(String(20))
    situation: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(8))


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id", name="uq_comments_source_external"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    parent_external_id: Mapped[str | None] = mapped_column(String(200))
    author_role: Mapped[AuthorRole] = mapped_column(_enum(AuthorRole))
    author_ref: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(Text)
    language_hint: Mapped[str | None] = mapped_column(String(8))
    likes: Mapped[int] = mapped_column(default=0)
    shares: Mapped[int] = mapped_column(default=0)
    replies: Mapped[int] = mapped_column(default=0)
    url: Mapped[str | None] = mapped_column(String(500))
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the channel's payload, for audit
    # sha1 of the normalised text: finds edits and the same text cross-posted elsewhere
    content_hash: Mapped[str | None] = mapped_column(String(40), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL")
    )
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]  # set when the channel edited the record


class Analysis(Base):
    __tablename__ = "analyses"
    __table_args__ = (
        UniqueConstraint("comment_id", "classifier_version", name="uq_analyses_comment_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    classifier_version: Mapped[str] = mapped_column(String(60), index=True)
    language: Mapped[str] = mapped_column(String(8))
    language_confidence: Mapped[float] = mapped_column(Float)
    redacted_text: Mapped[str] = mapped_column(Text)
    pii: Mapped[list[Any]] = mapped_column(default=list)
    sentiment: Mapped[str] = mapped_column(String(10))
    sentiment_score: Mapped[float] = mapped_column(Float)
    emotion: Mapped[str] = mapped_column(String(20))
    intensity: Mapped[float] = mapped_column(Float)
    situation: Mapped[str] = mapped_column(String(40))
    situation_confidence: Mapped[float] = mapped_column(Float)
    situation_runner_up: Mapped[str | None] = mapped_column(String(40))  # none before 0004
    risks: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Refinement(Base):
    """A comment's reading by the slow pass (nlp/deep.py), kept apart from its fast analysis:
    one row per comment, replaced when the slow pass or the analysis it blends changes."""

    __tablename__ = "refinements"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), unique=True
    )
    # The slow pass's version (nlp.deep.slow_pass_version) and the fast analysis it blended.
    version: Mapped[str] = mapped_column(String(60), index=True)
    classifier_version: Mapped[str] = mapped_column(String(60))
    sentiment: Mapped[str] = mapped_column(String(10))
    sentiment_score: Mapped[float] = mapped_column(Float)
    emotion: Mapped[str] = mapped_column(String(20))
    intensity: Mapped[float] = mapped_column(Float)
    refined_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoreState(Base):
    """Facts about the store as a whole, by name (the curation rules' revision it was curated
    under)."""

    __tablename__ = "store_state"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), unique=True
    )
    arc: Mapped[str] = mapped_column(String(20), index=True)
    score: Mapped[float] = mapped_column(Float, index=True)
    score_parts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    situation: Mapped[str] = mapped_column(String(40))
    emotion: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(40))
    pivotal_comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL")
    )
    state: Mapped[ReviewState] = mapped_column(_enum(ReviewState), default=ReviewState.candidate)
    family_id: Mapped[int | None] = mapped_column(
        ForeignKey("families.id", ondelete="SET NULL"), index=True
    )
    duplicate_count: Mapped[int] = mapped_column(default=1)  # near-identical threads collapsed here
    # The conversation's outcome (curation.outcome): service or not, how the customer starts,
    # whether their need was met, how they end, the cue seen and the score's explanation.
    kind: Mapped[str] = mapped_column(String(20), default="service")
    start: Mapped[str] = mapped_column(String(20), default="none")
    need: Mapped[str] = mapped_column(String(20), default="none")
    end_state: Mapped[str] = mapped_column(String(20), default="none")
    cue: Mapped[str] = mapped_column(String(200), default="")
    why: Mapped[str] = mapped_column(Text, default="")
    delicate: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    thread: Mapped[Thread] = relationship()


class CaseFeedback(Base):
    """A coach's verdict on a case: "not a case", or "wrong arc" with the right one.

    Kept by thread (a case dropped on the next curation keeps its feedback) with what curation had
    said (arc, cue, raiser), so that curation.feedback can learn rules from it."""

    __tablename__ = "case_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(20))  # not_a_case or wrong_arc
    arc: Mapped[str | None] = mapped_column(String(20))  # the coach's arc, for wrong_arc
    said_arc: Mapped[str] = mapped_column(String(20))  # what curation had said
    said_cue: Mapped[str] = mapped_column(String(200), default="")
    raiser: Mapped[str] = mapped_column(String(64), default="")  # author_ref of the raiser
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Scenario(Base):
    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(8))
    level: Mapped[int] = mapped_column(Integer, default=1)
    skill_axis: Mapped[str] = mapped_column(String(20), default="relational")
    # context, customer turns (redacted), cues, question, real reply, outcome, objectives, tags
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    model_answer: Mapped[str | None] = mapped_column(Text)
    target_teams: Mapped[list[Any]] = mapped_column(default=list)
    state: Mapped[ReviewState] = mapped_column(_enum(ReviewState), default=ReviewState.candidate)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum(Role))
    team: Mapped[str | None] = mapped_column(String(100))
    site: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(8), default="en")  # of the interface
    # The languages of the customers this person serves, which their practice scenarios are in;
    # None: the interface language's (store.users.UserInfo.practice_languages).
    work_languages: Mapped[list[Any] | None] = mapped_column(JSON)
    level: Mapped[int] = mapped_column(default=1)
    password_hash: Mapped[str] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by `casebook users disable`: the account keeps its history but cannot sign in.
    disabled_at: Mapped[datetime | None]


class WebSession(Base):
    """A dashboard sign-in that survives a page refresh: the browser keeps a signed token (a cookie)
    whose secret part is stored here only as a SHA-256 digest; ending it (sign-out) or disabling
    the account ends it everywhere (store.web_sessions)."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class SignInThrottle(Base):
    """Failed sign-ins of one account name or one address, and until when they are locked out."""

    __tablename__ = "sign_in_throttle"

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)  # "account" or "address"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("scenario_id", "user_id", name="uq_responses_scenario_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    coach_pick: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Vote(Base):
    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("response_id", "user_id", name="uq_votes_response_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResponseComment(Base):
    __tablename__ = "response_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CommentRevision(Base):
    """An earlier text of a comment that its channel edited (a ticket updated)."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)


class Family(Base):
    """Similar cases grouped together, named by their top terms."""

    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    terms: Mapped[list[Any]] = mapped_column(default=list)
    situation: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(default=0)
    size_this_week: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LabelCorrection(Base):
    """A coach's correction of a comment's label, kept to retrain the classifiers."""

    __tablename__ = "label_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(20))  # sentiment, emotion, situation, language
    old_value: Mapped[str | None] = mapped_column(String(40))
    new_value: Mapped[str] = mapped_column(String(40))
    classifier_version: Mapped[str | None] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScenarioVersion(Base):
    """A scenario as it was before an edit."""

    __tablename__ = "scenario_versions"
    __table_args__ = (
        UniqueConstraint("scenario_id", "version", name="uq_scenario_versions_scenario_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    model_answer: Mapped[str | None] = mapped_column(Text)
    level: Mapped[int]
    skill_axis: Mapped[str] = mapped_column(String(20))
    edited_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Campaign(Base):
    """A challenge campaign: a set of scenarios, a period, the teams in it."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    teams: Mapped[list[Any]] = mapped_column(default=list)
    scenario_ids: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Its quiz challenge as the first player got it (delivery.quiz.quiz_to_json): everyone after
    # plays the same questions and choices, whatever is published or edited meanwhile.
    quiz: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class DailyFeedback(Base):
    """Comments per day and label, kept up to date by enrichment so pages never scan comments."""

    __tablename__ = "daily_feedback"

    classifier_version: Mapped[str] = mapped_column(String(60), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    situation: Mapped[str] = mapped_column(String(40), primary_key=True)
    sentiment: Mapped[str] = mapped_column(String(10), primary_key=True)
    emotion: Mapped[str] = mapped_column(String(20), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    comments: Mapped[int] = mapped_column(default=0)


class CaseSignature(Base):
    """The near-duplicate MinHash signature of a case's main customer text (hex of uint32 values)."""

    __tablename__ = "case_signatures"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    signature: Mapped[str] = mapped_column(Text)


class CaseBand(Base):
    """One LSH band key of a case's near-duplicate signature: cases sharing a key are candidates."""

    __tablename__ = "case_bands"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class FamilyBand(Base):
    """One LSH band key of a family (from its first members): a new case joins the family it shares most with."""

    __tablename__ = "family_bands"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CaseDuplicate(Base):
    """A thread collapsed into an existing case because its customer text is a near-duplicate."""

    __tablename__ = "case_duplicates"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    similarity: Mapped[float] = mapped_column(Float, default=1.0)
    seen_at: Mapped[datetime | None]  # the thread's last comment, for "this week" counts
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class XapiStatement(Base):
    """An xAPI statement waiting in the outbox, or sent: written with its action, in its
    transaction. No foreign key: a statement outlives what it speaks of (it is the record)."""

    __tablename__ = "xapi_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)  # uuid5 of the action
    kind: Mapped[str] = mapped_column(String(20))  # delivery.xapi.KINDS
    actor: Mapped[str] = mapped_column(String(100), index=True)  # the username
    scenario_id: Mapped[int | None] = mapped_column(index=True)
    campaign_id: Mapped[int | None] = mapped_column(index=True)
    statement: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(
        index=True
    )  # the action's time (the statement's timestamp)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class QuizAttempt(Base):
    """An advisor's run of a campaign's quiz challenge: one per advisor and campaign."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("campaign_id", "user_id", name="uq_quiz_attempts_campaign_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    questions: Mapped[int]
    correct: Mapped[int]
    seconds: Mapped[float] = mapped_column(Float)
    points: Mapped[float] = mapped_column(Float)
    answers: Mapped[list[Any]] = mapped_column(default=list)  # per question: key, chosen, seconds
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizProgress(Base):
    """An advisor's quiz challenge under way: the answers given so far and when the question now
    shown was shown (by the server's clock). A refresh resumes it, the clock still running;
    finished, it becomes a QuizAttempt and this row goes."""

    __tablename__ = "quiz_progress"
    __table_args__ = (
        UniqueConstraint("campaign_id", "user_id", name="uq_quiz_progress_campaign_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answers: Mapped[list[Any]] = mapped_column(default=list)  # per question: key, chosen, seconds
    shown_at: Mapped[datetime]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
