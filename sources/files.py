"""Exports and drop folders of CSV or JSON Lines files, mapped onto records column by column."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

from sources.base import CUSTOMER, Batch, Record, Rejected, SourceError
from sources.parsing import (
    BadValue,
    FileInfo,
    check_text,
    inspect_file,
    normalise_id,
    parse_count,
    parse_datetime,
    parse_role,
)

FileFormat = Literal["csv", "jsonl"]
EXTENSIONS: dict[str, tuple[str, ...]] = {"csv": (".csv",), "jsonl": (".jsonl", ".ndjson")}
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
CHUNK_SIZE = 10_000
_JSONL_PROBE_LINES = 5  # lines tried before deciding a file is not JSON Lines at all

csv.field_size_limit(16 * 1024 * 1024)  # long texts are read, then rejected by length, not by csv

T = TypeVar("T")
_Row = tuple[int, dict[str, str], dict[str, Any] | None, str, str | None]


class FileConnector:
    """Reads a CSV or JSONL file, or every such file in a drop folder, one batch per chunk of rows."""

    def __init__(
        self,
        path: Path | str,
        format: FileFormat = "csv",
        mapping: Mapping[str, str] | None = None,
        channel: str = "unknown",
        defaults: Mapping[str, Any] | None = None,
        chunk_size: int = CHUNK_SIZE,
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
        done: dict[str, Any] = dict(cursor.get("files") or {})
        for path in self.files():
            info = inspect_file(path)
            if info.seen_in(done.get(path.name)):
                continue
            for (records, rejected), last in with_last(self._chunks(path, info)):
                if last:
                    done[path.name] = info.cursor_entry()
                yield Batch(records, rejected, {**cursor, "files": dict(done)})

    def _chunks(self, path: Path, info: FileInfo) -> Iterator[tuple[list[Record], list[Rejected]]]:
        rows = self._csv_rows(path, info) if self.format == "csv" else self._jsonl_rows(path, info)
        records: list[Record] = []
        rejected: list[Rejected] = []
        chunked = False
        for line, row, original, raw, error in rows:
            position = f"{path.name}:{line}"
            if error is None:
                try:
                    records.append(self.to_record(row, original))
                except BadValue as exc:
                    error = str(exc)
            if error is not None:
                rejected.append(Rejected(position=position, reason=error, raw=raw))
            if len(records) + len(rejected) >= self.chunk_size:
                yield records, rejected
                records, rejected, chunked = [], [], True
        if records or rejected or not chunked:  # an empty file still gets its batch, marked done
            yield records, rejected

    def columns(self, path: Path, names: list[str], all_mapped: bool = True) -> dict[str, str]:
        """Record field -> the file's column, or SourceError naming the columns the file lacks.

        Required are the id, text and date (unless defaulted) and, when `all_mapped`, every
        column the mapping names (JSON Lines objects may leave optional keys out line by line).
        """
        by_lower = {n.strip().lower(): n for n in names}
        found: dict[str, str] = {}
        missing: list[str] = []
        for field in RECORD_FIELDS:
            wanted = self.mapping.get(field, field)
            column = wanted if wanted in names else by_lower.get(wanted.strip().lower())
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

    def to_record(self, row: Mapping[str, str], original: dict[str, Any] | None = None) -> Record:
        """One record from a row keyed by record field; BadValue says why it cannot be one."""

        def get(field: str) -> str:
            value = row.get(field) or ""
            return value if value.strip() else self.defaults.get(field, "")

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
        )

    # Each row source yields (line, row keyed by record field, the row as read, raw text, error).

    def _csv_rows(self, path: Path, info: FileInfo) -> Iterator[_Row]:
        with path.open(encoding=info.encoding, newline="") as handle:
            first = handle.readline()
            if not first.strip():
                return  # an empty file: nothing to read
            delimiter = max(",;\t|", key=first.count)
            handle.seek(0)
            reader = csv.reader(handle, delimiter=delimiter)
            header = [h.strip() for h in next(reader)]
            columns = self.columns(path, header)
            start = reader.line_num + 1
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield start, {}, None, "", f"unreadable CSV row: {exc}"
                    start = reader.line_num + 1
                    continue
                line, start = start, reader.line_num + 1
                if not any(v.strip() for v in values):
                    continue
                raw = _csv_line(values, delimiter)
                if len(values) > len(header):
                    yield line, {}, None, raw, f"{len(values)} fields, the header has {len(header)}"
                    continue
                by_column = dict(zip(header, values, strict=False))
                row = {f: by_column.get(c, "") for f, c in columns.items()}
                yield line, row, by_column, raw, None

    def _jsonl_rows(self, path: Path, info: FileInfo) -> Iterator[_Row]:
        columns: dict[str, str] | None = None
        pending: list[_Row] = []
        with path.open(encoding=info.encoding) as handle:
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
                values = {str(k): _as_text(v) for k, v in obj.items()}
                if columns is None:
                    # Keys may be left out line by line; the first object tells the file's shape.
                    columns = self.columns(path, list(values), all_mapped=False)
                    yield from pending
                    pending = []
                row = {
                    f: values.get(columns.get(f, self.mapping.get(f, f)), "") for f in RECORD_FIELDS
                }
                yield line, row, obj, text, None
        if columns is None:
            yield from pending


def with_last(items: Iterator[T]) -> Iterator[tuple[T, bool]]:
    """Each item with a flag telling whether it is the last one."""
    iterator = iter(items)
    try:
        current = next(iterator)
    except StopIteration:
        return
    for following in iterator:
        yield current, False
        current = following
    yield current, True


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _csv_line(values: list[str], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(values)
    return buffer.getvalue()
