"""`casebook ingest|enrich|curate|run` need no Prefect server (issue 13): they call the steps.

The commands run as a user runs them, in a process of their own, with PREFECT_API_URL naming a
port where nothing listens: any use of Prefect would fail them.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import conversation_rows, write_jsonl

CASEBOOK = Path(sys.executable).with_name("casebook")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEBOOK_", "PREFECT_"))}
    env.update(
        CASEBOOK_VAR_DIR=str(tmp_path / "var"),
        CASEBOOK_DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'casebook.db'}",
        CASEBOOK_SOURCES_FILE=str(tmp_path / "sources.yaml"),
        CASEBOOK_SECRET_KEY="cli-test-" + "k" * 32,
        PREFECT_API_URL="http://127.0.0.1:9/api",  # the discard port: nothing answers
        PREFECT_HOME=str(tmp_path / "prefect"),
        DO_NOT_TRACK="1",
    )
    return env


def _casebook(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CASEBOOK), *args],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_run_enrich_and_curate_work_without_a_prefect_server(tmp_path):
    write_jsonl(tmp_path / "drop" / "chat.jsonl", conversation_rows())
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - name: social\n    kind: jsonl\n    channel: twitter\n"
        f"    settings:\n      path: {tmp_path / 'drop'}\n"
    )
    run = _casebook(tmp_path, "run")
    assert run.returncode == 0, run.stdout + run.stderr
    # A line per source and step, counts and nouns in agreement (it was a nested dict).
    lines = run.stdout.splitlines()
    assert lines[:2] == [
        "ingest social: 6 records read, 6 new comments, 0 quarantined",
        "enrich: 6 comments analysed (analyser " + lines[1].split("(analyser ")[-1],
    ]
    assert lines[2].startswith("curate: 2 threads curated: 2 cases saved, ")
    assert lines[3].startswith("refine: ") and len(lines) == 4
    with sqlite3.connect(tmp_path / "var" / "casebook.db") as db:
        counts = {
            t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("comments", "analyses", "cases")
        }
    assert counts["comments"] == 6 and counts["analyses"] == 6 and counts["cases"] >= 1, counts
    for command in ("ingest", "enrich", "curate"):
        again = _casebook(tmp_path, command)
        assert again.returncode == 0, again.stdout + again.stderr
    assert not (tmp_path / "prefect").exists()  # Prefect never set up its home


def test_importing_flows_gives_a_temporary_prefect_server_time_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    code = (
        "import flows.ingest\n"
        "from prefect.settings import get_current_settings\n"
        "print(get_current_settings().server.ephemeral.startup_timeout_seconds)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert int(out.stdout.strip()) >= 120
