"""Find personal data and replace it with typed placeholders: `[EMAIL]`, `[PHONE]`, `[CARD]`
(Luhn), `[IBAN]` (mod 97), `[ACCOUNT]` (order, ticket, account, customer numbers after their cue
word; booking codes and ids such as CMD-522103: nlp/references.py), `[ADDRESS]` (street addresses, FR and EN formats, with postcode and city when written),
`[HANDLE]` (private persons' @handles, not brands') and `[PERSON]` (names of persons: rules in
nlp/names.py, plus the French NER of nlp/ner.py on French texts).

Spans are offsets into the text given; where candidates overlap, the longest wins.
find_pii / redact work on one text; find_pii_batch runs the French NER in batches (what
nlp.analyze uses).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nlp.gazetteers import default_brand_handles, first_names, is_french_word, not_names
from nlp.handles import find_handles
from nlp.names import accept_ner_name, find_person_names, ner_candidates
from nlp.ner import MAX_NER_CHARS, french_ner, person_spans
from nlp.references import NOT_A_QUANTITY as _NOT_A_QUANTITY
from nlp.references import REFERENCE_CUE, reference_spans, standalone_id_spans

EMAIL, PHONE, CARD, IBAN = "EMAIL", "PHONE", "CARD", "IBAN"
ACCOUNT, ADDRESS, PERSON, HANDLE = "ACCOUNT", "ADDRESS", "PERSON", "HANDLE"
TYPES = (EMAIL, PHONE, CARD, IBAN, ACCOUNT, ADDRESS, HANDLE, PERSON)


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One piece of personal data: its type and [start, end) offsets into the original text."""

    type: str
    start: int
    end: int


_SEP = r"[ .\-]"
# A phone number is not the middle of a longer run of digit groups (IBANs, order numbers).
_START = r"(?<![\w+])(?<!\d[ .\-])"
_END = r"(?!\d)(?![ .\-]\d)"

_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b"
)
_PHONE_RES = [
    # French national and +33/0033: 06 12 34 56 78, 01.23.45.67.89, +33 6 12 34 56 78, +33 (0)6...
    re.compile(
        rf"(?<![\w+])(?:(?:\+|00)33{_SEP}?(?:\(0\){_SEP}?)?|0)[1-9](?:{_SEP}?\d{{2}}){{4}}(?!\d)"
    ),
    # North American with separators: (555) 123-4567, 555-123-4567, +1 555 123 4567, +15551234567
    re.compile(
        rf"{_START}(?:\+?1{_SEP}?)?(?:\(\d{{3}}\){_SEP}?|\d{{3}}{_SEP})\d{{3}}{_SEP}\d{{4}}{_END}"
        rf"|{_START}\+1\d{{10}}{_END}"
    ),
    # UK national: 020 7946 0958, 07700 900123
    re.compile(rf"{_START}0\d{{2,4}}{_SEP}?\d{{3,4}}{_SEP}?\d{{3,4}}{_END}"),
    # North American without separators: 9148445695, 19148445695 (area code and exchange do not
    # start with 0 or 1).
    re.compile(rf"{_START}(?:\+?1)?[2-9]\d{{2}}[2-9]\d{{6}}{_END}"),
]
# Any international number: +44 20 7946 0958, 0049 30 1234567 (digit count checked, 8-15).
_INTL_PHONE_RE = re.compile(
    rf"{_START}(?:\+|00)[1-9]\d{{0,2}}(?:{_SEP}?\(0\))?(?:{_SEP}?\(?\d{{1,5}}\)?){{2,6}}(?!\d)"
)
_CARD_RE = re.compile(r"(?<!\d)(?:\d[ \-]?){12,18}\d(?!\d)")
_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]){11,30}\b", re.IGNORECASE)
# Cheap gate: no '@' and no run of 7 digits (gaps of up to 3 characters) means nothing to find.
_GATE_RE = re.compile(r"\d(?:\D{0,3}\d){6}")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_IBAN_GATE_RE = re.compile(r"\b[A-Za-z]{2}\d{2}[ \-]?[A-Za-z0-9]{4}")

# Order / ticket / account / customer numbers: an identifier with at least 3 digits after a cue
# ("order #123456789", "commande n° 4587-XY", "ticket 88231", "numéro de client 00123").
_ACCOUNT_CUE = (
    r"order|orders|ticket|case|account|acct|a/c|reference|ref|booking|confirmation|tracking|"
    r"customer|client|member|membership|policy|contract|invoice|claim|incident|complaint|"
    r"subscriber|subscription|loyalty|parcel|package|shipment|consignment|reservation|réservation|"
    r"commande|cde|dossier|compte|référence|réf|contrat|facture|abonné|abonnement|adhérent|"
    r"colis|suivi|réclamation|sinistre|fidélité|bon de commande"
)
_ACCOUNT_NO = (
    r"(?:(?:number|num|no|nr|id|code|ref|reference|numéro|n°|nº|no\.|n°\.|#|:|de|du|d'|est|is|"
    r"was|c'est|:)[ \t.:]*){0,4}"
)
# The identifier: letters, digits, inner - _ / (at least 3 digits, checked after); not an amount,
# a quantity or a duration ("order 150 euros", "ticket 120 min").
_ACCOUNT_ID = rf"[A-Za-z0-9](?:[A-Za-z0-9]|[\-_/](?=[A-Za-z0-9])){{2,39}}(?![\w@]){_NOT_A_QUANTITY}"
# A reference written in groups of digits ("n° 0612 3456 78", "ref 020 7946 0958"): the groups
# after the first one belong to it (otherwise the whole would read as a phone number).
_MORE_DIGIT_GROUPS_RE = re.compile(rf"(?:[ .]\d{{2,5}}){{1,4}}(?![\w@]){_NOT_A_QUANTITY}")
_ACCOUNT_RE = re.compile(
    rf"(?i:\b(?:{_ACCOUNT_CUE})\b)[ \t]*(?i:(?:client|customer)[ \t]+)?(?i:{_ACCOUNT_NO})"
    rf"(?P<id>(?=[A-Za-z\-_/]*\d){_ACCOUNT_ID})"
)
# "numéro de client 00123", "n° de dossier : 2024-118837": the number word before the cue.
_ACCOUNT_RE2 = re.compile(
    rf"(?i:\b(?:numéro|num|n°|nº|no\.?|number|#)[ \t]*(?:de|du|d'|of)?[ \t]*(?:votre |mon |ma |my |your )?"
    rf"(?:{_ACCOUNT_CUE})\b)[ \t:.]*(?i:(?:est|is|c'est)[ \t:]*)?"
    rf"(?P<id>(?=[A-Za-z\-_/]*\d){_ACCOUNT_ID})"
)
_DIGIT3_RE = re.compile(r"\d\D{0,40}\d\D{0,40}\d")
_DATE_LIKE_RE = re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")

_ST_EN = (
    r"Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|"
    r"Way|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Gardens|Grove|Row|Mews|Hill|Walk|"
    r"Parade|Circle|Cir|Broadway"
)
_ST_FR = (
    r"rue|avenue|av\.|bd|boulevard|blvd|place|pl\.|chemin|ch\.|allée|allee|impasse|imp\.|quai|"
    r"route|rte|cours|square|passage|résidence|voie|faubourg|fbg|cité|villa|sentier|hameau|"
    r"lieu-dit|promenade|esplanade|parvis|rond-point|rond point|chaussée|montée|mail|clos"
)
_CAPW = r"[A-ZÀ-ÖØ-Þ0-9][\wÀ-ÿ'’.\-]*"
_CITY = (
    r"[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’\-]*"
    r"(?:[ \t]+(?:(?:sur|sous|en|le|la|les|de|du)[ \t]+)?[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’\-]*){0,2}"
)
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}"
_ADDRESS_EN_RE = re.compile(
    rf"(?<![\w,.])\d{{1,5}}[A-Za-z]?,?[ \t]+(?:{_CAPW}[ \t]+){{1,4}}(?:{_ST_EN})\b\.?"
    r"(?:[ \t]+(?:NW|NE|SW|SE|N|S|E|W)\b)?"
    r"(?:,?[ \t]+(?:Apt|Suite|Unit|Flat|Ste)\.?[ \t]*#?\w+)?"
    rf"(?:,?[ \t]+{_CITY}(?:,[ \t]*(?:[A-Z]{{2}}))?[ \t,]+(?:\d{{5}}(?:-\d{{4}})?|{_UK_POSTCODE})"
    rf"|,?[ \t]+{_UK_POSTCODE}(?:[ \t]+{_CITY})?)?"
)
_FR_PART = r"(?:(?:de la|de l'|de l’|des|du|de|d'|d’|l'|l’|la|le|les|aux|au|à|sur|en|et)[ \t]*)?"
_FR_TAIL = (
    rf"(?:[ \t]+{_FR_PART}{_CAPW}){{0,5}}"
    rf"(?:,?[ \t]+(?:\d{{5}}|\d{{2}}[ \t]\d{{3}})[ \t]+{_CITY}(?:[ \t]+(?:CEDEX|Cedex)(?:[ \t]+\d{{1,2}})?)?)?"
)
_FR_NUMBER = r"(?<![\w,.])\d{1,4}(?:[ \t]?(?:bis|ter|quater|[A-Ba-b])\b)?,?[ \t]+"
_ADDRESS_FR_RE = re.compile(
    rf"{_FR_NUMBER}(?i:{_ST_FR})\b[ \t]+{_FR_PART}{_CAPW}{_FR_TAIL}"
    # Street names written in lower case, after the unambiguous street types only.
    rf"|{_FR_NUMBER}(?i:rue|avenue|av\.|boulevard|bd|allée|allee|impasse|chemin|quai)[ \t]+"
    rf"{_FR_PART}[a-zà-ÿ][\wà-ÿ'’\-]*{_FR_TAIL}"
)
# Street names with a capital after the type ("rue de la Paix"); a digit gate makes them cheap.
_DIGIT_RE = re.compile(r"\d")
# Cheap word gates (same results): an account number needs one of its cue words, an address one
# of its street types, each a run of letters of the lower-cased text. Letters that match an
# ASCII letter only when case is ignored (ſ, ı, İ, the Kelvin and Ångström signs) turn the
# gates off.
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_ODD_CASE_RE = re.compile("[\u017f\u0131\u0130\u212a\u212b\u1e9e]")


def _letter_keys(*alternations: str) -> frozenset[str]:
    return frozenset(
        w for alternation in alternations for w in _LETTERS_RE.findall(alternation.lower())
    )


# "a/c" is looked for as such; "bon de commande" holds "commande".
_ACCOUNT_KEYS = _letter_keys(_ACCOUNT_CUE) - {"a", "c", "bon", "de"}
_REFERENCE_KEYS = _letter_keys(REFERENCE_CUE)
_ADDRESS_KEYS = _letter_keys(_ST_EN, _ST_FR)
_CUE_KEYS = _ACCOUNT_KEYS | _REFERENCE_KEYS | _ADDRESS_KEYS


def luhn_valid(digits: str) -> bool:
    """True when a digit string passes the Luhn checksum."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_valid(compact: str) -> bool:
    """True when an IBAN without separators has a valid shape and ISO 7064 mod-97 checksum."""
    compact = compact.upper()
    if not (15 <= len(compact) <= 34) or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    try:
        number = int("".join(str(int(ch, 36)) for ch in rearranged))
    except ValueError:
        return False
    return number % 97 == 1


def _card_ok(s: str) -> bool:
    digits = _NOT_ALNUM.sub("", s)
    # No payment card number starts with 0 (0033..., 0044... are international phone prefixes).
    return (
        13 <= len(digits) <= 19 and digits[0] != "0" and len(set(digits)) > 1 and luhn_valid(digits)
    )


def _intl_phone_ok(s: str) -> bool:
    return 8 <= sum(ch.isdigit() for ch in s) <= 15


# Lengths of IBANs of common countries: a checksum alone may accept a word that follows.
_IBAN_LENGTHS = {
    "FR": 27,
    "DE": 22,
    "GB": 22,
    "ES": 24,
    "IT": 27,
    "NL": 18,
    "BE": 16,
    "CH": 21,
    "LU": 20,
    "PT": 25,
    "IE": 22,
    "AT": 20,
    "MC": 27,
    "PL": 28,
    "SE": 24,
    "DK": 18,
    "NO": 15,
    "FI": 18,
}


def _iban_ok(s: str) -> bool:
    compact = _NOT_ALNUM.sub("", s)
    expected = _IBAN_LENGTHS.get(compact[:2].upper())
    return (expected is None or len(compact) == expected) and iban_valid(compact)


def _longest_valid_prefix(s: str, ok: Callable[[str], bool]) -> int:
    """Length of the longest prefix of s ending on an alphanumeric character that passes `ok`
    (a greedy match may run into the next word or number); 0 if none."""
    for end in range(len(s), 0, -1):
        if s[end - 1].isalnum() and (end == len(s) or not s[end].isalnum()) and ok(s[:end]):
            return end
    return 0


def _accounts(text: str) -> list[PiiSpan]:
    found = []
    for regex in (_ACCOUNT_RE, _ACCOUNT_RE2):
        for m in regex.finditer(text):
            value = m.group("id")
            if sum(ch.isdigit() for ch in value) < 3 or _DATE_LIKE_RE.fullmatch(value):
                continue
            end = m.end("id")
            if value[-1].isdigit():
                more = _MORE_DIGIT_GROUPS_RE.match(text, end)
                if more:
                    end = more.end()
            found.append(PiiSpan(ACCOUNT, m.start("id"), end))
    return found


def _addresses(text: str) -> list[PiiSpan]:
    found = []
    for regex in (_ADDRESS_FR_RE, _ADDRESS_EN_RE):
        for m in regex.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in ",.;:'’-":
                end -= 1
            found.append(PiiSpan(ADDRESS, m.start(), end))
    return found


def _candidates(text: str) -> list[PiiSpan]:
    """Structured personal data: e-mails, phones, cards, IBANs, account numbers, addresses."""
    found: list[PiiSpan] = []
    if "@" in text:
        found.extend(PiiSpan(EMAIL, m.start(), m.end()) for m in _EMAIL_RE.finditer(text))
    if not _DIGIT_RE.search(text):
        return found
    lower = text.lower()
    if _ODD_CASE_RE.search(text):
        cues: frozenset[str] = _CUE_KEYS
    else:
        cues = _CUE_KEYS.intersection(_LETTERS_RE.findall(lower))
    if not cues.isdisjoint(_ADDRESS_KEYS):
        found.extend(_addresses(text))
    if (not cues.isdisjoint(_ACCOUNT_KEYS) or "a/c" in lower) and _DIGIT3_RE.search(text):
        found.extend(_accounts(text))
    # Booking codes, ids a word or two after their cue (the account cues are among theirs), and
    # ids with no cue: CMD-522103, #770617 (nlp/references.py).
    if not cues.isdisjoint(_REFERENCE_KEYS):
        found.extend(PiiSpan(ACCOUNT, s, e) for s, e in reference_spans(text))
    if "-" in text or "#" in text:
        found.extend(PiiSpan(ACCOUNT, s, e) for s, e in standalone_id_spans(text))
    if not _GATE_RE.search(text):
        # IBANs with letters in their account part (LU, CH, GB, IT, MC...) may hold no run of 7
        # digits.
        if _IBAN_GATE_RE.search(text):
            _add_ibans(text, found)
        return found
    for regex in _PHONE_RES:
        found.extend(PiiSpan(PHONE, m.start(), m.end()) for m in regex.finditer(text))
    for m in _INTL_PHONE_RE.finditer(text):
        end = _longest_valid_prefix(m.group(), _intl_phone_ok)
        if end:
            found.append(PiiSpan(PHONE, m.start(), m.start() + end))
    for m in _CARD_RE.finditer(text):
        if _card_ok(m.group()):
            found.append(PiiSpan(CARD, m.start(), m.end()))
    _add_ibans(text, found)
    return found


def _add_ibans(text: str, found: list[PiiSpan]) -> None:
    for m in _IBAN_RE.finditer(text):
        end = _longest_valid_prefix(m.group(), _iban_ok)
        if end:
            found.append(PiiSpan(IBAN, m.start(), m.start() + end))


# On equal length: an IBAN, then an identifier after an account cue ("order 4111..."), a card...
_PRIORITY = {IBAN: 0, ACCOUNT: 1, CARD: 2, EMAIL: 3, PHONE: 4, ADDRESS: 5, HANDLE: 6, PERSON: 7}
_FRENCH_HINT_RE = re.compile(
    r"(?i)\b(?:je|j'|j’|vous|nous|est|pas|une|les|des|merci|bonjour|mon|ma|mes|votre|avec|"
    r"pour|toujours|jamais|très|c'est|c’est|ai|suis)\b|[éèêàçù]"
)


def looks_french(text: str) -> bool:
    """A cheap guess, for callers that give no language: at least two French marks."""
    return len(_FRENCH_HINT_RE.findall(text[:2000], 0)) >= 2


def _resolve(candidates: list[PiiSpan]) -> list[PiiSpan]:
    if len(candidates) <= 1:
        return candidates
    # Longest first; on equal length, the more specific type (card, IBAN) before phone.
    candidates.sort(key=lambda s: (-(s.end - s.start), _PRIORITY[s.type], s.start))
    starts: list[int] = []  # kept spans, sorted by start (they never overlap each other)
    ends: list[int] = []
    kept: list[PiiSpan] = []
    for span in candidates:
        i = bisect.bisect_right(starts, span.start)
        if i and ends[i - 1] > span.start:
            continue
        if i < len(starts) and starts[i] < span.end:
            continue
        starts.insert(i, span.start)
        ends.insert(i, span.end)
        kept.insert(i, span)
    return kept


def apply_redaction(text: str, spans: list[PiiSpan]) -> str:
    """text with each span replaced by its placeholder; spans must not overlap."""
    if not spans:
        return text
    parts, last = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        parts.append(text[last : span.start])
        parts.append(f"[{span.type}]")
        last = span.end
    parts.append(text[last:])
    return "".join(parts)


def structured_candidates(text: str) -> list[PiiSpan]:
    """Candidate e-mails, phones, cards, IBANs, account numbers and addresses, overlaps not yet
    resolved (what find_pii_batch's `structured` takes)."""
    return _candidates(text)


def resolve(candidates: list[PiiSpan]) -> list[PiiSpan]:
    """Non-overlapping spans (longest wins) in reading order; sorts `candidates` in place."""
    return _resolve(candidates)


def find_structured(text: str) -> list[PiiSpan]:
    """E-mails, phones, cards, IBANs, account numbers and addresses only (no names, no handles),
    non-overlapping, in reading order."""
    return _resolve(_candidates(text))


def _rule_candidates(
    text: str, brand_handles: Iterable[str] | None, structured: list[PiiSpan] | None = None
) -> list[PiiSpan]:
    found = _candidates(text) if structured is None else list(structured)
    found.extend(PiiSpan(HANDLE, s, e) for s, e in find_handles(text, brand_handles))
    found.extend(PiiSpan(PERSON, s, e) for s, e in find_person_names(text))
    return found


def find_pii_batch(
    texts: list[str],
    languages: list[str] | None = None,
    brand_handles: Iterable[str] | None = None,
    ner: bool = True,
    structured: list[list[PiiSpan]] | None = None,
) -> list[list[PiiSpan]]:
    """find_pii on a batch: the French NER runs once, batched, on the French texts that may hold
    a name. `languages` ("en"/"fr"/"und" per text) defaults to a cheap guess. `structured`: the
    structured_candidates() of each text when the caller already has them (not modified)."""
    brands = frozenset(brand_handles) if brand_handles else None
    if structured is None:
        candidates = [_rule_candidates(t, brands) for t in texts]
    else:
        candidates = [
            _rule_candidates(t, brands, s) for t, s in zip(texts, structured, strict=True)
        ]
    if ner:
        if languages is None:
            languages = ["fr" if looks_french(t) else "en" for t in texts]
        chosen, covered = [], []
        for i, t in enumerate(texts):
            if languages[i] != "fr" or not t:
                continue
            # The NER's guesses over a name the rules found are dropped: a text goes to the NER
            # for a candidate word outside those names only, and the NER skips them.
            found = [(s.start, s.end) for s in candidates[i] if s.type == PERSON]
            if any(
                all(e <= fs or s >= fe for fs, fe in found)
                for s, e in ner_candidates(t[:MAX_NER_CHARS])
            ):
                chosen.append(i)
                covered.append(found)
        if chosen:
            ner_found = person_spans([texts[i] for i in chosen], covered)
            for i, ents in zip(chosen, ner_found, strict=True):
                # The rules' names win over an overlapping NER guess.
                rules = [s for s in candidates[i] if s.type == PERSON]
                for start, end in ents:
                    span = accept_ner_name(texts[i], start, end)
                    if span and all(span[1] <= r.start or span[0] >= r.end for r in rules):
                        candidates[i].append(PiiSpan(PERSON, *span))
    return [_resolve(c) for c in candidates]


def warm_up(ner: bool = True) -> None:
    """Load the word lists (and the French NER with its word forms) now rather than on the first
    comment."""
    not_names(), first_names(), default_brand_handles()
    if ner:
        french_ner()
        is_french_word("maison")  # loads the word forms the NER's gate reads


def find_pii(
    text: str, language: str | None = None, brand_handles: Iterable[str] | None = None
) -> list[PiiSpan]:
    """Non-overlapping personal-data spans in text, in reading order (longest wins an overlap).
    language "fr" (or None and a French-looking text) also runs the French NER."""
    return find_pii_batch([text], None if language is None else [language], brand_handles)[0]


def redact(
    text: str, language: str | None = None, brand_handles: Iterable[str] | None = None
) -> tuple[str, list[PiiSpan]]:
    """(redacted text, spans into the original text)."""
    spans = find_pii(text, language, brand_handles)
    return apply_redaction(text, spans), spans
