"""Scenario bundles as store.bundles makes them, written by hand for the pure delivery tests."""

from __future__ import annotations

from datetime import UTC, datetime

from delivery.model import (
    CampaignInfo,
    Objective,
    OtherCase,
    Pack,
    PeerAnswer,
    ScenarioBundle,
    Turn,
)

HOSTILE = '</script><script>window.pwned=1</script> & "quotes" <b>bold</b>'
REAL_REPLY = "So sorry, Customer A: I have rebooked your delivery for tomorrow 9am."
COACH = "I'm sorry for the wait. I have rebooked it for tomorrow 9am and I'll follow it myself."


def english(scenario_id: int = 12) -> ScenarioBundle:
    return ScenarioBundle(
        scenario_id=scenario_id,
        case_id=100 + scenario_id,
        title="Late parcel, third contact",
        language="en",
        level=2,
        skill_axis="relational",
        situation="delivery_delay",
        channel="twitter",
        arc="recovery",
        version=1,
        published_at=datetime(2025, 6, 1, tzinfo=UTC),
        customer_wants="The customer wants: their parcel",
        question="What would you reply?",
        turns=(
            Turn("customer", "Customer A", "Where is my parcel?? Third time I ask. " + HOSTILE),
            Turn("agent", "Advisor", "Can you give me your order number?"),
            Turn("customer", "Customer A", "It's [ACCOUNT]. I want it TODAY."),
        ),
        real_reply=REAL_REPLY,
        outcome=(Turn("customer", "Customer A", "Thanks, that was quick!"),),
        cues=("Strong anger (intensity 80%)", "Has already written 2 times"),
        objectives=(
            Objective("operational", "Solve the delivery problem in one reply."),
            Objective("relational", "Acknowledge the customer's anger before the facts."),
            Objective("managerial", "Decide when to escalate."),
        ),
        coach_answer=COACH,
        peer_answers=(
            PeerAnswer(1, "Sorry! Call me on [PHONE].", 0, True),
            PeerAnswer(2, "We are on it, sorry.", 3, False),
        ),
        tags=("delivery_delay", "en", "recovery"),
    )


def french(scenario_id: int = 13) -> ScenarioBundle:
    return ScenarioBundle(
        scenario_id=scenario_id,
        case_id=100 + scenario_id,
        title="Double facture",
        language="fr",
        level=1,
        skill_axis="operational",
        situation="billing",
        channel="email",
        arc="recovery",
        version=2,
        published_at=datetime(2025, 6, 2, tzinfo=UTC),
        customer_wants="Le client veut : un remboursement",
        question="Que répondriez-vous ?",
        turns=(Turn("customer", "Client A", "Vous m'avez facturé deux fois !"),),
        real_reply="Je vois le double prélèvement, je vous rembourse aujourd'hui.",
        outcome=(),
        cues=("Colère marquée",),
        objectives=(Objective("operational", "Rembourser en une réponse."),),
        coach_answer=None,
        peer_answers=(),
    )


OTHERS = (
    OtherCase(
        50,
        "en",
        "billing",
        "a refund",
        "Please read our terms and conditions.",
        "escalation",
        "Unbelievable. I'm leaving.",
    ),
    OtherCase(
        51,
        "en",
        "login",
        "to log in",
        "Have you tried turning it off and on again?",
        "unresolved",
        "That is not my question!!",
    ),
    OtherCase(
        52,
        "en",
        "delivery_delay",
        "their parcel",
        "I understand, I'm checking right now.",
        "recovery",
    ),
    OtherCase(53, "fr", "billing", "un remboursement", "Veuillez patienter.", "unresolved"),
)


def pack(*bundles: ScenarioBundle, pack_id: str = "scenario-12") -> Pack:
    chosen = bundles or (english(),)
    return Pack(
        id=pack_id,
        title=chosen[0].title if len(chosen) == 1 else "June challenge",
        bundles=tuple(chosen),
        others=OTHERS,
        campaign=None
        if len(chosen) == 1
        else CampaignInfo(
            3, "June challenge", datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 6, 30, tzinfo=UTC)
        ),
        exported_at=datetime(2025, 6, 10, tzinfo=UTC),
    )
