"""Normalise comment text: coerce bad input to str, repair common mojibake, tidy whitespace.

URLs, @mentions, #hashtags and emoji are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Characters that betray UTF-8 read as Latin-1/cp1252 ("Ã©" for "é", "â€™" for "’").
_MOJIBAKE = re.compile(r"[ÃÂâ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ¡-¿]")
# Control characters except tab/newline/carriage return, plus zero-width and BOM.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u2060\ufeff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\s*[\r\n\u2028\u2029]\s*(?:[\r\n\u2028\u2029]\s*)*")


class _Accentless(dict[int, str]):
    """str.translate's table for strip_accents, filled as characters are met: each character's
    compatibility decomposition (NFKD) without its combining marks ("é" -> "e", "ﬁ" -> "fi")."""

    def __missing__(self, code: int) -> str:
        value = "".join(
            ch for ch in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(ch)
        )
        self[code] = value
        return value


_ACCENTLESS = _Accentless()


def strip_accents(text: str) -> str:
    """The text's NFKD form without combining marks, character by character (NFKD decomposes
    each character on its own and only reorders combining marks, which go): about twice as fast
    as filtering the decomposed text in Python."""
    return text if text.isascii() else text.translate(_ACCENTLESS)


def coerce_text(value: Any) -> str:
    """Any input as a str: None is empty, bytes are decoded as UTF-8 (bad bytes replaced)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    try:
        return str(value)
    except Exception:  # a __str__ that raises: treat as empty rather than fail the batch
        return ""


def fix_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252/Latin-1 when it clearly happened; otherwise leave the text alone."""
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        # Accept only if it removes the tell-tale sequences.
        if len(_MOJIBAKE.findall(repaired)) < len(_MOJIBAKE.findall(text)):
            return repaired
    return text


def normalize_text(value: Any) -> str:
    """Clean text for analysis: NFC, mojibake repaired, no control characters, single spaces,
    paragraph breaks kept as a single newline, trimmed."""
    text = coerce_text(value)
    if not text:
        return ""
    if text.isascii():
        if text.isprintable():
            # No mojibake, control character, other space or line break: only runs of spaces.
            return (_SPACES.sub(" ", text) if "  " in text else text).strip()
    else:
        text = fix_mojibake(text)
        text = unicodedata.normalize("NFC", text)
    # A printable text holds none of _CONTROL's characters, no line break, and no space that
    # _SPACES changes but the plain space (categories Cc, Cf, Zs, Zl, Zp and unassigned code
    # points are not printable).
    printable = text.isprintable()
    if not printable:
        text = _CONTROL.sub("", text)
    if "\ufffd" in text:
        text = text.replace("\ufffd", "")
    if not printable or "  " in text:
        text = _SPACES.sub(" ", text)
    if not printable:
        text = _NEWLINES.sub("\n", text)
    return text.strip()
