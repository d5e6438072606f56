"""The store's engines: one per URL and process, closed on request."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from casebook.settings import get_settings
from store.db import close_engines, get_engine
from tests.helpers import use_store


def test_the_configured_store_has_one_engine_however_it_is_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_store(monkeypatch, tmp_path)
    url = get_settings().db_url
    assert get_engine() is get_engine(url)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert get_engine(other) is not get_engine()
    close_engines()


def test_close_engines_closes_pooled_connections_and_forgets_the_engines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_store(monkeypatch, tmp_path)
    engine = get_engine()
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar() == 1
    pool = engine.pool
    assert pool.checkedin() == 1  # the connection went back to the pool, still open
    close_engines()
    assert pool.checkedin() == 0
    assert get_engine() is not engine
    close_engines()
