"""The pipeline run in this process, without Prefect: what `casebook ingest|enrich|curate|refine|run`
do.

The Prefect flows of flows/ wrap the same steps for scheduled runs; the command calls them
directly, so it needs no Prefect server (a temporary one took seconds to start and timed out on
a busy machine, failing the step).
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from sqlalchemy import Engine

from casebook.settings import Settings
from casebook.steps.curate import curate_changed
from casebook.steps.enrich import current_version, enrich_store
from casebook.steps.ingest import ingest_source, sync_sources
from casebook.steps.refine import refine_cases

log = logging.getLogger(__name__)


def ingest_sources(
    engine: Engine, settings: Settings, sources: list[str] | None = None
) -> list[dict[str, Any]]:
    """Ingest every enabled source (or those named), one after another; a failing source does
    not stop the others. Each source's counts, or its error; raises when every source failed."""
    names = sources or sync_sources(engine, settings)
    results: list[dict[str, Any]] = []
    for name in names:
        try:
            results.append(asdict(ingest_source(engine, name, settings.pseudonym_key())))
        except Exception as exc:  # noqa: BLE001 - reported with the others, logged by the step
            results.append({"source": name, "error": str(exc) or repr(exc)})
    failed = [r["source"] for r in results if "error" in r]
    if failed and len(failed) == len(names):
        raise RuntimeError(
            "every source failed: "
            + "; ".join(f"{r['source']}: {r['error']}" for r in results if "error" in r)
        )
    return results


def enrich(engine: Engine, settings: Settings) -> dict[str, Any]:
    """Analyse the comments the current classifiers have not seen."""
    return asdict(enrich_store(engine, settings))


def curate(engine: Engine, settings: Settings) -> dict[str, int]:
    """Curate the threads changed since their last curation."""
    return curate_changed(engine, current_version(settings), settings)


def refine(engine: Engine, settings: Settings, max_cases: int | None = None) -> dict[str, Any]:
    """The slow pass on the customer comments of the most notable cases it has not read."""
    return asdict(refine_cases(engine, settings, max_cases))


def run_pipeline(
    engine: Engine, settings: Settings, sources: list[str] | None = None
) -> dict[str, Any]:
    """Ingest, enrich, curate and refine, in that order (as the feedback_pipeline flow)."""
    return {
        "ingest": ingest_sources(engine, settings, sources),
        "enrich": enrich(engine, settings),
        "curate": curate(engine, settings),
        "refine": refine(engine, settings),
    }
