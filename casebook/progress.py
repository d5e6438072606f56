"""Progress of long work: silent by default; the command line shows bars, flows log."""

from __future__ import annotations

from collections.abc import Callable

Reporter = Callable[[str, int, int | None], None]  # (stage, done so far, total if known)

_reporter: Reporter | None = None


def set_reporter(reporter: Reporter | None) -> None:
    """Send progress to `reporter` (None: nowhere)."""
    global _reporter
    _reporter = reporter


def report(stage: str, done: int, total: int | None = None) -> None:
    """Tell whoever listens how far `stage` has got."""
    if _reporter is not None:
        _reporter(stage, done, total)
