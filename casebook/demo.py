"""Demo seeding: what a coach would have done on day one, so every role has something to see."""

from __future__ import annotations

from sqlalchemy import Engine, select

from curation.review import ReviewState
from store.db import transaction
from store.models import Case, Scenario

# The demo coach's model answer: the shape coaches teach (acknowledge, own it, act, follow up).
MODEL_ANSWERS = {
    "en": (
        "I'm really sorry: this is not the experience you should have had, and I understand why "
        "you are upset. I have taken your case myself and here is what I am doing right now: {action} "
        "I will write to you again before the end of the day to confirm it is settled."
    ),
    "fr": (
        "Je suis vraiment désolé(e) : ce n'est pas l'expérience que vous auriez dû avoir, et je "
        "comprends votre agacement. Je prends votre dossier en charge personnellement et voici ce que "
        "je fais dès maintenant : {action} Je reviens vers vous avant ce soir pour vous confirmer "
        "que tout est réglé."
    ),
}
ACTIONS = {
    "en": "I have checked your account and opened a priority request with the team concerned.",
    "fr": "j'ai vérifié votre compte et ouvert une demande prioritaire auprès de l'équipe concernée.",
}


def publish_demo_scenarios(engine: Engine, per_language: int = 4) -> int:
    """Publish the best recovery and escalation scenarios in each language, as the demo coach."""
    from store.scenarios import publish_scenario

    published = 0
    with transaction(engine) as session:
        for language in ("en", "fr"):
            ids = session.scalars(
                select(Scenario.id)
                .join(Case, Case.id == Scenario.case_id)
                .where(
                    Scenario.language == language,
                    Scenario.state == ReviewState.candidate,
                    Case.arc.in_(["recovery", "escalation"]),
                )
                .order_by(Case.score.desc(), Case.id)
                .limit(per_language)
            ).all()
            answer = MODEL_ANSWERS[language].format(action=ACTIONS[language])
            for scenario_id in ids:
                publish_scenario(
                    session, scenario_id=scenario_id, actor="coach", model_answer=answer
                )
                published += 1
    return published
