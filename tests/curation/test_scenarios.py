from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook_data.taxonomy_names import situation_names, situation_wants, wants_line, what_wanted
from curation.arcs import AGENT, CUSTOMER, Turn
from curation.case_drafts import curate_thread
from curation.scenarios import _scrubber, resituated

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def turn(i, role, text, score, lang, intensity=0.3, situation="delivery_logistics", risks=()):
    return Turn(
        comment_id=i,
        role=role,
        created_at=T0 + timedelta(minutes=i),
        text=text,
        language=lang,
        sentiment_score=score,
        intensity=intensity,
        emotion="anger" if score < 0 else "joy",
        situation=situation,
        risks=risks,
    )


def test_french_recovery_draft_hides_the_real_reply_and_names_speakers():
    turns = [
        turn(
            1,
            CUSTOMER,
            "@12345 @BoutiqueLumen mon colis est PERDU, appelez-moi au [PHONE] !!!",
            -0.9,
            "fr",
            0.9,
        ),
        turn(
            2,
            AGENT,
            "@12345 Toutes nos excuses, un nouveau colis part aujourd'hui en express.",
            0.2,
            "fr",
        ),
        turn(3, CUSTOMER, "@BoutiqueLumen merci infiniment, au top !", 0.9, "fr", 0.6),
    ]
    draft = curate_thread(
        turns,
        "twitter",
        {"delivery_logistics": 0.1},
        {"delivery_logistics": {"fr": "Livraison", "en": "Delivery"}},
        T0 + timedelta(days=1),
    )
    assert draft is not None and draft.arc == "recovery" and draft.pivotal_comment_id == 2
    scenario = draft.scenario
    assert scenario.language == "fr"
    body = scenario.body
    assert body["question"] == "Que répondriez-vous ?"
    assert [t["speaker"] for t in body["turns"]] == ["Client A"]
    assert "12345" not in body["turns"][0]["text"] and "@ClientA" in body["turns"][0]["text"]
    assert "@BoutiqueLumen" in body["turns"][0]["text"]  # brands keep their name
    assert "[PHONE]" in body["turns"][0]["text"]
    assert body["real_reply"].startswith("@ClientA Toutes nos excuses")
    assert body["outcome"][0]["speaker"] == "Client A"
    assert set(body["objectives"]) == {"operational", "relational", "managerial"}
    # French typography: a space before the colon and the percent sign.
    assert scenario.title.startswith("Livraison : « ")  # the situation, never the outcome
    assert "Colère marquée (intensité 90 %)" in body["cues"]
    assert 0 <= draft.score <= 1 and draft.parts["arc"] == 1.0


def test_level_grows_with_difficulty():
    calm = [
        turn(1, CUSTOMER, "Where is my order?", -0.3, "en", 0.1),
        turn(2, AGENT, "It arrives tomorrow.", 0.1, "en"),
    ]
    hard = [
        turn(
            1,
            CUSTOMER,
            "THIRD TIME I WRITE!!! double charged AND no delivery",
            -0.6,
            "en",
            0.7,
            "billing_payment",
            ("churn",),
        ),
        turn(2, AGENT, "Please check our FAQ.", 0.0, "en"),
        turn(
            3, CUSTOMER, "I'm calling my lawyer", -0.95, "en", 0.9, "delivery_logistics", ("legal",)
        ),
        turn(4, AGENT, "Sorry to hear that.", 0.0, "en"),
    ]
    easy = curate_thread(calm, "email", {}, {}, T0)
    tough = curate_thread(hard, "email", {}, {}, T0)
    assert easy.scenario.level == 1
    assert tough.scenario.level == 3
    assert tough.arc == "escalation" and tough.scenario.skill_axis == "managerial"
    assert tough.scenario.body["question"] == "What would you reply?"


def test_thread_without_customer_makes_no_case():
    assert (
        curate_thread([turn(1, AGENT, "Service update", 0.0, "en")], "twitter", {}, {}, T0) is None
    )


def test_a_name_found_in_one_turn_is_redacted_in_every_turn_of_the_draft():
    turns = [
        turn(1, CUSTOMER, "My booking is wrong, this is a mess", -0.7, "en", 0.6),
        Turn(
            comment_id=2,
            role=AGENT,
            created_at=T0 + timedelta(minutes=2),
            language="en",
            text="Hi [PERSON], please DM your booking number -Anwar",
            sentiment_score=0.1,
            pii_terms=(("Loreen", "PERSON"),),
        ),
        turn(3, AGENT, "Hi Loreen, correction done! Cheers - Anwar", 0.3, "en"),
        turn(4, CUSTOMER, "Thanks so much, Anwar, great service!", 0.9, "en", 0.5),
    ]
    turns[2] = Turn(
        **{
            **{f: getattr(turns[2], f) for f in turns[2].__slots__},
            "pii_terms": (("Anwar", "PERSON"),),
        }
    )
    draft = curate_thread(turns, "twitter", {}, {}, T0)
    text = str(draft.scenario.body) + draft.scenario.title
    assert "Loreen" not in text and "Anwar" not in text
    assert "[PERSON]" in draft.scenario.body["real_reply"]
    assert draft.scenario.body["outcome"][-1]["text"] == "Thanks so much, [PERSON], great service!"


def _regex_scrub(terms: dict[str, str], text: str) -> str:
    """What a pattern of the terms (longest first, whole words) would replace: the reference."""
    import re

    kept = sorted((t for t in terms if len(t.strip()) >= 2), key=len, reverse=True)
    if not kept:
        return text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, kept)) + r")(?!\w)")
    return pattern.sub(lambda m: f"[{terms[m.group(0)]}]", text)


_ALPHABET = "ab é_1 -.,'@"


@settings(max_examples=300, deadline=None)
@given(
    terms=st.dictionaries(
        st.text(alphabet=_ALPHABET, min_size=1, max_size=5),
        st.sampled_from(["PERSON", "EMAIL", "PHONE"]),
        max_size=4,
    ),
    text=st.text(alphabet=_ALPHABET, max_size=40),
)
def test_the_draft_scrubs_personal_data_where_a_whole_word_pattern_would(terms, text):
    """Every datum found in the thread is replaced where it stands as a whole word, the leftmost
    first and the longest at one place: what `(?<!\\w)(?:longest|...)(?!\\w)` replaces."""
    thread = [
        Turn(comment_id=1, role=CUSTOMER, created_at=T0, text=text, pii_terms=tuple(terms.items()))
    ]
    scrub = _scrubber(thread)
    assert (scrub(text) if scrub else text) == _regex_scrub(terms, text)


def _escalation(first_text: str, situation: str = "delivery_logistics"):
    return _escalation_draft(first_text, situation).body


def _escalation_draft(first_text: str, situation: str = "delivery_logistics", wants=None):
    turns = [
        turn(1, CUSTOMER, first_text, -0.3, "en", 0.4, situation),
        turn(
            2,
            AGENT,
            "Thanks, we've logged it and you should hear back within 48 hours.",
            0.1,
            "en",
            situation=situation,
        ),
        turn(
            3,
            CUSTOMER,
            "Nobody got back to me, I'm cancelling and telling everyone.",
            -0.9,
            "en",
            situation=situation,
        ),
    ]
    labels = {situation: {"en": situation.replace("_", " ").title(), "fr": situation}}
    draft = curate_thread(
        turns,
        "app_store",
        {situation: 0.1},
        labels,
        T0 + timedelta(days=1),
        situation_wants=wants,
    )
    assert draft is not None
    return draft.scenario


def test_placeholders_are_not_shouting_but_capitals_are():
    calm = _escalation("Hi [PERSON], the pass keeps rebooting. Call me on [PHONE] or [EMAIL].")
    loud = _escalation("Hi [PERSON], the pass keeps rebooting. FIX THIS.")
    assert "Writes in capitals or repeats punctuation" not in calm["cues"]
    assert "Writes in capitals or repeats punctuation" in loud["cues"]


def test_no_need_is_told_for_the_situation_other():
    draft = _escalation_draft("Hi, the pass keeps rebooting on its own.", situation="other")
    # not cut; the title never tells the outcome (advisors read it before they answer)
    assert draft.title == 'A customer conversation: "Hi, the pass keeps rebooting on its own."'
    other = draft.body
    assert other["context"]["customer_wants"] == ""
    assert other["objectives"]["operational"].startswith("Solve the customer's problem")
    named = _escalation_draft("Hi, my parcel keeps rebooting on its own.", wants=situation_wants())
    assert named.title.startswith('Delivery Logistics: "Hi, my parcel')
    delivery = named.body
    want = situation_wants()["delivery_logistics"]["en"]
    assert delivery["context"]["customer_wants"] == f"The customer wants: {want}"
    assert delivery["objectives"]["operational"].startswith("Solve the delivery logistics problem")


def test_what_the_customer_wants_comes_from_the_taxonomy_never_from_the_situations_name():
    wants = situation_wants()
    # every situation of the shipped taxonomy but "other" says it, in English and in French
    assert set(wants) == set(situation_names()) - {"other"}
    assert all(set(w) == {"en", "fr"} and all(w.values()) for w in wants.values())
    churn = _escalation_draft("I'm leaving for another bank.", "churn_threat", wants).body
    assert churn["context"]["customer_wants"] == "The customer wants: a reason to stay"
    # a taxonomy that does not say what its customers want: no line, not "wants: churn threat"
    unsaid = _escalation_draft("I'm leaving for another bank.", "churn_threat").body
    assert unsaid["context"]["customer_wants"] == ""


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "The customer wants: a refund of the second charge"),
        ("fr", "Le client veut : le remboursement du second prélèvement"),
    ],
)
def test_what_the_customer_wants_is_read_back_from_its_line_in_either_language(language, line):
    what = what_wanted(line)
    assert what in line and not what.lower().startswith(("the customer", "le client"))
    assert wants_line(language, f"  {what} ") == line
    assert what_wanted("a line a coach wrote without a lead-in") == (
        "a line a coach wrote without a lead-in"
    )
    assert wants_line(language, "  ") == ""  # nothing said: no line


def _draft_of(situation: str, lang: str, texts: tuple[str, str, str]):
    """A draft as curation writes it, with the shipped taxonomy's names and needs."""
    roles = (CUSTOMER, AGENT, CUSTOMER)
    scores = (-0.6, 0.1, 0.8)
    turns = [
        turn(i + 1, r, x, s, lang, 0.6, situation)
        for i, (r, x, s) in enumerate(zip(roles, texts, scores, strict=True))
    ]
    draft = curate_thread(
        turns,
        "twitter",
        {situation: 0.1},
        situation_names(),
        T0 + timedelta(days=1),
        situation_wants=situation_wants(),
    )
    assert draft is not None
    return draft.scenario


EN_THREAD = (
    "You charged me twice and I'm cancelling, this is the last straw",
    "I've refunded the second charge, you'll see it in 3 days.",
    "Wow, thank you so much!",
)
FR_THREAD = (
    "J'ai résilié et vous avez encore prélevé, inadmissible",
    "J'ai remboursé le prélèvement, vous le verrez sous 3 jours.",
    "Merci infiniment !",
)


@pytest.mark.parametrize(("lang", "texts"), [("en", EN_THREAD), ("fr", FR_THREAD)])
def test_a_coach_moves_a_scenario_to_another_situation(lang, texts):
    names, wants = situation_names(), situation_wants()
    draft = _draft_of("churn_threat", lang, texts)
    title, body = resituated(draft.title, draft.body, lang, "billing_payment", names, wants)
    billing = _draft_of("billing_payment", lang, texts)
    # What the draft said of its situation now says the new one, as a draft of it would.
    assert title == billing.title
    assert body["context"] == billing.body["context"]
    assert body["objectives"] == billing.body["objectives"]
    assert body["tags"] == billing.body["tags"]
    assert body["turns"] == draft.body["turns"] and body["cues"] == draft.body["cues"]
    # Back and forth gives the draft again; the same situation changes nothing.
    assert resituated(title, body, lang, "churn_threat", names, wants) == (draft.title, draft.body)
    assert resituated(draft.title, draft.body, lang, "churn_threat", names, wants) == (
        draft.title,
        draft.body,
    )


def test_what_a_coach_rewrote_stays_when_the_situation_moves():
    names, wants = situation_names(), situation_wants()
    draft = _draft_of("churn_threat", "en", EN_THREAD)
    mine = {
        **draft.body,
        "context": {**draft.body["context"], "customer_wants": "The customer wants: one bill"},
        "objectives": {**draft.body["objectives"], "operational": "Refund in one reply."},
    }
    title, body = resituated("Double charge", mine, "en", "billing_payment", names, wants)
    assert title == "Double charge"
    assert body["context"]["customer_wants"] == "The customer wants: one bill"
    assert body["objectives"]["operational"] == "Refund in one reply."
    assert body["context"]["situation"] == "billing_payment"
    # To "other", which names nothing: the draft's texts for a conversation without a situation.
    title, body = resituated(draft.title, draft.body, "en", "other", names, wants)
    assert title.startswith('A customer conversation: "')
    assert body["context"]["customer_wants"] == ""
    assert body["objectives"]["operational"].startswith("Solve the customer's problem")


def test_a_complaint_put_right_is_not_a_case_about_praise():
    """The customer's closing thanks read as praise; the case is about what they complained of
    (or names no situation), unless they opened with praise."""
    from curation.case_drafts import main_situation

    def said(*situations):
        return [turn(i, CUSTOMER, "x", 0.0, "en", situation=s) for i, s in enumerate(situations)]

    assert main_situation(said("other", "praise")) == "other"
    assert main_situation(said("billing_payment", "delivery_logistics", "praise", "praise")) == (
        "billing_payment"
    )
    assert main_situation(said("praise", "other", "praise")) == "praise"  # it opens with praise
    assert main_situation(said("churn_threat", "praise")) == "churn_threat"
