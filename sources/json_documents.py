"""JSON documents read as a list of records: the list at a path of keys, item by item, and what
can be salvaged from a damaged document (the items before the damage; the rest is quarantined).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sources.base import SourceError

JsonItem = tuple[int, Any, str, str | None]  # (index, item, raw, error)
_RAW_CHARS = 2_000


def json_items(path: Path, text: str, keys: list[str], where: str) -> Iterator[JsonItem]:
    """The items of the records list; a syntax error quarantines the rest of the list."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        yield from _salvage(path, text, keys, exc)
        return
    items = document
    for key in keys:
        if not isinstance(items, dict) or key not in items:
            raise SourceError(
                f"{path.name} has no list of records at {where}: no key {key!r} there."
            )
        items = items[key]
    if not isinstance(items, list):
        found = "an object" if isinstance(items, dict) else f"a {type(items).__name__}"
        hint = "" if keys else " (name the key of its list of records in 'records_key')"
        raise SourceError(f"{path.name} has {found} at {where}, not a list of records{hint}.")
    for index, item in enumerate(items):
        yield index, item, json.dumps(item, ensure_ascii=False)[:_RAW_CHARS], None


def _salvage(
    path: Path, text: str, keys: list[str], error: json.JSONDecodeError
) -> Iterator[JsonItem]:
    """Read a damaged document item by item up to the damage, then quarantine the rest."""
    decoder = json.JSONDecoder()
    start = _list_start(text, keys)
    if start is None:
        raise SourceError(
            f"{path.name} is not valid JSON ({error.msg} at line {error.lineno} column "
            f"{error.colno}) and no list of records could be found in it."
        ) from None
    index, pos = 0, start
    whitespace = re.compile(r"\s*")
    while True:
        pos = whitespace.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith("]", pos):
            return
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            line = text.count("\n", 0, exc.pos) + 1
            rest = text[pos:]
            yield (
                index,
                None,
                rest[:_RAW_CHARS],
                (
                    f"invalid JSON at line {line}: {exc.msg}; the rest of the list "
                    f"({len(rest):,} characters) could not be read"
                ),
            )
            return
        yield index, item, text[pos:end][:_RAW_CHARS], None
        index += 1
        pos = whitespace.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos += 1
        elif not text.startswith("]", pos):
            line = text.count("\n", 0, pos) + 1
            rest = text[pos:]
            yield (
                index,
                None,
                rest[:_RAW_CHARS],
                (
                    f"invalid JSON at line {line}: expected ',' or ']' after item {index - 1}; "
                    f"the rest of the list ({len(rest):,} characters) could not be read"
                ),
            )
            return


def _list_start(text: str, keys: list[str]) -> int | None:
    """Where the items of the records list begin (after its '['), found without parsing."""
    if not keys:
        stripped = text.lstrip("\ufeff \t\r\n")
        return len(text) - len(stripped) + 1 if stripped.startswith("[") else None
    match = re.search(r'"' + re.escape(keys[-1]) + r'"\s*:\s*\[', text)
    return match.end() if match else None
