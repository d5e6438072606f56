"""nlp.non_persons: what a name-like word names instead of a person, read in its context."""

import pytest

from nlp import non_persons
from nlp.gazetteers import first_names, not_names


def _span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


@pytest.mark.parametrize(
    ("text", "name", "organisation"),
    [
        ("Bonjour Voltéo Énergie, merci", "Voltéo Énergie", True),
        ("Bonjour Voltéo Energie, merci", "Voltéo Energie", True),
        ("Hi Nova Telecom, hello", "Nova Telecom", True),
        ("Bonjour Banque Solenne,", "Banque Solenne", True),
        ("Bonjour Banque Solenne,", "Solenne", True),  # the word before (a NER's span)
        ("Bonjour Voltéo Énergie,", "Voltéo", True),  # the word after
        ("Bank of America called", "Bank", True),
        ("Jim Henson Entertainment", "Jim Henson Entertainment", False),  # a person's full name
        ("Bonjour Zébulon de Banque Solenne", "Zébulon de Banque Solenne", False),
        ("Merci Sophie", "Sophie", False),
        ("James Brandon Banks, 19", "James Brandon Banks", False),  # Banks is a surname
        ("Thanks Kevin Internet is back", "Kevin", False),  # a common word, not an organisation's
    ],
)
def test_organisations(text, name, organisation):
    assert non_persons.names_an_organisation(text, *_span(text, name)) is organisation


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("I'm flying to Austin tomorrow", True),
        ("no landline in Austin since Monday", True),
        ("my flight from Austin was late", True),
        ("do you deliver to Austin?", True),
        ("je pars à Florence demain", True),
        ("I gave my details to Austin", False),  # no word of travel
        ("a message from Austin about my bill", False),
        ("in Austin's office", False),  # a possessive
        ("Hi Austin, thanks", False),
        ("flying to Zébulon tomorrow", False),  # not a place's name
    ],
)
def test_places_after_a_preposition(text, place):
    name = next(w for w in ("Austin", "Florence", "Zébulon") if w in text)
    assert non_persons.place_after_preposition(text, *_span(text, name)) is place


@pytest.mark.parametrize(
    ("text", "adjective"),
    [
        ("Ravi(e) d'avoir pu aider.", True),
        ("Ravi·e de vous aider", True),
        ("Ravi de vous avoir aidé.", True),
        ("Merci. Ravi d'avoir pu aider", True),
        ("Ravi d'être utile", True),
        ("Ravi called me back", False),
        ("Ravi de l'accueil m'a aidé", False),  # l' may be an article
        ("Ravi de votre agence m'a aidé", False),  # votre is no infinitive
        ("Merci Ravi d'avoir pris le temps", False),  # not opening a sentence
        ("Ravi Patel de vous aider", False),  # two words: a full name
    ],
)
def test_adjectives(text, adjective):
    start, end = _span(text, "Ravi Patel" if "Patel" in text else "Ravi")
    assert non_persons.names_no_person(text, start, end) is adjective


def test_word_lists_leave_names_alone():
    # An organisation word is no first name and no common word (those already stop a name).
    assert non_persons.ORGANISATION_WORDS.isdisjoint(first_names())
    assert non_persons.ORGANISATION_WORDS.isdisjoint(not_names())
    # Places named like persons are not in places.txt: elsewhere they stay names.
    assert non_persons.PLACES_NAMED_LIKE_PERSONS.isdisjoint(not_names())
    assert {"austin", "florence", "charlotte"} <= first_names()
