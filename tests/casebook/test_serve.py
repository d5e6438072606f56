import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PORT = 4291


def post(path: str, body: dict) -> list[dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/api{path}",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


@pytest.mark.slow
def test_serve_starts_a_prefect_server_and_schedules_the_deployments(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CASEBOOK_"))}
    env.update(
        CASEBOOK_VAR_DIR=str(tmp_path / "var"),
        CASEBOOK_PREFECT_PORT=str(PORT),
        CASEBOOK_SOURCES_FILE=str(tmp_path / "sources.yaml"),
        DO_NOT_TRACK="1",
    )
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("casebook")), "serve"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline, schedules, scheduled = time.monotonic() + 150, {}, []
        while time.monotonic() < deadline and not (len(schedules) == 5 and scheduled):
            time.sleep(2)
            try:
                schedules = {
                    d["name"]: [s["schedule"].get("cron") for s in d["schedules"]]
                    for d in post("/deployments/filter", {})
                }
                scheduled = post(
                    "/flow_runs/filter", {"flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}}
                )
            except OSError:
                continue
        assert schedules == {
            "ingest": ["*/15 * * * *"],
            "enrich": ["5,20,35,50 * * * *"],
            "curate": ["10 * * * *"],
            "xapi": ["*/5 * * * *"],
            "pipeline": [],
        }
        assert scheduled, "the scheduler created no upcoming runs"
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C: this process stops its children in order
        try:
            out, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode is not None
    said = out.decode(errors="replace")
    # The runner stopped before its server: no lost connection, no unawaited stop.
    assert "ConnectionRefusedError" not in said and "never awaited" not in said
    assert "Server stopped!" in said
    with pytest.raises(OSError):
        post("/deployments/filter", {})  # the server is gone with it
