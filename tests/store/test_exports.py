"""Published scenarios gathered for the delivery formats (store.bundles) and their exports
(store.exports), on each database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from store.bundles import (
    Selection,
    other_cases,
    scenario_bundles,
    scenario_pack,
    scenario_simulation,
)
from store.campaigns import create_campaign
from store.exports import FORMATS, export_file, export_for
from store.learning import pick_response, submit_response, vote
from store.models import AuditEntry, Campaign, Scenario
from store.users import create_user
from tests.dashboard.seed import NOW, PASSWORD, REAL_REPLY, SCRIPT_TEXT, seed
from tests.helpers import publish

FR_BODY = {
    "context": {"channel": "email", "situation": "billing", "customer_wants": "un remboursement"},
    "turns": [
        {"role": "customer", "speaker": "Client A", "text": "Vous m'avez facturé deux fois !"},
        {"role": "agent", "speaker": "Conseiller", "text": "Pouvez-vous me donner la date ?"},
        {"role": "customer", "speaker": "Client A", "text": "Le 3 mars, et [EMAIL] ne répond pas."},
    ],
    "cues": ["Colère marquée"],
    "question": "Que répondriez-vous ?",
    "real_reply": "Je vois le double prélèvement, je vous rembourse aujourd'hui.",
    "outcome": [{"role": "customer", "speaker": "Client A", "text": "Merci beaucoup."}],
    "objectives": {"operational": "Rembourser", "relational": "Rassurer", "managerial": "Suivre"},
    "tags": ["billing", "fr"],
}


def world(session):
    """The seed's English scenario published with answers, a French one published, a draft."""
    s = seed(session)
    publish(session, scenario_id=s.scenario_id, model_answer="Coach: sorry, rebooked for 9am.")
    french = Scenario(
        case_id=s.other_case_id, title="Double facture", language="fr", level=2, body=FR_BODY
    )
    draft = Scenario(case_id=s.other_case_id, title="Draft", language="en", body=FR_BODY)
    session.add_all([french, draft])
    session.flush()
    publish(session, scenario_id=french.id, model_answer="Je rembourse.", level=2)
    mine = submit_response(
        session,
        scenario_id=s.scenario_id,
        user_id=s.advisor_id,
        text="Sorry! Call me on 06 12 34 56 78 or write to ada.advisor@example.com",
    )
    theirs = submit_response(
        session, scenario_id=s.scenario_id, user_id=s.peer_id, text="We are on it, sorry."
    )
    third = create_user(
        session, username="third", password=PASSWORD, role="advisor", display_name="T", team="blue"
    )
    submit_response(session, scenario_id=s.scenario_id, user_id=third.id, text="No votes here.")
    vote(session, response_id=theirs.id, user_id=s.advisor_id)
    pick_response(session, response_id=mine.id, actor="coach")
    return s, french, draft


def test_a_scenario_bundle_is_redacted_and_complete(session):
    s, french, _ = world(session)
    [bundle] = scenario_bundles(session, scenario_id=s.scenario_id)
    assert bundle.title == "Late parcel, third contact" and bundle.language == "en"
    assert bundle.situation == "delivery_delay" and bundle.arc == "recovery"
    assert [t.text for t in bundle.customer_turns] == [SCRIPT_TEXT]
    assert bundle.real_reply == REAL_REPLY
    assert bundle.coach_answer == "Coach: sorry, rebooked for 9am."
    assert [o.axis for o in bundle.objectives] == ["operational", "relational", "managerial"]
    # best peers: the coach's pick first, then voted answers; an answer with no vote nor pick is left
    assert [(p.coach_pick, p.votes) for p in bundle.peer_answers] == [(True, 0), (False, 1)]
    picked = bundle.peer_answers[0].text
    # an advisor's free text goes through the same redaction as comments
    assert "06 12 34 56 78" not in picked and "ada.advisor@example.com" not in picked
    assert "[PHONE]" in picked and "[EMAIL]" in picked
    assert all("raw" not in t.text for t in bundle.all_turns)  # never the comments' raw text
    assert bundle.all_turns[-1].text == "Thanks, that was quick!"


def test_only_published_scenarios_are_exported(session):
    s, french, draft = world(session)
    with pytest.raises(ValueError, match="only published"):
        scenario_bundles(session, scenario_id=draft.id)
    with pytest.raises(ValueError, match="does not exist"):
        scenario_bundles(session, scenario_id=99_999)
    with pytest.raises(ValueError, match="no published scenario matches situation nowhere"):
        scenario_bundles(session, situation="nowhere")
    assert [b.scenario_id for b in scenario_bundles(session, level=2)] == [french.id]
    assert [b.scenario_id for b in scenario_bundles(session, situation="billing")] == [french.id]


def test_a_campaign_pack_carries_its_campaign_and_the_pool_of_other_cases(session):
    s, french, draft = world(session)
    campaign = create_campaign(
        session,
        name="June challenge",
        starts_at=NOW,
        ends_at=NOW + timedelta(days=7),
        teams=["blue"],
        scenario_ids=[s.scenario_id, draft.id],
        actor="coach",
    )
    pack = scenario_pack(session, campaign_id=campaign.id)
    assert pack.id == f"campaign-{campaign.id}" and pack.title == "June challenge"
    assert [b.scenario_id for b in pack.bundles] == [s.scenario_id]  # the draft is left out
    assert (
        pack.bundles[0].campaign is not None and pack.bundles[0].campaign.name == "June challenge"
    )
    # distractors come from the other published cases only
    assert [o.scenario_id for o in pack.others] == [french.id]
    assert pack.others[0].real_reply == FR_BODY["real_reply"]
    assert pack.others[0].reaction == "Merci beaucoup."  # what the customer said next there
    assert other_cases(session, exclude={french.id, s.scenario_id}) == []


def test_export_file_refuses_unknown_formats_and_empty_selections(session):
    s, _, _ = world(session)
    with pytest.raises(ValueError, match="unknown format"):
        export_file(session, format="pdf", selection=Selection(scenario_id=s.scenario_id))
    with pytest.raises(ValueError, match="choose a scenario"):
        export_file(session, format="scorm12", selection=Selection())
    assert set(FORMATS) == {
        "scorm12", "scorm2004", "cmi5", "xapi", "kahoot", "gift", "qti", "h5p", "handout",
    }  # fmt: skip


def test_an_export_from_the_pages_is_audited_and_named_like_the_cli(session):
    s, _, _ = world(session)
    selection = Selection(scenario_id=s.scenario_id)
    name, content, media_type = export_for(
        session, format="handout", selection=selection, actor="coach"
    )
    assert name == f"casebook-scenario-{s.scenario_id}-handout.html" and media_type == "text/html"
    assert REAL_REPLY.encode() in content
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "delivery.export"))
    assert (entry.actor, entry.entity, entry.entity_id) == ("coach", "scenario", str(s.scenario_id))
    assert entry.detail == {"format": "handout", "file": name, "bytes": len(content)}


def test_the_simulation_of_a_scenario_branches_on_other_published_cases(session):
    s, french, _ = world(session)
    # the English scenario's pool holds no English case that went wrong: nothing to branch to but
    # the coach's answer and the real reply
    simulation = scenario_simulation(session, scenario_id=s.scenario_id)
    assert simulation is not None
    [pivot] = [n for n in simulation["nodes"].values() if n["choices"]]
    assert {c["source"] for c in pivot["choices"]} == {"coach", "real"}


def test_bundles_name_their_situation_in_the_scenarios_language(session):
    s, french, _ = world(session)
    context = {**FR_BODY["context"], "situation": "billing_payment"}  # a shipped taxonomy key
    french.body = {**FR_BODY, "context": context}
    session.flush()
    [named] = scenario_bundles(session, scenario_id=french.id)
    assert (named.situation, named.situation_shown) == (
        "billing_payment",
        "Facturation et paiement",
    )
    assert named.channel_shown == "e-mail"
    # A situation the taxonomy does not know is shown as stored.
    [english] = scenario_bundles(session, scenario_id=s.scenario_id)
    assert (english.situation_name, english.situation_shown) == ("", "delivery_delay")


def test_a_packs_h5p_export_is_one_package_per_scenario(session):
    # An .h5p file holds one activity: a campaign of two scenarios gives a zip of two .h5p, each
    # the file the scenario's own export gives, and a README.txt naming them.
    import io
    import zipfile

    s, french, _ = world(session)
    # Both languages in one campaign: create_campaign refuses it now, a store made before kept it.
    campaign = Campaign(
        name="June challenge",
        starts_at=NOW,
        ends_at=NOW + timedelta(days=7),
        teams=["blue"],
        scenario_ids=[s.scenario_id, french.id],
        created_by="coach",
    )
    session.add(campaign)
    session.flush()
    name, content, media_type = export_file(
        session, format="h5p", selection=Selection(campaign_id=campaign.id)
    )
    assert name == f"casebook-campaign-{campaign.id}-h5p.zip" and media_type == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(content))
    packages = [f"scenario-{s.scenario_id}.h5p", f"scenario-{french.id}.h5p"]
    assert sorted(archive.namelist()) == sorted([*packages, "README.txt"])
    for scenario_id, package in zip([s.scenario_id, french.id], packages, strict=True):
        alone, single, _ = export_file(
            session, format="h5p", selection=Selection(scenario_id=scenario_id)
        )
        assert alone == f"casebook-scenario-{scenario_id}-h5p.h5p"
        assert archive.read(package) == single
        assert set(zipfile.ZipFile(io.BytesIO(single)).namelist()) == {
            "h5p.json",
            "content/content.json",
        }
    readme = archive.read("README.txt").decode()
    assert all(package in readme for package in packages) and "June challenge" in readme
