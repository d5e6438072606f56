"""configure_logging: one handler, the product's levels, JSON lines, Prefect's extra loggers."""

import json
import logging

import pytest

from casebook.logs import PACKAGES, configure_logging
from casebook.settings import Settings


@pytest.fixture
def restore_logging(monkeypatch):
    """Put the root handlers and the product's levels back as they were."""
    monkeypatch.delenv("PREFECT_LOGGING_EXTRA_LOGGERS", raising=False)
    monkeypatch.delenv("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", raising=False)
    root = logging.getLogger()
    handlers, levels = list(root.handlers), {n: logging.getLogger(n).level for n in PACKAGES}
    yield
    root.handlers[:] = handlers
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_json_lines_parse_with_time_level_logger_message_and_extra_fields(restore_logging, capsys):
    configure_logging("INFO", "json")
    log = logging.getLogger("sources.example")
    log.info("%s: %d records quarantined", "chat", 3, extra={"source": "chat", "quarantined": 3})
    log.debug("not at INFO")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("it broke")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert len(lines) == 2
    first, second = lines
    assert first["level"] == "INFO"
    assert first["logger"] == "sources.example"
    assert first["message"] == "chat: 3 records quarantined"
    assert (first["source"], first["quarantined"]) == ("chat", 3)
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR"
    assert "ValueError: boom" in second["exception"]


def test_configured_twice_writes_each_record_once_at_the_new_level(restore_logging, capsys):
    configure_logging("INFO", "text")
    configure_logging("WARNING", "text")
    log = logging.getLogger("casebook.example")
    log.info("hidden")
    log.warning("shown")
    err = capsys.readouterr().err
    assert "hidden" not in err
    assert err.count("shown") == 1
    assert "WARNING casebook.example: shown" in err
    assert logging.getLogger("store").level == logging.WARNING


def test_prefect_gets_the_product_loggers_unless_told_otherwise(restore_logging, monkeypatch):
    import os

    configure_logging()
    assert os.environ["PREFECT_LOGGING_EXTRA_LOGGERS"] == ",".join(PACKAGES)
    monkeypatch.setenv("PREFECT_LOGGING_EXTRA_LOGGERS", "casebook")
    configure_logging()
    assert os.environ["PREFECT_LOGGING_EXTRA_LOGGERS"] == "casebook"


def test_the_settings_take_a_level_in_any_case_and_refuse_others(monkeypatch):
    monkeypatch.setenv("CASEBOOK_LOG_LEVEL", "info")
    monkeypatch.setenv("CASEBOOK_LOG_FORMAT", "json")
    settings = Settings()
    assert (settings.log_level, settings.log_format) == ("INFO", "json")
    monkeypatch.setenv("CASEBOOK_LOG_LEVEL", "loud")
    with pytest.raises(ValueError, match="log_level"):
        Settings()


def test_prefect_loaded_after_configuring_sends_the_product_loggers_to_run_logs(tmp_path):
    import os
    import subprocess
    import sys

    script = (
        "import logging\n"
        "from casebook.logs import PACKAGES, configure_logging\n"
        "configure_logging()\n"
        "from prefect import flow\n"
        "from prefect.logging.handlers import APILogHandler\n"
        "from casebook.logs import ProductHandler\n"
        "assert [type(h) for h in logging.getLogger().handlers] == [ProductHandler]\n"
        "for name in PACKAGES:\n"
        "    handlers = logging.getLogger(name).handlers\n"
        "    assert any(isinstance(h, APILogHandler) for h in handlers), name\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_LOGGING")}
    env["PREFECT_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr
