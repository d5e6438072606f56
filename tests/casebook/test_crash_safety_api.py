"""A real `casebook ingest` of an X source, killed with SIGKILL half-way, then run again: each tweet once."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sources.fakes import x_api
from tests.sources.fakes.server import FakeServer

N = 1500


class SlowX(x_api.FakeX):
    """The fake X API with many mentions, answering a little slowly like the real one."""

    def __init__(self) -> None:
        super().__init__()
        self.tweets = [
            x_api.tweet(
                10_000 + i,
                "501",
                f"@acme_care complaint number {i}",
                10_000 + i,
                created_at=f"2024-05-01T10:{i % 60:02d}:00.000Z",
            )
            for i in range(N)
        ]

    def route(self, request):
        time.sleep(0.4)  # ingest commits every 2 s or so: make several commits happen
        return super().route(request)


@pytest.mark.slow
def test_kill_minus_nine_during_an_api_ingest_then_rerun_gives_each_tweet_once(tmp_path):
    api = SlowX()
    with FakeServer(api) as server:
        (tmp_path / "sources.yaml").write_text(
            "sources:\n"
            "  - name: brand-x\n"
            "    kind: x\n"
            "    channel: twitter\n"
            "    settings:\n"
            f"      user_id: '{x_api.BRAND_ID}'\n"
            f"      base_url: {server.url}\n"
            "      conversations: false\n"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEBOOK_", "PREFECT_"))}
        env.update(
            CASEBOOK_VAR_DIR=str(tmp_path / "var"),
            CASEBOOK_X_TOKEN=x_api.TOKEN,
            CASEBOOK_SOURCES_FILE=str(tmp_path / "sources.yaml"),
            DO_NOT_TRACK="1",
        )
        db = tmp_path / "var" / "casebook.db"
        cmd = [str(Path(sys.executable).with_name("casebook")), "ingest"]

        proc = subprocess.Popen(
            cmd, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        stored, deadline = 0, time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None and stored == 0:
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        stored = conn.execute("select count(*) from comments").fetchone()[0]
                except sqlite3.OperationalError:
                    stored = 0
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert 0 < stored < N, f"the kill did not land half-way ({stored} stored)"

        rerun = subprocess.run(
            cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert rerun.returncode == 0, rerun.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        total, distinct = conn.execute(
            "select count(*), count(distinct external_id) from comments"
        ).fetchone()
    assert total == distinct == N
