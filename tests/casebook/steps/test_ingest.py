"""The ingest step logs what an operator needs: quarantined batches, failed sources, a summary."""

import logging

import pytest

from casebook.steps.ingest import ingest_source, register_source
from sources.base import SourceError
from tests.helpers import conversation_rows, write_jsonl

KEY = b"k" * 32


def test_a_quarantined_batch_is_logged_with_its_source_and_count(sqlite_engine, tmp_path, caplog):
    rows = conversation_rows()
    rows.append({**rows[0], "external_id": "bad", "text": ""})
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    register_source(sqlite_engine, "chat", "jsonl", "chat", {"path": str(path), "channel": "chat"})
    with caplog.at_level(logging.INFO, logger="casebook.steps.ingest"):
        result = ingest_source(sqlite_engine, "chat", KEY)
    assert result.quarantined == 1
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.getMessage() == "chat: 1 of a batch of 7 records quarantined"
    assert (warning.source, warning.quarantined) == ("chat", 1)
    [summary] = [r for r in caplog.records if r.levelno == logging.INFO]
    assert summary.getMessage() == (
        "chat: 7 read, 6 new, 0 edited, 0 cross-posts linked, 1 quarantined"
    )


def test_a_failed_source_is_logged_with_its_error(sqlite_engine, tmp_path, caplog):
    gone = tmp_path / "gone"
    register_source(sqlite_engine, "drop", "csv", "ticket", {"path": str(gone), "channel": "x"})
    with caplog.at_level(logging.INFO, logger="casebook.steps.ingest"), pytest.raises(SourceError):
        ingest_source(sqlite_engine, "drop", KEY)
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error.getMessage().startswith("drop failed after 0 records: ")
    assert str(gone) in error.error
    assert error.source == "drop"
