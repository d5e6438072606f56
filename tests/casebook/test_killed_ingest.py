"""`casebook ingest` killed with SIGKILL (issue 13): it leaves no process behind (it used to leave
the temporary Prefect server it had started serving for ever), and the next run marks the
killed run abandoned instead of "running" for ever, then adds each record once.
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N = 60_000


def _session_members(sid: int) -> list[int]:
    """Live processes of the session `sid` (zombies aside)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if session == sid and state != "Z":
            members.append(int(entry.name))
    return members


@pytest.mark.slow
def test_a_killed_ingest_leaves_no_process_and_its_run_is_marked_abandoned(tmp_path):
    path = tmp_path / "drop" / "export.csv"
    path.parent.mkdir()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "created_at", "author", "text"])
        for i in range(N):
            writer.writerow([f"r{i}", "2026-11-01T10:00:00+00:00", f"u{i % 997}", f"text {i} " * 4])
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - name: crm\n    kind: csv\n    channel: ticket\n"
        f"    settings:\n      path: {path.parent}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEBOOK_", "PREFECT_"))}
    env.update(
        CASEBOOK_VAR_DIR=str(tmp_path / "var"),
        CASEBOOK_SOURCES_FILE=str(tmp_path / "sources.yaml"),
        CASEBOOK_SECRET_KEY="killed-test-" + "k" * 32,
        PREFECT_HOME=str(tmp_path / "prefect"),
        DO_NOT_TRACK="1",
    )
    db = tmp_path / "var" / "casebook.db"
    cmd = [str(Path(sys.executable).with_name("casebook")), "ingest"]
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        stored, deadline = 0, time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None and stored == 0:
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        stored = conn.execute("select count(*) from comments").fetchone()[0]
                except sqlite3.OperationalError:
                    stored = 0
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # the command alone, as the OOM killer would
        proc.wait()
        assert 0 < stored < N, f"the kill did not land half-way ({stored} stored)"
        time.sleep(1)
        assert _session_members(proc.pid) == [], "a process outlived the killed command"
    finally:
        for pid in _session_members(proc.pid):
            os.kill(pid, signal.SIGKILL)

    rerun = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as conn:
        runs = conn.execute("select status, error from ingest_runs order by id").fetchall()
        total, distinct = conn.execute(
            "select count(*), count(distinct external_id) from comments"
        ).fetchone()
    assert [status for status, _ in runs] == ["abandoned", "succeeded"]
    assert "abandoned" in runs[0][1]
    assert total == distinct == N
