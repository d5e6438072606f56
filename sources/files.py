"""Exports and drop folders of CSV, JSON Lines, JSON or XLSX files, mapped onto records column by column.

A drop folder is read file by file. The cursor remembers each file read to its end (size, mtime,
SHA-1): a file whose size and mtime match is skipped without being opened, one whose size or
mtime changed is hashed, and read again only when its content changed.

It is one module because the four formats share one mapping of columns onto record fields, one record
builder (with its fast path for ASCII rows) and one way of naming a rejected row's position.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal, TypeVar

from sources.base import CUSTOMER, Batch, Record, Rejected, SourceError
from sources.json_documents import json_items
from sources.parsing import (
    BadValue,
    FileInfo,
    as_text,
    check_text,
    normalise_id,
    parse_count,
    parse_datetime,
    parse_role,
    repair_text,
)
from sources.reading import chunked, csv_line, read_files

FileFormat = Literal["csv", "jsonl", "json", "xlsx"]
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "csv": (".csv",),
    "jsonl": (".jsonl", ".ndjson"),
    "json": (".json",),
    "xlsx": (".xlsx", ".xlsm"),
}
RECORD_FIELDS = (
    "external_id",
    "thread_id",
    "parent_id",
    "author",
    "author_role",
    "channel",
    "created_at",
    "text",
    "language",
    "likes",
    "shares",
    "replies",
    "url",
)
REQUIRED_FIELDS = ("external_id", "text", "created_at")
# The JSON types each field takes (null is always an empty value): ids may be numbers, dates
# epoch numbers, counts numbers or text ("1.2k"), the role a flag ("inbound": true); the rest
# is text.
_ID_KINDS = frozenset({"string", "number"})
JSON_KINDS: dict[str, frozenset[str]] = {
    **{f: frozenset({"string"}) for f in RECORD_FIELDS},
    **{f: _ID_KINDS for f in ("external_id", "thread_id", "parent_id", "author", "created_at")},
    **{f: _ID_KINDS for f in ("likes", "shares", "replies")},
    "author_role": frozenset({"string", "boolean", "number"}),
}
CHUNK_SIZE = 10_000
_JSONL_PROBE_LINES = 5  # lines tried before deciding a file is not JSON Lines at all

csv.field_size_limit(16 * 1024 * 1024)  # long texts are read, then rejected by length, not by csv

T = TypeVar("T")
_Row = tuple[int, dict[str, str], dict[str, Any] | None, str, str | None]


def column_named(names: list[str], wanted: str) -> str | None:
    """The column of `names` that a mapping's `wanted` names: that name, else the last one equal
    to it in any case and without surrounding spaces."""
    if wanted in names:
        return wanted
    by_lower = {n.strip().lower(): n for n in names}
    return by_lower.get(wanted.strip().lower())


class FileConnector:
    """Reads a CSV, JSONL, JSON or XLSX file, or every such file in a drop folder, in chunks of rows.

    `records_key` (JSON) names the list of records in a top-level object, dotted for nested
    objects ("data.comments"); without it the document must be a list. `sheet` (XLSX) names the
    sheet to read; without it the first sheet is read.
    """

    def __init__(
        self,
        path: Path | str,
        format: FileFormat = "csv",
        mapping: Mapping[str, str] | None = None,
        channel: str = "unknown",
        defaults: Mapping[str, Any] | None = None,
        chunk_size: int = CHUNK_SIZE,
        records_key: str | None = None,
        sheet: str | None = None,
    ) -> None:
        if format not in EXTENSIONS:
            raise SourceError(
                f"Unknown file format {format!r}; use one of {', '.join(EXTENSIONS)}."
            )
        unknown = sorted((set(mapping or {}) | set(defaults or {})) - set(RECORD_FIELDS))
        if unknown:
            raise SourceError(
                f"The mapping or defaults name unknown record field(s) {', '.join(unknown)}; "
                f"known fields are {', '.join(RECORD_FIELDS)}."
            )
        self.path = Path(path)
        self.format: FileFormat = format
        self.mapping = dict(mapping or {})
        self.channel = channel
        self.defaults = {k: "" if v is None else str(v) for k, v in (defaults or {}).items()}
        self.chunk_size = chunk_size
        self.records_key = records_key or None
        self.sheet = sheet or None
        # Each record field's default in RECORD_FIELDS order, or None when no field has one.
        self._default_seq: tuple[str, ...] | None = (
            tuple(self.defaults.get(f, "") for f in RECORD_FIELDS) if self.defaults else None
        )

    @classmethod
    def from_config(cls, config: Mapping[str, Any], format: FileFormat) -> FileConnector:
        """The connector of a source config: path, mapping, channel, defaults, records_key, sheet."""
        if not config.get("path"):
            raise SourceError(f"A {format} source needs a 'path' in its config.")
        return cls(
            config["path"],
            format=format,
            mapping=config.get("mapping"),
            channel=config.get("channel") or "unknown",
            defaults=config.get("defaults"),
            chunk_size=int(config.get("chunk_size") or CHUNK_SIZE),
            records_key=config.get("records_key"),
            sheet=config.get("sheet"),
        )

    def files(self) -> list[Path]:
        """The files this connector reads, in the order it reads them."""
        if self.path.is_file():
            return [self.path]
        if self.path.is_dir():
            suffixes = EXTENSIONS[self.format]
            return sorted(
                p for p in self.path.iterdir() if p.is_file() and p.suffix.lower() in suffixes
            )
        raise SourceError(f"{self.path} does not exist.")

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        """Batches of what is new since `cursor`; a file is marked done on its last batch only."""
        return read_files(self.files(), cursor, self._chunks, detect_encoding=self.format != "xlsx")

    def _chunks(self, path: Path, info: FileInfo) -> Iterator[tuple[list[Record], list[Rejected]]]:
        readers: dict[str, Callable[[Path, FileInfo], Iterator[_Row]]] = {
            "jsonl": self._jsonl_rows,
            "json": self._json_rows,
            "xlsx": self._xlsx_rows,
        }
        if self.format == "csv":
            return chunked(self._csv_outcomes(path, info), self.chunk_size)
        rows = readers[self.format](path, info)
        return chunked(self._outcomes(path, rows), self.chunk_size)

    def _outcomes(self, path: Path, rows: Iterator[_Row]) -> Iterator[Record | Rejected]:
        for line, row, original, raw, error in rows:
            position = f"{path.name}:{line}"
            if error is None:
                try:
                    yield self.to_record(row, original, position)
                    continue
                except BadValue as exc:
                    error = str(exc)
            yield Rejected(position=position, reason=error, raw=raw)

    def columns(self, path: Path, names: list[str], all_mapped: bool = True) -> dict[str, str]:
        """Record field -> the file's column, or SourceError naming the columns the file lacks.

        Required are the id, text and date (unless defaulted) and, when `all_mapped`, every
        column the mapping names (JSON Lines objects may leave optional keys out line by line).
        """
        found: dict[str, str] = {}
        missing: list[str] = []
        for field in RECORD_FIELDS:
            wanted = self.mapping.get(field, field)
            column = column_named(names, wanted)
            if column is not None:
                found[field] = column
            elif (all_mapped and field in self.mapping) or (
                field in REQUIRED_FIELDS and field not in self.defaults
            ):
                missing.append(wanted if wanted == field else f"{wanted} ({field})")
        if missing:
            raise SourceError(
                f"{path.name} is not a usable {self.format.upper()} file: it has no "
                f"column {', '.join(repr(m) for m in missing)} (its columns are "
                f"{', '.join(names) or 'none'})."
            )
        return found

    def to_record(
        self,
        row: Mapping[str, str],
        original: dict[str, Any] | None = None,
        position: str | None = None,
    ) -> Record:
        """One record from a row keyed by record field; BadValue says why it cannot be one."""
        return self._record(tuple([row.get(f) or "" for f in RECORD_FIELDS]), original, position)

    def json_row(self, path: Path, obj: dict[str, Any], columns: dict[str, str]) -> dict[str, str]:
        """A JSON object's values keyed by record field, as text; BadValue when a value has a
        type its field cannot take (an object as the text, a boolean as a count...)."""
        row: dict[str, str] = {}
        for field in RECORD_FIELDS:
            key = columns.get(field, self.mapping.get(field, field))
            value = obj.get(key)
            if value is not None:
                kind = json_kind(value)
                if kind not in JSON_KINDS[field]:
                    raise BadValue(
                        f"{field} ({key!r}) is a JSON {kind}, not "
                        f"{' or '.join(sorted(JSON_KINDS[field]))}"
                    )
            row[field] = as_text(value)
        return row

    def json_columns(self, path: Path, obj: dict[str, Any]) -> dict[str, str]:
        """Record field -> key of a JSON object, as `columns` finds them (keys may be left out)."""
        return self.columns(path, [str(k) for k in obj], all_mapped=False)

    def _record(
        self, values: Sequence[str], original: dict[str, Any] | None, position: str | None = None
    ) -> Record:
        """One record from the values of RECORD_FIELDS, in that order.

        A blank value takes the field's default; pure-ASCII values cannot hold mojibake, so
        only rows with other characters go through `repair_text` (field by field, in order).
        """
        if self._default_seq is not None:
            values = [v if v.strip() else d for v, d in zip(values, self._default_seq, strict=True)]
        if not "".join(values).isascii():
            return self._repaired_record(values, original, position)
        (
            external_id,
            thread_id,
            parent_id,
            author,
            role,
            channel,
            created,
            text,
            language,
            likes,
            shares,
            replies,
            url,
        ) = values
        external_id = normalise_id(external_id)
        if not external_id:
            raise BadValue("missing id")
        text = check_text(text.strip())
        if not created or created.isspace():
            raise BadValue("missing date")
        created_at = parse_datetime(created)
        parent_id = normalise_id(parent_id) or None
        return Record(
            external_id,
            normalise_id(thread_id) or external_id,
            None if parent_id == external_id else parent_id,
            author.strip() or "unknown",
            parse_role(role, default=CUSTOMER),
            channel.strip().lower() or self.channel,
            created_at,
            text,
            language.strip().lower() or None,
            parse_count(likes),
            parse_count(shares),
            parse_count(replies),
            url.strip() or None,
            original,
            position,
        )

    def _repaired_record(
        self, values: Sequence[str], original: dict[str, Any] | None, position: str | None
    ) -> Record:
        """`_record` for rows with non-ASCII values: each field repaired as it is read."""
        row = dict(zip(RECORD_FIELDS, values, strict=True))

        def get(field: str) -> str:
            return repair_text(row[field], field)

        external_id = normalise_id(get("external_id"))
        if not external_id:
            raise BadValue("missing id")
        text = check_text(get("text").strip())
        if not get("created_at").strip():
            raise BadValue("missing date")
        created_at = parse_datetime(get("created_at"))
        parent_id = normalise_id(get("parent_id")) or None
        return Record(
            external_id=external_id,
            thread_id=normalise_id(get("thread_id")) or external_id,
            parent_id=None if parent_id == external_id else parent_id,
            author=get("author").strip() or "unknown",
            author_role=parse_role(get("author_role"), default=CUSTOMER),
            channel=get("channel").strip().lower() or self.channel,
            created_at=created_at,
            text=text,
            language=get("language").strip().lower() or None,
            likes=parse_count(get("likes")),
            shares=parse_count(get("shares")),
            replies=parse_count(get("replies")),
            url=get("url").strip() or None,
            raw=original,
            position=position,
        )

    # Each row source yields (position, row keyed by record field, the row as read, raw text,
    # error); the position is the physical line (CSV, JSONL), the item (JSON) or sheet row (XLSX).

    def _csv_outcomes(self, path: Path, info: FileInfo) -> Iterator[Record | Rejected]:
        """Records and rejects of a CSV file, read as lists: the mapped columns' indexes are found
        once per file, and a row's raw line is rebuilt only when the row is quarantined."""
        name = path.name
        with path.open(encoding=info.encoding, errors="replace", newline="") as handle:
            first = handle.readline()
            if not first.strip():
                return  # an empty file: nothing to read
            delimiter = max(",;\t|", key=first.count)
            handle.seek(0)
            reader = csv.reader(handle, delimiter=delimiter)
            header = [h.strip() for h in next(reader)]
            width = len(header)
            columns = self.columns(path, header)
            index = {h: i for i, h in enumerate(header)}
            # Fields without a column read the blank appended after the row's padded values.
            pick = itemgetter(
                *[index[columns[f]] if f in columns else width for f in RECORD_FIELDS]
            )
            # Same-named columns: the value is the last one the row has, as dict() keeps it.
            names = [columns.get(f) for f in RECORD_FIELDS] if len(index) < width else None
            blanks = [""] * (width + 1)
            record = self._record
            start = reader.line_num + 1
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield Rejected(f"{name}:{start}", f"unreadable CSV row: {exc}", "")
                    start = reader.line_num + 1
                    continue
                line, start = start, reader.line_num + 1
                joined = "".join(values)
                if not joined or joined.isspace():
                    continue
                n = len(values)
                if n > width:
                    yield Rejected(
                        f"{name}:{line}",
                        f"{n} fields, the header has {width}",
                        csv_line(values, delimiter),
                    )
                    continue
                original = dict(zip(header, values, strict=False))
                if names is None:
                    fields = pick(values + blanks[n:])
                else:
                    fields = tuple([original.get(c, "") if c else "" for c in names])
                try:
                    yield record(fields, original, f"{name}:{line}")
                except BadValue as exc:
                    yield Rejected(f"{name}:{line}", str(exc), csv_line(values, delimiter))

    def _jsonl_rows(self, path: Path, info: FileInfo) -> Iterator[_Row]:
        columns: dict[str, str] | None = None
        pending: list[_Row] = []
        with path.open(encoding=info.encoding, errors="replace") as handle:
            for line, text in enumerate(handle, start=1):
                text = text.rstrip("\r\n")
                if not text.strip():
                    continue
                try:
                    obj = json.loads(text)
                    error = None if isinstance(obj, dict) else "not a JSON object"
                except json.JSONDecodeError as exc:
                    obj, error = None, f"invalid JSON: {exc.msg} at column {exc.colno}"
                if error is not None:
                    item: _Row = (line, {}, None, text, error)
                    if columns is None:
                        pending.append(item)
                        if len(pending) >= _JSONL_PROBE_LINES:
                            raise SourceError(
                                f"{path.name} is not a JSON Lines file: none of its first "
                                f"{_JSONL_PROBE_LINES} lines is a JSON object."
                            )
                    else:
                        yield item
                    continue
                if columns is None:
                    # Keys may be left out line by line; the first object tells the file's shape.
                    columns = self.json_columns(path, obj)
                    yield from pending
                    pending = []
                try:
                    row = self.json_row(path, obj, columns)
                except BadValue as exc:
                    yield line, {}, None, text, str(exc)
                    continue
                yield line, row, obj, text, None
        if columns is None:
            yield from pending

    def _json_rows(self, path: Path, info: FileInfo) -> Iterator[_Row]:
        with path.open(encoding=info.encoding, errors="replace") as handle:
            text = handle.read()
        if not text.strip():
            return  # an empty file: nothing to read
        keys = self.records_key.split(".") if self.records_key else []
        where = "$" + "".join(f".{k}" for k in keys)
        items = json_items(path, text, keys, where)
        columns: dict[str, str] | None = None
        for index, item, raw, error in items:
            position = f"{where}[{index}]"
            if error is None and not isinstance(item, dict):
                error = "not a JSON object"
            if error is not None:
                yield position, {}, None, raw, error
                continue
            if columns is None:
                columns = self.json_columns(path, item)
            try:
                row = self.json_row(path, item, columns)
            except BadValue as exc:
                yield position, {}, None, raw, str(exc)
                continue
            yield position, row, item, raw, None

    def _xlsx_rows(self, path: Path, info: FileInfo) -> Iterator[_Row]:
        from openpyxl import load_workbook  # only XLSX sources pay for its import

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise SourceError(f"{path.name} is not a readable XLSX file ({exc}).") from None
        try:
            if self.sheet is None:
                sheet = workbook.worksheets[0]
            elif self.sheet in workbook.sheetnames:
                sheet = workbook[self.sheet]
            else:
                raise SourceError(
                    f"{path.name} has no sheet {self.sheet!r} (its sheets are "
                    f"{', '.join(workbook.sheetnames)})."
                )
            rows = sheet.iter_rows(values_only=True)
            number = (sheet.min_row or 1) - 1
            header: list[str] | None = None
            columns: dict[str, str] = {}
            for cells in rows:
                number += 1
                values = [_cell_text(c) for c in cells]
                if not any(v.strip() for v in values):
                    continue
                if header is None:
                    header = [v.strip() for v in values]
                    while header and not header[-1]:
                        header.pop()
                    columns = self.columns(path, header)
                    continue
                position = f"{sheet.title}!{number}"
                extra = [v for v in values[len(header) :] if v.strip()]
                if extra:
                    yield (
                        position,
                        {},
                        None,
                        csv_line(values, ","),
                        f"values beyond the header's {len(header)} columns",
                    )
                    continue
                by_column = dict(zip(header, values, strict=False))
                row = {f: by_column.get(c, "") for f, c in columns.items()}
                original = {h: _json_value(c) for h, c in zip(header, cells, strict=False) if h}
                # A quarantined row keeps its cells by column (the retry reads them back).
                raw = json.dumps(by_column, ensure_ascii=False)
                yield position, row, original, raw, None
        finally:
            workbook.close()


def json_kind(value: Any) -> str:
    """A JSON value's type, as JSON names it."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "string"


def _cell_text(value: Any) -> str:
    """An XLSX cell as text: dates in ISO-8601, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return as_text(value)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date | time) else value
