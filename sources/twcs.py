"""The Twitter Customer Support corpus (TWCS): tweets between customers and brands' care accounts.

Threads are rebuilt from `in_response_to_tweet_id`: a tweet's thread is the root reached by
following its parents. When a parent is not in the files read, the root is that missing parent's
id, so the replies to one missing tweet still share a thread.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sources.base import AGENT, CUSTOMER, Batch, Record, Rejected, SourceError
from sources.parsing import (
    BadValue,
    FileInfo,
    check_text,
    inspect_file,
    normalise_id,
    parse_datetime,
)
from sources.reading import csv_line, with_last

COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
CHANNEL = "twitter"
CHUNK_SIZE = 50_000

csv.field_size_limit(16 * 1024 * 1024)


class TwcsConnector:
    """Reads TWCS CSV files (a file or a folder of *.csv), rebuilding threads across all of them."""

    def __init__(self, path: Path | str, chunk_size: int = CHUNK_SIZE) -> None:
        self.path = Path(path)
        self.chunk_size = chunk_size

    def files(self) -> list[Path]:
        """The files this connector reads, in the order it reads them."""
        if self.path.is_file():
            return [self.path]
        if self.path.is_dir():
            return sorted(p for p in self.path.iterdir() if p.is_file() and p.suffix == ".csv")
        raise SourceError(f"{self.path} does not exist.")

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        """Batches of the tweets in files not yet read; a file is marked done on its last batch."""
        done: dict[str, Any] = dict(cursor.get("files") or {})
        files = [(path, inspect_file(path)) for path in self.files()]
        # Parents come from every file, read or not, so a thread split across files stays whole.
        parents: dict[str, str | None] = {}
        for path, info in files:
            for _, row, _ in _rows(path, info):
                tweet_id = normalise_id(row.get("tweet_id", ""))
                if tweet_id:
                    parents[tweet_id] = normalise_id(row.get("in_response_to_tweet_id", "")) or None
        roots = ThreadRoots(parents)
        for path, info in files:
            if info.seen_in(done.get(path.name)):
                continue
            for (records, rejected), last in with_last(self._chunks(path, info, roots)):
                if last:
                    done[path.name] = info.cursor_entry()
                yield Batch(records, rejected, {**cursor, "files": dict(done)})

    def _chunks(
        self, path: Path, info: FileInfo, roots: ThreadRoots
    ) -> Iterator[tuple[list[Record], list[Rejected]]]:
        records: list[Record] = []
        rejected: list[Rejected] = []
        chunked = False
        for line, row, raw in _rows(path, info):
            try:
                records.append(to_record(row, roots))
            except BadValue as exc:
                rejected.append(Rejected(position=f"{path.name}:{line}", reason=str(exc), raw=raw))
            if len(records) + len(rejected) >= self.chunk_size:
                yield records, rejected
                records, rejected, chunked = [], [], True
        if records or rejected or not chunked:  # an empty file still gets its batch, marked done
            yield records, rejected


class ThreadRoots:
    """The root of each tweet's thread, following parents and stopping at cycles."""

    def __init__(self, parents: dict[str, str | None]) -> None:
        self.parents = parents
        self._roots: dict[str, str] = {}

    def __call__(self, tweet_id: str) -> str:
        path: list[str] = []
        seen: set[str] = set()
        current = tweet_id
        while current not in self._roots:
            path.append(current)
            seen.add(current)
            parent = self.parents.get(current)
            if parent is None or current not in self.parents or parent in seen:
                break  # a root, a tweet outside the files (its own root), or a cycle
            current = parent
        root = self._roots.get(current, current)
        for node in path:
            self._roots[node] = root
        return root


def to_record(row: dict[str, str], roots: ThreadRoots) -> Record:
    """One tweet as a record; BadValue says why it cannot be one."""
    tweet_id = normalise_id(row.get("tweet_id", ""))
    if not tweet_id:
        raise BadValue("missing id")
    text = check_text(row.get("text", "").strip())
    inbound = row.get("inbound", "").strip().lower()
    if inbound not in ("true", "false"):
        raise BadValue(f"inbound is {row.get('inbound', '')!r}, not True or False")
    if not row.get("created_at", "").strip():
        raise BadValue("missing date")
    created_at = parse_datetime(row["created_at"])
    responses = [
        r for r in (normalise_id(x) for x in row.get("response_tweet_id", "").split(",")) if r
    ]
    parent_id = normalise_id(row.get("in_response_to_tweet_id", "")) or None
    return Record(
        external_id=tweet_id,
        thread_id=roots(tweet_id),
        parent_id=parent_id,
        author=row.get("author_id", "").strip() or "unknown",
        author_role=CUSTOMER if inbound == "true" else AGENT,
        channel=CHANNEL,
        created_at=created_at,
        text=text,
        replies=len(responses),
        raw=dict(row),
    )


def _rows(path: Path, info: FileInfo) -> Iterator[tuple[int, dict[str, str], str]]:
    """(line, row, raw) for each data row; SourceError when the header is not TWCS's."""
    with path.open(encoding=info.encoding, newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise SourceError(
                f"{path.name} is not a TWCS file: it has no column {', '.join(missing)}."
            )
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if any(v.strip() for v in values):
                yield line, dict(zip(header, values, strict=False)), csv_line(values, ",")
