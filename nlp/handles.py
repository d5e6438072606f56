"""@handles: which are a brand's (listed in data/gazetteers/brands.txt, given by the caller, or
ending in help/support/care(s)/service(s)) and which are a private person's (numeric ones too)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlp.gazetteers import default_brand_handles

# Handles: @ + 1-15 word characters, not inside an e-mail address or a word.
HANDLE_RE = re.compile(r"(?<![\w@.+\-])@(\w{1,15})\b(?![@.]\w)")
_BRAND_SUFFIX_RE = re.compile(r"(?i)(?:help|helps|support|care|cares|service|services)$")


def is_brand_handle(handle: str, brand_handles: Iterable[str] | None = None) -> bool:
    """True for a brand's handle (with or without '@')."""
    h = handle.lstrip("@").lower()
    if h.isdigit():
        return False
    if h in default_brand_handles() or _BRAND_SUFFIX_RE.search(h):
        return True
    return bool(brand_handles) and h in {b.lstrip("@").lower() for b in brand_handles or ()}


def find_handles(text: str, brand_handles: Iterable[str] | None = None) -> list[tuple[int, int]]:
    """[start, end) of each private person's @handle (the '@' included)."""
    if "@" not in text:
        return []
    brands = {b.lstrip("@").lower() for b in brand_handles} if brand_handles else None
    out = []
    for m in HANDLE_RE.finditer(text):
        if not is_brand_handle(m.group(1), brands):
            out.append((m.start(), m.end()))
    return out


def brand_handles_in(text: str) -> list[str]:
    """Brand handles of the text, lower-cased without '@' (their names are no persons)."""
    if "@" not in text:
        return []
    return [m.group(1).lower() for m in HANDLE_RE.finditer(text) if is_brand_handle(m.group(1))]
