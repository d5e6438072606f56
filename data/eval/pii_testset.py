"""A deterministic redaction test set: English and French sentences with emails, phone numbers
(FR, US, UK), Luhn-valid card numbers and valid IBANs (FR, DE, GB, ES, IT, NL, BE) in their usual
written formats, order/ticket/account numbers, street addresses (FR, UK, US), names of persons
in contact-centre phrasing (customers and brand replies, signatures), private and brand @handles,
and negatives (brands, products, places, dates, amounts, times) that must stay as they are.
Nothing here is real personal data: the numbers are random with valid checksums, the e-mail
domains are reserved example domains, names are common names combined at random.

Names are drawn from lists written here, about half of whose first names are NOT in the
detector's gazetteer (data/gazetteers/first_names.txt): redaction_recall reports the recall on
names whose first word is in that gazetteer and on the others ("unseen") separately.

generate_pii_cases(n, seed) -> [PiiCase]; redaction_recall(cases) scores nlp.redact on them.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

from nlp.gazetteers import first_names
from nlp.language import detect_languages
from nlp.redact import ACCOUNT, ADDRESS, CARD, EMAIL, HANDLE, IBAN, PERSON, PHONE, find_pii_batch

NEGATIVE = "NEGATIVE"  # a sentence with nothing to redact


@dataclass(frozen=True, slots=True)
class PiiCase:
    text: str
    language: str
    expected: list[tuple[str, int, int]]  # (type, start, end)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _group(s: str, sizes: list[int], sep: str) -> str:
    parts, i = [], 0
    for size in sizes:
        parts.append(s[i : i + size])
        i += size
    if i < len(s):
        parts.append(s[i:])
    return sep.join(p for p in parts if p)


# ---------------------------------------------------------------- emails

_FIRST = ["marie", "jean", "alex", "sam", "chloe", "li", "omar", "emma", "lucas", "zoe"]
_LAST = ["dupont", "martin", "smith", "o.brien", "nguyen", "garcia", "leroy", "brown"]
_DOMAINS = ["example.com", "example.fr", "example.org", "mail.example.co.uk", "example.net"]


def email(rng: random.Random) -> str:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    local = rng.choice(
        [
            f"{first}.{last}",
            f"{first}{rng.randint(1, 99)}",
            f"{first[0]}{last}",
            f"{first}_{last}",
            f"{first}.{last}+sav",
        ]
    )
    return f"{local}@{rng.choice(_DOMAINS)}"


# ---------------------------------------------------------------- phones


def phone_fr(rng: random.Random) -> str:
    first = rng.choice("1234567")  # 01-05 landlines, 06/07 mobiles
    rest = _digits(rng, 8)
    pairs = [rest[i : i + 2] for i in range(0, 8, 2)]
    style = rng.randrange(6)
    if style == 0:
        return "0" + first + " " + " ".join(pairs)
    if style == 1:
        return "0" + first + "." + ".".join(pairs)
    if style == 2:
        return "0" + first + "".join(pairs)
    if style == 3:
        return "+33 " + first + " " + " ".join(pairs)
    if style == 4:
        return "+33 (0)" + first + " " + " ".join(pairs)
    return "0033 " + first + " " + " ".join(pairs)


def phone_us(rng: random.Random) -> str:
    area = str(rng.randint(201, 989))
    exchange = str(rng.randint(200, 999))
    line = _digits(rng, 4)
    style = rng.randrange(5)
    if style == 0:
        return f"({area}) {exchange}-{line}"
    if style == 1:
        return f"{area}-{exchange}-{line}"
    if style == 2:
        return f"+1 {area} {exchange} {line}"
    if style == 3:
        return f"{area}.{exchange}.{line}"
    return f"+1{area}{exchange}{line}"


def phone_uk(rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0:  # London landline
        return f"020 {_digits(rng, 4)} {_digits(rng, 4)}"
    if style == 1:  # mobile
        return f"07{_digits(rng, 3)} {_digits(rng, 6)}"
    if style == 2:
        return f"+44 20 {_digits(rng, 4)} {_digits(rng, 4)}"
    return f"+44 7{_digits(rng, 3)} {_digits(rng, 6)}"


# ---------------------------------------------------------------- cards


def _luhn_complete(partial: str) -> str:
    """partial + the check digit that makes it Luhn-valid."""
    for check in string.digits:
        candidate = partial + check
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch)
            if i % 2:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def card(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:  # Visa
        number = _luhn_complete("4" + _digits(rng, 14))
    elif kind == 1:  # Mastercard
        number = _luhn_complete(str(rng.randint(51, 55)) + _digits(rng, 13))
    elif kind == 2:  # American Express, 4-6-5
        number = _luhn_complete(rng.choice(["34", "37"]) + _digits(rng, 12))
        return _group(number, [4, 6, 5], rng.choice([" ", "-", ""]))
    else:  # CB / Visa written without separators
        number = _luhn_complete("4" + _digits(rng, 14))
        return number
    return _group(number, [4, 4, 4, 4], rng.choice([" ", "-", " ", ""]))


# ---------------------------------------------------------------- IBANs

# Country: BBAN as a list of (kind, length); kind n = digits, a = upper-case letters, c = alnum.
_BBAN = {
    "FR": [("n", 5), ("n", 5), ("c", 11), ("n", 2)],
    "DE": [("n", 18)],
    "GB": [("a", 4), ("n", 14)],
    "ES": [("n", 20)],
    "IT": [("a", 1), ("n", 10), ("c", 12)],
    "NL": [("a", 4), ("n", 10)],
    "BE": [("n", 12)],
}


def _bban(rng: random.Random, country: str) -> str:
    out = []
    for kind, length in _BBAN[country]:
        alphabet = {
            "n": string.digits,
            "a": string.ascii_uppercase,
            "c": string.digits + string.ascii_uppercase,
        }[kind]
        if country == "FR" and kind == "c":
            alphabet = string.digits
        out.append("".join(rng.choice(alphabet) for _ in range(length)))
    return "".join(out)


def iban(rng: random.Random, country: str | None = None) -> str:
    country = country or rng.choice(sorted(_BBAN))
    bban = _bban(rng, country)
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    check = 98 - int(numeric) % 97
    compact = f"{country}{check:02d}{bban}"
    return _group(compact, [4] * 9, " ") if rng.random() < 0.7 else compact


# ---------------------------------------------------------------- accounts


def account(rng: random.Random, language: str) -> tuple[str, str]:
    """(template with {} for the identifier, identifier)."""
    style = rng.randrange(8)
    letters = string.ascii_uppercase
    if style == 0:
        ident = _digits(rng, 9)
        return rng.choice(["Where is order #{}?", "commande #{} toujours pas livrée"]), ident
    if style == 1:
        ident = f"{_digits(rng, 4)}-{rng.choice(letters)}{rng.choice(letters)}"
        return rng.choice(["commande n° {} jamais reçue", "ma commande n°{} est bloquée"]), ident
    if style == 2:
        ident = _digits(rng, 5)
        return rng.choice(["ticket {} still open after a week", "ticket {} toujours ouvert"]), ident
    if style == 3:
        ident = _digits(rng, 8)
        return rng.choice(["my account number {} was closed", "numéro de compte : {}"]), ident
    if style == 4:
        ident = "00" + _digits(rng, 3)
        return rng.choice(["numéro de client {} merci", "customer number: {}"]), ident
    if style == 5:
        ident = f"{_digits(rng, 3)}-{_digits(rng, 7)}-{_digits(rng, 7)}"
        return "Order number {} arrived damaged.", ident
    if style == 6:
        ident = f"CS-{_digits(rng, 5)}"
        return rng.choice(["case ref {} - any news?", "mon dossier {} n'avance pas"]), ident
    ident = "".join(rng.choice(letters) for _ in range(2)) + _digits(rng, 4)
    return rng.choice(["booking reference {} was cancelled", "réservation {} annulée"]), ident


# ---------------------------------------------------------------- addresses

_FR_STREETS = [
    "rue de la Paix",
    "avenue Victor Hugo",
    "boulevard Haussmann",
    "rue des Lilas",
    "place de la République",
    "allée des Tilleuls",
    "impasse du Moulin",
    "rue Jean Jaurès",
    "chemin des Vignes",
    "rue du Général Leclerc",
    "quai de la Loire",
    "rue des acacias",
    "avenue de la gare",
    "boulevard Pasteur",
    "rue Saint-Honoré",
]
_FR_CITIES = [
    ("75002", "Paris"),
    ("69007", "Lyon"),
    ("13001", "Marseille"),
    ("33000", "Bordeaux"),
    ("59000", "Lille"),
    ("44000", "Nantes"),
    ("42000", "Saint-Étienne"),
    ("13100", "Aix-en-Provence"),
]
_EN_STREETS = [
    "Baker Street",
    "High Street",
    "Oxford Road",
    "Church Lane",
    "Station Road",
    "Maple Avenue",
    "Elm Drive",
    "Pennsylvania Ave NW",
    "Park Lane",
    "King's Road",
    "Green Street",
    "Mill Lane",
]
_UK_CITIES = [
    ("London", "SW1A 2AA"),
    ("Manchester", "M1 1AE"),
    ("Leeds", "LS1 4DY"),
    ("Bristol", "BS1 5TR"),
]
_US_CITIES = [
    ("Washington", "DC", "20500"),
    ("Springfield", "IL", "62704"),
    ("Austin", "TX", "78701"),
    ("Portland", "OR", "97205"),
]


def address(rng: random.Random, language: str) -> str:
    if language == "fr":
        number = str(rng.randint(1, 180)) + rng.choice(["", "", "", " bis", "B"])
        street = rng.choice(_FR_STREETS)
        if rng.random() < 0.6:
            cp, city = rng.choice(_FR_CITIES)
            return f"{number}{rng.choice([' ', ', '])}{street}, {cp} {city}"
        return f"{number} {street}"
    number = str(rng.randint(1, 2400)) + rng.choice(["", "", "", "B"])
    street = rng.choice(_EN_STREETS)
    style = rng.randrange(3)
    if style == 0:
        city, postcode = rng.choice(_UK_CITIES)
        return f"{number} {street}, {city} {postcode}"
    if style == 1:
        city, state, zipcode = rng.choice(_US_CITIES)
        return f"{number} {street}, {city}, {state} {zipcode}"
    return f"{number} {street}"


# ---------------------------------------------------------------- persons

# About half of these first names are in data/gazetteers/first_names.txt, half are not.
_GEN_FIRST_EN = [
    "John",
    "Sarah",
    "Mike",
    "Emily",
    "David",
    "Jessica",
    "Tom",
    "Laura",
    "Chris",
    "Rachel",
    "Kevin",
    "Megan",
    "Paul",
    "Hannah",
    "Steve",
    "Amanda",
    "Ryan",
    "Olivia",
    "Andrew",
    "Claire",
    "Declan",
    "Imogen",
    "Rhys",
    "Siobhan",
    "Tariq",
    "Priya",
    "Callum",
    "Niamh",
    "Freya",
    "Hamish",
    "Keira",
    "Lachlan",
    "Mabel",
    "Darnell",
    "Aaliyah",
    "Rohan",
    "Ingrid",
    "Tobias",
    "Esme",
    "Kwame",
    "Yusuf",
    "Anika",
    "Dmitri",
    "Marisol",
    "Fergus",
    "Bethany",
    "Zainab",
    "Caleb",
]
_GEN_FIRST_FR = [
    "Marie",
    "Julien",
    "Sophie",
    "Nicolas",
    "Camille",
    "Thomas",
    "Nathalie",
    "Karim",
    "Léa",
    "Pierre",
    "Isabelle",
    "Antoine",
    "Céline",
    "Romain",
    "Nadia",
    "Vincent",
    "Aurélie",
    "Hugo",
    "Anaïs",
    "Baptiste",
    "Clémence",
    "Dorian",
    "Faustine",
    "Gaëtan",
    "Héloïse",
    "Inès",
    "Killian",
    "Maëlle",
    "Noémie",
    "Océane",
    "Perrine",
    "Rayan",
    "Solène",
    "Timothée",
    "Bastien",
    "Loïc",
    "Yannick",
    "Mathilde",
    "Margaux",
    "Gwenaëlle",
    "Soufiane",
    "Amadou",
    "Ludivine",
    "Corentin",
]
_GEN_LAST_EN = [
    "Smith",
    "Johnson",
    "O'Brien",
    "Patel",
    "Nguyen",
    "Okafor",
    "Kowalski",
    "Fitzgerald",
    "Hughes",
    "Wright",
    "Turner",
    "Campbell",
    "Henderson",
    "Mensah",
    "Sullivan",
    "Reyes",
    "MacLeod",
    "Thornton",
    "Chowdhury",
    "Bradshaw",
]
_GEN_LAST_FR = [
    "Dupont",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Bonnet",
    "Fontaine",
    "Rousseau",
    "Lemaire",
    "Chevalier",
    "Benali",
    "Le Goff",
    "Morel",
    "Faure",
    "Gauthier",
    "Perrin",
    "Roussel",
    "Mercier",
    "N'Diaye",
    "Da Silva",
    "Lambert",
    "Dubois",
    "Garnier",
]

# (template with {}, what fills it: first / full / last / initials)
_PERSON_TEMPLATES = {
    "en": [
        ("Hi, my name is {} and I've been waiting three weeks for my refund.", "full"),
        ("This is {}, I called yesterday about my broken router.", "full"),
        ("I spoke to {} on the phone and she promised a callback that never came.", "first"),
        ("Thanks, {}! That sorted it.", "first"),
        ("Please ask for {} at the desk, she knows my case.", "first"),
        ("The agent {} was incredibly rude to me.", "first"),
        ("Mr {} told me the engineer would come on Monday.", "last"),
        ("Mrs {} in billing keeps hanging up on me", "last"),
        ("Can someone call me back today? {}", "full"),
        ("I was served by {} today and the service was brilliant", "first"),
        ("Hi {}, we're sorry to hear that. Please DM us your order details.", "first"),
        ("Sorry for the trouble, please DM us and we'll look into it. ^{}", "initials"),
        ("We've passed this on to the team. -{}", "first"),
        ("{} at your Leeds store was amazing, please pass on my thanks!", "first"),
        ("My husband {} has been trying to cancel for a month.", "full"),
    ],
    "fr": [
        ("Bonjour, je m'appelle {} et j'attends toujours mon remboursement.", "full"),
        ("Je suis {}, cliente depuis dix ans, et je suis déçue.", "full"),
        ("J'ai eu {} au téléphone, très aimable et efficace.", "first"),
        ("Merci {} pour votre aide !", "first"),
        ("Demandez {} à l'accueil, elle connaît mon dossier.", "first"),
        ("Le conseiller {} m'a raccroché au nez.", "first"),
        ("Mme {} du service facturation ne répond jamais.", "last"),
        ("M. {} m'avait promis un geste commercial.", "last"),
        ("Cordialement, {}", "full"),
        ("{} de l'agence de Lyon a été parfaite avec moi.", "full"),
        ("Bonjour {}, nous sommes désolés pour ce retard. ^{}", "first+initials"),
        ("Votre technicien, {}, est venu hier et n'a rien réparé.", "first"),
        ("Nous transmettons votre demande au service concerné. -{}", "first"),
        ("Mon mari {} a appelé trois fois sans réponse.", "full"),
    ],
}


def _person(rng: random.Random, language: str, form: str) -> str:
    firsts = _GEN_FIRST_FR if language == "fr" else _GEN_FIRST_EN
    lasts = _GEN_LAST_FR if language == "fr" else _GEN_LAST_EN
    if rng.random() < 0.25:  # mixed origins happen everywhere
        firsts = _GEN_FIRST_EN if language == "fr" else _GEN_FIRST_FR
    first, last = rng.choice(firsts), rng.choice(lasts)
    if form == "first":
        return first
    if form == "last":
        return last
    if form == "initials":
        return first[0] + last[0]
    if rng.random() < 0.1:
        return f"{first} {last.upper()}"
    return f"{first} {last}"


# ---------------------------------------------------------------- handles

_PRIVATE_HANDLE_MAKERS: list[Callable[[random.Random], str]] = [
    lambda rng: "@" + str(rng.randint(100000, 999999)),
    lambda rng: "@" + rng.choice(_GEN_FIRST_EN + _GEN_FIRST_FR).lower() + "_" + _digits(rng, 2),
    lambda rng: (
        "@"
        + rng.choice(_GEN_FIRST_EN).lower()[0]
        + rng.choice(_GEN_LAST_EN).lower().replace("'", "")
    ),
    lambda rng: (
        "@"
        + rng.choice(_GEN_FIRST_FR)[:3]
        + rng.choice(_GEN_LAST_FR).replace(" ", "").replace("'", "")[:5]
        + _digits(rng, 2)
    ),
]
# Brand handles: some listed in data/gazetteers/brands.txt, some only caught by their suffix.
_BRAND_HANDLES = [
    "@AmazonHelp",
    "@AppleSupport",
    "@Delta",
    "@SpotifyCares",
    "@sprintcare",
    "@VirginTrains",
    "@SNCF_Direct",
    "@Orange_conseil",
    "@FreshMartHelp",
    "@NovaBankSupport",
    "@TeleviaCare",
    "@ParcelXpressService",
]
_HANDLE_TEMPLATES = {
    "en": [
        "{brand} {private} We're sorry to hear that, please DM us your account email.",
        "{private} same problem here, {brand} still hasn't replied",
        "cc {private} this is what happened to me too {brand}",
    ],
    "fr": [
        "{brand} {private} Nous sommes désolés, pouvez-vous nous écrire en privé ?",
        "{private} pareil pour moi, {brand} ne répond toujours pas",
    ],
}

# ---------------------------------------------------------------- negatives

_NEGATIVES = {
    "en": [
        "Thanks Apple, my iPhone 15 finally works after the update!",
        "I paid £{amount} on {date} at {time} and still no confirmation.",
        "My Samsung Galaxy S23 keeps crashing since Tuesday.",
        "Flew Delta from New York to Atlanta, 3 hours late again.",
        "@AmazonHelp my parcel was due on {date}, where is it?",
        "Spotify Premium went up to ${amount} a month, seriously?",
        "Paris",
        "Hi Team, any update on this? Waited {n} days.",
        "Great service from Virgin Media today, thank you!",
        "The Netflix app on my Sony TV freezes every evening around {time}.",
        "Ordered {n} items, only 2 arrived. Order total was ${amount}.",
        "Apple",
        "Called Customer Service twice on Monday, nobody picked up.",
        "I've been with Vodafone for {n} years and this is how you treat me?",
    ],
    "fr": [
        "Je suis à Paris jusqu'au {date}, merci de livrer après.",
        "Commande passée le {date}, livrée {n} jours plus tard.",
        "Merci Free pour la Freebox Pop qui plante tous les soirs à {time}",
        "Rendez-vous à {time} le mardi 4 juin, personne n'est venu.",
        "La Poste a encore perdu mon colis, {amount} € de perdus.",
        "Paris",
        "Bonjour, mon forfait Orange est passé à {amount} € sans prévenir.",
        "@SNCF_Direct train de {time} supprimé, encore !",
        "J'ai acheté un iPhone chez Darty le {date}, écran mort.",
        "Service Client injoignable depuis {n} jours, c'est honteux.",
        "Apple",
        "Merci Leroy Merlin, livraison rapide et soignée.",
    ],
}


def _negative(rng: random.Random, language: str) -> str:
    template = rng.choice(_NEGATIVES[language])
    return template.format(
        amount=f"{rng.randint(5, 499)}.{rng.randint(0, 99):02d}",
        date=rng.choice(["12/03/2024", "3 January", "2024-05-01", "15 mars", "le 2/11"]),
        time=rng.choice(["14:30", "9am", "18h", "10h30", "7.45pm"]),
        n=rng.randint(2, 30),
    )


# ---------------------------------------------------------------- sentences

_TEMPLATES: dict[str, dict[str, list[str]]] = {
    "en": {
        EMAIL: [
            "Please write back to {} as soon as you can.",
            "My email is {}, I never got the confirmation",
            "you can reach me at {} thanks",
            "Sent it twice to {} and still nothing!!",
        ],
        PHONE: [
            "Call me on {} after 6pm please.",
            "my number is {} - nobody called back",
            "I rang {} three times today, no answer.",
            "Text me at {}, I'm at work.",
        ],
        CARD: [
            "You charged my card {} twice this month!",
            "card number {} was refused again",
            "Why is {} still being billed after I cancelled?",
        ],
        IBAN: [
            "The refund should go to IBAN {} please.",
            "my bank details: {} (current account)",
            "I already gave you {} for the direct debit.",
        ],
        ADDRESS: [
            "I live at {} and the driver never showed up.",
            "Deliver to {} please, not to my old address.",
            "The parcel was left at {} instead of my flat",
        ],
    },
    "fr": {
        EMAIL: [
            "Merci de me répondre à {} rapidement.",
            "mon adresse c'est {}, toujours rien reçu",
            "Vous pouvez m'écrire sur {} svp",
        ],
        PHONE: [
            "Rappelez-moi au {} après 18h.",
            "mon numéro : {} personne ne rappelle",
            "J'ai appelé le {} trois fois, aucune réponse !",
        ],
        CARD: [
            "Vous avez débité ma carte {} deux fois ce mois-ci !",
            "la carte {} est encore refusée",
            "Pourquoi la carte {} est-elle encore prélevée ?",
        ],
        IBAN: [
            "Le remboursement doit aller sur l'IBAN {} merci.",
            "mon RIB : {} (compte courant)",
            "Je vous ai déjà donné {} pour le prélèvement.",
        ],
        ADDRESS: [
            "J'habite au {} et le livreur n'est jamais venu.",
            "Mon adresse : {} merci de corriger.",
            "Colis déposé au {} au lieu de chez moi",
        ],
    },
}

_PHONE_MAKERS: dict[str, list[Callable[[random.Random], str]]] = {
    "en": [phone_us, phone_uk, phone_us, phone_uk, phone_fr],
    "fr": [phone_fr, phone_fr, phone_fr, phone_uk, phone_us],
}

KINDS = [EMAIL, PHONE, CARD, IBAN, ACCOUNT, ADDRESS, PERSON, HANDLE, NEGATIVE]


def _value(rng: random.Random, kind: str, language: str) -> str:
    if kind == EMAIL:
        return email(rng)
    if kind == PHONE:
        return rng.choice(_PHONE_MAKERS[language])(rng)
    if kind == CARD:
        return card(rng)
    if kind == ADDRESS:
        return address(rng, language)
    return iban(rng)


def _fill(template: str, values: list[tuple[str, str]]) -> tuple[str, list[tuple[str, int, int]]]:
    """template's {} slots filled in order with (kind, value); the expected spans."""
    pieces = template.split("{}")
    text, expected = pieces[0], []
    for (kind, value), after in zip(values, pieces[1:], strict=True):
        expected.append((kind, len(text), len(text) + len(value)))
        text += value + after
    return text, expected


def _sentence(rng: random.Random, kind: str, language: str) -> tuple[str, list]:
    if kind == NEGATIVE:
        return _negative(rng, language), []
    if kind == ACCOUNT:
        template, ident = account(rng, language)
        return _fill(template, [(ACCOUNT, ident)])
    if kind == PERSON:
        template, form = rng.choice(_PERSON_TEMPLATES[language])
        if form == "first+initials":
            first = _person(rng, language, "first")
            initials = first[0] + rng.choice(string.ascii_uppercase)
            return _fill(template, [(PERSON, first), (PERSON, initials)])
        return _fill(template, [(PERSON, _person(rng, language, form))])
    if kind == HANDLE:
        template = rng.choice(_HANDLE_TEMPLATES[language])
        private = rng.choice(_PRIVATE_HANDLE_MAKERS)(rng)
        brand = rng.choice(_BRAND_HANDLES)
        text = template.replace("{brand}", brand).replace("{private}", "\0")
        start = text.index("\0")
        text = text.replace("\0", private)
        return text, [(HANDLE, start, start + len(private))]
    template = rng.choice(_TEMPLATES[language][kind])
    return _fill(template, [(kind, _value(rng, kind, language))])


def generate_pii_cases(n: int = 1800, seed: int = 2026) -> list[PiiCase]:
    """n sentences (half English, half French), each with one or two pieces of personal data of
    the kinds in KINDS in turn (NEGATIVE: nothing to redact)."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        language = "en" if i % 2 == 0 else "fr"
        chosen = [KINDS[i // 2 % len(KINDS)]]
        if chosen[0] in (EMAIL, PHONE, CARD, IBAN) and rng.random() < 0.3:
            chosen.append(rng.choice([EMAIL, PHONE, CARD, IBAN]))
        text, expected = "", []
        for kind in chosen:
            sentence, spans = _sentence(rng, kind, language)
            if text:
                text += " "
            expected += [(k, s + len(text), e + len(text)) for k, s, e in spans]
            text += sentence
        cases.append(PiiCase(text, language, expected))
    return cases


def redaction_recall(cases: list[PiiCase], languages: list[str] | None = None) -> dict[str, float]:
    """Share of expected spans found exactly (same type, same offsets), overall and per type; the
    share of found spans that were expected (precision, overall and per type); the recall on
    names whose first word is in the detector's first-name gazetteer and on the others; under
    "n_<key>", how many spans each share is of.

    `languages`: what the analyser would know (default: detected with nlp.language, as
    nlp.analyze does); names in French texts go through the French NER."""
    if languages is None:
        languages = [lang for lang, _ in detect_languages([c.text for c in cases])]
    found_all = find_pii_batch([c.text for c in cases], languages)
    known = first_names()
    counts: dict[str, list[int]] = {}  # key -> [hits, total]

    def add(key: str, ok: bool) -> None:
        counts.setdefault(key, [0, 0])
        counts[key][0] += ok
        counts[key][1] += 1

    for case, spans in zip(cases, found_all, strict=True):
        found = {(s.type, s.start, s.end) for s in spans}
        expected = set(case.expected)
        for span in found:
            add("precision", span in expected)
            add(f"precision_{span[0].lower()}", span in expected)
        for span in case.expected:
            ok = span in found
            add("recall", ok)
            add(f"recall_{span[0].lower()}", ok)
            if span[0] in (EMAIL, PHONE, CARD, IBAN):
                add("recall_structured", ok)
            if span[0] == PERSON:
                first = case.text[span[1] : span[2]].split()[0].lower()
                add("recall_person_gazetteer" if first in known else "recall_person_unseen", ok)
    figures = {"recall": 0.0, "precision": 0.0}
    for key, (hits, total) in sorted(counts.items()):
        figures[key] = hits / total if total else 0.0
        figures[f"n_{key}"] = float(total)  # how many spans the share is of
    figures["negative_cases_clean"] = sum(
        not c.expected and not f for c, f in zip(cases, found_all, strict=True)
    ) / max(1, sum(not c.expected for c in cases))
    return figures
