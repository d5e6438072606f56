"""A few rows of every kind the dashboard shows, inserted with the ORM (shared by store and dashboard tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from store.models import (
    Analysis,
    AuthorRole,
    Case,
    Comment,
    IngestRun,
    QuarantinedRecord,
    RunStatus,
    Scenario,
    Source,
    Thread,
)
from store.users import create_user

SCRIPT_TEXT = "<script>alert(1)</script> **bold**"
REAL_REPLY = "So sorry Client A, I have rebooked your delivery for tomorrow 9am."
PASSWORD = "correct horse battery"
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)


@dataclass
class Seeded:
    source_id: int
    thread_id: int
    comment_ids: list[int]
    case_id: int
    other_case_id: int
    scenario_id: int
    coach_id: int
    advisor_id: int
    peer_id: int
    leader_id: int
    admin_id: int


def scenario_body() -> dict:
    return {
        "context": {
            "channel": "twitter",
            "situation": "delivery_delay",
            "customer_wants": "their parcel",
        },
        "turns": [{"role": "customer", "speaker": "Customer A", "text": SCRIPT_TEXT}],
        "cues": ["third contact", "angry tone"],
        "question": "What would you reply?",
        "real_reply": REAL_REPLY,
        "outcome": [
            {"role": "customer", "speaker": "Customer A", "text": "Thanks, that was quick!"}
        ],
        "objectives": {
            "operational": "rebook",
            "relational": "acknowledge",
            "managerial": "follow up",
        },
        "tags": ["delivery"],
    }


def seed(session: Session, now: datetime = NOW, users: bool = True) -> Seeded:
    """Insert a source with a run and a quarantined record, one thread of three comments, two cases,
    one candidate scenario and (optionally) a user of each role."""
    source = Source(name="demo-twitter", kind="file", channel="twitter")
    session.add(source)
    session.flush()
    run = IngestRun(
        source_id=source.id,
        started_at=now - timedelta(hours=1),
        finished_at=now,
        status=RunStatus.succeeded,
        n_read=4,
        n_new=3,
        n_quarantined=1,
    )
    session.add(run)
    session.flush()
    session.add(
        QuarantinedRecord(
            source_id=source.id, run_id=run.id, position="line 4", reason="bad json", raw="{oops"
        )
    )
    # Each thread as curation last read it (the leader's recovery rate counts threads).
    thread = Thread(
        source_id=source.id,
        external_id="t1",
        channel="twitter",
        n_comments=3,
        curated_at=now,
        arc="recovery",
        situation="delivery_delay",
        language="en",
    )
    session.add(thread)
    session.flush()
    texts = [
        (AuthorRole.customer, "raw angry text with jane@example.com", SCRIPT_TEXT, "negative"),
        (AuthorRole.agent, "raw agent reply", REAL_REPLY, "neutral"),
        (AuthorRole.customer, "raw thanks", "Thanks, that was quick!", "positive"),
    ]
    comments = []
    for i, (role, raw, redacted, sentiment) in enumerate(texts):
        comment = Comment(
            source_id=source.id,
            external_id=f"c{i}",
            thread_id=thread.id,
            author_role=role,
            author_ref=f"ref{i}",
            channel="twitter",
            created_at=now - timedelta(days=2, hours=-i),
            text=raw,
        )
        session.add(comment)
        session.flush()
        comments.append(comment)
        versions = ["v0", "v1"] if i == 0 else ["v1"]
        for version in versions:
            session.add(
                Analysis(
                    comment_id=comment.id,
                    classifier_version=version,
                    language="en",
                    language_confidence=0.9,
                    redacted_text="OLD REDACTION" if version == "v0" and i == 0 else redacted,
                    sentiment=sentiment,
                    sentiment_score=0.5,
                    emotion="anger" if i == 0 else "neutral",
                    intensity=0.5,
                    situation="delivery_delay",
                    situation_confidence=0.8,
                )
            )
            session.flush()
    case = Case(
        thread_id=thread.id,
        arc="recovery",
        score=0.8,
        score_parts={"recovery": 0.5, "reach": 0.3},
        situation="delivery_delay",
        emotion="anger",
        language="en",
        channel="twitter",
        pivotal_comment_id=comments[1].id,
    )
    other_thread = Thread(
        source_id=source.id,
        external_id="t2",
        channel="email",
        curated_at=now,
        arc="escalation",
        situation="billing",
        language="fr",
    )
    session.add_all([case, other_thread])
    session.flush()
    other = Case(
        thread_id=other_thread.id,
        arc="escalation",
        score=0.4,
        score_parts={"recovery": 0.0, "reach": 0.4},
        situation="billing",
        emotion="frustration",
        language="fr",
        channel="email",
    )
    session.add(other)
    session.flush()
    scenario = Scenario(
        case_id=case.id, title="Late parcel, third contact", language="en", body=scenario_body()
    )
    session.add(scenario)
    session.flush()
    ids = dict(coach_id=0, advisor_id=0, peer_id=0, leader_id=0, admin_id=0)
    if users:
        ids["coach_id"] = create_user(
            session, username="coach", password=PASSWORD, role="coach", display_name="Cora Coach"
        ).id
        ids["advisor_id"] = create_user(
            session,
            username="advisor",
            password=PASSWORD,
            role="advisor",
            display_name="Ada Advisor",
            team="blue",
            level=2,
        ).id
        ids["peer_id"] = create_user(
            session,
            username="peer",
            password=PASSWORD,
            role="advisor",
            display_name="Pat Peer",
            team="blue",
            level=2,
        ).id
        ids["leader_id"] = create_user(
            session, username="leader", password=PASSWORD, role="leader", display_name="Lee Leader"
        ).id
        ids["admin_id"] = create_user(
            session, username="admin", password=PASSWORD, role="admin", display_name="Ali Admin"
        ).id
    return Seeded(
        source_id=source.id,
        thread_id=thread.id,
        comment_ids=[c.id for c in comments],
        case_id=case.id,
        other_case_id=other.id,
        scenario_id=scenario.id,
        **ids,
    )
