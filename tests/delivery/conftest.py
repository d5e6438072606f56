"""What the delivery tests share: scorm-again from the npm registry (installed once into
var/test-cache/npm, gitignored; never a CDN) and a static server on 127.0.0.1; headless
Chromium is the run's one `browser` (tests/chromium.py).

Without npm or Chromium the browser tests are skipped, except in CI where that is a failure."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chromium import missing

ROOT = Path(__file__).resolve().parents[2]
NPM_CACHE = ROOT / "var" / "test-cache" / "npm"
SCORM_AGAIN = "scorm-again@3"


@pytest.fixture(scope="session")
def scorm_again() -> Path:
    """The dist/ folder of the scorm-again npm package (installed on first use)."""
    dist = NPM_CACHE / "node_modules" / "scorm-again" / "dist"
    if not (dist / "scorm12.js").exists():
        npm = shutil.which("npm")
        if npm is None:
            missing("npm is missing: apt-get install -y npm")
        NPM_CACHE.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [npm, "install", "--prefix", str(NPM_CACHE), SCORM_AGAIN, "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            missing(f"npm install {SCORM_AGAIN} failed: {result.stderr[-500:]}")
    return dist


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def serve_folder() -> Iterator:
    """serve(folder) -> base URL of a static server of `folder` on 127.0.0.1 (stopped after)."""
    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
