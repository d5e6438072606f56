"""The coach's pages: queue filters, the case page (original text audited, label corrections), the
scenario editor (versions, workflow, picks), families and campaigns."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from casebook_data.taxonomy_names import situation_names
from curation.review import ReviewState
from dashboard import data
from dashboard.i18n import STRINGS
from store.db import get_engine, transaction
from store.learning import submit_response, vote
from store.models import (
    Analysis,
    AuditEntry,
    Campaign,
    Case,
    CaseFeedback,
    Family,
    LabelCorrection,
    Response,
    Scenario,
    ScenarioVersion,
    Thread,
)
from store.scenarios import move_scenario
from store.users import UserInfo
from tests.dashboard.harness import app, info, page
from tests.dashboard.seed import NOW, SCRIPT_TEXT
from tests.helpers import publish

COACH_PAGES = ["case_queue", "case", "scenario", "families", "campaigns", "situations"]
ORIGINAL = "raw angry text with jane@example.com"


def someone(role: str) -> UserInfo:
    return UserInfo(id=999, username=role, display_name=role, role=role, team="blue", level=3)


def coach(seeded) -> UserInfo:
    return info(get_engine(), seeded.coach_id)


def texts(at) -> list[str]:
    return [t.value for t in at.text]


def captions(at) -> list[str]:
    """Captions as read on screen (markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]


def click(at, label: str):
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def audit(db, action: str) -> list[AuditEntry]:
    with transaction(db) as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        s.expunge_all()
        return rows


@pytest.mark.parametrize("name", COACH_PAGES)
def test_coach_page_on_an_empty_store(db, name):
    at = app(someone("coach"), script=page(name)).run()
    assert not at.exception
    assert not at.error
    assert at.info, "an empty page says why it is empty"


@pytest.mark.parametrize("name", COACH_PAGES)
def test_coach_page_on_a_small_store(seeded, name):
    at = app(coach(seeded), script=page(name)).run()
    assert not at.exception
    assert not at.error
    assert ORIGINAL not in "\n".join(texts(at))


@pytest.mark.parametrize("name", COACH_PAGES)
def test_an_advisor_opening_a_coach_page_is_stopped(seeded, name):
    advisor = info(get_engine(), seeded.advisor_id)
    at = app(advisor, script=page(name)).run()
    assert not at.exception
    assert len(at.error) == 1 and "coach" in at.error[0].value
    assert not at.title and not at.text and not at.dataframe
    assert not at.checkbox  # no "show original text" for an advisor


def test_coach_navigation_lists_the_new_pages(seeded):
    at = app(coach(seeded)).run()
    assert at.session_state["nav_titles"] == [
        "Case queue",
        "Case",
        "Scenario",
        "Families",
        "Campaigns",
        "Teach situations",
    ]
    at.switch_page("screens/campaigns.py").run()
    assert not at.exception and at.title[0].value == "Campaigns"


# ---------------------------------------------------------------------------- the queue


def queue_move(at, sid: int, target: str, reason: str, answer: str | None = None):
    if answer is not None:
        at.text_area(key=f"answer_{sid}").input(answer)
    at.selectbox(key=f"target_{sid}").set_value(target)
    at.text_input(key=f"reason_{sid}").input(reason)
    return click(at, "Save and move")


def test_queue_moves_one_legal_step_with_a_reason_never_straight_to_published(seeded, db):
    sid = seeded.scenario_id
    at = app(coach(seeded)).run()
    assert at.selectbox(key=f"target_{sid}").options == ["in review", "rejected"]
    at = queue_move(at, sid, "in_review", "", answer="The WoW answer")
    assert at.error and "reason" in at.error[0].value
    with transaction(db) as s:
        assert s.get(Scenario, sid).state == ReviewState.candidate
    # The step forward first, then (where the content may be edited) staying, then the others.
    for target, options in (
        ("in_review", ["approved", "stay in review (save only)", "candidate", "rejected"]),
        ("approved", ["published", "stay approved (save only)", "in review", "rejected"]),
        ("published", ["stay published (save only)", "archived"]),
    ):
        at = queue_move(at, sid, target, f"ready: {target}", answer="The WoW answer")
        assert not at.exception and not at.error, target
        assert at.selectbox(key=f"target_{sid}").options == [
            o.replace("in_review", "in review") for o in options
        ]
        # the next move starts afresh: its first choice, no reason left from the last one
        assert at.selectbox(key=f"target_{sid}").index == 0
        assert at.text_input(key=f"reason_{sid}").value == ""
    with transaction(db) as s:
        scenario = s.get(Scenario, sid)
        assert scenario.state == ReviewState.published
        assert scenario.model_answer == "The WoW answer"
        assert s.get(Case, seeded.case_id).state == ReviewState.published
    reasons = [(e.detail["to"], e.detail["reason"]) for e in audit(db, "scenario.transition")]
    assert reasons == [
        ("in_review", "ready: in_review"),
        ("approved", "ready: approved"),
        ("published", "ready: published"),
    ]


def test_a_published_scenario_s_answer_is_improved_from_the_queue_without_archiving_it(seeded, db):
    sid = seeded.scenario_id
    with transaction(db) as s:
        publish(s, scenario_id=sid, actor="coach", model_answer="The WoW answer")
    at = app(coach(seeded)).run()
    # Staying published is what the form offers first: a click on the button archives nothing.
    assert at.selectbox(key=f"target_{sid}").value == "stay"
    at.text_area(key=f"answer_{sid}").input("An even better answer")
    at = click(at, "Save and move")
    assert not at.exception and not at.error
    assert at.success[0].value == "Saved."
    with transaction(db) as s:
        scenario = s.get(Scenario, sid)
        assert scenario.state == ReviewState.published
        assert scenario.model_answer == "An even better answer"
    assert audit(db, "scenario.transition")[-1].detail["to"] == "published"
    assert len(audit(db, "scenario.edit")) == 1


def test_queue_shows_duplicates_family_and_filters_by_emotion_and_period(seeded, db):
    with transaction(db) as s:
        family = Family(name="parcel · late", situation="delivery_delay", size=3, size_this_week=2)
        s.add(family)
        s.flush()
        case = s.get(Case, seeded.case_id)
        case.family_id, case.duplicate_count = family.id, 3
        s.get(Thread, seeded.thread_id).last_comment_at = NOW - timedelta(days=2)
        other = s.get(Case, seeded.other_case_id)
        s.get(Thread, other.thread_id).last_comment_at = NOW - timedelta(days=60)
    at = app(coach(seeded)).run()
    queue = at.dataframe[0].value
    assert {"duplicate_count", "family", "score_recovery", "score_reach"} <= set(queue.columns)
    first = queue.iloc[0]
    # Three threads in the case: its own and two copies, shown as two similar threads.
    assert (first["case_id"], first["duplicate_count"], first["family"]) == (
        seeded.case_id,
        2,
        "parcel · late",
    )
    assert set(queue["duplicate_count"]) == {0, 2}  # the other case has no copy
    at.radio(key="filter_period").set_value(7).run()
    assert not at.exception
    assert list(at.dataframe[0].value["case_id"]) == [seeded.case_id]
    at.radio(key="filter_period").set_value(90).run()
    assert list(at.dataframe[0].value["case_id"]) == [seeded.case_id, seeded.other_case_id]
    at.selectbox(key="filter_emotion").set_value("frustration").run()
    assert list(at.dataframe[0].value["case_id"]) == [seeded.other_case_id]


# ---------------------------------------------------------------------------- the case page


def open_case(seeded):
    at = app(coach(seeded), script=page("case"))
    at.session_state["open_case_id"] = seeded.case_id
    return at.run()


def test_case_page_shows_the_redacted_conversation_with_labels(seeded):
    at = open_case(seeded)
    assert not at.exception
    assert at.selectbox(key="case_page_id").value == seeded.case_id
    assert SCRIPT_TEXT in texts(at)  # plain text, never markdown or HTML
    assert "<script>" not in "\n".join(m.value for m in at.markdown)
    assert ORIGINAL not in texts(at)
    assert "Labels: English · negative · anger · delivery_delay" in captions(at)
    # the advisor's reply: its language only (an apology read as the customer's sadness misleads)
    assert "Labels: English" in captions(at)
    assert not [c for c in captions(at) if c.startswith("Labels: English · neutral")]


def test_case_page_heads_the_score_parts_and_gives_each_two_decimals(seeded):
    import json

    at = open_case(seeded)
    [parts] = [d for d in at.dataframe if set(d.value.columns) == {"recovery", "reach"}]
    config = json.loads(parts.proto.columns)
    assert config["reach"]["label"] == "Reach"  # a heading, capitalised like the others
    formats = {config[name]["type_config"]["format"] for name in ("recovery", "reach")}
    assert formats == {"%.2f"}  # "0.00" beside "0.81", not "0"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_case_page_opens_a_case_scored_for_a_delicate_situation(seeded, db, language):
    # Score parts share their names with label columns ("delicate", "arc"): they stay numbers.
    with transaction(db) as s:
        case = s.get(Case, seeded.case_id)
        case.score_parts = {"arc": 0.35, "delicate": 0.15, "intensity": 0.1}
        case.delicate = ["privacy", "legal"]
    at = app(dataclasses.replace(coach(seeded), language=language), script=page("case"))
    at.session_state["open_case_id"] = seeded.case_id
    at.run()
    assert not at.exception
    [parts] = [d for d in at.dataframe if "delicate" in d.value.columns]
    assert parts.value["delicate"].iloc[0] == 0.15 and parts.value["arc"].iloc[0] == 0.35


def test_show_original_text_is_audited(seeded, db):
    at = open_case(seeded)
    assert audit(db, "case.show_original") == []
    at.checkbox(key=f"show_original_{seeded.case_id}").check().run()
    assert not at.exception
    assert ORIGINAL in texts(at)
    assert SCRIPT_TEXT in texts(at)  # the redacted text stays beside it
    [entry] = audit(db, "case.show_original")
    assert (entry.actor, entry.entity, entry.entity_id) == ("coach", "case", str(seeded.case_id))
    at.checkbox(key=f"show_original_{seeded.case_id}").uncheck().run()
    assert ORIGINAL not in texts(at)
    assert len(audit(db, "case.show_original")) == 1  # unticking is not a viewing


def test_original_text_is_refused_to_anyone_but_a_coach(seeded):
    for role in ("advisor", "leader", "admin"):
        with pytest.raises(PermissionError):
            data.original_texts(someone(role), case_id=seeded.case_id)
        with pytest.raises(PermissionError):
            data.record_show_original(someone(role), seeded.case_id)


def test_a_label_correction_is_stored(seeded, db):
    at = open_case(seeded)
    cid = seeded.case_id
    at.selectbox(key=f"correct_comment_{cid}").set_value(seeded.comment_ids[0]).run()
    at.selectbox(key=f"correct_field_{cid}").set_value("sentiment").run()
    first = seeded.comment_ids[0]
    at.selectbox(key=f"correct_value_{cid}_{first}_sentiment").set_value("neutral").run()
    at.button(key=f"correct_save_{cid}").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Correction saved")
    with transaction(db) as s:
        [fix] = s.scalars(select(LabelCorrection)).all()
        assert (fix.comment_id, fix.field, fix.old_value, fix.new_value, fix.actor) == (
            seeded.comment_ids[0],
            "sentiment",
            "negative",
            "neutral",
            "coach",
        )
    assert "Labels: English · neutral · anger · delivery_delay" in captions(at)


def test_a_label_saved_unchanged_is_a_confirmation(seeded, db):
    at = open_case(seeded)
    cid = seeded.case_id
    at.selectbox(key=f"correct_comment_{cid}").set_value(seeded.comment_ids[0]).run()
    at.selectbox(key=f"correct_field_{cid}").set_value("sentiment").run()
    first = seeded.comment_ids[0]
    assert at.selectbox(key=f"correct_value_{cid}_{first}_sentiment").value == "negative"
    at.button(key=f"correct_save_{cid}").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == STRINGS["en"]["label_confirmed"]


def test_the_correction_picker_opens_on_each_comment_s_own_label(seeded, db):
    # A picker shared by the comments kept the value picked for the one before: saving then
    # corrected this one by mistake.
    at = open_case(seeded)
    cid = seeded.case_id
    first, second = seeded.comment_ids[:2]
    with transaction(db) as s:
        theirs = s.scalar(select(Analysis.emotion).where(Analysis.comment_id == second))
    at.selectbox(key=f"correct_comment_{cid}").set_value(first).run()
    at.selectbox(key=f"correct_field_{cid}").set_value("emotion").run()
    other = "joy" if theirs != "joy" else "fear"
    at.selectbox(key=f"correct_value_{cid}_{first}_emotion").set_value(other).run()
    at.selectbox(key=f"correct_comment_{cid}").set_value(second).run()
    assert at.selectbox(key=f"correct_value_{cid}_{second}_emotion").value == theirs


def test_a_situation_is_corrected_to_one_of_the_taxonomy_s_named_in_the_readers_language(
    seeded, db
):
    at = open_case(seeded)
    cid = seeded.case_id
    first = seeded.comment_ids[0]
    at.selectbox(key=f"correct_comment_{cid}").set_value(first).run()
    at.selectbox(key=f"correct_field_{cid}").set_value("situation").run()
    picker = at.selectbox(key=f"correct_value_{cid}_{first}_situation")
    assert "billing_payment" in picker.options or "Billing and payment" in picker.options
    assert "delivery_delay" in picker.options  # the comment's own label, from elsewhere, kept
    picker.set_value("billing_payment").run()
    at.button(key=f"correct_save_{cid}").click().run()
    assert not at.exception and not at.error
    with transaction(db) as s:
        [fix] = s.scalars(select(LabelCorrection)).all()
        assert (fix.field, fix.new_value) == ("situation", "billing_payment")


@pytest.mark.parametrize(
    ("language", "save", "unresolved", "given"),
    [
        ("en", "Save verdict", "unresolved", "Verdicts given: Wrong arc → unresolved (coach)"),
        (
            "fr",
            "Enregistrer l'avis",
            "non résolu",
            "Avis donnés : Mauvais arc → non résolu (coach)",
        ),
    ],
)
def test_a_verdict_is_chosen_before_it_is_saved_then_told_in_the_readers_language(
    seeded, db, language, save, unresolved, given, monkeypatch
):
    from dashboard import i18n, labels

    # AppTest formats a widget's options again outside the script, where no user is signed in:
    # the options' labels in the reader's language there too.
    monkeypatch.setattr(i18n, "current_language", lambda: language)
    monkeypatch.setattr(labels, "current_language", lambda: language)
    cid = seeded.case_id
    user = dataclasses.replace(coach(seeded), language=language)
    at = app(user, script=page("case"))
    at.session_state["open_case_id"] = cid
    at.run()
    assert at.radio(key=f"verdict_choice_{cid}").value is None  # nothing chosen for the coach
    click(at, save)
    assert not at.exception
    assert at.warning, "a click alone must not save a verdict"
    with transaction(db) as s:
        assert s.scalars(select(CaseFeedback)).all() == []

    at.radio(key=f"verdict_choice_{cid}").set_value("wrong_arc")
    arc = at.selectbox(key=f"verdict_arc_{cid}")
    arc.select_index(arc.options.index(unresolved))  # as the reader sees it
    click(at, save)
    assert not at.exception and not at.warning
    with transaction(db) as s:
        [row] = s.scalars(select(CaseFeedback)).all()
        assert (row.verdict, row.arc, row.actor) == ("wrong_arc", "unresolved", "coach")
    assert given in captions(at)


# ---------------------------------------------------------------------------- teaching situations


def test_a_coach_labels_the_least_sure_comment_and_it_leaves_the_queue(seeded, db):
    from store.models import Analysis

    with transaction(db) as s:
        # The newest analysis of the first customer comment is the least sure of all.
        newest = s.scalars(
            select(Analysis)
            .where(Analysis.comment_id == seeded.comment_ids[0])
            .order_by(Analysis.id.desc())
        ).first()
        newest.situation_confidence = 0.05
        # Nothing found: "other", then "other" again, which is no second choice.
        newest.situation, newest.situation_runner_up = "other", "other"
        for analysis in s.scalars(select(Analysis).where(Analysis.situation == "delivery_delay")):
            analysis.situation_runner_up = "billing_payment"
    at = app(coach(seeded), script=page("situations")).run()
    assert not at.exception and not at.error
    first = seeded.comment_ids[0]
    assert any(c.startswith("now: Other (0.05) · English") for c in captions(at))
    assert (
        "now: delivery_delay (0.8), runner-up: Billing and payment · English · twitter"
        in captions(at)
    )
    choice = at.selectbox(key=f"situation_choice_{first}")
    assert at.selectbox[0].key == choice.key  # least sure first
    # The situations read in the coach's language; the stored value stays the taxonomy's id.
    assert "Billing and payment" in choice.options and choice.value == "other"
    choice.set_value("delivery_logistics").run()
    at.button(key=f"situation_save_{first}").click().run()
    assert not at.exception and not at.error
    assert at.success and "Delivery and logistics" in at.success[0].value
    with transaction(db) as s:
        [label] = s.scalars(select(LabelCorrection)).all()
        assert (label.comment_id, label.field, label.new_value, label.actor) == (
            first,
            "situation",
            "delivery_logistics",
            "coach",
        )
    assert all(box.key != f"situation_choice_{first}" for box in at.selectbox)
    assert ORIGINAL not in "\n".join(texts(at))


# ---------------------------------------------------------------------------- the scenario page


def scenario_page(seeded):
    at = app(coach(seeded), script=page("scenario"))
    at.session_state["open_scenario_id"] = seeded.scenario_id
    return at.run()


def editor_page(seeded, db):
    """The scenario page of the seeded scenario once its review has started (it may be edited)."""
    with transaction(db) as s:
        move_scenario(
            s, scenario_id=seeded.scenario_id, target="in_review", actor="coach", reason="go"
        )
    return scenario_page(seeded)


def save_version(at, sid: int, reason: str):
    """Save the editor's form as a new version, with `reason`."""
    at.text_input(key=f"edit_reason_{sid}").input(reason)
    return click(at, "Save a new version")


def test_an_edit_makes_a_version(seeded, db):
    at = editor_page(seeded, db)
    sid = seeded.scenario_id
    at.text_input(key=f"edit_title_{sid}").input("Late parcel, fourth contact")
    at.text_area(key=f"edit_turn_{sid}_0").input("Where is my parcel?")
    at.text_area(key=f"edit_cues_{sid}").input("fourth contact\n\nvery angry")
    at.text_area(key=f"edit_answer_{sid}").input("I am sorry: it leaves today.")
    at.selectbox(key=f"edit_level_{sid}").set_value(3)
    at.selectbox(key=f"edit_axis_{sid}").set_value("relational")
    at.selectbox(key=f"edit_language_{sid}").set_value("fr")
    at.text_input(key=f"edit_teams_{sid}").input("blue, red")
    click(at, "Save a new version")
    assert at.error and "reason" in at.error[0].value  # an edit needs a reason
    with transaction(db) as s:
        assert s.get(Scenario, sid).version == 1
    at.text_input(key=f"edit_reason_{sid}").input("clearer cues")
    click(at, "Save a new version")
    assert not at.exception and not at.error
    assert at.success[0].value == "New version saved."
    with transaction(db) as s:
        scenario = s.get(Scenario, sid)
        assert scenario.version == 2
        assert scenario.title == "Late parcel, fourth contact"
        assert scenario.body["turns"][0]["text"] == "Where is my parcel?"
        assert scenario.body["cues"] == ["fourth contact", "very angry"]
        assert (scenario.level, scenario.skill_axis, scenario.language) == (3, "relational", "fr")
        assert scenario.target_teams == ["blue", "red"]
        assert scenario.model_answer == "I am sorry: it leaves today."
        assert scenario.state == ReviewState.in_review  # saving moved nothing
        [old] = s.scalars(select(ScenarioVersion)).all()
        assert (old.version, old.title, old.edited_by) == (1, "Late parcel, third contact", "coach")
        assert old.body["turns"][0]["text"] == SCRIPT_TEXT
    [entry] = audit(db, "scenario.edit")
    assert entry.detail["reason"] == "clearer cues" and entry.actor == "coach"
    # The earlier version is listed, its texts shown literally.
    assert any("Version 1" in e.label for e in at.expander)
    assert SCRIPT_TEXT in texts(at)
    # The reason was for that edit; a save that changes nothing makes no version.
    assert at.text_input(key=f"edit_reason_{sid}").value == ""
    at.text_input(key=f"edit_reason_{sid}").input("just looking")
    click(at, "Save a new version")
    assert not at.exception and not at.error
    assert "Nothing changed: no new version was saved." in [i.value for i in at.info]
    with transaction(db) as s:
        assert s.get(Scenario, sid).version == 2
    assert len(audit(db, "scenario.edit")) == 1


def test_a_coach_says_what_this_customer_wants_for_advisors_and_the_quiz(seeded, db):
    at = editor_page(seeded, db)
    sid = seeded.scenario_id
    field = at.text_input(key=f"edit_wants_{sid}")
    assert field.value == "their parcel"  # the draft's line, without a lead-in to keep
    field.input("  the parcel   before Friday's wedding ")
    save_version(at, sid, "this customer's own need")
    assert not at.exception and not at.error
    with transaction(db) as s:
        scenario = s.get(Scenario, sid)
        assert scenario.version == 2
        wants = scenario.body["context"]["customer_wants"]
        assert wants == "The customer wants: the parcel before Friday's wedding"
        assert scenario.body["context"]["situation"] == "delivery_delay"  # the rest kept
    # Saved again unchanged, it makes no version.
    save_version(at, sid, "just looking")
    with transaction(db) as s:
        assert s.get(Scenario, sid).version == 2
    # Emptied: no line for advisors, and no quiz question on it (delivery.quiz.need of "").
    at.text_input(key=f"edit_wants_{sid}").input("")
    save_version(at, sid, "no need to say")
    with transaction(db) as s:
        scenario = s.get(Scenario, sid)
        assert (scenario.version, scenario.body["context"]["customer_wants"]) == (3, "")


def test_a_coach_corrects_the_scenario_s_situation(seeded, db):
    at = editor_page(seeded, db)
    sid = seeded.scenario_id
    box = at.selectbox(key=f"edit_situation_{sid}")
    # The case's situation first, even one the taxonomy no longer has; then the taxonomy's.
    assert box.value == "delivery_delay" and box.options[0] == "delivery_delay"
    assert box.options[1:] == [situation_names()[k]["en"] for k in situation_names()]
    box.set_value("billing_payment")
    save_version(at, sid, "a double charge, not a late parcel")
    assert not at.exception and not at.error
    with transaction(db) as s:
        scenario = s.get(Scenario, sid)
        assert scenario.version == 2
        assert scenario.body["context"]["situation"] == "billing_payment"
        assert sorted(scenario.body["tags"]) == ["billing_payment", "delivery"]
        # This scenario's own texts name no situation: they stay as the coach wrote them.
        assert scenario.title == "Late parcel, third contact"
        assert scenario.body["context"]["customer_wants"] == "their parcel"
        assert scenario.body["objectives"]["operational"] == "rebook"
    assert at.selectbox(key=f"edit_situation_{sid}").value == "billing_payment"
    # Saved again as it is: no version.
    save_version(at, sid, "just looking")
    with transaction(db) as s:
        assert s.get(Scenario, sid).version == 2


@pytest.mark.parametrize(
    ("language", "line"),
    [("en", "The customer wants: a refund"), ("fr", "Le client veut : un remboursement")],
)
def test_an_edited_need_is_written_in_the_scenario_s_language(language, line):
    body = {"context": {"customer_wants": "The customer wants: their parcel"}, "turns": []}
    what = line.split(": ", 1)[1]
    assert data.edited_body(body, wants=what, language=language)["context"] == {
        "customer_wants": line
    }
    # The same need in another language's line is no change: the line is kept as it is.
    assert data.edited_body(body, wants="their parcel", language="fr") == body
    assert data.edited_body(body, wants=None, language=language) == body


def test_saving_a_scenario_without_cues_or_question_unchanged_makes_no_version(seeded, db):
    with transaction(db) as s:
        scenario = s.get(Scenario, seeded.scenario_id)
        scenario.body = {"turns": scenario.body["turns"]}  # no cues, no question of its own
        move_scenario(
            s, scenario_id=seeded.scenario_id, target="in_review", actor="coach", reason="go"
        )
    at = scenario_page(seeded)
    sid = seeded.scenario_id
    assert at.text_input(key=f"edit_q_{sid}").value == "What would you reply?"  # the default
    at.text_input(key=f"edit_reason_{sid}").input("no change")
    click(at, "Save a new version")
    assert not at.exception and not at.error
    with transaction(db) as s:
        scenario = s.get(Scenario, sid)
        assert scenario.version == 1 and "question" not in scenario.body


def move(at, sid: int, target: str, reason: str):
    at.selectbox(key=f"move_target_{sid}").set_value(target)
    at.text_input(key=f"move_reason_{sid}").input(reason)
    return click(at, "Move")


def test_only_legal_moves_are_offered_and_each_needs_a_reason(seeded, db):
    at = scenario_page(seeded)
    sid = seeded.scenario_id
    assert at.selectbox(key=f"move_target_{sid}").options == ["in review", "rejected"]
    move(at, sid, "in_review", "")
    assert at.error and "reason" in at.error[0].value
    with transaction(db) as s:
        assert s.get(Scenario, sid).state == ReviewState.candidate
    assert audit(db, "scenario.transition") == []


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", 'in the "Workflow" tab'),
        ("fr", "dans l'onglet « Circuit de validation »"),  # the tab as it is named there
    ],
)
def test_a_candidate_is_not_edited_before_its_review_starts(seeded, db, language, said):
    at = app(dataclasses.replace(coach(seeded), language=language), script=page("scenario"))
    at.session_state["open_scenario_id"] = seeded.scenario_id
    at.run()
    assert not at.exception
    [note] = [i.value for i in at.info if said in i.value]
    assert ("cannot be edited" in note) == (language == "en")
    saves = {STRINGS[lang]["save_version"] for lang in ("en", "fr")}
    assert not [b for b in at.button if b.label in saves]


def test_legal_moves_up_to_publishing(seeded, db):
    with transaction(db) as s:
        s.get(Scenario, seeded.scenario_id).model_answer = "The WoW answer"
    at = scenario_page(seeded)
    sid = seeded.scenario_id
    for target in ("in_review", "approved", "published"):
        at = move(at, sid, target, f"ready for {target}")
        assert not at.exception and not at.error, target
    assert at.success[0].value == "Moved to published."
    with transaction(db) as s:
        assert s.get(Scenario, sid).state == ReviewState.published
        assert s.get(Case, seeded.case_id).state == ReviewState.published  # the case follows
    reasons = [e.detail["reason"] for e in audit(db, "scenario.transition")]
    assert reasons[:3] == ["ready for in_review", "ready for approved", "ready for published"]


def test_coach_picks_a_best_answer(seeded, db):
    with transaction(db) as s:
        publish(s, scenario_id=seeded.scenario_id, actor="coach", model_answer="Model")
        response = submit_response(
            s, scenario_id=seeded.scenario_id, user_id=seeded.advisor_id, text="My answer"
        )
    at = scenario_page(seeded)
    at.button(key=f"pick_{response.id}").click().run()
    assert not at.exception and not at.error
    with transaction(db) as s:
        assert s.get(Response, response.id).coach_pick
    assert at.button(key=f"pick_{response.id}").label == "Remove from the best"
    assert any("★ coach's pick" in c for c in captions(at))
    assert len(audit(db, "response.pick")) == 1


# ---------------------------------------------------------------------------- families


def test_families_page_lists_families_with_examples(seeded, db):
    with transaction(db) as s:
        family = Family(
            name="parcel · late",
            situation="delivery_delay",
            terms=[["parcel", 2.0], ["late", 1.0]],
            size=4,
            size_this_week=2,
        )
        # A single case, newer this week than the family above: not a family until asked for.
        single = Family(name="refund · card", situation="billing", size=1, size_this_week=1)
        s.add_all([family, single])
        s.flush()
        s.get(Case, seeded.case_id).family_id = family.id
    at = app(coach(seeded), script=page("families")).run()
    assert not at.exception
    families = at.dataframe[0].value
    assert families.to_dict("records") == [
        {
            "name": "parcel · late",
            "situation": "delivery_delay",
            "size": 4,
            "size_this_week": 2,
            "terms": "parcel, late",
        }
    ]
    assert "1 in all." in captions(at)
    assert any(f"#{seeded.case_id} · Late parcel, third contact" in t for t in texts(at))
    at.checkbox(key="family_singles").check().run()
    assert list(at.dataframe[0].value["name"]) == ["parcel · late", "refund · card"]
    assert "2 in all." in captions(at)
    at.checkbox(key="family_singles").uncheck().run()
    at.selectbox(key="family_situation").set_value("billing").run()
    assert not at.dataframe
    assert at.info[0].value.startswith("No family of two cases or more yet; 1 single case:")
    at.selectbox(key="family_situation").set_value("delivery_delay").run()
    at.checkbox(key="family_singles").check().run()
    assert list(at.dataframe[0].value["name"]) == ["parcel · late"]


# ---------------------------------------------------------------------------- campaigns


def test_campaign_creation_and_leaderboard(seeded, db):
    with transaction(db) as s:
        publish(s, scenario_id=seeded.scenario_id, actor="coach", model_answer="Model", level=2)
        answer = submit_response(
            s, scenario_id=seeded.scenario_id, user_id=seeded.advisor_id, text="Sorry, fixed."
        )
        submit_response(s, scenario_id=seeded.scenario_id, user_id=seeded.peer_id, text="On it.")
        vote(s, response_id=answer.id, user_id=seeded.peer_id)
    at = app(coach(seeded), script=page("campaigns")).run()
    assert not at.exception
    assert at.info[0].value == "No campaigns yet."
    click(at, "Create the campaign")
    assert at.error and "name" in at.error[0].value  # a campaign needs a name
    at.text_input(key="campaign_name").input("June challenge")
    at.multiselect(key="campaign_teams").select("blue")
    at.multiselect(key="campaign_scenarios").select(seeded.scenario_id)
    click(at, "Create the campaign")
    assert not at.exception and not at.error
    assert at.success[0].value == "Campaign created."
    # The form is empty for the next one: a second click does not make the same campaign again.
    assert at.text_input(key="campaign_name").value == ""
    assert at.multiselect(key="campaign_scenarios").value == []
    with transaction(db) as s:
        [campaign] = s.scalars(select(Campaign)).all()
        assert (campaign.name, campaign.teams, campaign.scenario_ids) == (
            "June challenge",
            ["blue"],
            [seeded.scenario_id],
        )
        assert campaign.ends_at - campaign.starts_at == timedelta(days=14)
    listed = at.dataframe[0].value
    assert listed.iloc[0]["name"] == "June challenge" and listed.iloc[0]["status"] == "running"
    board = at.dataframe[1].value
    assert list(board["name"]) == ["Ada Advisor", "Pat Peer"]
    assert board.iloc[0]["points"] == 4.0 and board.iloc[0]["votes"] == 1
    at.radio(key="coach_campaign_by").set_value("team").run()
    team = at.dataframe[1].value
    assert list(team["name"]) == ["blue"] and team.iloc[0]["answers"] == 2
    assert len(audit(db, "campaign.create")) == 1


def test_open_a_case_from_the_queue_then_its_scenario(seeded):
    at = app(coach(seeded)).run()
    at.selectbox(key="case_id").set_value(seeded.other_case_id).run()
    at.button(key="open_case").click().run()
    assert not at.exception
    assert at.title[0].value == "Case"
    assert at.selectbox(key="case_page_id").value == seeded.other_case_id
    at.selectbox(key="case_page_id").set_value(seeded.case_id).run()
    at.button(key="open_scenario").click().run()
    assert not at.exception
    assert at.title[0].value == "Scenario"
    assert at.selectbox(key="coach_scenario_id").value == seeded.scenario_id


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "scores up to 0.1 more"), ("fr", "a jusqu'à 0,1 de plus")],
)
def test_the_queue_says_why_its_order_is_not_the_score_order(seeded, language, said):
    user = dataclasses.replace(coach(seeded), language=language)
    at = app(user).run()
    assert not at.exception
    assert any(said in caption for caption in captions(at))


@pytest.mark.parametrize(
    ("language", "outcome", "why"),
    [
        (
            "en",
            "Outcome: starts with a complaint · need solved · ends delighted · privacy",
            "Why this score: upset at first ('LOST'); the advisor solved it ('sent'); ends"
            " delighted ('Wow'); delicate: privacy | weighs most: arc 0.35",
        ),
        (
            "fr",
            "Issue : commence par réclamation · besoin résolu · finit ravi · vie privée",
            "Pourquoi ce score : contrarié au départ ('LOST') ; le conseiller l'a résolu ('sent') ;"
            " finit ravi ('Wow') ; délicat : vie privée | pèse le plus : arc 0,35",
        ),
    ],
)
def test_the_case_page_tells_the_outcome_and_why_in_the_readers_language(
    seeded, db, language, outcome, why
):
    with transaction(db) as s:
        case = s.get(Case, seeded.case_id)
        case.start, case.need, case.end_state, case.delicate = (
            "complaint",
            "solved",
            "delighted",
            ["privacy"],
        )
        case.why = (
            "upset at first ('LOST'); the advisor solved it ('sent'); ends delighted ('Wow');"
            " delicate: privacy | weighs most: arc 0.35"
        )
    user = dataclasses.replace(coach(seeded), language=language)
    at = app(user, script=page("case"))
    at.session_state["open_case_id"] = seeded.case_id
    at.run()
    assert not at.exception
    assert outcome in captions(at)
    assert why in captions(at)
    # The score as the reader writes numbers.
    score = "score 0,80" if language == "fr" else "score 0.80"
    assert any(score in caption for caption in captions(at))
    # The case's own thread is no similar thread.
    similar = "· 0 fil similaire ·" if language == "fr" else "· 0 similar threads ·"
    assert any(similar in caption for caption in captions(at))


@pytest.mark.parametrize(
    ("language", "row"),
    [
        (
            "en",
            {
                "why": "upset at first ('LOST'); the advisor solved it ('sent')",
                "start": "complaint",
                "need": "solved",
                "end": "delighted",
                "delicate": "privacy, legal",
                "language": "English",
            },
        ),
        (
            "fr",
            {
                "why": "contrarié au départ ('LOST') ; le conseiller l'a résolu ('sent')",
                "start": "réclamation",
                "need": "résolu",
                "end": "ravi",
                "delicate": "vie privée, juridique",
                "language": "anglais",
            },
        ),
    ],
)
def test_the_queue_table_reads_in_the_readers_language(seeded, db, language, row):
    with transaction(db) as s:
        case = s.get(Case, seeded.case_id)
        case.start, case.need, case.end_state = "complaint", "solved", "delighted"
        case.delicate = ["privacy", "legal"]
        case.why = "upset at first ('LOST'); the advisor solved it ('sent')"
    at = app(dataclasses.replace(coach(seeded), language=language)).run()
    assert not at.exception
    shown = at.dataframe[0].value.set_index("case_id").loc[seeded.case_id]
    assert {k: shown[k] for k in row} == row


def test_the_queue_s_conversation_gives_feelings_to_customers_only(seeded):
    at = app(coach(seeded)).run()
    assert not at.exception
    turns = [c for c in captions(at) if c.count("·") and "twitter" in c]
    # the customer's turns carry their feeling; the advisor's (pivotal) reply its time and channel
    assert any(c.endswith("· negative · anger") for c in turns)
    [reply] = [c for c in turns if c.endswith("★")]
    assert reply.endswith(" · twitter ★")
