"""Find personal data (emails, phone numbers, payment cards, IBANs) and replace it with typed
placeholders: `[EMAIL]`, `[PHONE]`, `[CARD]`, `[IBAN]`.

Spans are offsets into the text given; where candidates overlap, the longest wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

EMAIL, PHONE, CARD, IBAN = "EMAIL", "PHONE", "CARD", "IBAN"


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


def _iban_ok(s: str) -> bool:
    return iban_valid(_NOT_ALNUM.sub("", s))


def _longest_valid_prefix(s: str, ok: Callable[[str], bool]) -> int:
    """Length of the longest prefix of s ending on an alphanumeric character that passes `ok`
    (a greedy match may run into the next word or number); 0 if none."""
    for end in range(len(s), 0, -1):
        if s[end - 1].isalnum() and (end == len(s) or not s[end].isalnum()) and ok(s[:end]):
            return end
    return 0


def _candidates(text: str) -> list[PiiSpan]:
    found: list[PiiSpan] = []
    if "@" in text:
        found.extend(PiiSpan(EMAIL, m.start(), m.end()) for m in _EMAIL_RE.finditer(text))
    if not _GATE_RE.search(text):
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
    for m in _IBAN_RE.finditer(text):
        end = _longest_valid_prefix(m.group(), _iban_ok)
        if end:
            found.append(PiiSpan(IBAN, m.start(), m.start() + end))
    return found


def find_pii(text: str) -> list[PiiSpan]:
    """Non-overlapping personal-data spans in text, in reading order (longest wins an overlap)."""
    candidates = _candidates(text)
    if len(candidates) <= 1:
        return candidates
    # Longest first; on equal length, the more specific type (card, IBAN) before phone.
    priority = {CARD: 0, IBAN: 1, EMAIL: 2, PHONE: 3}
    candidates.sort(key=lambda s: (-(s.end - s.start), priority[s.type], s.start))
    kept: list[PiiSpan] = []
    for span in candidates:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    kept.sort(key=lambda s: s.start)
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


def redact(text: str) -> tuple[str, list[PiiSpan]]:
    """(redacted text, spans into the original text)."""
    spans = find_pii(text)
    return apply_redaction(text, spans), spans
