"""What the delivery tests share: scorm-again from the npm registry (installed once into
var/test-cache/npm, gitignored; never a CDN), a static server on 127.0.0.1 and headless Chromium.

Without npm or Chromium the browser tests are skipped, except in CI where that is a failure."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NPM_CACHE = ROOT / "var" / "test-cache" / "npm"
SCORM_AGAIN = "scorm-again@3"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (cannot be skipped in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def scorm_again() -> Path:
    """The dist/ folder of the scorm-again npm package (installed on first use)."""
    dist = NPM_CACHE / "node_modules" / "scorm-again" / "dist"
    if not (dist / "scorm12.js").exists():
        npm = shutil.which("npm")
        if npm is None:
            _missing("npm is missing: apt-get install -y npm")
        NPM_CACHE.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [npm, "install", "--prefix", str(NPM_CACHE), SCORM_AGAIN, "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            _missing(f"npm install {SCORM_AGAIN} failed: {result.stderr[-500:]}")
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


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """A headless Chromium (Debian's; never `playwright install`)."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is missing: make dev")
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()
