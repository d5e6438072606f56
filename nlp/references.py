"""Reference numbers that nlp/redact.py's account rule (a cue word right before an identifier
with at least 3 digits) misses; redact.py writes them as `[ACCOUNT]`:

- booking / PNR-style codes of 5-8 letters and digits with only 1 or 2 digits ("MY BOOKING
  MZ2KTR", "Réf TW2K4X") and identifiers a word or two away from their cue ("ma réservation de
  groupe LZDM6M", "my booking reference is MZ2KTR"): `reference_spans`. A code must be written in
  capitals (or be all digits), unless a number word stands before it ("ref: mz2ktr"); times,
  quantities, dates and product models ("10H30", "10DAYS", "12MAR", "IPHONE15", "COVID19") are
  not codes;
- identifiers on their own, without a cue: a letter prefix, a hyphen and 5 or more digits
  ("CMD-522103", "ORD-510522"; norms such as "ISO-27001" are not), 5 or more digits after "#"
  ("my return #770617"): `standalone_id_spans`.

Spans are [start, end) offsets into the text.
"""

from __future__ import annotations

import re

# Not an identifier but an amount, a quantity or a duration when one of these follows it.
UNITS = (
    r"€|\$|£|%|euros?|eur|dollars?|usd|gbp|pounds?|quid|bucks|items?|articles?|produits?|"
    r"products?|min(?:utes?)?|h\b|hours?|heures?|days?|jours?|semaines?|weeks?|months?|mois|ans|"
    r"years?|fois|times|km|kg|gb|go|mb|mo"
)
NOT_A_QUANTITY = rf"(?![.,]\d)(?![ \t]*(?i:{UNITS})\b)"

# Words after which a code names a booking, an order, a file... (EN, FR).
REFERENCE_CUE = (
    r"order|orders|ticket|case|account|acct|reference|ref|booking|confirmation|tracking|"
    r"customer|client|member|membership|policy|contract|invoice|claim|incident|complaint|"
    r"subscriber|subscription|loyalty|parcel|package|shipment|consignment|reservation|réservation|"
    r"commande|cde|dossier|compte|référence|réf|contrat|facture|abonné|abonnement|adhérent|"
    r"colis|suivi|réclamation|sinistre|fidélité|pnr|locator|request|refund|demande|"
    r"remboursement|voucher|billet|résa|resa"
)
# Words that may not stand between the cue and the code: they bring in something else (a date,
# a price, a place, a product: "order for RTX4090", "booking on 12MAR", "order total 12500").
_STOP = (
    r"for|of|on|at|in|into|to|from|with|by|since|until|till|after|before|about|over|under|per|"
    r"via|and|or|but|than|the|a|an|this|that|these|those|it|its|my|your|our|their|his|her|"
    r"total|price|cost|amount|value|fee|fees|worth|ago|pour|à|au|aux|sur|en|dans|avec|par|depuis|"
    r"jusqu|après|avant|vers|et|ou|mais|le|la|les|l|un|une|des|ce|cet|cette|ces|il|elle|y|"
    r"mon|ma|mes|votre|vos|notre|nos|son|sa|ses|leur|prix|montant|coût|cout|frais|valeur"
)
# A number word before the code: then it may be written in lower case too.
_NUMBER_WORD = r"number|num|no|nr|id|code|ref|reference|numéro|n°|nº|référence|réf"
_SEP = r"(?:[ \t]*[:#][ \t]*|[ \t]+)"
_WORD = r"(?:n°|nº|[^\W\d_]{1,15}(?:['’][^\W\d_]{1,15})?)"
_CODE = rf"(?=[A-Za-z]*\d)[A-Za-z0-9]{{5,12}}(?![\w@]|[\-/.,]\w){NOT_A_QUANTITY}"
_REFERENCE_RE = re.compile(
    rf"(?i:\b(?:{REFERENCE_CUE})\b)"
    rf"(?P<gap>(?:{_SEP}(?!(?i:{_STOP})(?![^\W\d_]|['’]))(?i:{_WORD})){{0,3}})"
    rf"(?:[ \t]*[:#.°][ \t]*|[ \t]+)"
    rf"(?P<id>{_CODE})"
)
# More codes after the first: "booking ref MP79V2 and QMAS91", "réf AB12CD, EF34GH".
_MORE_CODES_RE = re.compile(rf"(?:[ \t]*,[ \t]*|[ \t]+(?i:and|et|or|ou|&)[ \t]+)(?P<id>{_CODE})")
# Cheap gate (same results): a letter beside a digit, or 5 digits in a row.
_REFERENCE_GATE_RE = re.compile(r"[A-Za-z]\d|\d[A-Za-z]|\d{5}")
_HAS_NUMBER_WORD_RE = re.compile(rf"(?i)(?<![^\W\d_])(?:{_NUMBER_WORD})(?![^\W\d_])|[#:]")
# Not codes: times, ordinals, quantities, dates, decades, product models and versions.
_NOT_A_CODE_RE = re.compile(
    r"(?i)\d+(?:h\d*|st|nd|rd|th|er|ère|e|ème|eme|s|am|pm|hrs?|hours?|mins?|minutes?|secs?|"
    r"days?|jours?|j|weeks?|wks?|semaines?|months?|mois|ans?|years?|yrs?|x|fois|times|"
    r"kms?|kgs?|g|gb|go|mb|mo|tb|to|kb|ko|mbps|gbps|ghz|mhz|hz|mp|k|p|fps|w|kw|kwh|mah|"
    r"mm|cm|m|ml|l|eur|euros?|usd|gbp|pts|points?|stars?|items?|pcs)"
    r"|\d{1,2}(?:jan|feb|fev|fév|mar|apr|avr|may|mai|jun|juin|jul|juil|aug|aou|aoû|sep|oct|nov|"
    r"dec|déc)[a-zéû]*\d{0,4}"
    r"|(?:covid|iphone|ipad|galaxy|pixel|rtx|gtx|xbox|win|windows|note|ios|hdmi|usb|ddr|lte|"
    r"wifi|ps|version|v)\d+[a-z]{0,2}"
)


def _is_code(code: str, number_word: bool) -> bool:
    if code.isdigit():
        return len(code) <= 8
    if sum(ch.isdigit() for ch in code) < 3 and len(code) > 8:
        return False
    if not (code.isupper() or number_word):
        return False
    return not _NOT_A_CODE_RE.fullmatch(code)


def reference_spans(text: str) -> list[tuple[int, int]]:
    """Codes after a cue word (module docstring)."""
    if not _REFERENCE_GATE_RE.search(text):
        return []
    found = []
    for m in _REFERENCE_RE.finditer(text):
        number_word = bool(_HAS_NUMBER_WORD_RE.search(text, m.start(), m.start("id")))
        code: re.Match[str] | None = m
        while code is not None and _is_code(code.group("id"), number_word):
            found.append((code.start("id"), code.end("id")))
            code = _MORE_CODES_RE.match(text, code.end("id"))
    return found


# A letter prefix, a hyphen and 5+ digits (and maybe one more part): CMD-522103, ORD-510522-B;
# or 5+ digits after "#" (not an HTML entity, "&#12345;"): "my return #770617".
_STANDALONE_ID_RE = re.compile(
    r"(?<![\w\-/.@#])(?P<prefix>[A-Za-z]{2,5})-\d{5,12}(?:-[A-Za-z0-9]{1,8})?(?![\w@]|[\-/.,]\w)"
    r"|(?<![\w&])#(?P<number>\d{5,12})(?![\w@;]|[\-/.,]\d)"
)
_STANDALONE_GATE_RE = re.compile(r"[\-#]\d{5}")
# Not ids: norms (ISO-27001), phone numbers.
_NOT_ID_PREFIXES = frozenset(
    ("iso", "iec", "en", "nf", "din", "rfc", "ieee", "astm", "ansi", "bs")  # norms
    + ("tel", "fax", "mob", "gsm")  # phone numbers: the phone rules' (Tel-0612345678)
)


def standalone_id_spans(text: str) -> list[tuple[int, int]]:
    """Identifiers without a cue: CMD-522103, #770617 (module docstring)."""
    if not _STANDALONE_GATE_RE.search(text):
        return []
    found = []
    for m in _STANDALONE_ID_RE.finditer(text):
        if m.group("number"):
            found.append((m.start("number"), m.end("number")))
        elif m.group("prefix").lower() not in _NOT_ID_PREFIXES:
            found.append((m.start(), m.end()))
    return found
