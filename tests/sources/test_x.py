"""XConnector against a fake X API v2: pages, since_id cursor, rate limits, retries, roles."""

from __future__ import annotations

import pytest

from sources import SourceError, make_connector
from sources.base import AGENT, CUSTOMER
from sources.http import SourceUnavailable
from sources.x import XConnector
from tests.sources.fakes import x_api
from tests.sources.fakes.server import FakeServer
from tests.sources.fakes.support import NOW, Sleeps, counts, ingest, read_all


@pytest.fixture
def fake():
    api = x_api.FakeX()
    with FakeServer(api) as server:
        api.url = server.url
        yield api


def connector(fake, sleep=None, **kwargs) -> XConnector:
    return XConnector(
        user_id=x_api.BRAND_ID,
        token=x_api.TOKEN,
        base_url=fake.url,
        max_results=2,
        sleep=Sleeps() if sleep is None else sleep,
        clock=lambda: NOW,
        **kwargs,
    )


def test_pages_threads_and_roles(fake):
    batches, records, rejected, cursor = read_all(connector(fake))
    mention_pages = [r for r in fake.requests if r.path.endswith("/mentions")]
    assert len(mention_pages) == 3  # 5 mentions, 2 a page
    assert all(r.query["expansions"] == "author_id" for r in fake.requests)
    by_id = {r.external_id: r for r in records}
    assert set(by_id) == {"1000", "1001", "1002", "1010", "1011", "1020"}
    assert by_id["1001"].author_role == AGENT and by_id["1011"].author_role == AGENT
    assert by_id["1000"].author_role == CUSTOMER
    assert (by_id["1002"].thread_id, by_id["1002"].parent_id) == ("1000", "1001")
    assert by_id["1000"].parent_id is None
    assert by_id["1000"].url == "https://x.com/alice/status/1000"
    assert (by_id["1000"].likes, by_id["1000"].shares, by_id["1000"].language) == (2, 1, "en")
    assert by_id["1000"].raw["conversation_id"] == "1000"
    (bad,) = rejected
    assert bad.position.startswith("x:mentions@0:page") and "item" in bad.position
    assert "date" in bad.reason and "1025" in bad.raw
    assert cursor["mentions"] == {"since_id": "1025"}
    assert set(cursor["conversations"]) == {"1000", "1010", "1020", "1025"} - {"1025"}
    assert len(batches) == 3 + 1 + 1 + 1  # mention pages, then each conversation's replies


def test_cursor_resumes_and_sees_new_tweets(fake):
    *_, cursor = read_all(connector(fake))
    _, records, rejected, cursor2 = read_all(connector(fake), cursor)
    assert records == [] and rejected == []
    fake.tweets.append(
        x_api.tweet(1030, "100", "@alice anything else?", 1000, replied_to=1002, mention=False)
    )
    fake.tweets.append(x_api.tweet(1031, "502", "@acme_care still broken", 1031, minute=30))
    _, records, _, _ = read_all(connector(fake), cursor2)
    assert sorted(r.external_id for r in records) == ["1030", "1031"]


def test_killed_run_resumes_after_last_committed_page(fake):
    first = next(iter(connector(fake).read({})))
    assert first.cursor["mentions"]["next_token"] == "tok2"
    fake.requests.clear()
    _, records, _, _ = read_all(connector(fake), first.cursor)
    assert fake.requests[0].query["pagination_token"] == "tok2"
    ids = {r.external_id for r in records}
    assert {"1000", "1002", "1010"} <= ids and "1020" not in ids


def test_rate_limit_waits_until_reset(fake):
    fake.fail("/2/users", 429, headers={"x-rate-limit-reset": str(int(NOW) + 42)})
    sleeps = Sleeps()
    _, records, _, _ = read_all(connector(fake, sleep=sleeps))
    assert sleeps == [42] and len({r.external_id for r in records}) == 6


def test_server_errors_are_retried_with_backoff(fake):
    fake.fail("/2/tweets/search", 503, times=2)
    sleeps = Sleeps()
    _, records, _, _ = read_all(connector(fake, sleep=sleeps))
    assert sleeps == [1.0, 2.0] and len({r.external_id for r in records}) == 6


def test_persistent_server_errors_give_a_clear_error(fake):
    fake.fail("/2/users", 500, times=100)
    with pytest.raises(SourceUnavailable, match="answered 500 to 4 tries"):
        read_all(connector(fake, max_retries=3))


def test_wrong_token_is_a_source_error(fake):
    bad = XConnector(x_api.BRAND_ID, "wrong", base_url=fake.url, sleep=Sleeps())
    with pytest.raises(SourceError, match="refused the credentials"):
        read_all(bad)


def test_missing_token_is_a_source_error(monkeypatch):
    monkeypatch.delenv("CASEBOOK_X_TOKEN", raising=False)
    with pytest.raises(SourceError, match="CASEBOOK_X_TOKEN"):
        make_connector("x", {"user_id": "100"})
    monkeypatch.setenv("MY_TOKEN", "abc")
    made = make_connector("x", {"user_id": "100", "token_env": "MY_TOKEN"})
    assert isinstance(made, XConnector) and made.token == "abc"


def test_end_to_end_into_the_store(fake, sqlite_engine):
    result = ingest(sqlite_engine, "x-care", "x", "twitter", connector(fake))
    assert result == {"new": 6, "quarantined": 1}
    assert counts(sqlite_engine) == {"comments": 6, "threads": 3, "quarantined": 1}
    again = ingest(sqlite_engine, "x-care", "x", "twitter", connector(fake))
    assert again == {"new": 0, "quarantined": 0}
    assert counts(sqlite_engine)["comments"] == 6
