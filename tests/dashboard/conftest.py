"""The dashboard under AppTest, pointed at a migrated SQLite file of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from argon2 import PasswordHasher
from sqlalchemy import Engine

from casebook.settings import get_settings
from store import users
from store.db import close_engines, get_engine, make_engine, transaction, upgrade
from tests.dashboard.seed import Seeded, seed


def _clear_caches() -> None:
    close_engines()
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch) -> None:
    """Argon2 with minimal cost: the dashboard tests create and sign in many users."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def db(tmp_path, monkeypatch) -> Iterator[Engine]:
    """An empty migrated store that the dashboard reads through CASEBOOK_DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'dashboard.db'}"
    engine = make_engine(url)
    upgrade(engine)
    monkeypatch.setenv("CASEBOOK_DATABASE_URL", url)
    _clear_caches()
    yield engine
    engine.dispose()
    get_engine(url).dispose()
    _clear_caches()


@pytest.fixture
def seeded(db) -> Seeded:
    """The store with a case, a candidate scenario and a user of each role."""
    with transaction(db) as s:
        return seed(s)
