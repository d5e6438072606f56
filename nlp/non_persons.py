"""Capitalised words that the name rules of nlp/names.py (and the French NER) take for a person
but that, read in their context, name something else:

- a place named after a person ("Charles de Gaulle airport", "métro Jean Jaurès", "Jackson,
  Mississippi"), or a place whose name is also a first name after a preposition of place
  ("in Austin", "near Florence") or of movement after a word of travel ("flying to Austin",
  "my flight from Charlotte", "je pars à Florence"): never after a strong cue ("talked to
  Austin", nlp/names.py checks it);
- an organisation: a run of capitalised words holding a word such as Bank, Energy, Telecom,
  Airlines, Banque, Énergie, Boutique ("Bonjour Voltéo Énergie,", "Hi Nova Telecom");
- an adjective or participle: a word written with a gender ending ("Ravi(e) d'avoir pu aider",
  "Désolé·e"), or a first name that is also a French word opening a sentence before "de" or
  "d'" and a pronoun or an infinitive ("Ravi de vous aider", "Ravi d'avoir pu aider").
"""

from __future__ import annotations

import re
import unicodedata

from nlp.gazetteers import first_names, is_french_word

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"


def _words(words: str) -> list[str]:
    return words.split()


# ------------------------------------------------------------------ places named after persons

# Places named after persons: a name before or after one of these words, or before a state or
# province ("Charles de Gaulle airport", "métro Jean Jaurès", "Victoria station", "Jackson,
# Mississippi", "Jackson Heights") is a place.
_PLACE_AFTER_RE = re.compile(
    r"[ \t]+(?i:(?:international[ \t]+)?airport|station|street|st\.|avenue|ave\.?|road|rd\.|"
    r"boulevard|blvd\.?|square|heights|bridge|hospital|university|college|high school|stadium|"
    r"terminal|mall)(?![\w'’-])"
    r"|[ \t]*,[ \t]*(?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|"
    r"Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    r"Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|"
    r"New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|"
    r"Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|"
    r"Virginia|Washington|West Virginia|Wisconsin|Wyoming|Ontario|Quebec|Québec|Alberta|Manitoba|"
    r"Saskatchewan|Nova Scotia|British Columbia|New Brunswick)\b"
)
_PLACE_BEFORE_RE = re.compile(
    r"(?<![\w'’-])(?i:métro|metro|station|gare|rue|avenue|boulevard|bd|place|aéroport|airport|"
    r"lycée|collège|école|hôpital|stade|pont|quai|allée|impasse|square|parc|université|campus|"
    r"arrêt|tram)[ \t]+\Z"
)
_PLACE_WORDS = frozenset(["heights", "airport", "station", "street", "avenue", "boulevard"])

# Cities, states, countries and regions whose names are also first names (most of them in the
# first-name gazetteers): a place after a preposition of place, a person elsewhere. Places that
# are no first names are in data/gazetteers/places.txt, never a name.
PLACES_NAMED_LIKE_PERSONS = frozenset(
    _words(
        """
    austin florence charlotte victoria sydney jackson madison savannah chelsea georgia
    virginia carolina aurora orlando lincoln eugene tyler jordan israel regina adelaide augusta
    alexandria raleigh lorraine valencia santiago sofia lourdes verona india kenya jamaica
    helena cleveland brittany devon cheyenne trenton odessa montana dakota nevada brooklyn
    kingston preston darwin asia"""
    )
)
# Where a place stands whatever comes before: "in Austin", "near Florence", "près de Lourdes".
_IN_PLACE_RE = re.compile(
    r"(?<![\w'’-])(?i:in|near|around|outside|across|throughout|within|près de|proche de|"
    r"autour de)[ \t]+\Z"
)
# Where a place stands after a word of travel: "flying to Austin", "flight from Charlotte".
_TO_PLACE_RE = re.compile(
    r"(?<![\w'’-])(?i:to|from|into|via|towards|toward|à|vers|depuis|jusqu'à|jusqu’à)[ \t]+\Z"
)
_TRAVEL = frozenset(
    _words(
        """
    fly flying flew flown flight flights travel travels travelling traveling travelled
    traveled trip trips drive driving drove driven move moving moved relocate relocating
    relocated go going goes went gone head heading headed returning
    ship ships shipped shipping deliver delivers delivered delivering delivery deliveries
    route routed train trains bus ticket tickets journey commute vacation holiday holidays
    visit visiting connecting layover bound arrive arrived arriving arrival depart
    departing departed departure come coming came way miles km
    vol vols voyage voyager voyagé billet billets aller allé allée vais va partir pars part
    parti partie déménager déménagé déménagée déménagement arriver arrivé arrivée retour
    rentrer rentré rentrée livré livrée livraison expédié expédiée expédition trajet escale
    correspondance direction"""
    )
)
_WORDS_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def names_a_place(text: str, start: int, end: int) -> bool:
    """True when text[start:end], found as a name, names a place after a person ("Jackson
    Heights", "métro Jean Jaurès", "Jackson, Mississippi")."""
    if text[start:end].rsplit(None, 1)[-1].lower() in _PLACE_WORDS:
        return True
    return bool(
        _PLACE_AFTER_RE.match(text, end) or _PLACE_BEFORE_RE.search(text, max(0, start - 14), start)
    )


def place_after_preposition(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a place whose name is also a first name, after a preposition
    of place ("in Austin") or of movement after a word of travel ("flying to Austin"). A strong
    cue before it is the caller's to weigh ("talked to Austin" is a person)."""
    if text[start:end].lower() not in PLACES_NAMED_LIKE_PERSONS:
        return False
    # "Austin's boss": a possessive reads as a person's.
    if text[end : end + 2] in ("'s", "’s"):
        return False
    before = text[max(0, start - 60) : start]
    if _IN_PLACE_RE.search(before):
        return True
    m = _TO_PLACE_RE.search(before)
    if m is None:
        return False
    words = _WORDS_RE.findall(before[: m.start()])[-3:]
    return any(w.lower() in _TRAVEL for w in words)


# ------------------------------------------------------------------ organisations

# Words that make a run of capitalised words an organisation's name (compared lower-cased and
# without accents): trades, industries and legal forms. Left out: words that are also common
# surnames (Power, Cable, Post, Waters, Banks), roles that come before a name (Agent, Driver) and
# the common words of data/gazetteers (Internet, Store, Shop, TV: "Thanks Kevin Internet is
# back" keeps its name; the name rules already stop before them).
ORGANISATION_WORDS = frozenset(
    _words(
        """
    airline airlines airways air aviation bank banking bancorp banque credit caisse
    mutuelle insurance insurances assurance assurances energy energies energie electric
    electricity electricite gas gaz utilities solar telecom telecoms telecommunications
    communications wireless broadband mobile cellular networks fibre fiber media studios
    entertainment broadcasting radio group groupe holdings holding inc
    incorporated ltd limited llc llp corp corporation company companies compagnie cie plc gmbh
    sarl societe motors automotive automobiles logistics express transports transport railways
    railway rail airport stores shops market supermarket supermarche boutique
    magasin magasins pharmacy pharmacie boulangerie hotel hotels resorts restaurant foods
    travel voyages cruises rentals technologies software systems solutions digital labs
    electronics finance financial capital savings loans mortgage mortgages investments
    securities trust partners associates healthcare health clinic immobilier informatique
    distribution"""
    )
)
# Words between a name and an organisation word that make the name someone of it.
_PARTICLES = frozenset(_words("de du des d of from at chez pour for with avec"))
# The capitalised word right after a name ("Voltéo" before "Énergie"), and the one right before.
_NEXT_CAP_RE = re.compile(rf"[ \t]+(?:&[ \t]+)?(?P<w>[{_UP}][\w'’-]*)")
_PREVIOUS_CAP_RE = re.compile(rf"(?P<w>[{_UP}][\w'’-]*)[ \t]+\Z")


def _fold(word: str) -> str:
    """Lower case without accents: "Énergie" -> "energie"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def names_an_organisation(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is (part of) a run of capitalised words that names an
    organisation: the span, the capitalised word right after it or the one right before it is an
    organisation word ("Voltéo Énergie", "Banque Solenne", "Nova Telecom"). Not when a known
    first name and another word come before it: a person's full name stays a name, even in an
    organisation's ("Jim Henson Entertainment", "Tom Joyner Health")."""
    words = [_fold(w) for w in _WORDS_RE.findall(text[start:end])]
    m = _NEXT_CAP_RE.match(text, end)
    if m is not None:
        words.append(_fold(m.group("w")))
    first = next((k for k, w in enumerate(words) if w in ORGANISATION_WORDS), None)
    if first is None:
        m = _PREVIOUS_CAP_RE.search(text, max(0, start - 30), start)
        return m is not None and _fold(m.group("w")) in ORGANISATION_WORDS
    if first == 0:
        return True
    # "Zébulon de Banque Solenne": someone of the organisation, a name.
    if any(w in _PARTICLES or w[:2] in ("d'", "d’") for w in words[:first]):
        return False
    return first < 2 or words[0] not in first_names()


# ------------------------------------------------------------------ adjectives

# A gender ending written after a word: "Ravi(e)", "Ravi(e)s", "Désolé·e", "Heureux(se)".
_GENDER_ENDING_RE = re.compile(r"(?:\((?:e|es|ne|nes|se|ses|le|les|te|tes|ère)\)|[·•](?:e|es)\b)")
# "de" or "d'" and a pronoun or an infinitive: the complement of an adjective ("Ravi de vous
# aider", "Ravi d'avoir pu aider", "Ravie de t'aider"), never of a person ("Marc de la compta",
# "Rose de votre boutique").
_ADJECTIVE_COMPLEMENT_RE = re.compile(
    r"[ \t]+(?:de[ \t]+|d['’])"
    r"(?:(?:vous|nous|te|me|lui|leur|en|y|se)(?![\w'’-])|[tms]['’]|"
    rf"(?P<verb>[{_LOW}]+(?:er|ir|re|oir))(?![\w'’-]))"
)
# Words ending like an infinitive that are not one.
_NOT_INFINITIVES = frozenset(
    _words(
        """
    votre vôtre notre nôtre autre autres entre contre quatre centre genre titre ordre
    lettre chiffre nombre membre libre premier dernier hier cher fier super leur soir
    plaisir avenir loisir désir cuir"""
    )
)
_SENTENCE_START_RE = re.compile(r"(?:\A|[.!?…\n]|[\U0001F300-\U0001FAFF\u2600-\u27BF])[ \t]*\Z")


def opens_sentence(text: str, start: int) -> bool:
    """True when text[start:] opens the text, a sentence or a line (after spaces)."""
    return bool(_SENTENCE_START_RE.search(text, max(0, start - 12), start))


def is_gendered_word(text: str, end: int) -> bool:
    """True when a gender ending follows text[:end] ("Ravi(e)"): an adjective or participle
    written for either gender, never a name."""
    return bool(_GENDER_ENDING_RE.match(text, end))


def opens_adjective_phrase(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is one word that is also a French word, opens a sentence and is
    followed by the complement of an adjective ("Ravi de vous aider.")."""
    word = text[start:end]
    if " " in word or not opens_sentence(text, start):
        return False
    m = _ADJECTIVE_COMPLEMENT_RE.match(text, end)
    if m is None or (m.group("verb") and m.group("verb") in _NOT_INFINITIVES):
        return False
    return is_french_word(word.lower())


def names_no_person(text: str, start: int, end: int) -> bool:
    """True when text[start:end], found as a name, names an organisation or is an adjective
    (places: names_a_place, which the caller weighs against a cue)."""
    return (
        is_gendered_word(text, end)
        or opens_adjective_phrase(text, start, end)
        or names_an_organisation(text, start, end)
    )
