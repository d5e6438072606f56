from datetime import UTC, datetime, timedelta

import pytest

from curation.arcs import AGENT, CUSTOMER, Turn, thread_arc

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def thread(*turns: tuple[str, str, float]) -> list[Turn]:
    """Turns from (role, text, sentiment score) triples, a minute apart."""
    return [
        Turn(
            comment_id=i + 1,
            role=role,
            created_at=T0 + timedelta(minutes=i),
            text=text,
            sentiment_score=score,
            intensity=abs(score),
        )
        for i, (role, text, score) in enumerate(turns)
    ]


CASES = [
    (
        "recovery_en",
        thread(
            (CUSTOMER, "My parcel is LOST and nobody answers!!!", -0.9),
            (AGENT, "I'm so sorry, I found it and it ships today with express delivery.", 0.3),
            (CUSTOMER, "Wow, thank you so much, you saved my day!", 0.9),
        ),
        "recovery",
        1,
    ),
    (
        "recovery_fr_after_two_replies",
        thread(
            (CUSTOMER, "Toujours pas remboursé, c'est honteux", -0.8),
            (AGENT, "Pouvez-vous nous envoyer votre numéro de commande en privé ?", 0.0),
            (CUSTOMER, "C'est fait.", 0.0),
            (AGENT, "Le remboursement est parti ce matin, toutes nos excuses.", 0.2),
            (CUSTOMER, "Merci infiniment, au top !", 0.9),
        ),
        "recovery",
        3,
    ),
    (
        "escalation_en",
        thread(
            (CUSTOMER, "My internet has been down since Monday", -0.4),
            (AGENT, "Please restart your router.", 0.0),
            (CUSTOMER, "I DID. THIS IS A JOKE. I'm cancelling and telling everyone!!!", -0.95),
        ),
        "escalation",
        1,
    ),
    (
        "escalation_fr",
        thread(
            (CUSTOMER, "Mon vol est annulé, que faire ?", -0.3),
            (AGENT, "Veuillez consulter notre FAQ.", 0.0),
            (CUSTOMER, "Vous vous moquez de moi ?! Je porte plainte.", -0.9),
        ),
        "escalation",
        1,
    ),
    ("unresolved_no_reply", thread((CUSTOMER, "Worst service ever.", -0.8)), "unresolved", None),
    (
        "praise",
        thread(
            (CUSTOMER, "Merci à l'équipe, livraison parfaite !", 0.9),
            (AGENT, "Merci pour votre message !", 0.8),
        ),
        "praise",
        None,
    ),
    ("question", thread((CUSTOMER, "What time do you open on Sunday?", 0.0)), "question", None),
    (
        "no_recovery_without_reply",
        thread(
            (CUSTOMER, "Broken on arrival", -0.7), (CUSTOMER, "oh wait it works now, great", 0.7)
        ),
        "unresolved",
        None,
    ),
]


@pytest.mark.parametrize(("name", "turns", "arc", "pivotal"), CASES, ids=[c[0] for c in CASES])
def test_thread_arc(name, turns, arc, pivotal):
    result = thread_arc(turns)
    assert result.kind == arc
    assert result.pivotal == pivotal
    if pivotal is not None:
        assert turns[pivotal].role == AGENT


def test_only_agent_turns_is_not_a_case_of_customer_mood():
    turns = thread((AGENT, "We are aware of an outage.", 0.0))
    assert thread_arc(turns).kind == "question"
    assert thread_arc(turns).trajectory == []
