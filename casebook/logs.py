"""Logging of the product: configured once by the entry points (the `casebook` command, the flows).

Library code only logs (`log = logging.getLogger(__name__)`); `configure_logging` decides where
the records go: one handler on the root logger writing to stderr, as text or as JSON lines
(CASEBOOK_LOG_FORMAT), with the product's own loggers at CASEBOOK_LOG_LEVEL (other libraries
keep Python's WARNING). Inside Prefect flows the same records also reach the run's logs through
Prefect's own mechanism, PREFECT_LOGGING_EXTRA_LOGGERS (set here before Prefect loads, for this
process and the processes it starts).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

# The product's top-level packages: their loggers take CASEBOOK_LOG_LEVEL.
PACKAGES = ("casebook", "sources", "store", "nlp", "curation", "flows", "dashboard")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# What every LogRecord has: anything else on a record came from `extra=` and is kept in JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonLinesFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the record's extra fields and, when
    there is one, the exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in line:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class ProductHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler configure_logging installs: a class of its own, so it is replaced, not added
    twice, and so Prefect, loaded later, leaves it on the root logger (Prefect puts its console
    there only when no handler of a public class is there already).

    It writes to the sys.stderr of the moment, as logging's last-resort handler does: while the
    command line shows progress bars, the bars' stand-in for stderr prints the records above them.
    """

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # always the current sys.stderr


def configure_logging(level: str = "WARNING", format: str = "text") -> None:
    """Send the product's records at `level` and above to stderr, as `format` (text or json).

    Safe to call more than once: the handler is replaced, never added twice.
    """
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"CASEBOOK_LOG_LEVEL is {level!r}: use DEBUG, INFO, WARNING or ERROR")
    if format not in ("text", "json"):
        raise ValueError(f"CASEBOOK_LOG_FORMAT is {format!r}: use text or json")
    handler = ProductHandler()
    handler.setFormatter(
        JsonLinesFormatter() if format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        # Prefect puts its console on the root only when nobody else has; when it got there
        # first, ours takes its place, so each record is written once.
        if isinstance(old, ProductHandler) or type(old).__name__ == "PrefectConsoleHandler":
            root.removeHandler(old)
    root.addHandler(handler)
    for name in PACKAGES:
        logging.getLogger(name).setLevel(numeric)
    # Prefect attaches its run-log handler to these loggers when it sets up logging (when it is
    # imported): in flows run from here, and in the flow runs of processes started from here.
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", ",".join(PACKAGES))
    # Outside a run (e.g. `casebook import`) those records have no run to go to: only stderr.
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
