"""Ingest runs left "running" by a process that is gone are marked abandoned by the next run."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select

from store.ingest import ensure_source
from store.models import IngestRun, RunStatus, utcnow
from store.runs import STALE_AFTER, start_run, worker_id


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_runs_of_dead_or_silent_processes_are_abandoned_live_ones_kept(session):
    source = ensure_source(session, name="runs", kind="csv", channel="ticket")
    host = worker_id().rsplit(":", 1)[0]
    dead = IngestRun(source_id=source.id, worker=f"{host}:{_dead_pid()}", heartbeat_at=utcnow())
    silent = IngestRun(
        source_id=source.id,
        worker="another-host:42",
        heartbeat_at=utcnow() - STALE_AFTER - timedelta(minutes=1),
    )
    elsewhere = IngestRun(source_id=source.id, worker="another-host:43", heartbeat_at=utcnow())
    live = start_run(session, source=source)  # this process: alive
    session.add_all([dead, silent, elsewhere])
    session.flush()
    start_run(session, source=source)
    session.expire_all()
    statuses = {
        r.id: r.status
        for r in session.scalars(select(IngestRun).where(IngestRun.source_id == source.id))
    }
    assert statuses[dead.id] == RunStatus.abandoned
    assert statuses[silent.id] == RunStatus.abandoned
    assert statuses[elsewhere.id] == RunStatus.running
    assert statuses[live.id] == RunStatus.running
    assert session.get(IngestRun, dead.id).finished_at is not None
