"""Demo seeding: what a coach would have done on day one, so every role has something to see."""

from __future__ import annotations

from sqlalchemy import Engine, select

from store.db import transaction
from store.models import Case, ReviewState, Scenario


def publish_demo_scenarios(engine: Engine, per_language: int = 4) -> int:
    """Publish the best recovery and escalation scenarios in each language, as the demo coach."""
    from store.views import publish_scenario

    published = 0
    with transaction(engine) as session:
        for language in ("en", "fr"):
            rows = session.execute(
                select(Scenario.id)
                .join(Case, Case.id == Scenario.case_id)
                .where(
                    Scenario.language == language,
                    Scenario.state == ReviewState.candidate,
                    Case.arc.in_(["recovery", "escalation"]),
                )
                .order_by(Case.score.desc(), Case.id)
                .limit(per_language)
            ).scalars().all()
            for scenario_id in rows:
                publish_scenario(session, scenario_id, actor="coach")
                published += 1
    return published
