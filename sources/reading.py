"""Files read into batches, shared by the file connectors (files, cfpb, mail, twcs) and the
ingest step: which files are new or changed since the cursor, chunks of outcomes, the last-item
flag, reading ahead on a thread of its own, and a rejected row's raw CSV line.
"""

from __future__ import annotations

import csv
import io
import queue
import threading
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sources.base import Batch, Record, Rejected
from sources.parsing import FileInfo, inspect_file, unchanged

T = TypeVar("T")


def read_files(
    paths: list[Path],
    cursor: dict[str, Any],
    chunks: Callable[[Path, FileInfo], Iterator[tuple[list[Record], list[Rejected]]]],
    detect_encoding: bool = True,
    entry: Callable[[Path, FileInfo], dict[str, Any]] | None = None,
) -> Iterator[Batch]:
    """Batches of the files that are new or changed since `cursor`, each file whole.

    A file whose size and mtime match its cursor entry is not opened. One whose size or mtime
    changed is hashed: same SHA-1 (touched, not changed) only refreshes its entry; a different
    one is read again from the start. A file enters the cursor with its last batch only, so a
    run that dies half-way reads the file again. `entry` adds to a file's cursor entry.
    """
    done: dict[str, Any] = dict(cursor.get("files") or {})
    refreshed = False  # entries no batch has carried yet
    for path in paths:
        previous = done.get(path.name)
        if unchanged(previous, path.stat()):
            continue
        info = inspect_file(path, detect=detect_encoding)
        if info.seen_in(previous):
            done[path.name] = {**previous, **info.cursor_entry()}
            refreshed = True
            continue
        for (records, rejected), last in with_last(chunks(path, info)):
            if last:
                done[path.name] = {**info.cursor_entry(), **(entry(path, info) if entry else {})}
            yield Batch(records, rejected, {**cursor, "files": dict(done)}, origin=info.sha1)
            refreshed = False
    if refreshed:
        yield Batch([], [], {**cursor, "files": dict(done)})


def chunked(
    outcomes: Iterator[Record | Rejected], size: int
) -> Iterator[tuple[list[Record], list[Rejected]]]:
    """(records, rejected) in chunks of `size`; an empty input still gives one empty chunk."""
    records: list[Record] = []
    rejected: list[Rejected] = []
    chunked = False
    for outcome in outcomes:
        if isinstance(outcome, Record):
            records.append(outcome)
        else:
            rejected.append(outcome)
        if len(records) + len(rejected) >= size:
            yield records, rejected
            records, rejected, chunked = [], [], True
    if records or rejected or not chunked:  # an empty file still gets its batch, marked done
        yield records, rejected


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


READ_AHEAD = 2  # batches parsed ahead of the one being written


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(batches: Iterator[Batch], depth: int = READ_AHEAD) -> Generator[Batch, None, None]:
    """The same batches, read by a thread of their own while the caller writes the previous ones.

    Parsing runs while the database works (SQLite and psycopg let go of the GIL), on the
    second core. Only the reading is ahead: each batch is still written with its own cursor,
    in order, so a crash rolls back to a committed cursor as before.
    """
    handoff: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
            put(end)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, raised there
            put(_Failed(exc))
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()

    reader = threading.Thread(target=produce, name="ingest-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            item = handoff.get()
            if item is end:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        reader.join()


def csv_line(values: list[str], delimiter: str) -> str:
    """The values as one line of CSV: the raw text a rejected row keeps in quarantine."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(values)
    return buffer.getvalue()
