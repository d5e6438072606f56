"""Ingest over the store: declared sources, one committed batch at a time, and quarantine retries."""

from __future__ import annotations

import csv
import gc
import io
import json
import logging
import time
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select

from casebook.progress import report
from casebook.settings import Settings
from sources import make_connector
from sources.base import Batch, Record, SourceError
from sources.files import FileConnector, column_named
from sources.parsing import BadValue, as_text, inspect_file
from sources.reading import read_ahead
from sources.twcs import ThreadRoots
from sources.twcs import to_record as twcs_record
from store.db import transaction
from store.ingest import ensure_source, finish_run, start_run, write_batch
from store.models import Comment, IngestRun, Source, Thread
from store.quarantine import (
    count_failed_attempt,
    quarantined_rows,
    release,
    sources_with_quarantine,
)
from store.validation import check_record

COMMIT_ROWS = 50_000  # records written per ingest transaction, at most
COMMIT_SECONDS = 2.0  # and no transaction kept open longer than this (other writers wait)

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    source: str
    read: int = 0
    new: int = 0
    quarantined: int = 0
    edited: int = 0  # records whose text changed since they were stored
    linked: int = 0  # cross-posts linked to an earlier copy


@dataclass
class RetryResult:
    source: str
    retried: int = 0
    ingested: int = 0  # now parsed and stored: out of the quarantine
    still: int = 0  # still unreadable: one more attempt counted


def load_sources_file(path: Path) -> list[dict[str, Any]]:
    """The sources declared in a YAML file (`sources:` list of name, kind, channel, settings, schedule)."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text()) or {}
    declared = data.get("sources", []) or []
    for entry in declared:
        missing = {"name", "kind"} - set(entry)
        if missing:
            raise SourceError(f"{path}: a source lacks {', '.join(sorted(missing))}")
        schedule = entry.get("schedule")
        if schedule is not None and (not isinstance(schedule, str) or len(schedule.split()) != 5):
            raise SourceError(
                f"{path}: the schedule of {entry['name']} is not a cron expression of five "
                f"fields (e.g. '*/15 * * * *'): {schedule!r}"
            )
    return declared


def sync_sources(engine: Engine, settings: Settings) -> list[str]:
    """Register the sources of the sources file; returns the names of every enabled source."""
    declared = load_sources_file(settings.sources_file)
    with transaction(engine) as session:
        for entry in declared:
            channel = entry.get("channel", entry["kind"])
            ensure_source(
                session,
                name=entry["name"],
                kind=entry["kind"],
                channel=channel,
                # file connectors label their records with the config's channel
                config={"channel": channel, **(entry.get("settings") or {})},
                schedule=entry.get("schedule") or "",
                enabled=bool(entry.get("enabled", True)),
            )
        return list(
            session.scalars(select(Source.name).where(Source.enabled).order_by(Source.name))
        )


def register_source(
    engine: Engine, name: str, kind: str, channel: str, config: dict[str, Any]
) -> None:
    """Create or update a source in the store."""
    with transaction(engine) as session:
        ensure_source(session, name=name, kind=kind, channel=channel, config=config)


def ingest_source(engine: Engine, name: str, key: bytes) -> IngestResult:
    """Read what is new in source `name`, one committed batch (records + cursor) at a time."""
    with transaction(engine) as session:
        source = session.scalar(select(Source).where(Source.name == name))
        if source is None:
            raise SourceError(f"no source is called {name!r}")
        run = start_run(session, source=source)
        source_id, run_id = source.id, run.id
        kind, config, cursor = source.kind, dict(source.config), dict(source.cursor or {})
    result = IngestResult(source=name)
    batches: Generator[Batch, None, None] | None = None
    # Millions of short-lived records would set off the cyclic garbage collector every 700
    # allocations and make it walk every live object time and again (a fifth of the CPU);
    # they hold no cycles, so it runs far less often while they stream through.
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 100_000), *thresholds[1:])  # 700 by default
    try:
        connector = make_connector(kind, config)
        batches = read_ahead(connector.read(cursor))
        more = True
        while more:
            # Several batches per transaction, each written with its cursor: a crash still
            # rolls back to a committed cursor, and fewer commits rewrite the indexes less often.
            with transaction(engine) as session:
                source = session.get_one(Source, source_id)
                run = session.get_one(IngestRun, run_id)
                started, written = time.monotonic(), 0
                while written < COMMIT_ROWS and time.monotonic() - started < COMMIT_SECONDS:
                    batch = next(batches, None)
                    if batch is None:
                        more = False
                        break
                    counts = write_batch(session, source=source, run=run, batch=batch, key=key)
                    written += len(batch.records) + len(batch.rejected)
                    result.new += counts.new
                    result.quarantined += counts.quarantined
                    result.edited += counts.edited
                    result.linked += counts.linked
                    if counts.quarantined:
                        log.warning(
                            "%s: %d of a batch of %d records quarantined",
                            name,
                            counts.quarantined,
                            len(batch.records) + len(batch.rejected),
                            extra={"source": name, "quarantined": counts.quarantined},
                        )
            result.read += written
            report(f"ingest {name}", result.read)
    except Exception as exc:
        error = str(exc) or repr(exc)
        log.error(
            "%s failed after %d records: %s",
            name,
            result.read,
            error,
            extra={"source": name, "error": error},
        )
        with transaction(engine) as session:
            finish_run(session, run=session.get_one(IngestRun, run_id), error=error)
        raise
    finally:
        if batches is not None:
            batches.close()  # stops the reading thread when a write failed
        gc.set_threshold(*thresholds)
    with transaction(engine) as session:
        finish_run(session, run=session.get_one(IngestRun, run_id))
    log.info(
        "%s: %d read, %d new, %d edited, %d cross-posts linked, %d quarantined",
        name,
        result.read,
        result.new,
        result.edited,
        result.linked,
        result.quarantined,
        extra=asdict(result),
    )
    return result


def retry_quarantine(engine: Engine, key: bytes, source: str | None = None) -> list[RetryResult]:
    """Parse each quarantined record again with its source's current connector settings; store
    what now parses (out of the quarantine) and count one more attempt on the rest."""
    with transaction(engine) as session:
        names = sources_with_quarantine(session, source=source)
    results = []
    for name in names:
        with transaction(engine) as session:
            src = session.scalar(select(Source).where(Source.name == name))
            assert src is not None
            reparse = reparser(src.kind, dict(src.config))
            result = RetryResult(source=name)
            records, fixed, reasons = [], [], {}
            for qid, position, raw in quarantined_rows(session, source_id=src.id):
                try:
                    record, refused = check_record(reparse(position, raw))
                except (ValueError, SourceError, OSError) as exc:
                    reasons[qid] = str(exc) or type(exc).__name__
                    continue
                if record is None:  # reads now, but the store cannot hold it
                    reasons[qid] = refused or "unstorable"
                else:
                    records.append(record)
                    fixed.append(qid)
            result.retried = len(fixed) + len(reasons)
            if records:
                if src.kind == "twcs":
                    records = _rethread(session, src.id, records)
                run = start_run(session, source=src)
                write_batch(
                    session,
                    source=src,
                    run=run,
                    batch=Batch(records, [], dict(src.cursor or {})),
                    key=key,
                )
                finish_run(session, run=run)
            result.ingested = release(session, ids=fixed)
            result.still = count_failed_attempt(session, reasons=reasons)
        log.info(
            "%s: %d quarantined records retried, %d ingested, %d still quarantined",
            name,
            result.retried,
            result.ingested,
            result.still,
            extra=asdict(result),
        )
        results.append(result)
    return results


def file_of(config: dict[str, Any], position: str) -> Path:
    """The file a quarantined row of a file source came from (its position is "file:line")."""
    name = position.rsplit(":", 1)[0]
    base = Path(config.get("path", ""))
    return base if base.is_file() and base.name == name else base / name


def file_header(path: Path, kind: str) -> tuple[list[str], str]:
    """The column names and delimiter of a CSV (or TWCS) file, read again from its first line."""
    if not path.is_file():
        raise SourceError(f"{path} is gone: its header cannot be read")
    encoding = inspect_file(path).encoding
    with path.open(encoding=encoding, newline="") as handle:
        first = handle.readline()
        delimiter = "," if kind == "twcs" else max(",;\t|", key=first.count)
        handle.seek(0)
        names = next(csv.reader(handle, delimiter=delimiter), [])
    return [h.strip() for h in names], delimiter


def author_columns(
    kind: str, config: dict[str, Any], positions: list[str]
) -> list[tuple[int | None, str]]:
    """For each quarantined row of a CSV or TWCS source: the index of the column the source reads
    its author from, and the delimiter (None when the source is of another kind or the file's
    header can no longer be read). The column is found as the files connector finds it
    (sources.files.column_named: the mapping's name, in any case)."""
    if kind not in ("csv", "twcs"):
        return [(None, ",")] * len(positions)
    mapping = config.get("mapping") or {}
    wanted = "author_id" if kind == "twcs" else str(mapping.get("author", "author"))
    headers: dict[Path, tuple[int | None, str]] = {}
    out = []
    for position in positions:
        path = file_of(config, position)
        if path not in headers:
            try:
                names, delimiter = file_header(path, kind)
            except (SourceError, OSError):
                headers[path] = (None, ",")
            else:
                column = column_named(names, wanted)
                headers[path] = (None if column is None else names.index(column), delimiter)
        out.append(headers[path])
    return out


def reparser(kind: str, config: dict[str, Any]) -> Callable[[str, str], Record]:
    """A function (position, raw) -> Record parsing a quarantined row as the connector would now.

    Positions are "file:line"; the file's header (CSV, TWCS) is read again from the source's path.
    """
    connector = make_connector(kind, config)
    headers: dict[str, tuple[list[str], str]] = {}

    def header(path: Path) -> tuple[list[str], str]:
        if path.name not in headers:
            headers[path.name] = file_header(path, kind)
        return headers[path.name]

    def csv_row(path: Path, raw: str) -> dict[str, str]:
        names, delimiter = header(path)
        values = next(csv.reader(io.StringIO(raw), delimiter=delimiter), [])
        if len(values) > len(names):
            raise BadValue(f"{len(values)} fields, the header has {len(names)}")
        return dict(zip(names, values, strict=False))

    def reparse(position: str, raw: str) -> Record:
        path = file_of(config, position)
        obj = _json_object(raw)
        if kind == "twcs":
            row = {str(k): as_text(v) for k, v in obj.items()} if obj else csv_row(path, raw)
            return twcs_record(row, ThreadRoots({}))
        if not isinstance(connector, FileConnector):
            raise SourceError(f"records of {kind} sources cannot be retried")
        if kind in ("jsonl", "json"):
            if obj is None:
                try:
                    json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise BadValue(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
                raise BadValue("not a JSON object")
            row = connector.json_row(path, obj, connector.json_columns(path, obj))
            return connector.to_record(row, obj, position)
        if obj is not None:  # a row kept by column: refused by the store, or an XLSX row
            by_column = {str(k): as_text(v) for k, v in obj.items()}
        elif kind == "xlsx":
            raise BadValue("values beyond the header's columns (fix the sheet; it is read again)")
        else:
            by_column = csv_row(path, raw)
        columns = connector.columns(path, list(by_column))
        return connector.to_record(
            {f: by_column.get(c, "") for f, c in columns.items()}, by_column, position
        )

    return reparse


def _json_object(raw: str) -> dict[str, Any] | None:
    """`raw` as a JSON object, or None. A CSV line never starts with '{"' (the writer quotes a
    field holding a quote), so a CSV source's row kept by column is told from a raw line."""
    if not raw.startswith('{"'):
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _rethread(session: Any, source_id: int, records: list[Record]) -> list[Record]:
    """TWCS records re-read alone: put each reply in the stored thread of its parent."""
    parents = {r.parent_id for r in records if r.parent_id}
    if not parents:
        return records
    thread_of = dict(
        session.execute(
            select(Comment.external_id, Thread.external_id)
            .join(Thread, Thread.id == Comment.thread_id)
            .where(Comment.source_id == source_id, Comment.external_id.in_(sorted(parents)))
        )
        .tuples()
        .all()
    )
    return [
        replace(r, thread_id=thread_of[r.parent_id]) if r.parent_id in thread_of else r
        for r in records
    ]
