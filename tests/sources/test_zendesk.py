"""ZendeskConnector against a fake Zendesk: export pages, comments, roles, cursor, errors."""

from __future__ import annotations

import pytest

from sources import SourceError, make_connector
from sources.base import AGENT, CUSTOMER
from sources.http import SourceUnavailable
from sources.zendesk import ZendeskConnector
from tests.sources.fakes import zendesk_api as zd
from tests.sources.fakes.server import FakeServer
from tests.sources.fakes.support import NOW, Sleeps, counts, ingest, read_all


@pytest.fixture
def fake():
    api = zd.FakeZendesk()
    with FakeServer(api) as server:
        api.url = server.url
        yield api


def connector(fake, sleep=None, **kwargs) -> ZendeskConnector:
    return ZendeskConnector(
        fake.url,
        zd.TOKEN,
        email=zd.EMAIL,
        sleep=Sleeps() if sleep is None else sleep,
        clock=lambda: NOW,
        **kwargs,
    )


def test_tickets_comments_roles_and_threads(fake):
    batches, records, rejected, cursor = read_all(connector(fake))
    assert len(batches) == 2
    by_id = {r.external_id: r for r in records}
    assert set(by_id) == {"11", "13", "14", "21"}  # 12 is private; 22, 31 are rejected
    assert [by_id[i].author_role for i in ("11", "13", "14")] == [CUSTOMER, AGENT, CUSTOMER]
    assert (by_id["13"].thread_id, by_id["13"].parent_id, by_id["14"].parent_id) == (
        "1",
        "11",
        "13",
    )
    assert by_id["11"].raw["subject"] == "Ticket 1" and by_id["11"].channel == "ticket"
    assert {r.reason for r in rejected} == {"empty text", "impossible date '31/31/2024'"}
    assert any(r.position.endswith(":page1:item2:ticket2:comment2") for r in rejected)
    assert not [r for r in fake.requests if r.path == "/api/v2/tickets/4/comments.json"]  # deleted
    assert cursor["after_cursor"]


def test_cursor_resume_and_updated_tickets(fake):
    *_, cursor = read_all(connector(fake))
    _, records, rejected, cursor2 = read_all(connector(fake), cursor)
    assert records == [] and rejected == []
    fake.update(1, 30, zd.comment(15, zd.AGENT_ID, "Anything else?", 30))
    _, records, _, _ = read_all(connector(fake), cursor2)
    assert sorted(r.external_id for r in records) == ["11", "13", "14", "15"]  # same ids again


def test_rate_limit_retry_after_and_server_errors(fake):
    fake.fail("/api/v2/incremental", 429, headers={"Retry-After": "60"})
    fake.fail("/api/v2/tickets/2/", 500, times=2)
    sleeps = Sleeps()
    _, records, _, _ = read_all(connector(fake, sleep=sleeps))
    assert sleeps == [60.0, 1.0, 2.0] and len(records) == 4


def test_persistent_errors_and_auth(fake, monkeypatch):
    fake.fail("/api/v2/incremental", 503, times=100)
    with pytest.raises(SourceUnavailable, match="Zendesk API answered 503"):
        read_all(connector(fake, max_retries=2))
    fake.failures.clear()
    with pytest.raises(SourceError, match="refused the credentials"):
        read_all(ZendeskConnector(fake.url, "wrong", email=zd.EMAIL, sleep=Sleeps()))
    monkeypatch.delenv("CASEBOOK_ZENDESK_TOKEN", raising=False)
    with pytest.raises(SourceError, match="CASEBOOK_ZENDESK_TOKEN"):
        make_connector("zendesk", {"subdomain": "acme", "email": zd.EMAIL})
    monkeypatch.setenv("ZD", "t")
    made = make_connector(
        "zendesk", {"subdomain": "acme", "token_env": "ZD", "start_time": "2024-01-01"}
    )
    assert made.base_url == "https://acme.zendesk.com" and made.start_time == 1704067200


def test_end_to_end_into_the_store(fake, sqlite_engine):
    assert ingest(sqlite_engine, "zd", "zendesk", "ticket", connector(fake)) == {
        "new": 4,
        "quarantined": 2,
    }
    assert counts(sqlite_engine) == {"comments": 4, "threads": 2, "quarantined": 2}
    assert ingest(sqlite_engine, "zd", "zendesk", "ticket", connector(fake)) == {
        "new": 0,
        "quarantined": 0,
    }
