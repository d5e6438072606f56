"""One headless Chromium for the whole run (Debian's /usr/bin/chromium; never `playwright
install`), shared by the dashboard's browser tests and the delivery players' tests.

One session fixture, because Playwright's sync API refuses a second `sync_playwright()` while
another is open in the same process ("Sync API inside the asyncio loop"). Without Chromium or
Playwright the tests that need it are skipped, except in CI (CI set), where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

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


def missing(reason: str) -> None:
    """Skip the test for want of `reason`, or fail it in CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (cannot be skipped in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """The system Chromium; skips (fails in CI) when it or Playwright is missing."""
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright package is missing: make dev")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path) -> Iterator[object]:
    """Headless Chromium driven through Playwright's sync API, for the whole run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
