"""The three steps of the pipeline over the store: ingest, enrich, curate. Flows and commands call these."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select

from casebook.progress import report
from casebook.settings import Settings
from curation.cases import curate_thread
from sources import make_connector
from sources.base import SourceError
from store.analyses import count_pending, pending_comments, save_analyses
from store.cases import (
    changed_threads,
    drop_case,
    mark_curated,
    save_case,
    situation_shares,
    thread_turns,
)
from store.db import transaction
from store.ingest import ensure_source, finish_run, start_run, write_batch
from store.models import IngestRun, Source, utcnow

KEEP_ARCS = {"recovery", "escalation"}


@dataclass
class IngestResult:
    source: str
    read: int = 0
    new: int = 0
    quarantined: int = 0


def load_sources_file(path: Path) -> list[dict[str, Any]]:
    """The sources declared in a YAML file (`sources:` list of name, kind, channel, settings, schedule)."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text()) or {}
    declared = data.get("sources", [])
    for entry in declared:
        missing = {"name", "kind"} - set(entry)
        if missing:
            raise SourceError(f"{path}: a source lacks {', '.join(sorted(missing))}")
    return declared


def sync_sources(engine: Engine, settings: Settings) -> list[str]:
    """Register the sources of the sources file; returns the names of every enabled source."""
    declared = load_sources_file(settings.sources_file)
    with transaction(engine) as session:
        for entry in declared:
            ensure_source(
                session,
                entry["name"],
                entry["kind"],
                entry.get("channel", entry["kind"]),
                entry.get("settings", {}),
            )
        return list(
            session.scalars(select(Source.name).where(Source.enabled).order_by(Source.name))
        )


def register_source(
    engine: Engine, name: str, kind: str, channel: str, config: dict[str, Any]
) -> None:
    """Create or update a source in the store."""
    with transaction(engine) as session:
        ensure_source(session, name, kind, channel, config)


def ingest_source(engine: Engine, name: str, key: bytes) -> IngestResult:
    """Read what is new in source `name`, one committed batch (records + cursor) at a time."""
    with transaction(engine) as session:
        source = session.scalar(select(Source).where(Source.name == name))
        if source is None:
            raise SourceError(f"no source is called {name!r}")
        run = start_run(session, source)
        source_id, run_id = source.id, run.id
        kind, config, cursor = source.kind, dict(source.config), dict(source.cursor or {})
    result = IngestResult(source=name)
    try:
        connector = make_connector(kind, config)
        for batch in connector.read(cursor):
            with transaction(engine) as session:
                source = session.get_one(Source, source_id)
                run = session.get_one(IngestRun, run_id)
                new, quarantined = write_batch(session, source, run, batch, key)
            result.read += len(batch.records) + len(batch.rejected)
            result.new += new
            result.quarantined += quarantined
            report(f"ingest {name}", result.read)
    except Exception as exc:
        with transaction(engine) as session:
            finish_run(session, session.get_one(IngestRun, run_id), error=str(exc) or repr(exc))
        raise
    with transaction(engine) as session:
        finish_run(session, session.get_one(IngestRun, run_id))
    return result


@lru_cache(maxsize=4)
def load_analyzer(models_dir: Path | None = None):  # noqa: ANN201 - nlp.Analyzer
    """The analyser with its shipped classifiers, loaded once per process."""
    from nlp import Analyzer

    return Analyzer.load(models_dir) if models_dir else Analyzer.load()


def enrich_pending(engine: Engine, analyzer: Any, batch_size: int = 2000) -> int:
    """Analyse every comment not yet analysed by this analyser's version; returns how many."""
    version = analyzer.version
    with transaction(engine) as session:
        total = count_pending(session, version)
    done = 0
    while True:
        with transaction(engine) as session:
            pending = pending_comments(session, version, batch_size)
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
            save_analyses(session, version, rows)
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
    engine: Engine, version: str, settings: Settings, batch_size: int = 2000
) -> dict[str, int]:
    """Curate the threads changed since their last curation; returns counts of kept and dropped cases."""
    started = utcnow()
    labels = situation_labels(settings.taxonomy_file)
    with transaction(engine) as session:
        shares = situation_shares(session, version)
    counts = {"threads": 0, "cases": 0, "dropped": 0}
    while True:
        with transaction(engine) as session:
            ids = changed_threads(session, started, batch_size)
            if not ids:
                return counts
            turns_of = thread_turns(session, ids, version)
            for thread_id in ids:
                if thread_id not in turns_of:
                    continue
                channel, turns = turns_of[thread_id]
                draft = curate_thread(
                    turns, channel, shares, labels, started, settings.notability_weights
                )
                if draft and (draft.score >= settings.curate_min_score or draft.arc in KEEP_ARCS):
                    save_case(session, thread_id, draft)
                    counts["cases"] += 1
                else:
                    drop_case(session, thread_id)
                    counts["dropped"] += 1
            mark_curated(session, ids, started)
        counts["threads"] += len(ids)
        report("curate", counts["threads"])
