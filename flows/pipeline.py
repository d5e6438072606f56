"""feedback_pipeline: ingest, enrich and curate (then the slow pass on cases), in that order."""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows.curate import curate_cases
from flows.enrich import enrich_feedback
from flows.ingest import ingest_feedback


@flow(name="feedback_pipeline", log_prints=True)
def feedback_pipeline(sources: list[str] | None = None) -> dict[str, Any]:
    """The whole pipeline once."""
    return {
        "ingest": ingest_feedback(sources),
        "enrich": enrich_feedback(),
        "curate": curate_cases(),
    }
