"""Stopping `casebook dashboard` stops its Streamlit child too (issue 13).

The command runs as in a terminal or under a service manager: a signal sent to it alone
(SIGTERM from `kill`, SIGINT) must not leave Streamlit serving the port.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CASEBOOK = Path(sys.executable).with_name("casebook")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.read().decode().strip() == "ok"
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_dashboard_command_stops_streamlit(tmp_path, signum):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}
    env.update(
        CASEBOOK_VAR_DIR=str(tmp_path / "var"),
        CASEBOOK_DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'casebook.db'}",
        CASEBOOK_SECRET_KEY="dashboard-test-" + "k" * 32,
        DO_NOT_TRACK="1",
    )
    command = subprocess.Popen(
        [str(CASEBOOK), "dashboard", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so the test can clean up the whole group whatever happens
    )
    try:
        deadline = time.monotonic() + 120
        while not _healthy(port):
            assert command.poll() is None, "the dashboard exited early"
            assert time.monotonic() < deadline, "the dashboard did not answer in time"
            time.sleep(0.3)
        children = _children(command.pid)
        assert children, "streamlit runs as a child of the command"
        command.send_signal(signum)  # to the command alone, not its group
        command.wait(timeout=40)
        deadline = time.monotonic() + 10
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(c) for c in children), "streamlit outlived the command"
        assert not _healthy(port)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(command.pid, signal.SIGKILL)
        command.wait(timeout=10)
