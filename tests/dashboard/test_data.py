"""dashboard.data: one cached read per database, function and arguments; writes clear the reads."""

from __future__ import annotations

from casebook.settings import get_settings
from dashboard import data
from store.admin import list_users
from store.db import make_engine, transaction, upgrade
from store.users import create_user

PASSWORD = "long enough pw"


def test_reads_are_cached_per_database_and_arguments(db, tmp_path, monkeypatch):
    with transaction(db) as s:
        create_user(s, username="first", password=PASSWORD, role="admin")
    assert list(data.read(list_users)["username"]) == ["first"]
    assert data.read(list_users, role="coach").empty

    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    other = make_engine(other_url)
    upgrade(other)
    with transaction(other) as s:
        create_user(s, username="second", password=PASSWORD, role="coach")
    monkeypatch.setenv("CASEBOOK_DATABASE_URL", other_url)
    get_settings.cache_clear()
    try:
        assert list(data.read(list_users)["username"]) == ["second"]  # not the first store's
        assert list(data.read(list_users, role="coach")["username"]) == ["second"]
    finally:
        other.dispose()


def test_a_write_clears_the_reads(db):
    assert data.read(list_users).empty
    with transaction(db) as s:  # behind the dashboard's back: the cached read stays
        create_user(s, username="quiet", password=PASSWORD, role="admin")
    assert data.read(list_users).empty
    data.write(create_user, username="loud", password=PASSWORD, role="coach")
    assert list(data.read(list_users)["username"]) == ["loud", "quiet"]
