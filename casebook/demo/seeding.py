"""Demo seeding: the demo accounts, and what a coach would have done on day one, so every role
has something to see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from curation.review import ReviewState
from store.db import transaction
from store.models import Case, Scenario, User
from store.users import create_user

DEMO_ACCOUNTS = [
    # username, password, role, display name, team, site, language, level
    ("coach", "coach-demo", "coach", "Camille", "care-paris", "Paris", "fr", 3),
    ("advisor", "advisor-demo", "advisor", "Alex", "care-paris", "Paris", "en", 2),
    (
        "conseiller",
        "conseiller-demo",
        "advisor",
        "Inès",
        "care-paris",
        "Paris",
        "fr",
        2,
    ),
    ("leader", "leader-demo", "leader", "Lee", None, "Montreal", "en", 3),
    ("admin", "admin-demo", "admin", "Ada", None, None, "en", 3),
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


# The demo coach publishes with this reason: the audit log then tells the demo's scenarios apart
# from those a coach publishes later, so a second run publishes no more of them.
DEMO_PUBLISH_REASON = "demo: ready for the advisors"


def demo_published(session: Session) -> dict[str, list[int]]:
    """The scenarios the demo coach published (ever, by the audit log), by language, oldest first;
    whatever state they are in now."""
    from store.models import AuditEntry

    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.actor == "coach",
            AuditEntry.action == "scenario.publish",
            AuditEntry.entity == "scenario",
        )
        .order_by(AuditEntry.id)
    )
    ids = list(
        dict.fromkeys(
            int(e.entity_id)
            for e in entries
            if e.entity_id and (e.detail or {}).get("reason") == DEMO_PUBLISH_REASON
        )
    )
    found: dict[str, list[int]] = {"en": [], "fr": []}
    rows = session.execute(select(Scenario.id, Scenario.language).where(Scenario.id.in_(ids)))
    language = dict(rows.tuples().all())
    for scenario_id in ids:
        if scenario_id in language:
            found.setdefault(language[scenario_id], []).append(scenario_id)
    return found


def publish_demo_scenarios(engine: Engine, per_language: int = 4) -> int:
    """Publish the best recovery and escalation scenarios in each language, as the demo coach, up
    to `per_language` in all: a second run publishes none (idempotent). Returns how many it
    published."""
    from store.scenarios import move_scenario, publish_scenario

    published = 0
    with transaction(engine) as session:
        already = demo_published(session)
        for language in ("en", "fr"):
            done = len(already.get(language, []))
            if done >= per_language:
                continue
            ids = session.scalars(
                select(Scenario.id)
                .join(Case, Case.id == Scenario.case_id)
                .where(
                    Scenario.language == language,
                    Scenario.state == ReviewState.candidate,
                    Case.arc.in_(["recovery", "escalation"]),
                )
                .order_by(Case.score.desc(), Case.id)
                .limit(per_language - done)
            ).all()
            answer = MODEL_ANSWERS[language].format(action=ACTIONS[language])
            for position, scenario_id in enumerate(ids, start=done):
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
                    # Levels 1, 2, 3 in turn: every level has scenarios in both languages.
                    level=1 + position % 3,
                    reason=DEMO_PUBLISH_REASON,
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


# Advisors of the demo team who have already answered, so peers' answers show from the start.
# They never sign in (a random password): they are there for their answers and points. Their
# names are none of the generated customers' or agents' (casebook/demo/world.py).
DEMO_PEERS = [
    # username, display name, language
    ("ravi", "Ravi", "en"),
    ("kim", "Kim", "en"),
    ("odile", "Odile", "fr"),
    ("bastien", "Bastien", "fr"),
]
PEER_ANSWERS = {
    "en": [
        "I'm sorry about this. I've looked into it and fixed it on our side; I'll check back "
        "with you tomorrow to make sure it is sorted.",
        "Thanks for telling us, and sorry for the trouble. I have escalated your case and will "
        "send you an update before 5 pm today.",
    ],
    "fr": [
        "Je suis désolé(e) pour ce désagrément. J'ai regardé votre dossier et corrigé le problème ; "
        "je reviens vers vous demain pour m'assurer que tout est réglé.",
        "Merci de nous l'avoir signalé, et pardon pour la gêne. J'ai transmis votre dossier en "
        "priorité et je vous donne des nouvelles avant 17 h.",
    ],
}
# One campaign per language: a quiz's questions are the same for everyone in a campaign, so a
# French advisor's campaign holds French cases.
CAMPAIGN_NAMES = {"en": "Demo: recovery fortnight", "fr": "Démo : quinzaine des reconquêtes"}


def _demo_peers(session: Session) -> dict[str, list[User]]:
    """The demo peers by language, created when missing."""
    import secrets

    peers: dict[str, list[User]] = {"en": [], "fr": []}
    for username, name, language in DEMO_PEERS:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = create_user(
                session,
                username=username,
                password=secrets.token_urlsafe(24),
                role="advisor",
                display_name=name,
                team="care-paris",
                site="Paris",
                language=language,
                level=3,
                is_demo=True,
            )
        peers[language].append(user)
    return peers


def seed_demo_learning(engine: Engine, *, today: datetime | None = None) -> dict[str, int]:
    """A campaign per language running for the demo team over the demo coach's published
    scenarios (from 3 days ago to 11 days ahead), then peers' answers (and a vote each) on those
    scenarios, so the answers count in the campaign (leaderboard, xAPI statements). Idempotent:
    a second run adds nothing (the counts it returns are what it added)."""
    from store.campaigns import create_campaign
    from store.learning import submit_response, vote
    from store.models import Campaign, Response, Vote

    today = today or datetime.now(UTC)
    counts = {"answers": 0, "votes": 0, "campaigns": 0}
    with transaction(engine) as session:
        peers = _demo_peers(session)
        mine = demo_published(session)
        published = session.scalars(
            select(Scenario)
            .where(
                Scenario.id.in_([i for ids in mine.values() for i in ids]),
                Scenario.state == ReviewState.published,
            )
            .order_by(Scenario.id)
        ).all()
        # The campaigns first: an answer counts in the campaign running when it is given.
        start = (today - timedelta(days=3)).replace(hour=0, minute=0, second=0, microsecond=0)
        for language, name in CAMPAIGN_NAMES.items():
            ids = [s.id for s in published if s.language == language]
            if ids and session.scalar(select(Campaign.id).where(Campaign.name == name)) is None:
                create_campaign(
                    session,
                    name=name,
                    starts_at=start,
                    ends_at=start + timedelta(days=14),
                    teams=["care-paris"],
                    scenario_ids=ids,
                    actor="coach",
                )
                counts["campaigns"] += 1
        for scenario in published:
            language = scenario.language if scenario.language in peers else "en"
            answered = []
            for i, peer in enumerate(peers[language]):
                done = session.scalar(
                    select(Response.id).where(
                        Response.scenario_id == scenario.id, Response.user_id == peer.id
                    )
                )
                if done is None:
                    text = PEER_ANSWERS[language][i % len(PEER_ANSWERS[language])]
                    done = submit_response(
                        session, scenario_id=scenario.id, user_id=peer.id, text=text
                    ).id
                    counts["answers"] += 1
                answered.append((peer, done))
            if len(answered) >= 2:  # the second peer votes for the first one's answer
                (_, first), (voter, _) = answered[0], answered[1]
                voted = session.scalar(
                    select(Vote.id).where(Vote.response_id == first, Vote.user_id == voter.id)
                )
                if voted is None:
                    vote(session, response_id=first, user_id=voter.id)
                    counts["votes"] += 1
    return counts
