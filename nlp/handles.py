"""@handles: which are a brand's and which are a private person's.

The policy (README, "Redaction"): a handle is personal data unless it is known to be a brand's or
a support account's, so only those are kept in clear:
- listed in data/gazetteers/brands.txt, or given by the caller;
- named like a support account: ending in help, helps, helpers, helpdesk, support, care, cares,
  service, services or assist (AmazonHelp, ArgosHelpers, SpotifyCares, AcmeAssist), or "Ask"
  followed by a capital or "_" (AskPlayStation, Ask_Spectrum; not "askew_tom").
Every other handle, numeric ones included, is a person's: redacted as [HANDLE]. A brand missing
from the list is therefore redacted too (safe, but it hides who the case is about): add it to
brands.txt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlp.gazetteers import default_brand_handles

# Handles: @ + 1-15 word characters, not inside an e-mail address or a word.
HANDLE_RE = re.compile(r"(?<![\w@.+\-])@(\w{1,15})\b(?![@.]\w)")
_BRAND_SUFFIX_RE = re.compile(
    r"(?i)(?:help|helps|helpers|helpdesk|support|care|cares|service|services|assist)$"
)
_ASK_PREFIX_RE = re.compile(r"Ask[A-Z_]")


def is_brand_handle(handle: str, brand_handles: Iterable[str] | None = None) -> bool:
    """True for a brand's handle (with or without '@')."""
    typed = handle.lstrip("@")
    h = typed.lower()
    if h.isdigit():
        return False
    if h in default_brand_handles() or _BRAND_SUFFIX_RE.search(h) or _ASK_PREFIX_RE.match(typed):
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
