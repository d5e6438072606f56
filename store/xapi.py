"""xAPI statements in the store: the outbox every peer-learning action writes to, in its own
transaction (store.learning and store.quiz call `record_*`), what the sender reads and marks, and
the statements for an export.

A statement's id derives from its action (delivery.xapi), and the outbox keeps one row per id:
recording an action again, or rebuilding every statement from the store (`backfill`), never
queues a statement twice. A statement is marked sent only when the LRS has said it holds it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from delivery.xapi import Action, CampaignRef, ScenarioRef, XapiBuilder
from store.models import (
    AuditEntry,
    Campaign,
    QuizAttempt,
    Response,
    ResponseComment,
    Scenario,
    User,
    Vote,
    XapiStatement,
    utcnow,
)


def builder() -> XapiBuilder:
    """The statement builder of the configured IRI base (CASEBOOK_XAPI_BASE_IRI)."""
    from casebook.settings import get_settings

    return XapiBuilder(get_settings().xapi_base_iri)


# ---------------------------------------------------------------------------- what an action is about


def scenario_ref(scenario: Scenario) -> ScenarioRef:
    """What a statement says about a scenario: title, language, situation, level, skill axis."""
    body = scenario.body or {}
    situation = (body.get("context") or {}).get("situation") or scenario.case.situation
    return ScenarioRef(
        id=scenario.id,
        title=scenario.title,
        language=scenario.language,
        situation=str(situation),
        level=scenario.level,
        skill_axis=scenario.skill_axis,
        question=str(body.get("question") or "What would you reply?"),
    )


@dataclass(frozen=True)
class CampaignScope:
    """What a campaign counts: the actions of the members of its teams on its scenarios during
    [starts_at, ends_at). One rule for its leaderboard (store.campaigns.campaign_leaderboard: the
    answers it counts), its xAPI export (`statements`) and the campaign an action is recorded in
    (`campaign_for`, as the action happens)."""

    campaign_id: int
    starts_at: datetime
    ends_at: datetime
    scenario_ids: tuple[int, ...]
    teams: tuple[str, ...]

    def described(self) -> str:
        """The scope in words, for a message: teams, scenarios and period."""
        return (
            f"its quiz, and what its teams ({', '.join(self.teams)}) did on its "
            f"{len(self.scenario_ids)} scenarios from {self.starts_at:%Y-%m-%d %H:%M} to "
            f"{self.ends_at:%Y-%m-%d %H:%M} UTC"
        )


def campaign_scope(campaign: Campaign) -> CampaignScope:
    """The scope of a campaign (see CampaignScope)."""
    return CampaignScope(
        campaign_id=campaign.id,
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        scenario_ids=tuple(int(i) for i in campaign.scenario_ids or []),
        teams=tuple(str(t) for t in campaign.teams or []),
    )


def campaign_for(
    session: Session, *, user: User, at: datetime, scenario_id: int | None = None
) -> Campaign | None:
    """The campaign an action of `user` at `at` counts in (CampaignScope): running then, for the
    user's team and (when given) holding the scenario; the earliest started if several."""
    if not user.team:
        return None
    running = session.scalars(
        select(Campaign)
        .where(Campaign.starts_at <= at, Campaign.ends_at > at)
        .order_by(Campaign.starts_at, Campaign.id)
    )
    for campaign in running:
        scope = campaign_scope(campaign)
        if user.team not in scope.teams:
            continue
        if scenario_id is not None and scenario_id not in scope.scenario_ids:
            continue
        return campaign
    return None


def _campaign_ref(campaign: Campaign | None) -> CampaignRef | None:
    return CampaignRef(campaign.id, campaign.name) if campaign else None


# ---------------------------------------------------------------------------- the outbox


def queue(session: Session, action: Action, *, xapi: XapiBuilder | None = None) -> bool:
    """Put an action's statement in the outbox; False if it is there already (same id)."""
    xapi = xapi or builder()
    statement = xapi.statement(action)
    known = session.scalar(
        select(XapiStatement.id).where(XapiStatement.statement_id == statement["id"])
    )
    if known is not None:
        return False
    session.add(
        XapiStatement(
            statement_id=statement["id"],
            kind=action.kind,
            actor=action.actor,
            scenario_id=action.scenario.id if action.scenario else None,
            campaign_id=action.campaign.id if action.campaign else None,
            statement=statement,
            at=action.at,
        )
    )
    session.flush()
    return True


def record_answer(session: Session, *, response: Response, xapi: XapiBuilder | None = None) -> int:
    """An answer: "answered" the scenario's question, "completed" the scenario and, for the
    advisor's first action in a campaign, "registered" in it. Returns the statements queued."""
    xapi = xapi or builder()
    user = session.get(User, response.user_id)
    scenario = session.get(Scenario, response.scenario_id)
    if user is None or scenario is None:
        raise ValueError(f"response {response.id} has no user or scenario")
    campaign = campaign_for(session, user=user, at=response.created_at, scenario_id=scenario.id)
    ref, cref = scenario_ref(scenario), _campaign_ref(campaign)
    common: dict[str, Any] = {"actor": user.username, "at": response.created_at}
    actions = [
        Action(
            "answered", str(response.id), **common, scenario=ref, campaign=cref, text=response.text
        ),
        Action("completed", str(response.id), **common, scenario=ref, campaign=cref),
    ]
    if cref is not None:
        actions.append(joined(user.username, cref, response.created_at))
    return sum(queue(session, a, xapi=xapi) for a in actions)


def joined(username: str, campaign: CampaignRef, at: datetime) -> Action:
    """An advisor's first action in a campaign: keyed by campaign and person, so only once."""
    return Action("joined", f"{campaign.id}:{username}", actor=username, at=at, campaign=campaign)


def _response_action(
    session: Session,
    verb: str,
    key: str,
    *,
    actor: User,
    at: datetime,
    response_id: int,
    text: str | None = None,
) -> Action:
    """The action `verb` of `actor` about an answer: its scenario, campaign and author."""
    response = session.get(Response, response_id)
    if response is None:
        raise ValueError(f"response {response_id} does not exist")
    scenario = session.get(Scenario, response.scenario_id)
    author = session.get(User, response.user_id)
    if scenario is None or author is None:
        raise ValueError(f"response {response_id} has no scenario or author")
    campaign = campaign_for(session, user=actor, at=at, scenario_id=scenario.id)
    return Action(
        verb,
        key,
        actor=actor.username,
        at=at,
        scenario=scenario_ref(scenario),
        campaign=_campaign_ref(campaign),
        response_id=response.id,
        response_author=author.username,
        text=text,
    )


def record_vote(session: Session, *, vote: Vote, xapi: XapiBuilder | None = None) -> int:
    """A peer "voted up" an answer."""
    voter = session.get(User, vote.user_id)
    if voter is None:
        raise ValueError(f"user {vote.user_id} does not exist")
    action = _response_action(
        session,
        "voted-up",
        str(vote.id),
        actor=voter,
        at=vote.created_at,
        response_id=vote.response_id,
    )
    return int(queue(session, action, xapi=xapi))


def record_comment(
    session: Session, *, comment: ResponseComment, xapi: XapiBuilder | None = None
) -> int:
    """A peer "commented" on an answer (the comment is the result's response)."""
    user = session.get(User, comment.user_id)
    if user is None:
        raise ValueError(f"user {comment.user_id} does not exist")
    action = _response_action(
        session,
        "commented",
        str(comment.id),
        actor=user,
        at=comment.created_at,
        response_id=comment.response_id,
        text=comment.text,
    )
    return int(queue(session, action, xapi=xapi))


def record_pick(session: Session, *, entry: AuditEntry, xapi: XapiBuilder | None = None) -> int:
    """A coach's pick ("selected" the answer) or unpick (voids the pick's statement), from the
    audit entry that recorded it."""
    xapi = xapi or builder()
    coach = session.scalar(select(User).where(User.username == entry.actor))
    if coach is None:
        raise ValueError(f"no account {entry.actor!r}")
    response_id = int(entry.entity_id or 0)
    if entry.action == "response.pick":
        action = _response_action(
            session, "picked", str(entry.id), actor=coach, at=entry.at, response_id=response_id
        )
        return int(queue(session, action, xapi=xapi))
    if entry.action != "response.unpick":
        raise ValueError(f"audit entry {entry.id} is not a pick")
    last_pick = session.scalar(
        select(AuditEntry.id)
        .where(
            AuditEntry.action == "response.pick",
            AuditEntry.entity == "response",
            AuditEntry.entity_id == entry.entity_id,
            AuditEntry.id < entry.id,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if last_pick is None:
        return 0  # picked before statements were kept and never recorded: nothing to void
    action = Action(
        "unpicked",
        str(entry.id),
        actor=coach.username,
        at=entry.at,
        voids=xapi.statement_id("picked", str(last_pick)),
    )
    return int(queue(session, action, xapi=xapi))


def record_quiz(session: Session, *, attempt: QuizAttempt, xapi: XapiBuilder | None = None) -> int:
    """A quiz challenge "completed" with its score and, if it is the advisor's first action in
    the campaign, their "registered"."""
    user = session.get(User, attempt.user_id)
    campaign = session.get(Campaign, attempt.campaign_id)
    if user is None or campaign is None:
        raise ValueError(f"quiz attempt {attempt.id} has no user or campaign")
    cref = CampaignRef(campaign.id, campaign.name)
    action = Action(
        "quiz",
        str(attempt.id),
        actor=user.username,
        at=attempt.created_at,
        campaign=cref,
        correct=attempt.correct,
        questions=attempt.questions,
        seconds=attempt.seconds,
    )
    first = joined(user.username, cref, attempt.created_at)
    return int(queue(session, action, xapi=xapi)) + int(queue(session, first, xapi=xapi))


def backfill(session: Session) -> int:
    """Queue the statements of every action already in the store that has none yet (actions
    before the outbox existed); the ids make it safe to run again. Returns the number queued."""
    xapi = builder()
    queued = 0
    for response in session.scalars(select(Response).order_by(Response.created_at, Response.id)):
        queued += record_answer(session, response=response, xapi=xapi)
    for vote in session.scalars(select(Vote).order_by(Vote.id)):
        queued += record_vote(session, vote=vote, xapi=xapi)
    for comment in session.scalars(select(ResponseComment).order_by(ResponseComment.id)):
        queued += record_comment(session, comment=comment, xapi=xapi)
    for entry in session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action.in_(["response.pick", "response.unpick"]))
        .order_by(AuditEntry.id)
    ):
        queued += record_pick(session, entry=entry, xapi=xapi)
    for attempt in session.scalars(select(QuizAttempt).order_by(QuizAttempt.id)):
        queued += record_quiz(session, attempt=attempt, xapi=xapi)
    return queued


# ---------------------------------------------------------------------------- leaving Casebook


def leaving(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements as they leave Casebook (to the LRS or a file): the free text an advisor wrote
    (an answer, a comment: `result.response`) redacted like customers' comments, since it may
    name a customer or a colleague. The outbox keeps the text as the action wrote it, like the
    responses table; redaction happens here, once per send or export, not in the action."""
    from nlp.redact import apply_redaction, find_pii_batch

    out = copy.deepcopy(found)
    texts = [(s, s["result"]["response"]) for s in out if (s.get("result") or {}).get("response")]
    if not texts:
        return out
    languages = [str((s.get("context") or {}).get("language") or "en") for s, _ in texts]
    spans = find_pii_batch([t for _, t in texts], languages)
    for (statement, text), found_spans in zip(texts, spans, strict=True):
        statement["result"]["response"] = apply_redaction(text, found_spans)
    return out


# ---------------------------------------------------------------------------- sending


@dataclass(frozen=True)
class Pending:
    """A statement to send: its outbox row and the statement."""

    row_id: int
    statement_id: str
    statement: dict[str, Any]


def due(session: Session, *, limit: int, now: datetime | None = None) -> list[Pending]:
    """Unsent statements whose next attempt is due, oldest first, at most `limit`."""
    now = now or utcnow()
    rows = session.scalars(
        select(XapiStatement)
        .where(XapiStatement.sent_at.is_(None))
        .where((XapiStatement.next_attempt_at.is_(None)) | (XapiStatement.next_attempt_at <= now))
        .order_by(XapiStatement.id)
        .limit(limit)
    )
    return [Pending(r.id, r.statement_id, dict(r.statement)) for r in rows]


def mark_sent(session: Session, *, row_ids: Iterable[int], at: datetime | None = None) -> int:
    """Mark statements sent (the LRS said it holds them)."""
    at = at or utcnow()
    n = 0
    for row in session.scalars(select(XapiStatement).where(XapiStatement.id.in_(list(row_ids)))):
        if row.sent_at is None:
            row.sent_at = at
            row.last_error = None
            n += 1
    session.flush()
    return n


def mark_failed(
    session: Session,
    *,
    row_ids: Iterable[int],
    error: str,
    now: datetime | None = None,
    retry_seconds: float = 30,
    max_seconds: float = 3600,
) -> int:
    """Count a failed attempt; the next one waits retry_seconds, doubled per failure, capped."""
    now = now or utcnow()
    n = 0
    for row in session.scalars(select(XapiStatement).where(XapiStatement.id.in_(list(row_ids)))):
        row.attempts += 1
        row.last_error = error[:2000]
        wait = min(retry_seconds * 2 ** (row.attempts - 1), max_seconds)
        row.next_attempt_at = now + timedelta(seconds=wait)
        n += 1
    session.flush()
    return n


@dataclass(frozen=True)
class OutboxCounts:
    """How many statements are waiting, sent, and waiting after a failure."""

    pending: int
    sent: int
    failing: int


def outbox_counts(session: Session) -> OutboxCounts:
    """The outbox at a glance."""
    pending = session.scalar(
        select(func.count(XapiStatement.id)).where(XapiStatement.sent_at.is_(None))
    )
    sent = session.scalar(
        select(func.count(XapiStatement.id)).where(XapiStatement.sent_at.is_not(None))
    )
    failing = session.scalar(
        select(func.count(XapiStatement.id)).where(
            XapiStatement.sent_at.is_(None), XapiStatement.attempts > 0
        )
    )
    return OutboxCounts(int(pending or 0), int(sent or 0), int(failing or 0))


# ---------------------------------------------------------------------------- export


def statements(
    session: Session,
    *,
    scenario_id: int | None = None,
    campaign_id: int | None = None,
    scenario_ids: Iterable[int] | None = None,
) -> list[dict[str, Any]]:
    """Every statement of the outbox (sent or not), in the order of the actions, as they leave
    Casebook (redacted); only those about a scenario (or one of `scenario_ids`), or counted in a
    campaign, when asked. Counted in a campaign: recorded in it (its quiz, its registrations,
    the actions made while it ran) or in its scope (CampaignScope: what its leaderboard counts,
    such as answers given before the campaign was created but within its period)."""
    query = select(XapiStatement.statement).order_by(XapiStatement.at, XapiStatement.id)
    if scenario_id is not None:
        if session.get(Scenario, scenario_id) is None:
            raise ValueError(f"scenario {scenario_id} does not exist")
        query = query.where(XapiStatement.scenario_id == scenario_id)
    if scenario_ids is not None:
        query = query.where(XapiStatement.scenario_id.in_(sorted(set(scenario_ids))))
    if campaign_id is not None:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise ValueError(f"campaign {campaign_id} does not exist")
        scope = campaign_scope(campaign)
        members = select(User.username).where(User.team.in_(scope.teams))
        query = query.where(
            (XapiStatement.campaign_id == campaign_id)
            | (
                XapiStatement.scenario_id.in_(scope.scenario_ids)
                & XapiStatement.actor.in_(members)
                & (XapiStatement.at >= scope.starts_at)
                & (XapiStatement.at < scope.ends_at)
            )
        )
    return leaving([dict(s) for s in session.scalars(query)])
