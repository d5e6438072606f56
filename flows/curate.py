"""curate_cases: turn changed threads into scored cases with scenario drafts, then read the
customer comments of the most notable cases again with the slow pass."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import flow, get_run_logger, task

from casebook.steps.curate import curate_changed
from casebook.steps.enrich import current_version
from casebook.steps.refine import refine_cases
from flows.common import store


@task(retries=1, retry_delay_seconds=10)
def curate_threads() -> dict[str, int]:
    """Curate the threads changed since their last curation."""
    settings, engine = store()
    return curate_changed(engine, current_version(settings), settings)


@task(retries=1, retry_delay_seconds=10, timeout_seconds=3600)
def refine_case_comments() -> dict[str, Any]:
    """The slow pass on the customer comments of the most notable cases it has not read."""
    settings, engine = store()
    return asdict(refine_cases(engine, settings))


@flow(name="curate_cases", log_prints=True)
def curate_cases() -> dict[str, Any]:
    """Arcs, notability and scenario drafts for the threads that changed; then the slow pass."""
    counts: dict[str, Any] = dict(curate_threads())
    get_run_logger().info(
        "curated %(threads)s threads: %(cases)s cases, %(dropped)s dropped", counts
    )
    refined = refine_case_comments()
    if refined["skipped"]:
        get_run_logger().info("slow pass skipped: %(skipped)s", refined)
    else:
        get_run_logger().info(
            "slow pass %(version)s read %(refined)s comments of %(cases)s cases", refined
        )
    counts["refine"] = refined
    return counts
