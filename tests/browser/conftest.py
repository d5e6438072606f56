"""A real `casebook dashboard` on 127.0.0.1, filled by `casebook demo`, and a headless Chromium.

The demo store, the server's log and Prefect's home live in a temporary folder; screenshots go
to tests/output/browser/ (gitignored). Without /usr/bin/chromium the browser tests are skipped,
except in CI (CI set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

OUTPUT_DIR = Path(__file__).resolve().parents[1] / "output" / "browser"
CASEBOOK = Path(sys.executable).with_name("casebook")
PEER = ("peer", "amber lantern orchard", "Pat (peer)")  # username, password, display name
DEMO_COMMENTS = 600
SERVER_START_TIMEOUT = 90  # seconds
DEFAULT_TIMEOUT_MS = 30_000
EXPORT_LINK_SECONDS = 2


@dataclass(frozen=True)
class Demo:
    """The demo store the dashboard under test reads."""

    home: Path
    env: dict[str, str]
    db_url: str
    demo_dir: Path


def _run(cmd: list[str], demo_env: dict[str, str], cwd: Path, timeout: int = 600) -> None:
    result = subprocess.run(
        cmd, cwd=cwd, env=demo_env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


@pytest.fixture(scope="session")
def demo(chromium_path, tmp_path_factory) -> Demo:
    """A temporary project folder with the demo data, the demo accounts and a peer advisor."""
    home = tmp_path_factory.mktemp("casebook-browser")
    var = home / "var"
    db_url = f"sqlite:///{var / 'casebook.db'}"
    # Only this store's settings: no CASEBOOK_* of the caller's shell leaks into the servers.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}
    env.update(
        CASEBOOK_VAR_DIR=str(var),
        CASEBOOK_DATABASE_URL=db_url,
        CASEBOOK_SOURCES_FILE=str(home / "sources.yaml"),
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_HOME=str(var / "prefect"),
        # The demo accounts sign in in demo mode only; export links expire fast for the test.
        CASEBOOK_DEMO_MODE="1",
        CASEBOOK_EXPORT_LINK_SECONDS=str(EXPORT_LINK_SECONDS),
    )
    _run([str(CASEBOOK), "demo", "--no-dashboard", "--comments", str(DEMO_COMMENTS)], env, home)
    username, password, name = PEER
    add_env = {**env, "CASEBOOK_NEW_USER_PASSWORD": password}
    _run(
        [
            str(CASEBOOK),
            "users",
            "add",
            username,
            "--role",
            "advisor",
            "--name",
            name,
            "--team",
            "care-paris",
            "--site",
            "Paris",
            "--language",
            "en",
            "--level",
            "3",
        ],
        add_env,
        home,
    )
    return Demo(home=home, env=env, db_url=db_url, demo_dir=var / "demo")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def dashboard_url(demo) -> Iterator[str]:
    """`casebook dashboard` on a free port of 127.0.0.1, stopped (with its Streamlit) at the end."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = demo.home / "dashboard.log"
    with log_path.open("w") as log:
        # A session of its own: `casebook dashboard` runs Streamlit as a child, both are stopped.
        server = subprocess.Popen(
            [str(CASEBOOK), "dashboard", "--port", str(port)],
            cwd=demo.home,
            env=demo.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if server.poll() is not None:
                raise RuntimeError(f"the dashboard exited early:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the dashboard did not answer in time:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)
    except ProcessLookupError:
        pass


@pytest.fixture
def new_page(browser) -> Iterator[Callable[[], object]]:
    """Opens a page in a fresh browser context (a new Streamlit session: nobody signed in)."""
    contexts = []

    def open_page():  # noqa: ANN202
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where the screenshots go."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR


# ---------------------------------------------------------------------------- page timings

# name -> seconds, filled by the browser tests (tests/browser/test_sessions.py), printed at the
# end of the run and written to tests/output/browser/timings.json.
TIMINGS: dict[str, float] = {}
FIRST_PAGE_BUDGET = 2.0  # seconds: first page after sign-in, on the demo
PAGE_CHANGE_BUDGET = 1.0  # seconds: a change of page


def record_timing(name: str, seconds: float) -> None:
    """Keep one measured page timing."""
    TIMINGS[name] = round(seconds, 3)


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 (pytest's hook)
    if not TIMINGS:
        return
    import json
    import os as _os

    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    load = _os.getloadavg()[0] if hasattr(_os, "getloadavg") else None
    report = {
        "budgets_seconds": {"first_page": FIRST_PAGE_BUDGET, "page_change": PAGE_CHANGE_BUDGET},
        "load_average_1min": load,
        "cpus": _os.cpu_count(),
        "timings_seconds": dict(sorted(TIMINGS.items())),
    }
    (OUTPUT_DIR / "timings.json").write_text(json.dumps(report, indent=2) + "\n")
    terminalreporter.section("dashboard page timings (seconds)")
    for name, seconds in sorted(TIMINGS.items()):
        budget = FIRST_PAGE_BUDGET if name.startswith("first-page") else PAGE_CHANGE_BUDGET
        mark = "ok" if seconds < budget else f"OVER {budget:g} s"
        terminalreporter.write_line(f"{name:45s} {seconds:6.3f}  {mark}")
    terminalreporter.write_line(f"(1-min load average {load}, {report['cpus']} CPUs)")
