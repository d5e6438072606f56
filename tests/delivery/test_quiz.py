"""Quiz challenges from real cases, and their Kahoot, GIFT and QTI 2.1 files."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from delivery.model import OtherCase, Pack, ScenarioBundle, Turn
from delivery.quiz import (
    KAHOOT_ANSWER_MAX,
    KAHOOT_HEADER_ROW,
    KAHOOT_QUESTION_MAX,
    KAHOOT_TIME_LIMITS,
    build_quiz,
    gift,
    gift_escape,
    kahoot_answers,
    kahoot_xlsx,
    need,
    qti_package,
    shorten,
)

XSD = Path(__file__).parent / "xsd"
LONG = "I am so sorry about this: I have found your parcel in our depot and it ships today by express, free of charge, with a tracking link."


def bundle(
    i: int, situation: str, reply: str, wants: str, arc: str = "recovery", language: str = "en"
) -> ScenarioBundle:
    return ScenarioBundle(
        scenario_id=i,
        case_id=i,
        title=f"Case {i}",
        language=language,
        level=1,
        skill_axis="relational",
        situation=situation,
        channel="twitter",
        arc=arc,
        version=1,
        published_at=None,
        customer_wants=f"The customer wants: {wants}",
        question="What would you reply?",
        turns=(Turn("customer", "Customer A", f"Where is my parcel?? Order [ORDER] case {i}"),),
        real_reply=reply,
        outcome=(),
        cues=(),
        objectives=(),
        coach_answer=None,
    )


OTHERS = tuple(
    OtherCase(100 + i, "en", s, f"The customer wants: {w}", r, "recovery")
    for i, (s, w, r) in enumerate(
        [
            (
                "billing",
                "a refund of a double charge",
                "I have refunded the double charge: 3 to 5 days.",
            ),
            (
                "technical",
                "the app to work again",
                "Please update the app; the bug is fixed in 4.2.",
            ),
            ("account", "access to the account", "I have unlocked your account, you can sign in."),
            ("delivery", "the parcel today", "Your parcel is out for delivery this afternoon."),
            (
                "billing",
                "a refund of a double charge",
                "I have refunded the double charge: 3 to 5 days.",
            ),
        ]
    )
) + (
    OtherCase(
        200, "fr", "billing", "Le client veut : un remboursement", "Je vous rembourse.", "recovery"
    ),
)


def pack(*bundles: ScenarioBundle, others=OTHERS) -> Pack:
    return Pack(id="campaign-3", title="December", bundles=bundles, others=others)


def test_questions_come_from_the_case_with_distractors_from_other_cases():
    quiz = build_quiz(
        pack(
            bundle(1, "delivery", LONG, "the parcel delivered"),
            bundle(2, "escalation", "We cannot help.", "a manager", arc="escalation"),
        )
    )
    kinds = [(q.kind, q.scenario_id) for q in quiz.questions]
    assert kinds == [("reply", 1), ("want", 1), ("reply", 2), ("want", 2)]
    reply = quiz.questions[0]
    assert reply.prompt == "Which reply turned this customer around?"
    assert reply.answer == LONG and len(reply.choices) == 4
    real_replies = {o.real_reply for o in OTHERS if o.language == "en"} | {"We cannot help."}
    assert set(reply.choices) - {LONG} <= real_replies
    assert len(set(reply.choices)) == 4  # the duplicate other case is not offered twice
    # Other situations first: the delivery case's own situation is left out while others suffice.
    assert "Your parcel is out for delivery this afternoon." not in reply.choices
    assert quiz.questions[2].prompt == "Which reply did the advisor really send?"
    want = quiz.questions[1]
    assert want.answer == "The parcel delivered" and all(
        not c.startswith("The customer wants") for c in want.choices
    )
    assert "Je vous rembourse." not in str(quiz)  # only cases in the scenario's language
    assert reply.excerpt.startswith("Where is my parcel")


def test_the_question_shows_the_customer_turn_that_says_most():
    import dataclasses

    asked = bundle(1, "delivery", LONG, "the parcel today")
    turns = (
        Turn("customer", "Customer A", "Where is my parcel?? It was due on Monday."),
        Turn("agent", "Advisor", "Could you send us your e-mail address?"),
        Turn("customer", "Customer A", "My email is [EMAIL], ref [ACCOUNT]."),
    )
    asked = dataclasses.replace(asked, turns=turns)
    quiz = build_quiz(Pack(id="p", title="P", bundles=(asked,), others=OTHERS))
    assert {q.excerpt for q in quiz.questions} == {"Where is my parcel?? It was due on Monday."}


def test_wrong_answers_take_turns_across_the_quiz():
    # Ten cases and five others: each wrong answer is offered about as often as the others, so
    # that no reply comes back in question after question, where a player learns it is wrong.
    cases = [bundle(i, f"situation {i}", f"Reply number {i}.", f"need {i}") for i in range(10)]
    others = tuple(
        OtherCase(
            100 + i,
            "en",
            f"other {i}",
            f"The customer wants: other need {i}",
            f"Other {i}.",
            "recovery",
        )
        for i in range(5)
    )
    quiz = build_quiz(pack(*cases, others=others), kinds=("reply",))
    offered = Counter(c for q in quiz.questions for c in q.choices if c != q.answer)
    slots, distinct = 3 * len(quiz.questions), 10 - 1 + 5
    assert max(offered.values()) <= -(-slots // (distinct - 1)), offered.most_common(3)


def test_the_same_pack_gives_the_same_quiz():
    p = pack(bundle(1, "delivery", LONG, "x"), bundle(2, "billing", "Refunded.", "y"))
    assert build_quiz(p) == build_quiz(p)
    assert {build_quiz(p, seed=str(s)).questions[0].correct for s in range(30)} == {0, 1, 2, 3}


def test_no_question_without_other_cases():
    with pytest.raises(ValueError, match="other published cases"):
        build_quiz(pack(bundle(1, "delivery", LONG, "x"), others=()))
    with pytest.raises(ValueError, match="time limit"):
        build_quiz(pack(bundle(1, "delivery", LONG, "x")), time_limit=45)


def test_kahoot_sheet_follows_the_template_columns_and_limits():
    quiz = build_quiz(
        pack(
            bundle(1, "delivery", LONG, "the parcel " + "very " * 30 + "fast"),
            bundle(2, "billing", "Refunded: " + "x" * 200, "y"),
        ),
        time_limit=20,
    )
    sheet = load_workbook(io.BytesIO(kahoot_xlsx(quiz))).active
    headers = [c.value for c in sheet[KAHOOT_HEADER_ROW]]
    assert headers[1].startswith("Question") and "120" in headers[1]
    assert [h.split(" - ")[0] for h in headers[2:6]] == [
        "Answer 1",
        "Answer 2",
        "Answer 3",
        "Answer 4",
    ]
    assert headers[6].startswith("Time limit (sec)") and headers[7].startswith("Correct answer(s)")
    rows = list(sheet.iter_rows(min_row=KAHOOT_HEADER_ROW + 1, values_only=True))
    assert len(rows) == len(quiz.questions) == 4
    for row, q in zip(rows, quiz.questions, strict=True):
        number, question, *answers, limit, correct = row
        assert len(question) <= KAHOOT_QUESTION_MAX and question.startswith(q.prompt)
        assert all(a and len(a) <= KAHOOT_ANSWER_MAX for a in answers)
        assert len(set(answers)) == 4
        assert limit in KAHOOT_TIME_LIMITS and limit == 20
        assert answers[int(correct) - 1] == kahoot_answers(q.choices)[q.correct]
    assert any(a.endswith("…") for row in rows for a in row[2:6])


def test_replies_that_open_alike_are_still_offered_and_told_apart_in_kahoot():
    # One team's replies often share a long opening: once cut to Kahoot's 75 characters they
    # would read the same, and the quiz offered one wrong answer where three were at hand.
    opening = "Oh no [PERSON], I'd be upset too. Thank you for telling us, I'm on it right now."
    actions = [
        "I've refunded the $32.40 in full.",
        "Our IT team fixed the outage and I've credited your account.",
        "A brand new kettle is on its way, free of charge.",
        "I've unlocked your account and sent a new reset link.",
    ]
    cases = [
        bundle(i, f"situation {i}", f"{opening} {a}", f"need {i}") for i, a in enumerate(actions)
    ]
    quiz = build_quiz(pack(*cases, others=()), kinds=("reply",))
    for q in quiz.questions:
        assert len(q.choices) == 4, q.choices
        cells = kahoot_answers(q.choices)
        assert len(set(cells)) == 4 and all(len(c) <= KAHOOT_ANSWER_MAX for c in cells)
        assert all(c.startswith("…") for c in cells)  # after the shared opening
    assert kahoot_answers([f"{opening} {actions[0]}", "We cannot help."]) == [
        shorten(f"{opening} {actions[0]}", KAHOOT_ANSWER_MAX),
        "We cannot help.",
    ]  # told apart already: cut as before


def test_shorten_and_need():
    assert shorten("a  b\nc", 10) == "a b c"
    cut = shorten(LONG, 75)
    assert len(cut) <= 75 and cut.endswith("…") and LONG.startswith(cut[:-1].rstrip())
    assert need("Le client veut : un remboursement") == "Un remboursement"


def test_gift_escapes_its_special_characters():
    assert gift_escape("a~b=c#d{e}f:g\\h") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"
    quiz = build_quiz(pack(bundle(1, "delivery", "Sorry {ref: #12} = done ~ today", "x")))
    text = gift(quiz)
    block = text.split("::reply-1::", 1)[1].split("}\n", 1)[0]
    lines = [line.strip() for line in block.splitlines()[1:]]
    assert (
        sum(line.startswith("=") for line in lines) == 1
        and sum(line.startswith("~") for line in lines) == 3
    )
    right = next(line for line in lines if line.startswith("="))
    assert right == "=Sorry \\{ref\\: \\#12\\} \\= done \\~ today"
    assert "$CATEGORY: casebook/campaign-3" in text


def test_qti_package_items_test_and_manifest():
    quiz = build_quiz(
        pack(
            bundle(1, "delivery", "Sorry <b>&</b> done", "x"),
            bundle(2, "billing", "Refunded.", "y"),
        )
    )
    z = zipfile.ZipFile(io.BytesIO(qti_package(quiz)))
    names = set(z.namelist())
    ns = {
        "q": "http://www.imsglobal.org/xsd/imsqti_v2p1",
        "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
    }
    # The manifest is valid IMS Content Packaging 1.1 (the official imscp_v1p1.xsd that the
    # SCORM 2004 tests ship); there is no QTI 2.1 XSD in any registry package to check the items.
    cp = etree.XMLSchema(etree.parse(str(XSD / "scorm2004_4th" / "imscp_v1p1.xsd")))
    manifest = etree.fromstring(z.read("imsmanifest.xml"))
    cp.assertValid(manifest)
    hrefs = manifest.xpath("//cp:file/@href", namespaces=ns)
    assert set(hrefs) == names - {"imsmanifest.xml"}
    test = etree.fromstring(z.read("test.xml"))
    refs = test.xpath("//q:assessmentItemRef/@href", namespaces=ns)
    assert len(refs) == len(quiz.questions) == 4
    for href, q in zip(refs, quiz.questions, strict=True):
        item = etree.fromstring(z.read(href))
        assert item.tag == "{http://www.imsglobal.org/xsd/imsqti_v2p1}assessmentItem"
        right = item.xpath("//q:correctResponse/q:value/text()", namespaces=ns)[0]
        choices = {
            c.get("identifier"): c.text for c in item.xpath("//q:simpleChoice", namespaces=ns)
        }
        assert choices[right] == q.answer and len(choices) == 4
        assert item.xpath("//q:choiceInteraction/@maxChoices", namespaces=ns) == ["1"]
    assert len(set(refs)) == len(refs)
