"""A small world of peer learning for the xAPI tests: published scenarios, advisors, a coach and
a running campaign, written with the store's own functions (so every action queues its statement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from curation.review import ReviewState
from store.campaigns import create_campaign
from store.models import Case, Scenario, Source, Thread
from store.users import create_user

PW = "long-enough-pw"


@dataclass
class World:
    scenarios: list[int]
    users: dict[str, int]
    campaign_id: int


def make_world(session: Session, *, n: int = 3, now: datetime | None = None) -> World:
    """n published scenarios (English, one situation each), a coach, three advisors in teams
    blue and red, and a campaign for team blue over the first two scenarios, running now."""
    now = now or datetime.now(UTC)
    source = Source(name="s", kind="jsonl", channel="chat")
    session.add(source)
    session.flush()
    situations = ["delivery", "billing", "technical", "account", "refund"]
    scenarios = []
    for i in range(n):
        thread = Thread(source_id=source.id, external_id=f"t{i}", channel="chat")
        session.add(thread)
        session.flush()
        case = Case(
            thread_id=thread.id,
            arc="recovery",
            score=0.5,
            situation=situations[i % len(situations)],
            emotion="anger",
            language="en",
            channel="chat",
        )
        session.add(case)
        session.flush()
        scenario = Scenario(
            case_id=case.id,
            title=f"Scenario {i}",
            language="en",
            level=1 + i % 3,
            skill_axis="relational",
            state=ReviewState.published,
            model_answer="m",
            body={
                "context": {
                    "situation": situations[i % len(situations)],
                    "customer_wants": f"The customer wants: need number {i}",
                },
                "turns": [{"role": "customer", "speaker": "Customer A", "text": f"Problem {i}!"}],
                "question": "What would you reply?",
                "real_reply": f"Real reply number {i}, sorted today.",
            },
        )
        session.add(scenario)
        session.flush()
        scenarios.append(scenario.id)
    users = {
        name: create_user(
            session, username=name, password=PW, role=role, display_name=name.title(), team=team
        ).id
        for name, role, team in [
            ("coach", "coach", None),
            ("ana", "advisor", "blue"),
            ("bob", "advisor", "blue"),
            ("cy", "advisor", "red"),
        ]
    }
    campaign = create_campaign(
        session,
        name="December challenge",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=13),
        teams=["blue"],
        scenario_ids=scenarios[:2],
        actor="coach",
    )
    return World(scenarios, users, campaign.id)
