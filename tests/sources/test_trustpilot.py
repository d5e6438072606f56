"""TrustpilotConnector against a fake Trustpilot API: reviews, replies, pages, cursor, errors."""

from __future__ import annotations

import pytest

from sources import SourceError, make_connector
from sources.base import AGENT, CUSTOMER
from sources.http import SourceUnavailable
from sources.trustpilot import TrustpilotConnector
from tests.sources.fakes import trustpilot_api as tp
from tests.sources.fakes.server import FakeServer
from tests.sources.fakes.support import NOW, Sleeps, counts, ingest, read_all


@pytest.fixture
def fake():
    api = tp.FakeTrustpilot()
    with FakeServer(api) as server:
        api.url = server.url
        yield api


def connector(fake, sleep=None, **kwargs) -> TrustpilotConnector:
    return TrustpilotConnector(
        tp.UNIT,
        tp.API_KEY,
        base_url=fake.url,
        per_page=2,
        sleep=Sleeps() if sleep is None else sleep,
        clock=lambda: NOW,
        **kwargs,
    )


def test_reviews_replies_and_rejects(fake):
    batches, records, rejected, cursor = read_all(connector(fake))
    assert len(batches) == 3 and [r.query["page"] for r in fake.requests] == ["1", "2", "3"]
    by_id = {r.external_id: r for r in records}
    assert set(by_id) == {"r001", "r001:reply", "r002", "r004", "r004:reply"}
    assert by_id["r001"].author_role == CUSTOMER and by_id["r001"].raw["stars"] == 1
    reply = by_id["r001:reply"]
    assert (reply.author_role, reply.parent_id, reply.thread_id) == (AGENT, "r001", "r001")
    assert by_id["r004"].language == "fr"
    assert by_id["r002"].text == "Review 2\n\nFast delivery, great staff."
    assert by_id["r002"].url.endswith("/reviews/r002")
    assert {(r.position, r.reason) for r in rejected} == {
        ("trustpilot:review:r005", "unparseable date 'yesterday-ish'"),
        ("trustpilot:review:r003", "missing text"),
    }
    assert cursor == {"newest": "2024-04-04T08:30:00+00:00", "ids": ["r004"]}


def test_cursor_resume_and_new_reviews(fake):
    first = next(iter(connector(fake).read({})))
    assert first.cursor["pending"]["page"] == 2
    _, records, _, cursor = read_all(connector(fake), first.cursor)
    assert sorted(r.external_id for r in records) == ["r001", "r001:reply", "r002"]
    _, records, rejected, cursor = read_all(connector(fake), cursor)
    # The undatable review cannot be placed, so it comes back (the quarantine keeps one row).
    assert records == [] and [r.position for r in rejected] == ["trustpilot:review:r005"]
    assert len(fake.requests) == 3 + 1  # stops at the first page reaching known reviews
    fake.reviews.append(tp.review(6, 2, "Still waiting for my refund", 6, reply="Refunded today."))
    _, records, _, _ = read_all(connector(fake), cursor)
    assert sorted(r.external_id for r in records) == ["r006", "r006:reply"]


def test_rate_limit_and_retries(fake):
    fake.fail("/v1/business-units", 429, headers={"x-rate-limit-reset": str(int(NOW) + 30)})
    fake.fail("/v1/business-units", 503)
    sleeps = Sleeps()
    _, records, _, _ = read_all(connector(fake, sleep=sleeps))
    assert sleeps == [30.0, 1.0] and len(records) == 5


def test_persistent_errors_and_secrets(fake, monkeypatch):
    fake.fail("/v1/business-units", 500, times=100)
    with pytest.raises(SourceUnavailable, match="Trustpilot API answered 500"):
        read_all(connector(fake, max_retries=1))
    monkeypatch.delenv("CASEBOOK_TRUSTPILOT_API_KEY", raising=False)
    with pytest.raises(SourceError, match="CASEBOOK_TRUSTPILOT_API_KEY"):
        make_connector("trustpilot", {"business_unit_id": tp.UNIT})
    monkeypatch.setenv("CASEBOOK_TRUSTPILOT_API_KEY", "k")
    assert isinstance(
        make_connector("trustpilot", {"business_unit_id": tp.UNIT}), TrustpilotConnector
    )


def test_end_to_end_into_the_store(fake, sqlite_engine):
    assert ingest(sqlite_engine, "tp", "trustpilot", "review", connector(fake)) == {
        "new": 5,
        "quarantined": 2,
    }
    assert counts(sqlite_engine) == {"comments": 5, "threads": 3, "quarantined": 2}
    assert ingest(sqlite_engine, "tp", "trustpilot", "review", connector(fake)) == {
        "new": 0,
        "quarantined": 0,
    }
