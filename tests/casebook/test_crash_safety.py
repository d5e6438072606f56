"""A real ingest process killed with SIGKILL half-way, then run again, ends with every record once."""

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N = 60_000  # six batches of 10,000


@pytest.mark.slow
def test_kill_minus_nine_half_way_then_rerun_gives_each_record_once(tmp_path):
    path = tmp_path / "export.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "created_at", "author", "text"])
        for i in range(N):
            writer.writerow(
                [f"r{i}", "2026-11-01T10:00:00+00:00", f"user{i % 997}", f"comment number {i} " * 4]
            )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}
    env.update(
        CASEBOOK_VAR_DIR=str(tmp_path / "var"), CASEBOOK_SOURCES_FILE=str(tmp_path / "none.yaml")
    )
    db = tmp_path / "var" / "casebook.db"
    cmd = [
        str(Path(sys.executable).with_name("casebook")),
        "import",
        str(path),
        "--format",
        "csv",
        "--source",
        "crm",
        "--channel",
        "ticket",
    ]

    proc = subprocess.Popen(
        cmd, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    stored = conn.execute("select count(*) from comments").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
            if stored > 0:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < stored < N, f"the kill did not land half-way ({stored} stored)"

    rerun = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as conn:
        total, distinct = conn.execute(
            "select count(*), count(distinct external_id) from comments"
        ).fetchone()
    assert total == distinct == N
