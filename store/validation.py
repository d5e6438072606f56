"""What the store can hold, read from the column definitions of store/models.py: the one place a
record is checked before the database sees it.

A value the database would refuse (a NUL character or a lone surrogate in a text column, a text
longer than its column, a naive date, an unknown role) would fail the whole batch, and the
source would be stuck on it for ever. `check_record` says why such a record cannot be stored, so
it is quarantined with that reason instead; engagement counts are clamped to what their column
holds (a count of 2**63 is noise, not a reason to lose the comment). The limits are the same on
SQLite and PostgreSQL, so a file imports the same way into either.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, replace
from datetime import UTC
from typing import Any

from sqlalchemy import BigInteger, Column, SmallInteger, String

from sources.base import Record
from store.models import AuthorRole, Comment, QuarantinedRecord, Thread

_COMMENTS = Comment.__table__.c
_THREADS = Thread.__table__.c

# Record field -> the columns its value is written to (the thread's row takes the thread id and
# the channel of its first record). The author is pseudonymised (a fixed-length HMAC) and never
# stored as given; `raw` goes to a JSON column, which escapes what a text column cannot hold.
TEXT_COLUMNS: dict[str, tuple[Column[Any], ...]] = {
    "external_id": (_COMMENTS.external_id,),
    "thread_id": (_THREADS.external_id,),
    "parent_id": (_COMMENTS.parent_external_id,),
    "channel": (_COMMENTS.channel, _THREADS.channel),
    "text": (_COMMENTS.text,),
    "language": (_COMMENTS.language_hint,),
    "url": (_COMMENTS.url,),
}
COUNT_COLUMNS: dict[str, Column[Any]] = {
    "likes": _COMMENTS.likes,
    "shares": _COMMENTS.shares,
    "replies": _COMMENTS.replies,
}
ROLES = frozenset(role.value for role in AuthorRole)
# Characters no UTF-8 text column can hold: NUL (PostgreSQL refuses it) and lone surrogates
# (they cannot be encoded; a JSON "\\ud800" escape gives one).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # the author is only hashed: NUL is fine there
_CHARACTER_NAMES = {"\x00": "a NUL character"}


def _max_length(columns: tuple[Column[Any], ...]) -> int | None:
    lengths = [c.type.length for c in columns if isinstance(c.type, String) and c.type.length]
    return min(lengths) if lengths else None


def _max_integer(column: Column[Any]) -> int:
    if isinstance(column.type, BigInteger):
        return 2**63 - 1
    if isinstance(column.type, SmallInteger):
        return 2**15 - 1
    return 2**31 - 1  # Integer: PostgreSQL's integer (SQLite's holds more)


MAX_LENGTHS: dict[str, int | None] = {f: _max_length(cols) for f, cols in TEXT_COLUMNS.items()}
MAX_COUNTS: dict[str, int] = {f: _max_integer(col) for f, col in COUNT_COLUMNS.items()}
_COUNT_LIMIT = min(MAX_COUNTS.values())
_LIMITS = tuple(limit if limit is not None else sys.maxsize for limit in MAX_LENGTHS.values())
_over = int.__gt__  # len(value) > limit, mapped over a record's values
POSITION_CHARS = QuarantinedRecord.__table__.c.position.type.length or 300


def _unstorable(value: str) -> str:
    found = _UNSTORABLE.search(value)
    assert found is not None
    char = found.group()
    return _CHARACTER_NAMES.get(char, f"a lone surrogate (U+{ord(char):04X})")


def check_record(record: Record) -> tuple[Record | None, str | None]:
    """(the record as the store keeps it, None) or (None, why it cannot be stored).

    Counts outside their column's range are clamped into it (negative ones to 0).
    """
    values = (
        record.external_id,
        record.thread_id,
        record.parent_id or "",
        record.channel,
        record.text,
        record.language or "",
        record.url or "",
    )
    joined = "".join(values)
    # NUL is found by a plain substring search; surrogates only hide in non-ASCII text.
    if "\x00" in joined or (not joined.isascii() and _SURROGATE.search(joined)):
        for field, value in zip(TEXT_COLUMNS, values, strict=True):
            if _UNSTORABLE.search(value):
                return None, f"{_unstorable(value)} in {field}"
    author = record.author
    if not author.isascii() and (found := _SURROGATE.search(author)):
        return None, f"a lone surrogate (U+{ord(found.group()):04X}) in author"
    if any(map(_over, map(len, values), _LIMITS)):
        for field, value in zip(TEXT_COLUMNS, values, strict=True):
            limit = MAX_LENGTHS[field]
            if limit is not None and len(value) > limit:
                return None, f"{field} too long ({len(value):,} characters, limit {limit})"
    if record.author_role not in ROLES:
        return None, f"unknown author role {record.author_role!r}"
    zone = record.created_at.tzinfo
    if zone is None or (zone is not UTC and record.created_at.utcoffset() is None):
        return None, "created_at has no time zone"
    likes, shares, replies = record.likes, record.shares, record.replies
    if not (
        0 <= likes <= _COUNT_LIMIT and 0 <= shares <= _COUNT_LIMIT and 0 <= replies <= _COUNT_LIMIT
    ):
        record = replace(
            record,
            likes=min(max(likes, 0), MAX_COUNTS["likes"]),
            shares=min(max(shares, 0), MAX_COUNTS["shares"]),
            replies=min(max(replies, 0), MAX_COUNTS["replies"]),
        )
    return record, None


def storable(text: str) -> str:
    """`text` with the characters no text column holds (NUL, lone surrogates) as U+FFFD: what the
    quarantine keeps of a record that holds them."""
    return _UNSTORABLE.sub("\ufffd", text) if _UNSTORABLE.search(text) else text


def fallback_position(record: Record) -> str:
    """Where a record refused by the store was, when its connector did not say: its id."""
    return storable(f"id:{record.external_id}")[:POSITION_CHARS]


def raw_text(record: Record) -> str:
    """A refused record's raw text for the quarantine: the row as its channel gave it (a JSON
    object, which `casebook quarantine retry` reads back), or the record itself."""
    if record.raw is not None:
        return json.dumps(record.raw, ensure_ascii=False, default=str)
    fields = asdict(record)
    fields["created_at"] = record.created_at.isoformat()
    return json.dumps(fields, ensure_ascii=False, default=str)
