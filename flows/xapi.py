"""send_xapi_statements: post the xAPI outbox to the LRS named in the settings."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import flow, get_run_logger, task

from casebook.steps.xapi import send_pending
from flows.common import store


@task(retries=2, retry_delay_seconds=[30, 120])
def send_outbox() -> dict[str, Any]:
    """Send the due statements in batches; unreachable LRS -> retried (the outbox keeps them)."""
    settings, engine = store()
    report = send_pending(engine, settings)
    if report.unreachable:
        raise ConnectionError(report.error or "the LRS cannot be reached")
    return asdict(report)


@flow(name="send_xapi_statements", log_prints=True)
def send_xapi_statements() -> dict[str, Any]:
    """Every peer-learning statement not yet in the LRS, sent; nothing if no LRS is configured."""
    settings, _ = store()
    logger = get_run_logger()
    if not settings.lrs_url:
        logger.info("no CASEBOOK_LRS_URL: the statements stay in the outbox")
        return {"sent": 0, "failed": 0, "unreachable": False, "error": "no LRS configured"}
    result = send_outbox()
    logger.info("xAPI: %(sent)s statements sent, %(failed)s left for a later run", result)
    return result
