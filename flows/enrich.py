"""enrich_feedback: analyse every comment that the current classifiers have not seen."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from casebook.pipeline import enrich_pending, load_analyzer
from flows.common import store


@task(retries=1, retry_delay_seconds=10)
def analyse_pending() -> dict[str, int | str]:
    """Analyse the pending comments in batches and store the analyses."""
    settings, engine = store()
    analyzer = load_analyzer()
    n = enrich_pending(engine, analyzer, settings.enrich_batch_size)
    return {"analysed": n, "version": analyzer.version}


@flow(name="enrich_feedback", log_prints=True)
def enrich_feedback() -> dict[str, int | str]:
    """Language, redaction, sentiment, emotion, situation and risks for what is new."""
    result = analyse_pending()
    get_run_logger().info("analysed %s comments with %s", result["analysed"], result["version"])
    return result
