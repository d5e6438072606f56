"""enrich_feedback: analyse every comment that the current classifiers have not seen."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger, task

from casebook.steps.enrich import enrich_store
from flows.common import store


@task(retries=1, retry_delay_seconds=10)
def analyse_pending() -> dict[str, int | str]:
    """Analyse the pending comments in batches (here or on worker processes) and store them."""
    settings, engine = store()
    return asdict(enrich_store(engine, settings))


@flow(name="enrich_feedback", log_prints=True)
def enrich_feedback() -> dict[str, int | str]:
    """Language, redaction, sentiment, emotion, situation and risks for what is new."""
    result = analyse_pending()
    get_run_logger().info(
        "analysed %(analysed)s comments with %(version)s on %(processes)s processes", result
    )
    return result
