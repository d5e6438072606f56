"""ingest_feedback: read every configured source, each as its own task."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger, task
from prefect.states import State

from casebook.steps.ingest import ingest_source, sync_sources
from flows.common import store
from sources.base import SourceError


def _transient(task: object, task_run: object, state: State) -> bool:
    """Retry network and database hiccups, not a source that is misconfigured or unreadable."""
    try:
        state.result()
    except SourceError:
        return False
    except Exception:  # noqa: BLE001 - anything else may pass on a second try
        return True
    return False


@task(
    retries=2,
    retry_delay_seconds=[5, 30],
    retry_condition_fn=_transient,
    task_run_name="ingest-{name}",
)
def ingest_one(name: str) -> dict[str, int | str]:
    """Ingest what is new in one source."""
    settings, engine = store()
    return asdict(ingest_source(engine, name, settings.pseudonym_key()))


@flow(name="ingest_feedback", log_prints=True)
def ingest_feedback(sources: list[str] | None = None) -> list[dict[str, int | str]]:
    """Ingest every enabled source (or those named); a failing source does not stop the others.

    Returns each source's counts (read, new, edited, linked, quarantined) or its error; the
    counts are also kept on the source's ingest run in the store.
    """
    logger = get_run_logger()
    settings, engine = store()
    names = sources or sync_sources(engine, settings)
    results = []
    for name in names:  # one after another: SQLite takes one writer at a time
        state = ingest_one(name, return_state=True)
        if state.is_completed():
            result = state.result()
            logger.info(
                "%s: %s read, %s new, %s edited, %s cross-posts linked, %s quarantined",
                name,
                result["read"],
                result["new"],
                result["edited"],
                result["linked"],
                result["quarantined"],
            )
            results.append(result)
        else:
            logger.error("%s failed: %s", name, state.message)
            results.append({"source": name, "error": state.message or "failed"})
    failed = [r["source"] for r in results if "error" in r]
    if failed and len(failed) == len(names):
        raise RuntimeError(f"every source failed: {', '.join(map(str, failed))}")
    return results
