"""Redacting raw records for the admin's eyes.

Quarantined records are rows a connector could not read: they were never analysed, so no redacted
copy of them exists. What the admin's quarantine page shows by default goes through the same
redaction as every comment (nlp.redact: e-mails, phones, cards, IBANs, handles, names of persons);
the raw text is shown only on an explicit, audited action (dashboard.data.quarantine_raw).

A raw record is structured, and its author is where a redaction of prose does not look: a JSON
item names its author in a field ("from", "consumer", "author_id": "marie.l", "kevin1987"), a CSV
row in a column ("jean"), an e-mail in its headers ("From: kev1987 <...>"). `redact_records`
masks those values whole as [AUTHOR] (a JSON item's fields that name a person or an account, at
any depth; the CSV column the source maps to the author, when its header can still be read; an
e-mail's From, To, Cc... headers) and redacts every other value as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from casebook.steps.ingest import author_columns
from nlp.redact import apply_redaction, find_pii_batch

AUTHOR = "[AUTHOR]"
# Fields of the channels' JSON (X, Facebook, Zendesk, Trustpilot, app stores, ticket exports)
# that hold who wrote an item, compared in lower case without "_" or "-": every value under them
# is masked.
AUTHOR_FIELDS = frozenset(
    {
        "author",
        "authorid",
        "authorname",
        "user",
        "userid",
        "username",
        "screenname",
        "from",
        "consumer",
        "customer",
        "customerid",
        "requester",
        "requesterid",
        "submitter",
        "submitterid",
        "sender",
        "displayname",
        "name",
        "handle",
        "login",
        "email",
        "phone",
        "inreplytouserid",
    }
)


# An e-mail's header lines that name people (the mail source keeps a message's start as its raw
# text): their whole value is masked, display names included ("From: kev1987 <...>").
PEOPLE_HEADERS = frozenset(
    {"from", "sender", "reply-to", "to", "cc", "bcc", "return-path", "delivered-to"}
)
_HEADER = re.compile(r"^([\w-]+)([ \t]*:[ \t]?)(.*(?:\n[ \t].*)*)", re.ASCII | re.MULTILINE)


def _mail_parts(raw: str) -> list[str | tuple[str]] | None:
    """An e-mail's raw text as parts: kept as they are (header names), masked (people headers'
    values) or, in a 1-tuple, to redact as text (other values, the body). None if `raw` does
    not start as an e-mail does (its line ends shown as "\\n")."""
    head, blank, body = raw.replace("\r\n", "\n").partition("\n\n")
    lines = list(_HEADER.finditer(head))
    if not lines or lines[0].start() != 0 or sum(len(m[0]) + 1 for m in lines) < len(head):
        return None
    parts: list[str | tuple[str]] = []
    for i, m in enumerate(lines):
        parts += ["\n" if i else "", m[1] + m[2]]
        parts.append(AUTHOR if m[1].lower() in PEOPLE_HEADERS and m[3].strip() else (m[3],))
    return [*parts, blank, (body,)] if blank else parts


def redact_texts(texts: list[str]) -> list[str]:
    """Each text with its personal data replaced by placeholders ([EMAIL], [PHONE], [PERSON]...)."""
    texts = [t or "" for t in texts]
    spans = find_pii_batch(texts)
    return [apply_redaction(text, found) for text, found in zip(texts, spans, strict=True)]


def _key(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _json_of(raw: str) -> Any:
    if not raw.lstrip().startswith(("{", "[")):
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


class _Slot(int):
    """A string's place in the batch of texts to redact."""


class _Batch:
    """The texts of many records, redacted in one batch: each is a hole filled afterwards."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def hole(self, text: str) -> _Slot:
        self.texts.append(text)
        return _Slot(len(self.texts) - 1)


def _masked(value: Any, batch: _Batch, author_keys: frozenset[str]) -> Any:
    """`value` with every value under an author field masked and each other string a hole of
    `batch`."""
    if isinstance(value, dict):
        return {
            k: _mask_all(v) if _key(str(k)) in author_keys else _masked(v, batch, author_keys)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_masked(v, batch, author_keys) for v in value]
    if isinstance(value, str) and value.strip():
        return batch.hole(value)
    return value


def _mask_all(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _mask_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_all(v) for v in value]
    return AUTHOR if value not in (None, "", True, False) else value


# A JSON pair in a text that does not parse as JSON (a damaged stretch of a file): a string or
# a number after a quoted field name.
_JSON_PAIR = re.compile(r'"([\w-]+)"(\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d+)')


def _pairs_masked(raw: str, author_keys: frozenset[str]) -> str:
    """`raw` with the value of each JSON pair whose field names an author masked."""
    if '"' not in raw:
        return raw
    return _JSON_PAIR.sub(
        lambda m: f'"{m[1]}"{m[2]}"{AUTHOR}"' if _key(m[1]) in author_keys else m[0], raw
    )


def _filled(value: Any, redacted: Sequence[str]) -> Any:
    if isinstance(value, dict):
        return {k: _filled(v, redacted) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, redacted) for v in value]
    return redacted[value] if isinstance(value, _Slot) else value


def _csv_cells(raw: str, delimiter: str) -> list[str] | None:
    try:
        rows = list(csv.reader(io.StringIO(raw), delimiter=delimiter))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _csv_line(cells: Iterable[str], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(cells)
    return out.getvalue()


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def redact_records(
    raws: Sequence[str],
    *,
    author_columns: Sequence[int | None] | None = None,
    delimiters: Sequence[str] | None = None,
    author_fields: Iterable[str] = (),
) -> list[str]:
    """Each raw record redacted: a JSON item field by field (the fields of `AUTHOR_FIELDS` and
    `author_fields` masked whole), a CSV row cell by cell when `author_columns` gives the index of
    its author's column (with `delimiters`, "," by default), an e-mail header by header, any
    other text as prose. Each record becomes a shape with holes and the function that writes it
    back; the holes of all records are redacted in one batch."""
    author_keys = AUTHOR_FIELDS | {_key(f) for f in author_fields}
    batch = _Batch()
    shapes: list[tuple[Any, Callable[[Any], str]]] = []
    for i, raw in enumerate(raws):
        raw = raw or ""
        column = author_columns[i] if author_columns is not None else None
        delimiter = delimiters[i] if delimiters is not None else ","
        parsed = _json_of(raw)
        cells = _csv_cells(raw, delimiter) if parsed is None and column is not None else None
        if parsed is not None:
            shapes.append((_masked(parsed, batch, author_keys), _json_text))
        elif cells is not None and column is not None and column < len(cells):
            row = [
                (AUTHOR if cell.strip() else cell) if j == column else batch.hole(cell)
                for j, cell in enumerate(cells)
            ]
            shapes.append((row, partial(_csv_line, delimiter=delimiter)))
        elif (mail := _mail_parts(raw)) is not None:
            parts = [batch.hole(p[0]) if isinstance(p, tuple) else p for p in mail]
            shapes.append((parts, "".join))
        else:
            shapes.append((batch.hole(_pairs_masked(raw, author_keys)), str))
    redacted = redact_texts(batch.texts)
    return [write(_filled(shape, redacted)) for shape, write in shapes]


def redact_quarantined(
    raws: Sequence[str],
    sources: Sequence[str],
    positions: Sequence[str],
    settings: Mapping[str, tuple[str, Mapping[str, Any]]],
) -> list[str]:
    """Quarantined records redacted for the admin's page: each row's author column (CSV and TWCS
    sources whose file is still there) and each file source's mapped author field, from the
    sources' `settings` (name -> kind, config: store.quarantine.source_settings)."""
    where: list[tuple[int | None, str]] = [(None, ",")] * len(raws)
    for name, (kind, config) in settings.items():
        rows = [i for i, s in enumerate(sources) if s == name]
        found = author_columns(kind, dict(config), [positions[i] for i in rows])
        for i, column in zip(rows, found, strict=True):
            where[i] = column
    mapped = {
        str(author)
        for _, config in settings.values()
        if (author := (config.get("mapping") or {}).get("author"))
    }
    return redact_records(
        raws,
        author_columns=[w[0] for w in where],
        delimiters=[w[1] for w in where],
        author_fields=mapped,
    )
