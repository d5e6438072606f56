"""A real LRS for the xAPI tests: Ralph (`ralph-malph[cli,lrs]` from PyPI), on 127.0.0.1.

Ralph pins older releases of fastapi, starlette, click and httpx than Casebook's Prefect uses, so
it lives in a virtual environment of its own, `var/test-cache/ralph-venv/` (gitignored),
created here the first time a test needs it (about a minute; CASEBOOK_TEST_RALPH_VENV names
another one). Each test gets its own LRS: credentials made with `ralph auth`, the filesystem
backend in a temporary folder, `uvicorn ralph.api:app` on a free port, stopped after the test.
Ralph's filesystem backend writes one file per store and refuses to write it twice, so a test
makes at most one write that stores new statements (re-posting statements it holds writes nothing).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
RALPH = "ralph-malph[cli,lrs]==5.1.0"
# ralph.api imports requests (its OIDC module) without declaring it.
RALPH_EXTRA = ("requests>=2.31",)


def ralph_venv() -> Path:
    """The Ralph environment, created and installed on first use."""
    venv = Path(
        os.environ.get("CASEBOOK_TEST_RALPH_VENV") or ROOT / "var" / "test-cache" / "ralph-venv"
    )
    marker = venv / ".ralph-installed"
    if marker.exists():
        return venv
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            RALPH,
            *RALPH_EXTRA,
        ],
        check=True,
    )
    marker.write_text(RALPH + "\n")
    return venv


@pytest.fixture(scope="session")
def ralph_bin() -> Path:
    """The bin/ folder of the Ralph environment (skipped outside CI if it cannot be installed)."""
    try:
        return ralph_venv() / "bin"
    except (subprocess.CalledProcessError, OSError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"could not install {RALPH}: {exc}")
        pytest.skip(f"could not install {RALPH}: {exc}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Lrs:
    """A running Ralph LRS: its xAPI endpoint and Basic credentials."""

    url: str  # http://127.0.0.1:PORT/xAPI
    key: str
    secret: str
    folder: Path

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url + "/",
            auth=(self.key, self.secret),
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=20,
        )

    def statements(self) -> list[dict[str, Any]]:
        """Every statement the LRS holds (all pages)."""
        with self.client() as c:
            found, answer = [], c.get("statements", params={"limit": 500}).json()
            found += answer["statements"]
            while answer.get("more"):
                answer = c.get(answer["more"].split("/xAPI/", 1)[1]).json()
                found += answer["statements"]
        return found


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_")}
    env.update(
        RALPH_APP_DIR=str(folder / "app"),
        RALPH_AUTH_FILE=str(folder / "auth.json"),
        RALPH_RUNSERVER_BACKEND="fs",
        RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(folder / "statements"),
        SENTRY_DSN="",
    )
    return env


def start_lrs(ralph: Path, folder: Path, port: int) -> tuple[subprocess.Popen[bytes], Lrs]:
    """Credentials by `ralph auth`, then Ralph's API under uvicorn on 127.0.0.1:port."""
    folder.mkdir(parents=True, exist_ok=True)
    env = _env(folder)
    key, secret = "casebook", secrets.token_urlsafe(16)
    subprocess.run(
        [
            str(ralph / "ralph"),
            "auth",
            "--username",
            key,
            "--password",
            secret,
            "--scope",
            "all",
            "--agent-ifi-account",
            "casebook-sender",
            "https://lrs.casebook.test",
            "--write-to-disk",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    with (folder / "uvicorn.log").open("wb") as log:  # the server keeps its own copy
        proc = subprocess.Popen(
            [str(ralph / "uvicorn"), "ralph.api:app", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Ralph stopped: {(folder / 'uvicorn.log').read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise TimeoutError("Ralph did not answer within 90 s")
    return proc, Lrs(f"http://127.0.0.1:{port}/xAPI", key, secret, folder)


@pytest.fixture
def lrs_port() -> int:
    """A free port on 127.0.0.1 (nothing listens there until `ralph_lrs` starts)."""
    return free_port()


@pytest.fixture
def ralph_lrs(ralph_bin: Path, tmp_path: Path, lrs_port: int) -> Iterator[Any]:
    """A function that starts a fresh Ralph LRS on `lrs_port` (the test decides when), stopped
    at the end of the test."""
    running: list[subprocess.Popen[bytes]] = []

    def start() -> Lrs:
        proc, lrs = start_lrs(ralph_bin, tmp_path / "ralph", lrs_port)
        running.append(proc)
        return lrs

    yield start
    for proc in running:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def validate_with_ralph(ralph: Path, statements: list[dict[str, Any]]) -> list[str]:
    """Errors of Ralph's pydantic xAPI model (BaseXapiStatement) on each statement; [] if valid."""
    script = (
        "import json, sys\n"
        "from ralph.models.xapi.base.statements import BaseXapiStatement\n"
        "errors = []\n"
        "for s in json.load(sys.stdin):\n"
        "    try:\n"
        "        BaseXapiStatement.model_validate(s)\n"
        "    except Exception as exc:\n"
        "        errors.append(f\"{s.get('id')}: {exc}\")\n"
        "print(json.dumps(errors))\n"
    )
    done = subprocess.run(
        [str(ralph / "python"), "-c", script],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(done.stdout))
