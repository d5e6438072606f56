"""Send the xAPI outbox to the LRS of the settings, in batches, never losing a statement.

Each batch is read in one transaction, posted (`POST {lrs_url}/statements`, xAPI 1.0.3, HTTP
Basic with CASEBOOK_LRS_KEY / CASEBOOK_LRS_SECRET; advisors' free text redacted as it leaves,
store.xapi.leaving), and marked in another: sent only when the LRS
answers 200 or 204 (or, after a 409, when it gives back each statement by its id); otherwise
its attempt is counted and it waits (CASEBOOK_XAPI_RETRY_SECONDS, doubled per failure). A batch
the LRS refuses for its content (400, 413, 422) is sent again one statement at a time, so one bad
statement does not hold the others back. An LRS that cannot be reached, or refuses every request
(401, 403, 429, 5xx), ends the run: the next one goes on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy import Engine

from casebook.settings import Settings
from store import xapi
from store.db import transaction

logger = logging.getLogger(__name__)
HEADERS = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


class LrsNotConfigured(ValueError):
    """No CASEBOOK_LRS_URL: there is nowhere to send statements."""


@dataclass(frozen=True)
class SendReport:
    """What one run did: statements sent, failed (left in the outbox), and whether the LRS was
    unreachable (the run stopped there)."""

    sent: int = 0
    failed: int = 0
    unreachable: bool = False
    error: str | None = None


def lrs_client(settings: Settings) -> httpx.Client:
    """An HTTP client for the configured LRS."""
    if not settings.lrs_url:
        raise LrsNotConfigured("CASEBOOK_LRS_URL is not set: name the LRS's xAPI endpoint")
    auth = None
    if settings.lrs_key is not None:
        secret = settings.lrs_secret.get_secret_value() if settings.lrs_secret else ""
        auth = httpx.BasicAuth(settings.lrs_key.get_secret_value(), secret)
    return httpx.Client(
        base_url=settings.lrs_url + "/", auth=auth, headers=HEADERS, timeout=settings.lrs_timeout
    )


def _held(client: httpx.Client, statement_id: str) -> bool:
    """True if the LRS gives back the statement of this id."""
    answer = client.get("statements", params={"statementId": statement_id})
    if answer.status_code != 200:
        return False
    found = answer.json()
    # xAPI gives back the statement itself; some LRSs (Ralph) a StatementResult holding it.
    held = found.get("statements", [found]) if isinstance(found, dict) else []
    return any(isinstance(s, dict) and s.get("id") == statement_id for s in held)


# Answers that refuse a statement's content (xAPI says 400; Ralph answers 422 for its model's
# errors, 413 is a batch too large): sent again one statement at a time.
REFUSED = (400, 413, 422)


def _post(
    client: httpx.Client, batch: list[xapi.Pending]
) -> tuple[list[int], dict[int, str], bool]:
    """Post a batch: (row ids the LRS holds, {row id: error} for the others, whether to stop the
    run: the LRS refuses every request, e.g. bad credentials or overloaded). Raises
    httpx.TransportError if the LRS cannot be reached."""
    body = xapi.leaving([p.statement for p in batch])
    answer = client.post("statements", content=json.dumps(body, ensure_ascii=False))
    if answer.status_code in (200, 204):
        return [p.row_id for p in batch], {}, False
    error = f"LRS answered {answer.status_code}: {answer.text[:500]}"
    if answer.status_code == 409:
        # Some ids are held already (a run died after posting): keep what the LRS gives back.
        held = [p.row_id for p in batch if _held(client, p.statement_id)]
        return held, {p.row_id: error for p in batch if p.row_id not in held}, False
    if answer.status_code in REFUSED:
        if len(batch) == 1:
            return [], {batch[0].row_id: error}, False
        sent: list[int] = []
        failed: dict[int, str] = {}
        for one in batch:
            ok, bad, stop = _post(client, [one])
            sent += ok
            failed.update(bad)
            if stop:
                failed.update(
                    {p.row_id: error for p in batch if p.row_id not in sent + list(failed)}
                )
                return sent, failed, True
        return sent, failed, False
    return [], {p.row_id: error for p in batch}, True


def send_pending(
    engine: Engine,
    settings: Settings,
    *,
    client: httpx.Client | None = None,
    now: datetime | None = None,
    max_batches: int | None = None,
    ignore_backoff: bool = False,
) -> SendReport:
    """Send the due statements of the outbox in batches until none is left (or the LRS fails);
    with `ignore_backoff`, also those still waiting after a failure."""
    own = client is None
    client = client or lrs_client(settings)
    sent = failed = batches = 0
    tried: set[int] = set()  # a statement failed in this run waits for the next one
    try:
        while max_batches is None or batches < max_batches:
            with transaction(engine) as session:
                batch = [
                    p
                    for p in xapi.due(
                        session,
                        limit=settings.xapi_batch_size,
                        now=datetime.max.replace(tzinfo=UTC) if ignore_backoff else now,
                    )
                    if p.row_id not in tried
                ]
            if not batch:
                break
            batches += 1
            try:
                ok, bad, stop = _post(client, batch)
            except httpx.TransportError as exc:
                error = f"LRS unreachable: {exc}"
                with transaction(engine) as session:
                    xapi.mark_failed(
                        session,
                        row_ids=[p.row_id for p in batch],
                        error=error,
                        now=now,
                        retry_seconds=settings.xapi_retry_seconds,
                        max_seconds=settings.xapi_retry_max_seconds,
                    )
                logger.warning("xAPI: %s; %d statements stay in the outbox", error, len(batch))
                return SendReport(sent, failed + len(batch), True, error)
            with transaction(engine) as session:
                sent += xapi.mark_sent(session, row_ids=ok)
                for row_id, error in bad.items():
                    failed += xapi.mark_failed(
                        session,
                        row_ids=[row_id],
                        error=error,
                        now=now,
                        retry_seconds=settings.xapi_retry_seconds,
                        max_seconds=settings.xapi_retry_max_seconds,
                    )
            if bad:
                logger.warning(
                    "xAPI: %d statements refused: %s", len(bad), next(iter(bad.values()))
                )
            tried.update(p.row_id for p in batch)
            if stop:
                break
    finally:
        if own:
            client.close()
    logger.info("xAPI: %d statements sent, %d failed", sent, failed)
    return SendReport(sent, failed)
