"""What the admin pages and commands read (store.admin), on each supported database."""

from __future__ import annotations

from store.admin import list_users, row_counts, source_overview
from store.users import create_user
from tests.dashboard.seed import seed


def test_an_empty_store_has_no_users_and_no_sources(session):
    assert list_users(session).empty
    assert source_overview(session, declared=[]) == []
    assert set(row_counts(session).values()) == {0}


def test_source_overview_joins_declared_and_stored(session):
    seed(session, users=False)
    rows = {
        r["name"]: r for r in source_overview(session, declared=[{"name": "new", "kind": "csv"}])
    }
    assert rows["new"]["declared"] and not rows["new"]["stored"] and rows["new"]["channel"] == "csv"
    assert rows["demo-twitter"]["stored"] and rows["demo-twitter"]["quarantined"] == 1


def test_list_users_hides_hashes(session):
    seed(session)
    create_user(session, username="zed", password="long enough pw", role="admin")
    users = list_users(session)
    assert "password_hash" not in users.columns
    assert not users.astype(str).apply(lambda col: col.str.contains("argon2")).any().any()
    assert list(users["username"])[:2] == ["admin", "advisor"]
    assert set(users["role"]) == {"coach", "advisor", "leader", "admin"}
