"""A deterministic redaction test set: English and French sentences with emails, phone numbers
(FR, US, UK), Luhn-valid card numbers and valid IBANs (FR, DE, GB, ES, IT, NL, BE) in their usual
written formats, with the expected spans. Nothing here is real personal data: the numbers are
random with valid checksums, the e-mail domains are reserved example domains.

generate_pii_cases(n, seed) -> [PiiCase]; redaction_recall(cases) scores nlp.redact on them.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

from nlp.redact import CARD, EMAIL, IBAN, PHONE, find_pii


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
    },
}

_PHONE_MAKERS: dict[str, list[Callable[[random.Random], str]]] = {
    "en": [phone_us, phone_uk, phone_us, phone_uk, phone_fr],
    "fr": [phone_fr, phone_fr, phone_fr, phone_uk, phone_us],
}


def _value(rng: random.Random, kind: str, language: str) -> str:
    if kind == EMAIL:
        return email(rng)
    if kind == PHONE:
        return rng.choice(_PHONE_MAKERS[language])(rng)
    if kind == CARD:
        return card(rng)
    return iban(rng)


def generate_pii_cases(n: int = 400, seed: int = 2026) -> list[PiiCase]:
    """n sentences (half English, half French), each with one or two pieces of personal data."""
    rng = random.Random(seed)
    kinds = [EMAIL, PHONE, CARD, IBAN]
    cases = []
    for i in range(n):
        language = "en" if i % 2 == 0 else "fr"
        chosen = [kinds[i // 2 % 4]]
        if rng.random() < 0.3:
            chosen.append(rng.choice(kinds))
        text, expected = "", []
        for j, kind in enumerate(chosen):
            template = rng.choice(_TEMPLATES[language][kind])
            value = _value(rng, kind, language)
            before, after = template.split("{}")
            if j:
                text += " "
            start = len(text) + len(before)
            text += before + value + after
            expected.append((kind, start, start + len(value)))
        cases.append(PiiCase(text, language, expected))
    return cases


def redaction_recall(cases: list[PiiCase]) -> dict[str, float]:
    """Share of expected spans found exactly (same type, same offsets), overall and per type,
    and the share of found spans that were expected (precision)."""
    found_total = hit = expected_total = 0
    per_type: dict[str, list[int]] = {}
    for case in cases:
        found = {(s.type, s.start, s.end) for s in find_pii(case.text)}
        found_total += len(found)
        for span in case.expected:
            ok = span in found
            expected_total += 1
            hit += ok
            per_type.setdefault(span[0], [0, 0])
            per_type[span[0]][0] += ok
            per_type[span[0]][1] += 1
    figures = {"recall": hit / expected_total if expected_total else 0.0}
    figures["precision"] = hit / found_total if found_total else 0.0
    for kind, (ok, total) in sorted(per_type.items()):
        figures[f"recall_{kind.lower()}"] = ok / total
    return figures
