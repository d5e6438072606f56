"""Demo seeding: the demo accounts, and what a coach would have done on day one, so every role
has something to see."""

from __future__ import annotations

from sqlalchemy import Engine, select

from curation.review import ReviewState
from store.db import transaction
from store.models import Case, Scenario, User
from store.users import create_user

DEMO_ACCOUNTS = [
    # username, password, role, display name, team, site, language, level
    ("coach", "coach-demo", "coach", "Camille (coach)", "care-paris", "Paris", "fr", 3),
    ("advisor", "advisor-demo", "advisor", "Alex (advisor)", "care-paris", "Paris", "en", 2),
    (
        "conseiller",
        "conseiller-demo",
        "advisor",
        "Inès (conseillère)",
        "care-paris",
        "Paris",
        "fr",
        2,
    ),
    ("leader", "leader-demo", "leader", "Lee (leader)", None, "Montreal", "en", 3),
    ("admin", "admin-demo", "admin", "Ada (admin)", None, None, "en", 3),
]

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
    from store.scenarios import move_scenario, publish_scenario

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
                # Through the review workflow like any coach: each move legal, with its reason.
                for target, why in (
                    ("in_review", "demo: a notable case"),
                    ("approved", "demo: reviewed"),
                ):
                    move_scenario(
                        session, scenario_id=scenario_id, target=target, actor="coach", reason=why
                    )
                publish_scenario(
                    session,
                    scenario_id=scenario_id,
                    actor="coach",
                    model_answer=answer,
                    reason="demo: ready for the advisors",
                )
                published += 1
    return published


def ensure_demo_accounts(engine: Engine) -> None:
    """Create the demo accounts (DEMO_ACCOUNTS) that do not exist yet, marked as demo accounts."""
    with transaction(engine) as session:
        existing = set(session.scalars(select(User.username)))
        for username, password, role, name, team, site, language, level in DEMO_ACCOUNTS:
            if username not in existing:
                create_user(
                    session,
                    username=username,
                    password=password,
                    role=role,
                    display_name=name,
                    team=team,
                    site=site,
                    language=language,
                    level=level,
                    is_demo=True,
                )
