"""Enrich over the store: analyse the comments the configured classifiers have not analysed."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from casebook.progress import report
from casebook.settings import Settings
from store.analyses import count_pending, pending_comments, save_analyses
from store.db import transaction
from store.summaries import ensure_daily_feedback

log = logging.getLogger(__name__)

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

    return analyzer_version(settings.models_dir, settings.taxonomy_file, settings.situation_model)


def load_analyzer(  # noqa: ANN201 - nlp.Analyzer
    models_dir: Path | None = None,
    taxonomy_file: Path | None = None,
    situation_model: Path | None = None,
):
    """The analyser with these (default: the shipped) classifiers and taxonomy, loaded once per
    process and again only when their files change."""
    from nlp.analyze import analyzer_version

    version = analyzer_version(models_dir, taxonomy_file, situation_model)
    return _loaded_analyzer(models_dir, taxonomy_file, version, situation_model)


# One analyser at a time (about 400 MB); the version in the key makes a retrained classifier or
# an edited taxonomy load afresh instead of analysing under the old version.
@lru_cache(maxsize=1)
def _loaded_analyzer(  # noqa: ANN202
    models_dir: Path | None,
    taxonomy_file: Path | None,
    version: str,
    situation_model: Path | None = None,
):
    from nlp import Analyzer

    return Analyzer.load(models_dir, taxonomy_file, situation_model)


def enrich_workers(settings: Settings) -> int:
    """How many processes CASEBOOK_ENRICH_WORKERS asks for (0: one per core, at most 2)."""
    from nlp.parallel import default_workers

    return settings.enrich_workers or default_workers()


def enrich_store(engine: Engine, settings: Settings) -> EnrichResult:
    """Analyse every comment the configured classifiers have not analysed: on worker processes
    when the setting asks for them and the backlog pays for their start-up
    (POOL_MIN_PENDING), otherwise in this process; the stored analyses are the same."""
    result = _analyse_pending(engine, settings)
    log.info(
        "analysed %d comments with %s on %d processes",
        result.analysed,
        result.version,
        result.processes,
        extra=asdict(result),
    )
    return result


def _analyse_pending(engine: Engine, settings: Settings) -> EnrichResult:
    from nlp.parallel import AnalyzerPool

    version = current_version(settings)
    pending = _start_enrichment(engine, version)
    if not pending:
        return EnrichResult(0, version, 0)  # no classifier loaded for nothing
    workers = enrich_workers(settings)
    batch_size = settings.enrich_batch_size
    if workers > 1 and pending >= POOL_MIN_PENDING:
        with AnalyzerPool(
            workers, settings.models_dir, settings.taxonomy_file, settings.situation_model
        ) as pool:
            total = pending if pool.version == version else None
            return EnrichResult(
                enrich_pending(engine, pool, batch_size, total), pool.version, workers
            )
    # The version just read from the files keys the cache: no second pass over them.
    analyzer = _loaded_analyzer(
        settings.models_dir, settings.taxonomy_file, version, settings.situation_model
    )
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
