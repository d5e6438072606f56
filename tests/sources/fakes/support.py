"""What the network connector tests share: reading everything, a recorded sleep, a store run."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from sources.base import Batch, Connector, Record, Rejected
from store.ingest import ensure_source, finish_run, start_run, write_batch
from store.models import Comment, IngestRun, QuarantinedRecord, Source, Thread

NOW = 1_714_560_000.0  # the injected clock: 2024-05-01T10:40:00Z
KEY = b"test-pseudonym-key-0123456789abcdef"


class Sleeps(list):
    """An injectable sleep that only writes down how long it was asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def read_all(
    connector: Connector, cursor: dict[str, Any] | None = None
) -> tuple[list[Batch], list[Record], list[Rejected], dict[str, Any]]:
    """Every batch of one read, their records and rejects, and the last cursor."""
    batches = list(connector.read(dict(cursor or {})))
    records = [r for b in batches for r in b.records]
    rejected = [r for b in batches for r in b.rejected]
    last = batches[-1].cursor if batches else dict(cursor or {})
    return batches, records, rejected, last


def ingest(engine: Engine, name: str, kind: str, channel: str, connector: Connector) -> dict:
    """One ingest run into the store, a transaction per batch as the pipeline does it."""
    with Session(engine) as session, session.begin():
        source = ensure_source(session, name=name, kind=kind, channel=channel, config={})
        run = start_run(session, source=source)
        source_id, run_id, cursor = source.id, run.id, dict(source.cursor or {})
    new = quarantined = 0
    for batch in connector.read(cursor):
        with Session(engine) as session, session.begin():
            source = session.get_one(Source, source_id)
            run = session.get_one(IngestRun, run_id)
            done = write_batch(
                session, source=source, run=run, batch=batch, key=KEY
            )  # (new, quarantined, ...)
            new, quarantined = new + done[0], quarantined + done[1]
    with Session(engine) as session, session.begin():
        finish_run(session, run=session.get_one(IngestRun, run_id))
    return {"new": new, "quarantined": quarantined}


def counts(engine: Engine) -> dict[str, int]:
    """Comments, threads and quarantined records in the store."""
    with Session(engine) as session:
        return {
            "comments": session.scalar(select(func.count(Comment.id))) or 0,
            "threads": session.scalar(select(func.count(Thread.id))) or 0,
            "quarantined": session.scalar(select(func.count(QuarantinedRecord.id))) or 0,
        }
