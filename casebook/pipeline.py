"""The three steps of the pipeline over the store: ingest, enrich, curate. Flows and commands call these."""

from __future__ import annotations

import csv
import gc
import io
import json
import time
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select

from casebook.progress import report
from casebook.settings import Settings
from curation.case_drafts import curate_thread
from sources import make_connector
from sources.base import Batch, Record, SourceError
from sources.files import RECORD_FIELDS, FileConnector, read_ahead
from sources.parsing import BadValue, inspect_file
from sources.twcs import ThreadRoots
from sources.twcs import to_record as twcs_record
from store.analyses import count_pending, pending_comments, save_analyses
from store.cases import (
    changed_threads,
    drop_cases,
    mark_curated,
    save_cases,
    situation_trends,
    thread_turns,
)
from store.db import transaction
from store.families import refresh_families, reset_similarity, week_reference
from store.ingest import ensure_source, finish_run, start_run, write_batch
from store.models import Comment, IngestRun, Source, Thread, utcnow
from store.quarantine import (
    count_failed_attempt,
    quarantined_rows,
    release,
    sources_with_quarantine,
)
from store.summaries import ensure_daily_feedback

KEEP_ARCS = {"recovery", "escalation"}
COMMIT_ROWS = 50_000  # records written per ingest transaction, at most
COMMIT_SECONDS = 2.0  # and no transaction kept open longer than this (other writers wait)


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
            result.read += written
            report(f"ingest {name}", result.read)
    except Exception as exc:
        with transaction(engine) as session:
            finish_run(session, run=session.get_one(IngestRun, run_id), error=str(exc) or repr(exc))
        raise
    finally:
        if batches is not None:
            batches.close()  # stops the reading thread when a write failed
        gc.set_threshold(*thresholds)
    with transaction(engine) as session:
        finish_run(session, run=session.get_one(IngestRun, run_id))
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
                    records.append(reparse(position, raw))
                    fixed.append(qid)
                except (ValueError, SourceError, OSError) as exc:
                    reasons[qid] = str(exc) or type(exc).__name__
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
        results.append(result)
    return results


def reparser(kind: str, config: dict[str, Any]) -> Callable[[str, str], Record]:
    """A function (position, raw) -> Record parsing a quarantined row as the connector would now.

    Positions are "file:line"; the file's header (CSV, TWCS) is read again from the source's path.
    """
    connector = make_connector(kind, config)
    headers: dict[str, tuple[list[str], str]] = {}

    def file_of(position: str) -> Path:
        name = position.rsplit(":", 1)[0]
        base = Path(config.get("path", ""))
        return base if base.is_file() and base.name == name else base / name

    def header(path: Path) -> tuple[list[str], str]:
        if path.name not in headers:
            if not path.is_file():
                raise SourceError(f"{path} is gone: its header cannot be read")
            encoding = inspect_file(path).encoding
            with path.open(encoding=encoding, newline="") as handle:
                first = handle.readline()
                delimiter = "," if kind == "twcs" else max(",;\t|", key=first.count)
                handle.seek(0)
                names = next(csv.reader(handle, delimiter=delimiter), [])
            headers[path.name] = ([h.strip() for h in names], delimiter)
        return headers[path.name]

    def csv_row(path: Path, raw: str) -> dict[str, str]:
        names, delimiter = header(path)
        values = next(csv.reader(io.StringIO(raw), delimiter=delimiter), [])
        if len(values) > len(names):
            raise BadValue(f"{len(values)} fields, the header has {len(names)}")
        return dict(zip(names, values, strict=False))

    def reparse(position: str, raw: str) -> Record:
        path = file_of(position)
        if kind == "twcs":
            return twcs_record(csv_row(path, raw), ThreadRoots({}))
        if not isinstance(connector, FileConnector):
            raise SourceError(f"records of {kind} sources cannot be retried")
        if kind == "jsonl":
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise BadValue(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
            if not isinstance(obj, dict):
                raise BadValue("not a JSON object")
            values = {str(k): _as_text(v) for k, v in obj.items()}
            columns = connector.columns(path, list(values), all_mapped=False)
            row = {
                f: values.get(columns.get(f, connector.mapping.get(f, f)), "")
                for f in RECORD_FIELDS
            }
            return connector.to_record(row, obj)
        by_column = csv_row(path, raw)
        columns = connector.columns(path, list(by_column))
        return connector.to_record({f: by_column.get(c, "") for f, c in columns.items()}, by_column)

    return reparse


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


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


# Enrichment moves to worker processes (CASEBOOK_ENRICH_WORKERS) only from this backlog on.
# Each worker loads its own classifiers before it analyses anything (400-650 MB each; 11-24 s
# for two side by side, against about 11 s for one here), and the store is still read and written
# here between batches, so on 2 cores the pool pays only on large backlogs. Measured on demo
# comments in SQLite (2 cores, December 2026), in this process against 2 workers: 20,000 in 24 s
# against 35 s, 100,000 in 69 s against 66 s, 300,000 in 185 s against 147 s. From here on it is
# no slower, and it gains with the backlog (a new classifier version analyses the whole store
# again) and with the cores.
POOL_MIN_PENDING = 100_000


@dataclass
class EnrichResult:
    analysed: int
    version: str
    processes: int  # that analysed: 1 = this one, N = worker processes, 0 = nothing was pending


def current_version(settings: Settings) -> str:
    """The analyser's version for the configured classifiers and taxonomy, read from their files
    (nothing is loaded): the version enrichment stores and curation reads."""
    from nlp.analyze import analyzer_version

    return analyzer_version(settings.models_dir, settings.taxonomy_file)


def load_analyzer(models_dir: Path | None = None, taxonomy_file: Path | None = None):  # noqa: ANN201 - nlp.Analyzer
    """The analyser with these (default: the shipped) classifiers and taxonomy, loaded once per
    process and again only when their files change."""
    from nlp.analyze import analyzer_version

    return _loaded_analyzer(models_dir, taxonomy_file, analyzer_version(models_dir, taxonomy_file))


# One analyser at a time (about 400 MB); the version in the key makes a retrained classifier or
# an edited taxonomy load afresh instead of analysing under the old version.
@lru_cache(maxsize=1)
def _loaded_analyzer(models_dir: Path | None, taxonomy_file: Path | None, version: str):  # noqa: ANN202
    from nlp import Analyzer

    return Analyzer.load(models_dir, taxonomy_file)


def enrich_workers(settings: Settings) -> int:
    """How many processes CASEBOOK_ENRICH_WORKERS asks for (0: one per core, at most 2)."""
    from nlp.parallel import default_workers

    return settings.enrich_workers or default_workers()


def enrich_store(engine: Engine, settings: Settings) -> EnrichResult:
    """Analyse every comment the configured classifiers have not analysed: on worker processes
    when the setting asks for them and the backlog pays for their start-up
    (POOL_MIN_PENDING), otherwise in this process; the stored analyses are the same."""
    from nlp.parallel import AnalyzerPool

    version = current_version(settings)
    pending = _start_enrichment(engine, version)
    if not pending:
        return EnrichResult(0, version, 0)  # no classifier loaded for nothing
    workers = enrich_workers(settings)
    batch_size = settings.enrich_batch_size
    if workers > 1 and pending >= POOL_MIN_PENDING:
        with AnalyzerPool(workers, settings.models_dir, settings.taxonomy_file) as pool:
            total = pending if pool.version == version else None
            return EnrichResult(
                enrich_pending(engine, pool, batch_size, total), pool.version, workers
            )
    # The version just read from the files keys the cache: no second pass over them.
    analyzer = _loaded_analyzer(settings.models_dir, settings.taxonomy_file, version)
    total = pending if analyzer.version == version else None
    return EnrichResult(enrich_pending(engine, analyzer, batch_size, total), analyzer.version, 1)


def _start_enrichment(engine: Engine, version: str) -> int:
    """Bring the daily summary up to `version`, then count the comments it has not analysed."""
    with transaction(engine) as session:
        # A store older than the summary (or one rebuilt by hand) catches up once, before the
        # batches add to it: otherwise the version's earlier analyses would be missing.
        ensure_daily_feedback(session, version=version)
        return count_pending(session, version=version)


def enrich_pending(
    engine: Engine, analyzer: Any, batch_size: int = 2000, total: int | None = None
) -> int:
    """Analyse every comment not yet analysed by this analyser's version; returns how many.

    `analyzer`: an nlp.Analyzer or an nlp.parallel.AnalyzerPool. `total`: the pending count
    already taken by _start_enrichment for this version (shown as progress)."""
    version = analyzer.version
    if total is None:
        total = _start_enrichment(engine, version)
    done = 0
    while True:
        with transaction(engine) as session:
            pending = pending_comments(session, version=version, limit=batch_size)
        if not pending:
            return done
        analyses = analyzer.analyze([text for _, text in pending])
        rows = []
        for (comment_id, _), analysis in zip(pending, analyses, strict=True):
            row = asdict(analysis)
            row.pop("emotions", None)
            row["pii"] = [asdict(span) for span in analysis.pii]
            row["comment_id"] = comment_id
            rows.append(row)
        with transaction(engine) as session:
            save_analyses(session, version=version, rows=rows)
        done += len(pending)
        report("enrich", done, total)


def situation_labels(taxonomy_file: Path) -> dict[str, dict[str, str]]:
    """Each situation's label by language, from the taxonomy."""
    data = yaml.safe_load(taxonomy_file.read_text()) if taxonomy_file.exists() else {}
    entries = data.get("situations", data) if isinstance(data, dict) else {}
    return {
        key: dict(value.get("labels", {}))
        for key, value in entries.items()
        if isinstance(value, dict)
    }


def curate_changed(
    engine: Engine,
    version: str,
    settings: Settings,
    batch_size: int = 2000,
    rebuild: bool = False,
) -> dict[str, int]:
    """Curate the threads changed since their last curation; returns counts of kept and dropped cases.

    Near-duplicate threads collapse into one case (`duplicates`) and new cases join families;
    `rebuild` forgets duplicates, families and candidate cases first, and curates every thread.
    """
    started = utcnow()
    labels = situation_labels(settings.taxonomy_file)
    with transaction(engine) as session:
        if rebuild:
            reset_similarity(session)
        reference = week_reference(session)
        trends = situation_trends(session, version=version, reference=reference)
    shares = {situation: trend.share for situation, trend in trends.items()}
    counts = {"threads": 0, "cases": 0, "duplicates": 0, "dropped": 0, "families": 0}
    while True:
        with transaction(engine) as session:
            ids = changed_threads(session, before=started, limit=batch_size)
            if not ids:
                break
            turns_of = thread_turns(session, thread_ids=ids, version=version)
            kept, dropped = [], []
            for thread_id in ids:
                if thread_id not in turns_of:
                    continue
                channel, turns = turns_of[thread_id]
                draft = curate_thread(
                    turns, channel, shares, labels, started, settings.notability_weights, trends
                )
                if draft and (draft.score >= settings.curate_min_score or draft.arc in KEEP_ARCS):
                    kept.append((thread_id, draft))
                else:
                    dropped.append(thread_id)
            saved = save_cases(session, items=kept)
            drop_cases(session, thread_ids=dropped)
            counts["cases"] += saved["cases"]
            counts["duplicates"] += saved["duplicates"]
            counts["dropped"] += len(dropped)
            mark_curated(session, thread_ids=ids, at=started)
        counts["threads"] += len(ids)
        report("curate", counts["threads"])
    with transaction(engine) as session:
        counts["families"] = refresh_families(session, reference=reference)
    return counts
