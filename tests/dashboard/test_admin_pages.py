"""The admin's pages: sources with their runs and counts, the quarantine by source, the accounts."""

from __future__ import annotations

import json

import pytest
import streamlit as st
from sqlalchemy import select

# AppTest puts the page's folder first on sys.path, where screens/sources.py would shadow the
# `sources` package (store.ingest imports sources.base): import the package before any page runs.
import sources.base  # noqa: F401
from store.db import transaction
from store.models import QuarantinedRecord, Source
from store.quarantine import RAW_SHOWN
from store.users import UserInfo, create_user
from tests.dashboard.harness import app, csv_rows, page
from tests.dashboard.seed import seed

ADMIN_PAGES = ["source_health", "users"]


def admin(language: str = "en") -> UserInfo:
    return UserInfo(id=999, username="ali", display_name="Ali", role="admin", language=language)


@pytest.fixture
def downloads(monkeypatch):
    seen: list[bytes] = []
    original = st.download_button

    def record(label, data, *args, **kwargs):  # noqa: ANN001, ANN202
        seen.append(data() if callable(data) else data)  # made on click: make it now
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", record)
    return seen


@pytest.fixture
def stocked(db):
    with transaction(db) as s:
        seed(s)
        other = Source(name="=cmd|' /C calc'!A0", kind="csv", channel="email")
        s.add(other)
        s.flush()
        s.add(
            QuarantinedRecord(source_id=other.id, position="f.csv:2", reason="no text", raw="=1+1")
        )
    return db


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_page_on_an_empty_store(db, name):
    at = app(admin(), script=page(name)).run()
    assert not at.exception and not at.error
    assert at.info


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize("role", ["coach", "advisor", "leader"])
def test_admin_pages_refuse_other_roles(db, name, role):
    at = app(UserInfo(id=1, username=role, display_name=role, role=role), script=page(name)).run()
    assert len(at.error) == 1 and "role" in at.error[0].value
    assert not at.title


def test_sources_show_runs_counts_and_the_filtered_quarantine(stocked, downloads):
    at = app(admin(), script=page("source_health")).run()
    assert not at.exception and not at.error
    sources, quarantine = (d.value for d in at.dataframe)
    row = sources.set_index("name").loc["demo-twitter"]
    assert (row["last_run_status"], row["comments"], row["quarantined"]) == ("succeeded", 3, 1)
    assert len(quarantine) == 2
    at.selectbox(key="quarantine_source").set_value("demo-twitter").run()
    quarantine = at.dataframe[1].value
    assert list(quarantine["reason"]) == ["bad json"]
    # every CSV escapes cells a spreadsheet would run
    names = {r["Name"] for r in csv_rows(downloads[0])}
    assert "'=cmd|' /C calc'!A0" in names and "=cmd|' /C calc'!A0" not in names


def test_quarantine_csv_escapes_raw_records(stocked, downloads):
    app(admin(), script=page("source_health")).run()
    assert "'=1+1" in {r["Raw record"] for r in csv_rows(downloads[-1])}


def test_users_list_without_hashes_and_by_role(stocked, db):
    with transaction(db) as s:
        create_user(s, username="=evil", password="long enough pw", role="advisor")
    at = app(admin(), script=page("users")).run()
    users = at.dataframe[0].value
    assert "password_hash" not in users.columns
    assert not users.astype(str).apply(lambda c: c.str.contains("argon2")).any().any()
    at.selectbox(key="users_role").set_value("advisor").run()
    assert set(at.dataframe[0].value["role"]) == {"advisor"}


def test_users_page_in_french(stocked):
    at = app(admin("fr"), script=page("users")).run()
    assert not at.exception and at.title[0].value == "Utilisateurs"


# ------------------------------------------------------------------ quarantine: redacted by default

PERSONAL = '{"author": "@jane_d", "text": "Call me on 0612345678 or jane.doe@example.com", "id": 7'


@pytest.fixture
def personal(db):
    with transaction(db) as s:
        source = Source(name="chat", kind="jsonl", channel="chat")
        s.add(source)
        s.flush()
        s.add(
            QuarantinedRecord(
                source_id=source.id, position="f.jsonl:3", reason="bad json", raw=PERSONAL
            )
        )
    return db


@pytest.fixture
def exports(monkeypatch):
    """The export function of every download button drawn (called only when a test clicks)."""
    seen: dict[str, object] = {}
    original = st.download_button

    def record(label, data, *args, **kwargs):  # noqa: ANN001, ANN202
        seen[kwargs.get("key")] = data
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", record)
    return seen


def audit_lines(db) -> list[tuple[str, str, dict]]:
    from store.models import AuditEntry

    with transaction(db) as s:
        return [
            (e.actor, e.action, e.detail)
            for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_quarantine_is_redacted_by_default_and_raw_only_on_an_audited_action(personal, exports):
    at = app(admin(), script=page("source_health")).run()
    assert not at.exception and not at.error
    shown = " ".join(at.dataframe[-1].value["raw"])
    for secret in ("0612345678", "jane.doe@example.com", "@jane_d"):
        assert secret not in shown
    assert "f.jsonl:3" in set(at.dataframe[-1].value["position"])
    redacted_csv = exports["quarantine_csv"]().decode()
    assert "0612345678" not in redacted_csv and "jane.doe@example.com" not in redacted_csv
    assert audit_lines(personal) == []  # nothing raw was seen yet
    at.button(key="quarantine_show_raw").click().run()
    assert not at.exception
    assert PERSONAL in set(at.dataframe[-1].value["raw"])
    assert [a for _, a, _ in audit_lines(personal)] == ["quarantine.show_raw"]
    raw_csv = exports["quarantine_csv"]().decode()  # the raw export, made on click
    assert "jane.doe@example.com" in raw_csv
    assert audit_lines(personal)[-1] == (
        "ali",
        "quarantine.export_raw",
        {"source": None, "rows": 1},
    )
    # Another filter asks again, and so does coming back to the first one.
    picker = at.selectbox(key="quarantine_source")
    picker.set_value(picker.options[1]).run()
    at.selectbox(key="quarantine_source").set_value("").run()
    assert "0612345678" not in " ".join(at.dataframe[-1].value["raw"])
    assert at.button(key="quarantine_show_raw")
    at.button(key="quarantine_show_raw").click().run()
    at.button(key="quarantine_hide_raw").click().run()
    assert "0612345678" not in " ".join(at.dataframe[-1].value["raw"])


def test_exports_are_made_only_on_click_by_the_signed_in_user(stocked, exports):
    at = app(admin(), script=page("users")).run()
    assert not at.exception
    export = exports["users_csv"]
    assert callable(export)  # no bytes handed to Streamlit's media store before the click
    assert export().decode("utf-8-sig").startswith("Username,Name,")


def test_the_redacted_quarantine_masks_each_rows_author(db, tmp_path):
    export = tmp_path / "tickets.csv"
    export.write_text("id,text,date,customer\n", encoding="utf-8")
    with transaction(db) as s:
        tickets = Source(
            name="tickets",
            kind="csv",
            channel="ticket",
            config={"path": str(export), "mapping": {"author": "customer"}},
        )
        api = Source(name="reviews", kind="trustpilot", channel="review")
        s.add_all([tickets, api])
        s.flush()
        s.add_all(
            [
                QuarantinedRecord(
                    source_id=tickets.id, position="tickets.csv:2", reason="x", raw="T1,ok,,jean"
                ),
                QuarantinedRecord(
                    source_id=api.id,
                    position="reviews:page1:item0",
                    reason="missing date",
                    raw='{"consumer": {"displayName": "marie.l"}, "text": "Colis perdu"}',
                ),
                QuarantinedRecord(
                    # Longer than the listing shows: it is redacted whole, then cut.
                    source_id=api.id,
                    position="reviews:page1:item1",
                    reason="missing date",
                    raw=json.dumps(
                        {"author": {"name": {"label": "zed.k"}}, "content": {"label": "x" * 600}}
                    ),
                ),
            ]
        )
    at = app(admin(), script=page("source_health")).run()
    assert not at.exception and not at.error
    shown = " ".join(at.dataframe[-1].value["raw"])
    assert "jean" not in shown and "marie.l" not in shown and "zed.k" not in shown
    assert max(len(r) for r in at.dataframe[-1].value["raw"]) <= RAW_SHOWN
    assert "T1,ok,,[AUTHOR]" in shown and "Colis perdu" in shown
