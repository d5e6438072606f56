"""A HELD-OUT redaction test set: never use it to tune nlp/redact.py or nlp/names.py.

data/eval/pii_testset.py is the development set: the name rules and the gazetteers were written while
looking at it, so its figures say little about text the rules have not seen. This module writes a
second set with everything drawn from lists of its own:

- first names and surnames from many origins (English, Irish, Scottish, Hispanic, Portuguese,
  Maghrebi, West African, South and East Asian, Slavic, Nordic, French and Breton, Réunionese),
  none of them in data/gazetteers/first_names.txt or in data/eval/pii_testset.py's lists
  (tests/nlp/test_heldout.py checks it; since RULES_REVISION 9, 30 of its first names are in
  first_names_census.txt, a census list added for real comments, so its figure counts them as
  known names);
- templates of what customers and brand agents really write, none taken from data/eval/pii_testset.py:
  vocatives after a comma ("Sorry to hear about the mix-up, Kofi."), greetings and sign-offs
  ("Good morning Tanya,", "Sincerely, Derek Abernathy", "Bien cordialement, Maëva Le Bihan"),
  "I spoke with X", reps named in complaints as CFPB narratives do, agent signatures
  ("^AB", "*TJF", "/GS", "-Kim", "~Yuki") after a TWCS-style "@123456" reply;
- e-mails, phones (FR, US, UK, BE, CH, DE, MA), cards (Visa, Mastercard 2-series, Amex, Discover,
  JCB, UnionPay, Maestro) and IBANs (FR, BE, CH, LU, PT, AT, PL, SE, IE, MC, DK, FI, NO) in
  written formats partly different from the development set's;
- negatives: brands, products, places and sentence-initial words in the same slots as names
  ("Thanks, Roku!", "Come on, Peloton.", "Greetings from Sheffield,"), dates, amounts, versions,
  masked numbers ("card ending in 4821", "XXXX"), that must stay as they are.

If a rule change is made because of a sentence of this set, the set stops being held out: fix
the rule on the development set or on real text (../shared/data/channels), then look here.
Caveat: this set and the rules of RULES_REVISION 6 were written by the same hand (the rules were
developed on TWCS replies, not on this set's sentences, but knowing its templates); a set written
by someone who has not read nlp/names.py would be a stronger check.
Nothing here is real personal data: numbers are random with valid checksums, e-mail domains are
reserved example domains, names are combined at random.

generate_heldout_cases(n, seed) -> [PiiCase]; score them with casebook_data.eval.pii_testset.redaction_recall.
read_annotated(path) reads the hand-annotated sentences of data/eval/pii_heldout_annotated.txt.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from pathlib import Path

from casebook_data.eval.pii_testset import PiiCase

SEED = 4177

FIRST_EN = [
    "Brody", "Kendra", "Tamsin", "Ciara", "Eilidh", "Rowan", "Tegan", "Dwayne", "Latoya",
    "Tyrone", "Deshawn", "Xiomara", "Alejandro", "Guadalupe", "Itzel", "Joaquín", "Yesenia",
    "Rodrigo", "Thiago", "Luana", "Anjali", "Vikram", "Sanjay", "Deepika", "Harpreet", "Arjun",
    "Lakshmi", "Haruto", "Yuki", "Jiwoo", "Minh", "Thuy", "Katarzyna", "Bogdan", "Oksana",
    "Miroslav", "Sigrid", "Henrik", "Britta", "Adebayo", "Chidi", "Ngozi", "Kofi", "Aminata",
    "Oisín", "Saoirse", "Cormac", "Delroy", "Shawna", "Travon", "Jolene", "Bronwyn", "Wendell",
    "Mireya", "Tobenna", "Kenji", "Suleiman", "Farah", "Imran", "Beatriz", "Derek", "Tanya",
    "Gavin", "Brenda", "Wendy", "Shane", "Heidi", "Malcolm", "Lorraine", "Nigel", "Desmond",
    "Gloria",
]  # fmt: skip
FIRST_FR = [
    "Gwendal", "Maëva", "Enzo", "Lilou", "Anatole", "Apolline", "Brieuc", "Capucine", "Éloi",
    "Jocelyne", "Ghislaine", "Marius", "Sidonie", "Thibault", "Yvette", "Clotilde", "Solange",
    "Armelle", "Erwan", "Gaspard", "Léonie", "Mylène", "Nolwenn", "Thaïs", "Ulysse", "Yasmina",
    "Mehdi", "Khadija", "Bilal", "Rachida", "Nassim", "Walid", "Moussa", "Fatoumata", "Ousmane",
    "Aïssatou", "Maxence", "Cyrielle", "Anouk", "Prisca", "Josiane", "Firmin", "Samia", "Karima",
    "Yanis", "Tiphaine", "Rodolphe", "Benoît", "Hervé", "Sylvain", "Ludovic", "Mickaël",
    "Cédric", "Grégory", "Jérémy", "Sabrina", "Audrey", "Émeline", "Laetitia", "Séverine",
    "Delphine", "Karine", "Nadège",
]  # fmt: skip
LAST_EN = [
    "Abernathy", "Blackwood", "Carrington", "Fairbanks", "Gallagher", "Hargreaves", "Kowalczyk",
    "Lindqvist", "McAllister", "Oyelaran", "Pemberton", "Quinlan", "Ramaswamy", "Strickland",
    "Takahashi", "Underwood", "Vasquez", "Whitfield", "Yilmaz", "Zielinski", "Nakamura",
    "Okonkwo", "Haddad", "Castellanos", "Ferreira", "Kaur", "Tran", "Nowak", "O'Donnell",
    "Fitzpatrick", "Greenberg", "Delgado", "Mwangi", "Osei", "Gupta", "Iyer", "Sato", "Ivanova",
    "Brennan", "Dunleavy",
]  # fmt: skip
LAST_FR = [
    "Le Bihan", "Lemoine", "Carpentier", "Tessier", "Marchal", "Delorme", "Hoarau", "Vasseur",
    "Le Floch", "Courtois", "Brunet", "Bouchard", "Guérin", "Rolland", "Maillard", "Poirier",
    "Aubert", "Texier", "Ben Salah", "Diallo", "Traoré", "Cissé", "Lacroix", "Giraud", "Da Costa",
    "Keraudren", "Pelletier", "Chauvin", "Hamdani", "Bensaïd", "Mbaye", "Lefort", "Besnard",
    "Jacquet", "Dos Santos", "Kervran", "Payet", "Grondin",
]  # fmt: skip

# Brands, products and places written where a name could stand; some are in the gazetteers,
# most are not (as in real text).
BRANDS = [
    "Roku", "Peloton", "Fitbit", "Garmin", "Lenovo", "Nintendo", "Steam", "Twitch", "Deliveroo",
    "Ocado", "Argos", "Currys", "Monzo", "Revolut", "Hulu", "Comcast", "Xfinity", "Verizon",
    "Sky", "Virgin Media", "Netflix", "Samsung", "Adobe", "Dropbox",
]  # fmt: skip
MARQUES = [
    "Bouygues", "SFR", "Sosh", "Lydia", "Qonto", "Leboncoin", "Blablacar", "Boulanger", "Fnac",
    "Ouigo", "Free", "Orange", "Darty", "Cdiscount", "Vinted", "Picard", "Nespresso", "Decathlon",
]  # fmt: skip
PRODUCTS = [
    "Pixel 2", "Echo Dot", "Kindle Paperwhite", "Chromecast", "Galaxy Buds", "Surface Pro",
    "Lightroom Classic", "Apple Watch", "PS4 Pro", "Fire Stick",
]  # fmt: skip
PRODUITS = ["Livebox", "Freebox Delta", "Bbox", "Pass Navigo", "Carte Avantage", "Neuf Box"]
PLACES_EN = [
    "Sheffield", "Nottingham", "Tampa", "Sacramento", "Leicester", "Aberdeen", "Cork",
    "Brooklyn", "Newark", "Heathrow",
]  # fmt: skip
LIEUX = ["Villeurbanne", "Saint-Nazaire", "Annecy", "Perpignan", "Roubaix", "Vannes", "Bayonne"]

# (template, language). Slots: {handle} a private @handle (TWCS style, expected HANDLE);
# {first} {full} {last} {initials} persons (expected PERSON); {email} {phone} {card} {iban}
# expected with their type; {brand} {product} {place} {day} {date} {amount} {last4} negatives.
PERSON_TEMPLATES = [
    # brand agents, English
    ("{handle} Sorry to hear about the mix-up, {first}. Could you send us a DM with the email on the account?", "en"),
    ("{handle} That's not the experience we want you to have, {first}! Which store was this?", "en"),
    ("{handle} Good morning {first}, thanks for getting in touch. Is the app showing an error?", "en"),
    ("{handle} You're welcome, {first}! Enjoy the rest of your weekend.", "en"),
    ("{handle} {first}, we're really sorry. Our team is looking into the outage now.", "en"),
    ("{handle} Hey there {first}! Have you tried signing out and back in?", "en"),
    ("{handle} We completely understand, {first}. A refund has been requested for you.", "en"),
    ("{handle} Thanks for your patience {first}, the engineers are still working on it.", "en"),
    ("{handle} Glad to hear it's sorted, {first} :)", "en"),
    ("{handle} Can you DM us your postcode so we can check the area? ^{initials}", "en"),
    ("{handle} We'll pass this feedback on to the store manager. *{initials}", "en"),
    ("{handle} Please follow the steps in the link and let us know. /{initials}", "en"),
    ("{handle} I've escalated this to our delivery team for you. -{first}", "en"),
    ("{handle} Let me check that for you, one moment please. ~{first}", "en"),
    ("{handle} Happy to help! Let us know if there's anything else. ^{first}", "en"),
    ("{handle} Apologies for the wait, {first}. I'll look into this now. - {first}", "en"),
    # customers, English (tweets, e-mails, complaint narratives)
    ("I spoke with {first} in your returns department and she was brilliant.", "en"),
    ("Your rep {first} promised a callback within 24 hours. Nothing.", "en"),
    ("Massive thanks to {first} for sorting my broadband out!", "en"),
    ("{full} here, still waiting on the refund you promised on the phone.", "en"),
    ("Still no reply to my complaint.\n\nBest regards,\n{full}", "en"),
    ("Please cancel the contract as of today. Sincerely, {full}", "en"),
    ("A representative named {first} told me the fee would be waived, but it was not.", "en"),
    ("I then contacted their supervisor, {full}, who refused to escalate the dispute.", "en"),
    ("On the call Ms. {last} confirmed the payment had been received.", "en"),
    ("I would like to speak to {first} again, she actually knew what she was doing.", "en"),
    ("Huge shoutout to {full} at the Glasgow branch", "en"),
    ("My name's {first}, I've been a customer for eleven years.", "en"),
    ("Can you tell {first} that the parcel finally arrived? Thanks", "en"),
    ("{first} was the only person who actually listened to me today.", "en"),
    ("Please pass my thanks on to {first}, she went above and beyond.", "en"),
    # brand agents, French
    ("{handle} Bonjour {first}, nous sommes navrés pour ce retard de livraison.", "fr"),
    ("{handle} Désolés pour ce désagrément, {first}. Pouvez-vous nous écrire en MP ?", "fr"),
    ("{handle} Je comprends votre agacement, {first}. Je transmets au service technique.", "fr"),
    ("{handle} Avec plaisir {first} ! Belle journée à vous.", "fr"),
    ("{handle} Merci pour votre patience {first}, le dossier est en cours de traitement.", "fr"),
    ("{handle} Bonsoir {first}, pouvez-vous redémarrer votre box et nous tenir informés ?", "fr"),
    ("{handle} Nous revenons vers vous dès que possible. ^{initials}", "fr"),
    ("{handle} Je regarde cela pour vous tout de suite. -{first}", "fr"),
    ("{handle} {first}, pouvez-vous nous indiquer votre code postal en MP ?", "fr"),
    ("{handle} Au plaisir, {first} !", "fr"),
    # customers, French
    ("J'ai parlé avec {first} ce matin, elle m'a promis un rappel.", "fr"),
    ("Un grand merci à {first} de la boutique de Rennes, au top !", "fr"),
    ("{full}, client depuis 2009, et jamais vu un service aussi lent.", "fr"),
    ("Je résilie mon abonnement.\nCordialement,\n{full}", "fr"),
    ("Merci de traiter ma demande rapidement. Bien cordialement, {full}", "fr"),
    ("Votre conseillère {first} a été adorable au téléphone.", "fr"),
    ("Je tiens à remercier {first} pour sa patience.", "fr"),
    ("Madame {last} m'a assuré que le remboursement était parti.", "fr"),
    ("Signé : {full}, très mécontent", "fr"),
    ("{first} du service client m'a rappelé en moins d'une heure, bravo.", "fr"),
    ("Je voudrais parler à {first}, elle connaît déjà mon dossier.", "fr"),
]  # fmt: skip
STRUCTURED_TEMPLATES = [
    ("My login is {email}, but the reset link never arrives.", "en"),
    ("Reach me on {phone} between 9 and 5 please", "en"),
    ("I disputed the charge on my card {card} but the bank sided with the merchant.", "en"),
    ("Bank transfer details: {iban}, the name on the account is the same as on the order.", "en"),
    ("Contact: {email} / {phone}", "en"),
    ("They charged {card} again on {date} for {amount}.", "en"),
    ("{handle} no reply yet to my email ({email}), can someone call {phone}?", "en"),
    ("Mon mail : {email} (je ne reçois rien)", "fr"),
    ("Joignable au {phone} toute la journée", "fr"),
    ("Ma CB {card} a été débitée deux fois", "fr"),
    ("Voici mon IBAN pour le remboursement : {iban}", "fr"),
    ("Tél. {phone} / mail {email}", "fr"),
    ("Prélèvement refusé sur le compte {iban} alors que tout est en règle.", "fr"),
    ("{handle} j'ai donné ma carte {card} au téléphone et depuis plus rien", "fr"),
]  # fmt: skip
NEGATIVE_TEMPLATES = [
    ("Thanks, {brand}! Everything works again.", "en"),
    ("Come on, {brand}. Third outage this week.", "en"),
    ("Hi {brand}, my {product} stopped pairing after the update.", "en"),
    ("Greetings from {place}, where the train is late again.", "en"),
    ("Honestly, {brand} support is the worst I have dealt with.", "en"),
    ("Unfortunately, the {product} keeps rebooting since {day}.", "en"),
    ("I spoke with {brand} twice and nobody could explain the fee.", "en"),
    ("Ordered on {date}, charged {amount}, version 6.13.0 still crashes.", "en"),
    ("My card ending in {last4} was declined twice at the {place} store.", "en"),
    ("On XX/XX/2019 XXXX XXXX told me my account ending in XXXX was closed.", "en"),
    ("Well done, {brand}, you lost another customer.", "en"),
    ("Flight from {place} delayed 3 hours, landed at 11:45pm.", "en"),
    ("Merci {marque} ! La fibre fonctionne enfin.", "fr"),
    ("Sérieusement, {marque} ? Encore une coupure à {lieu}.", "fr"),
    ("Bonjour {marque}, ma {produit} redémarre toute seule depuis {jour}.", "fr"),
    ("Bravo {marque}, trois semaines pour un colis.", "fr"),
    ("J'ai parlé avec {marque} deux fois, toujours aucune solution.", "fr"),
    ("Commande du {date} payée {montant}, toujours rien reçu à {lieu}.", "fr"),
    ("Franchement, la {produit} c'est fini pour moi.", "fr"),
    ("BIC BNPAFRPPXXX, carte se terminant par {last4}, rien ne passe.", "fr"),
]  # fmt: skip

_DAYS = ["Monday", "Friday", "Sunday", "yesterday"]
_JOURS = ["lundi", "vendredi", "hier", "Noël"]
_DOMAINS = ["example.com", "example.org", "example.net", "mail.example", "post.example.co"]
_SLOT_RE = re.compile(r"\{(\w+)\}")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _plain(name: str) -> str:
    table = str.maketrans("àâäéèêëïîôöùûüçñíóúÉ", "aaaeeeeiioouuucnioue")
    return name.lower().translate(table).replace(" ", "").replace("'", "")


def _email(rng: random.Random) -> str:
    first, last = _plain(rng.choice(FIRST_EN + FIRST_FR)), _plain(rng.choice(LAST_EN + LAST_FR))
    local = rng.choice(
        [f"{first}.{last}", f"{first}-{last}", f"{first[0]}{last}.{rng.randint(1960, 2005)}",
         f"{first}{last[:3]}", f"{first.capitalize()}.{last.capitalize()}"]
    )  # fmt: skip
    return f"{local}@{rng.choice(_DOMAINS)}"


def _phone(rng: random.Random, language: str) -> str:
    d = lambda n: _digits(rng, n)  # noqa: E731
    pairs = lambda: " ".join(d(2) for _ in range(4))  # noqa: E731
    fr = [
        lambda: f"0{rng.choice('67')}-{d(2)}-{d(2)}-{d(2)}-{d(2)}",
        lambda: f"+33{rng.choice('1234567')}{d(8)}",
        lambda: f"+33 (0) {rng.choice('67')} {pairs()}",
        lambda: f"0{rng.choice('12345')} {pairs()}",
    ]
    us = [
        lambda: f"1-{rng.randint(201, 989)}-{rng.randint(200, 999)}-{d(4)}",
        lambda: f"({rng.randint(201, 989)}){rng.randint(200, 999)}-{d(4)}",
        lambda: f"{rng.randint(201, 989)} {rng.randint(200, 999)} {d(4)}",
        lambda: f"+1 ({rng.randint(201, 989)}) {rng.randint(200, 999)}-{d(4)}",
    ]
    uk = [
        lambda: f"+44 (0)20 {d(4)} {d(4)}",
        lambda: f"0161 {d(3)} {d(4)}",
        lambda: f"+447{d(9)}",
        lambda: f"07{d(3)} {d(3)} {d(3)}",
    ]
    other = [
        lambda: f"+32 4{d(2)} {d(2)} {d(2)} {d(2)}",
        lambda: f"+41 7{d(1)} {d(3)} {d(2)} {d(2)}",
        lambda: f"+49 30 {d(7)}",
        lambda: f"+212 6 {pairs()}",
    ]
    pools = [fr, fr, fr, other, uk] if language == "fr" else [us, us, uk, uk, fr, other]
    return rng.choice(rng.choice(pools))()


def _luhn_complete(partial: str) -> str:
    for check in string.digits:
        total = 0
        for i, ch in enumerate(reversed(partial + check)):
            v = int(ch)
            if i % 2:
                v = v * 2 - 9 if v > 4 else v * 2
            total += v
        if total % 10 == 0:
            return partial + check
    raise AssertionError("unreachable")


def _group(s: str, sizes: list[int], sep: str) -> str:
    parts, i = [], 0
    for size in sizes:
        parts.append(s[i : i + size])
        i += size
    parts.append(s[i:])
    return sep.join(p for p in parts if p)


def _card(rng: random.Random) -> str:
    kind = rng.randrange(7)
    sep = rng.choice([" ", "-", " "])
    if kind == 0:  # Visa
        return _group(_luhn_complete("4" + _digits(rng, 14)), [4, 4, 4, 4], sep)
    if kind == 1:  # Mastercard 2-series
        return _group(_luhn_complete(str(rng.randint(2221, 2720)) + _digits(rng, 11)), [4] * 4, sep)
    if kind == 2:  # American Express
        return _group(_luhn_complete(rng.choice(["34", "37"]) + _digits(rng, 12)), [4, 6, 5], sep)
    if kind == 3:  # Discover
        return _group(_luhn_complete("6011" + _digits(rng, 11)), [4] * 4, sep)
    if kind == 4:  # JCB
        return _group(_luhn_complete("35" + _digits(rng, 13)), [4] * 4, sep)
    if kind == 5:  # UnionPay, no separators
        return _luhn_complete("62" + _digits(rng, 13))
    return _group(_luhn_complete("6759" + _digits(rng, 14)), [4, 4, 4, 4, 3], " ")  # Maestro 19


# BBAN as (kind, length): n digits, a upper-case letters, c alphanumeric.
_BBAN = {
    "FR": [("n", 10), ("c", 11), ("n", 2)],
    "BE": [("n", 12)],
    "CH": [("n", 5), ("c", 12)],
    "LU": [("n", 3), ("c", 13)],
    "PT": [("n", 21)],
    "AT": [("n", 16)],
    "PL": [("n", 24)],
    "SE": [("n", 20)],
    "IE": [("a", 4), ("n", 14)],
    "MC": [("n", 10), ("c", 11), ("n", 2)],
    "DK": [("n", 14)],
    "FI": [("n", 14)],
    "NO": [("n", 11)],
}


def _iban(rng: random.Random, language: str) -> str:
    countries = ["FR", "FR", "BE", "CH", "LU", "MC"] if language == "fr" else sorted(_BBAN)
    country = rng.choice(countries)
    alphabets = {"n": string.digits, "a": string.ascii_uppercase,
                 "c": string.digits + string.ascii_uppercase}  # fmt: skip
    bban = "".join(
        "".join(rng.choice(alphabets[kind]) for _ in range(length))
        for kind, length in _BBAN[country]
    )
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    compact = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    return _group(compact, [4] * 9, " ") if rng.random() < 0.75 else compact


def _person(rng: random.Random, language: str, form: str) -> str:
    firsts, lasts = (FIRST_FR, LAST_FR) if language == "fr" else (FIRST_EN, LAST_EN)
    if rng.random() < 0.3:  # names of every origin in both languages
        firsts = FIRST_EN if language == "fr" else FIRST_FR
    if rng.random() < 0.2:
        lasts = LAST_EN if language == "fr" else LAST_FR
    first, last = rng.choice(firsts), rng.choice(lasts)
    if form == "first":
        return first
    if form == "last":
        return last
    if form == "initials":
        initials = first[0] + last[0]
        return initials + rng.choice(string.ascii_uppercase) if rng.random() < 0.3 else initials
    if language == "fr" and rng.random() < 0.2:
        return f"{first} {last.upper()}"
    return f"{first} {last}"


def _fill(rng: random.Random, template: str, language: str) -> PiiCase:
    """The template with each slot filled; expected spans for the slots that are personal data."""
    values: dict[str, Callable[[], tuple[str | None, str]]] = {
        "handle": lambda: ("HANDLE", "@" + str(rng.randint(100000, 999999))),
        "first": lambda: ("PERSON", _person(rng, language, "first")),
        "full": lambda: ("PERSON", _person(rng, language, "full")),
        "last": lambda: ("PERSON", _person(rng, language, "last")),
        "initials": lambda: ("PERSON", _person(rng, language, "initials")),
        "email": lambda: ("EMAIL", _email(rng)),
        "phone": lambda: ("PHONE", _phone(rng, language)),
        "card": lambda: ("CARD", _card(rng)),
        "iban": lambda: ("IBAN", _iban(rng, language)),
        "brand": lambda: (None, rng.choice(BRANDS)),
        "marque": lambda: (None, rng.choice(MARQUES)),
        "product": lambda: (None, rng.choice(PRODUCTS)),
        "produit": lambda: (None, rng.choice(PRODUITS)),
        "place": lambda: (None, rng.choice(PLACES_EN)),
        "lieu": lambda: (None, rng.choice(LIEUX)),
        "day": lambda: (None, rng.choice(_DAYS)),
        "jour": lambda: (None, rng.choice(_JOURS)),
        "date": lambda: (None, rng.choice(["10/31/2017", "3 Nov", "2019-09-24", "12 avril"])),
        "amount": lambda: (None, f"${rng.randint(5, 1999):,}.{rng.randint(0, 99):02d}"),
        "montant": lambda: (None, f"{rng.randint(5, 999)},{rng.randint(0, 99):02d} €"),
        "last4": lambda: (None, _digits(rng, 4)),
    }
    text, expected, last = "", [], 0
    for m in _SLOT_RE.finditer(template):
        text += template[last : m.start()]
        kind, value = values[m.group(1)]()
        if kind is not None:
            expected.append((kind, len(text), len(text) + len(value)))
        text += value
        last = m.end()
    text += template[last:]
    return PiiCase(text, language, expected)


def generate_heldout_cases(n: int = 1200, seed: int = SEED) -> list[PiiCase]:
    """n held-out cases: 60% with names of persons, 25% with e-mails/phones/cards/IBANs, 15%
    negatives, from the templates above (English and French)."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        r = i % 20
        pool = (
            PERSON_TEMPLATES if r < 12 else STRUCTURED_TEMPLATES if r < 17 else NEGATIVE_TEMPLATES
        )
        template, language = rng.choice(pool)
        cases.append(_fill(rng, template, language))
    return cases


# Hand-annotated sentences: "<language><TAB><text>" a line, personal data marked [[TYPE|value]],
# "\n" for a line break; lines starting with '#' are comments.
_MARK_RE = re.compile(r"\[\[([A-Z]+)\|(.*?)\]\]")


def parse_annotated(line: str) -> PiiCase:
    """One annotated line -> PiiCase (text without the marks, expected spans)."""
    language, marked = line.split("\t", 1)
    marked = marked.replace("\\n", "\n")
    text, expected, last = "", [], 0
    for m in _MARK_RE.finditer(marked):
        text += marked[last : m.start()]
        expected.append((m.group(1), len(text), len(text) + len(m.group(2))))
        text += m.group(2)
        last = m.end()
    text += marked[last:]
    return PiiCase(text, language.strip(), expected)


def read_annotated(path: Path) -> list[PiiCase]:
    """The hand-annotated cases of a file in the format above."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse_annotated(line) for line in lines if line.strip() and not line.startswith("#")]
