"""Ingest runs: started, finished, and those left "running" by a process that died marked abandoned."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import IngestRun, RunStatus, Source, utcnow

STALE_AFTER = timedelta(hours=1)  # a run that committed nothing for this long is abandoned

log = logging.getLogger(__name__)


def worker_id() -> str:
    """This process, as an ingest run records who runs it: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _process_gone(worker: str | None) -> bool:
    """True when `worker` ("host:pid") was a process of this host that no longer exists."""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's (or unknown): only its silence can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def abandon_stale_runs(session: Session, *, source: Source) -> int:
    """Mark as abandoned the runs of `source` still "running" whose process is gone (killed,
    crashed) or that committed nothing for STALE_AFTER; returns how many."""
    now = utcnow()
    runs = session.scalars(
        select(IngestRun).where(
            IngestRun.source_id == source.id, IngestRun.status == RunStatus.running
        )
    ).all()
    abandoned = 0
    for run in runs:
        silent = now - (run.heartbeat_at or run.started_at)
        if _process_gone(run.worker) or silent > STALE_AFTER:
            run.status = RunStatus.abandoned
            run.finished_at = now
            run.error = (
                f"abandoned: its process ({run.worker or 'unknown'}) stopped without finishing "
                f"it, or it committed nothing for {silent.total_seconds() / 60:.0f} minutes"
            )
            abandoned += 1
    if abandoned:
        log.warning(
            "%s: %d earlier run(s) left running marked abandoned",
            source.name,
            abandoned,
            extra={"source": source.name, "abandoned": abandoned},
        )
    session.flush()
    return abandoned


def start_run(session: Session, *, source: Source) -> IngestRun:
    """A new ingest run of `source`, recorded as running (earlier runs left running by a process
    that died are marked abandoned first)."""
    abandon_stale_runs(session, source=source)
    run = IngestRun(
        source_id=source.id, status=RunStatus.running, worker=worker_id(), heartbeat_at=utcnow()
    )
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, *, run: IngestRun, error: str | None = None) -> None:
    """Mark `run` as finished, failed when `error` is given."""
    run.finished_at = utcnow()
    run.status = RunStatus.failed if error else RunStatus.succeeded
    run.error = error
    session.flush()
