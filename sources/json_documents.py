"""JSON documents read as a list of records: the list at a path of keys, item by item, and what
can be salvaged from a damaged document (every item that reads; each damaged stretch is
quarantined whole, so `casebook quarantine retry` or a person can restore it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sources.base import SourceError

JsonItem = tuple[int, Any, str, str | None]  # (index, item, raw, error)
_WHITESPACE = re.compile(r"\s*")
_ITEM_START = re.compile(r",\s*\{")


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
        yield index, item, json.dumps(item, ensure_ascii=False), None


def _salvage(
    path: Path, text: str, keys: list[str], error: json.JSONDecodeError
) -> Iterator[JsonItem]:
    """Read a damaged document item by item: each damaged stretch is quarantined whole (never
    cut, so nothing is lost) and reading resumes at the next item that reads."""
    decoder = json.JSONDecoder()
    start = _list_start(text, keys)
    if start is None:
        raise SourceError(
            f"{path.name} is not valid JSON ({error.msg} at line {error.lineno} column "
            f"{error.colno}) and no list of records could be found in it."
        ) from None
    index, pos, size = 0, _skip(text, start), len(text)
    while pos < size and text[pos] != "]":
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            why = f"invalid JSON at line {text.count(chr(10), 0, exc.pos) + 1}: {exc.msg}"
        else:
            yield index, item, text[pos:end], None
            index += 1
            pos = _skip(text, end)
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
                continue
            if pos >= size or text[pos] == "]":
                return
            why = (
                f"invalid JSON at line {text.count(chr(10), 0, pos) + 1}: expected ',' or ']' "
                f"after item {index - 1}"
            )
        resume, stop = _next_item(text, pos + 1, decoder)
        damaged = text[pos:stop].rstrip().rstrip(",").rstrip()
        if resume is None:
            why += f"; the rest of the list ({len(damaged):,} characters) could not be read"
        yield index, None, damaged, why
        index += 1
        if resume is None:
            return
        pos = resume


def _skip(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]


def _next_item(text: str, pos: int, decoder: json.JSONDecoder) -> tuple[int | None, int]:
    """Where reading can resume after damage: the next '{' following a ',' that reads as an
    object followed by ',' or ']' (None and the end of the text when there is none), and where
    the damaged stretch stops."""
    for candidate in _ITEM_START.finditer(text, pos):
        at = candidate.end() - 1
        try:
            _, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            continue
        after = _skip(text, end)
        if after >= len(text) or text[after] in ",]":
            return at, candidate.start()
    return None, len(text)


def _list_start(text: str, keys: list[str]) -> int | None:
    """Where the items of the records list begin (after its '['), found without parsing."""
    if not keys:
        stripped = text.lstrip("\ufeff \t\r\n")
        return len(text) - len(stripped) + 1 if stripped.startswith("[") else None
    match = re.search(r'"' + re.escape(keys[-1]) + r'"\s*:\s*\[', text)
    return match.end() if match else None
