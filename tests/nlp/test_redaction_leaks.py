"""The leaks of issue 13 ("Names leak to advisors"), one test each: each failed before the fix.

The names are those the demo's customers carry that are not in the first-name gazetteer (Priya,
Marcus, Chloé, Inès), so only the rules' cues can find them.
"""

from __future__ import annotations

import pytest

from nlp.handles import find_handles, is_brand_handle
from nlp.redact import redact


def _names_left(text: str, language: str, *names: str) -> list[str]:
    redacted = redact(text, language)[0]
    return [name for name in names if name in redacted]


@pytest.mark.parametrize(
    "text, language, name",
    [
        # A name opening the text or a sentence, before a comma and a pronoun.
        ("Priya, I'm so sorry, that's not the experience you deserve.", "en", "Priya"),
        (
            "Hello Sam,\n\nMarcus, I'm so sorry, that's not the experience you deserve.",
            "en",
            "Marcus",
        ),
        (
            "Inès, je suis vraiment désolé(e), ce n'est pas l'expérience que vous méritez.",
            "fr",
            "Inès",
        ),
        ("Thanks for waiting. Marcus, we have refunded you.", "en", "Marcus"),
    ],
)
def test_name_at_the_start_of_a_sentence(text, language, name):
    assert not _names_left(text, language, name)


@pytest.mark.parametrize(
    "text, language, name",
    [
        ("I'm really sorry Marcus, let's fix this now.", "en", "Marcus"),
        ("I'm really sorry Priya, that's on us.", "en", "Priya"),
        ("Je suis sincèrement désolé(e) Chloé, on règle ça tout de suite.", "fr", "Chloé"),
        ("Toutes mes excuses Inès, c'est de notre faute.", "fr", "Inès"),
        ("So sorry Priya! We'll sort it.", "en", "Priya"),
    ],
)
def test_name_right_after_an_apology(text, language, name):
    assert not _names_left(text, language, name)


@pytest.mark.parametrize(
    "text, language, name",
    [
        ("Oh no Priya, I'd be upset too. Thank you for telling us.", "en", "Priya"),
        ("Oh non Chloé, je serais aussi en colère à votre place.", "fr", "Chloé"),
        ("Oh dear Marcus, that is not good enough.", "en", "Marcus"),
    ],
)
def test_name_after_oh_no(text, language, name):
    assert not _names_left(text, language, name)


@pytest.mark.parametrize(
    "text",
    [
        "Je suis sincèrement désolé(e) Chloé, on règle ça tout de suite. Pouvez-vous m'envoyer "
        "votre référence ?",
        "Bonjour Karim, Pouvez-vous nous envoyer votre référence en MP ?",
        "Merci Julien ! Voulez-vous que je vous rappelle ? Avez-vous reçu le mail ?",
    ],
)
def test_a_verb_before_a_hyphenated_pronoun_is_no_name(text):
    redacted = redact(text, "fr")[0]
    assert "[PERSON]-" not in redacted
    for verb in ("Pouvez-vous", "Voulez-vous", "Avez-vous"):
        assert (verb in text) == (verb in redacted), redacted


@pytest.mark.parametrize(
    "text, number",
    [
        ("Call me back on 9148445695 please", "9148445695"),
        ("my number is 2125550143.", "2125550143"),
        ("Vous pouvez me joindre au 0612345678.", "0612345678"),
        ("ring me: 14155550199", "14155550199"),
    ],
)
def test_phone_without_separators(text, number):
    redacted, spans = redact(text)
    assert number not in redacted
    assert [s.type for s in spans] == ["PHONE"]


@pytest.mark.parametrize(
    "text, reference",
    [
        ("Réservation n° 0612 3456 78, vol de demain.", "0612 3456 78"),
        ("Booking reference 4815 1623 42 is missing from the app.", "4815 1623 42"),
        ("My booking ref is 9148445695.", "9148445695"),
        ("booking reference: 020 7946 0958", "020 7946 0958"),
    ],
)
def test_booking_reference_is_an_account_not_a_phone(text, reference):
    redacted, spans = redact(text)
    assert reference not in redacted
    assert [s.type for s in spans] == ["ACCOUNT"], redacted


@pytest.mark.parametrize(
    "handle",
    ["ArgosHelpers", "AskeBay", "AskVirginMoney", "Ask_Spectrum", "NovaCare", "BTCare",
     "GloCare", "SW_Help", "nationalrailenq", "Morrisons", "UPSHelp", "BankHelpdesk",
     "AcmeCustomerService", "AcmeAssist"],
)  # fmt: skip
def test_brand_and_support_handles_are_kept(handle):
    assert is_brand_handle(handle)
    assert find_handles(f"@{handle} thanks, sorted") == []


@pytest.mark.parametrize(
    "handle", ["jane_doe84", "116247", "marcus.w", "the_priya91", "askew_tom", "helpme_now"]
)
def test_customer_handles_are_redacted(handle):
    assert not is_brand_handle(handle)
    text = f"@NovaCare @{handle.split('.')[0]} we're on it"
    assert redact(text)[0] == "@NovaCare [HANDLE] we're on it"


def test_a_changed_word_list_changes_the_analyzer_version(tmp_path, monkeypatch):
    import shutil

    import nlp.analyze as analyze
    from casebook_data import GAZETTEERS_DIR

    copy = tmp_path / "gazetteers"
    shutil.copytree(GAZETTEERS_DIR, copy)
    monkeypatch.setattr(analyze, "GAZETTEERS_DIR", copy)
    before = analyze.analyzer_version()
    with (copy / "first_names.txt").open("a", encoding="utf-8") as fh:
        fh.write("Zebulonia\n")
    assert analyze.analyzer_version() != before
