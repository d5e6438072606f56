"""Regex alternations of word lists, written as a trie.

`(?:disappoint|disgust|dislike)` makes the regex engine try every word at every position of a
text; `dis(?:appoint|gust|like)` reads the shared start once. The trie form matches what the
longest-first alternation matches (at each position the longest entry that fits), a few times
faster on lists of a hundred words (tests/nlp/test_keywords.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # key of the set of tails of the entries ending at a trie node


def trie_alternation(
    entries: Iterable[str | tuple[str, str]], whitespace: str | None = None
) -> str:
    """A regex body matching any of the entries, longest first at each position.

    An entry is a literal, or (literal, tail): a regex the entry must be followed by, such as
    `(?!\\w)` (ends a word) or `\\w*` (a stem). With `whitespace`, each space of an entry stands
    for that regex (e.g. `\\s+`)."""
    trie: dict[str, dict] = {}
    for entry in entries:
        literal, tail = (entry, "") if isinstance(entry, str) else entry
        if not literal:
            continue
        node = trie
        for ch in literal:
            node = node.setdefault(ch, {})
        node.setdefault(_END, {})[tail] = {}
    if not trie:
        return "(?!)"  # matches nothing
    return _body(trie, whitespace)


def _body(node: dict[str, dict], whitespace: str | None) -> str:
    branches = [
        (whitespace if ch == " " and whitespace else re.escape(ch)) + _body(child, whitespace)
        for ch, child in sorted(node.items())
        if ch != _END
    ]
    tails = sorted(node.get(_END, {}), key=_tail_order)
    if "" in tails or r"\w*" in tails:
        # An empty tail, or a stem's `\w*`, accepts whatever the others would: it alone stays.
        tails = [r"\w*"] if r"\w*" in tails else [""]
    options = branches + [t for t in tails if t]
    if not options:
        return ""
    body = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
    # Greedy: the longer entries are tried first, then the ones that end here.
    return "(?:" + body + ")?" if tails == [""] else body


def _tail_order(tail: str) -> tuple[int, str]:
    return (-len(tail), tail)
