"""FeedConnector against a fake feed host: Apple's reviews Atom, a plain Atom feed, cursor, errors."""

from __future__ import annotations

import pytest

from sources import SourceError, make_connector
from sources.appstore import FeedConnector, apple_reviews_url
from sources.base import CUSTOMER
from sources.http import SourceUnavailable
from tests.sources.fakes import feeds
from tests.sources.fakes.server import FakeServer
from tests.sources.fakes.support import NOW, Sleeps, counts, ingest, read_all


@pytest.fixture
def fake():
    api = feeds.FakeFeeds()
    with FakeServer(api) as server:
        api.url = server.url
        yield api


def apple(fake, sleep=None, **kwargs) -> FeedConnector:
    url = apple_reviews_url(feeds.APP_ID, "us", fake.url)
    return FeedConnector(
        url, sleep=Sleeps() if sleep is None else sleep, clock=lambda: NOW, **kwargs
    )


def test_apple_reviews_across_pages(fake):
    batches, records, rejected, cursor = read_all(apple(fake))
    assert len(batches) == 3
    by_id = {r.external_id: r for r in records}
    assert set(by_id) == {"9001", "9002", "9005"}
    kim = by_id["9001"]
    assert kim.text == "Crashes\n\nThe app crashes on launch since 3.2"
    assert (kim.author, kim.author_role, kim.thread_id, kim.parent_id) == (
        "kim",
        CUSTOMER,
        "9001",
        None,
    )
    assert kim.raw["rating"] == 1 and kim.raw["im_version"] == "3.2.1"
    assert kim.channel == "app_store" and kim.url.startswith("https://itunes.apple.com/us/review")
    assert {(r.position, r.reason) for r in rejected} == {
        ("appstore:entry:9004", "unparseable date 'the day after'"),
        ("appstore:entry:9003", "missing text"),
    }
    assert cursor == {"updated": "2024-05-05T09:00:00-07:00", "ids": ["9005"]}


def test_cursor_resume_and_new_entries(fake):
    first = next(iter(apple(fake).read({})))
    assert first.cursor["pending"]["page"] == 2
    _, records, _, cursor = read_all(apple(fake), first.cursor)
    assert sorted(r.external_id for r in records) == ["9001", "9002"]
    _, records, rejected, cursor = read_all(apple(fake), cursor)
    assert records == [] and [r.position for r in rejected] == ["appstore:entry:9004"]
    fake.reviews.append(
        feeds.Review("9006", "Update", "Fixed after update, thanks", "2024-05-06T01:00:00-07:00")
    )
    _, records, _, _ = read_all(apple(fake), cursor)
    assert [r.external_id for r in records] == ["9006"]


def test_generic_atom_feed(fake):
    connector = make_connector(
        "appstore", {"url": f"{fake.url}/blog/reviews.atom", "channel": "review"}
    )
    _, records, rejected, cursor = read_all(connector)
    assert rejected == []
    by_id = {r.external_id: r for r in records}
    assert by_id["urn:review:1"].text == "Great app\n\nWorks  & fast"
    assert by_id["urn:review:1"].url == "https://reviews.example/1"
    assert by_id["urn:review:2"].channel == "review"
    assert read_all(connector, cursor)[1] == []


def test_errors(fake):
    fake.fail("/us/rss", 429, headers={"Retry-After": "3"})
    fake.fail("/us/rss", 500)
    sleeps = Sleeps()
    assert len(read_all(apple(fake, sleep=sleeps))[1]) == 3 and sleeps == [3.0, 1.0]
    fake.fail("/us/rss", 503, times=100)
    with pytest.raises(SourceUnavailable, match="answered 503"):
        read_all(apple(fake, max_retries=2))
    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        read_all(FeedConnector(f"{fake.url}/not-a-feed", sleep=Sleeps()))
    with pytest.raises(SourceError, match="app_id"):
        make_connector("appstore", {})
    assert make_connector("appstore", {"app_id": "42", "country": "fr"}).url == (
        "https://itunes.apple.com/fr/rss/customerreviews/page=1/id=42/sortby=mostrecent/xml"
    )


def test_end_to_end_into_the_store(fake, sqlite_engine):
    assert ingest(sqlite_engine, "ios", "appstore", "app_store", apple(fake)) == {
        "new": 3,
        "quarantined": 2,
    }
    assert counts(sqlite_engine) == {"comments": 3, "threads": 3, "quarantined": 2}
    assert ingest(sqlite_engine, "ios", "appstore", "app_store", apple(fake)) == {
        "new": 0,
        "quarantined": 0,
    }
