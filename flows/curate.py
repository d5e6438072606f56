"""curate_cases: turn changed threads into scored cases with scenario drafts."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from casebook.steps.curate import curate_changed
from casebook.steps.enrich import current_version
from flows.common import store


@task(retries=1, retry_delay_seconds=10)
def curate_threads() -> dict[str, int]:
    """Curate the threads changed since their last curation."""
    settings, engine = store()
    return curate_changed(engine, current_version(settings), settings)


@flow(name="curate_cases", log_prints=True)
def curate_cases() -> dict[str, int]:
    """Arcs, notability and scenario drafts for the threads that changed."""
    counts = curate_threads()
    get_run_logger().info(
        "curated %(threads)s threads: %(cases)s cases, %(dropped)s dropped", counts
    )
    return counts
