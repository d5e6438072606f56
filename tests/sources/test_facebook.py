"""FacebookConnector against a fake Graph API: posts, comment streams, cursors, errors."""

from __future__ import annotations

import pytest

from sources import SourceError, make_connector
from sources.base import AGENT, CUSTOMER
from sources.facebook import FacebookConnector
from sources.http import SourceUnavailable
from tests.sources.fakes import facebook_api as fb
from tests.sources.fakes.server import FakeServer
from tests.sources.fakes.support import NOW, Sleeps, counts, ingest, read_all


@pytest.fixture
def fake():
    api = fb.FakeFacebook()
    with FakeServer(api) as server:
        api.url = server.url
        yield api


def connector(fake, sleep=None, **kwargs) -> FacebookConnector:
    return FacebookConnector(
        fb.PAGE_ID,
        fb.TOKEN,
        base_url=fake.url,
        page_size=2,
        sleep=Sleeps() if sleep is None else sleep,
        clock=lambda: NOW,
        **kwargs,
    )


def test_posts_comments_threads_and_roles(fake):
    batches, records, rejected, cursor = read_all(connector(fake))
    by_id = {r.external_id: r for r in records}
    assert set(by_id) == {"200_1", "200_2", "1_1", "1_2", "1_3", "1_4", "2_1"}
    assert by_id["200_1"].author_role == AGENT and by_id["200_1"].parent_id is None
    assert (by_id["1_1"].thread_id, by_id["1_1"].parent_id) == ("200_1", "200_1")
    assert (by_id["1_2"].parent_id, by_id["1_2"].author_role) == ("1_1", AGENT)
    assert (by_id["1_3"].parent_id, by_id["1_3"].author_role) == ("1_1", CUSTOMER)
    assert by_id["1_4"].likes == 4 and by_id["1_4"].url.endswith("comment_id=4")
    assert sorted(r.reason for r in rejected) == [
        "impossible date '2024-13-45T99:00:00+0000'",
        "missing text",
    ]
    assert {r.position for r in rejected} == {
        "facebook:200:posts:page1:item1",
        "facebook:200_1:comments:page3:item1",
    }
    comment_calls = [r for r in fake.requests if r.path == "/200_1/comments"]
    assert len(comment_calls) == 3  # five comments, two a page
    assert set(cursor["posts"]) == {"200_1", "200_2", "200_3"}


def test_cursor_gives_only_new_comments(fake):
    *_, cursor = read_all(connector(fake))
    _, records, rejected, cursor2 = read_all(connector(fake), cursor)
    assert records == [] and rejected == []
    fake.comments["200_2"].append(fb.comment(2, 2, fb.PAGE, "Yes, 10 to 4!", 9, parent="2_1"))
    fake.posts.append(fb.post(4, "Thank you for 1M followers", 9))
    fake.comments["200_4"] = [fb.comment(4, 1, fb.DANA, "Congrats!", 1)]
    _, records, _, _ = read_all(connector(fake), cursor2)
    assert sorted(r.external_id for r in records) == ["200_4", "2_2", "4_1"]


def test_rate_limit_and_server_errors(fake):
    fake.fail("/200/posts", 429, headers={"Retry-After": "7"})
    fake.fail("/200_2/comments", 502, times=3)
    sleeps = Sleeps()
    _, records, _, _ = read_all(connector(fake, sleep=sleeps))
    assert sleeps == [7.0, 1.0, 2.0, 4.0] and len(records) == 7


def test_persistent_server_errors(fake):
    fake.fail("/200_1/comments", 500, times=100)
    with pytest.raises(SourceUnavailable, match="Facebook Graph API answered 500"):
        read_all(connector(fake, max_retries=2))


def test_token_problems(fake, monkeypatch):
    monkeypatch.delenv("CASEBOOK_FACEBOOK_TOKEN", raising=False)
    with pytest.raises(SourceError, match="CASEBOOK_FACEBOOK_TOKEN"):
        make_connector("facebook", {"page_id": "200"})
    with pytest.raises(SourceError, match="page_id"):
        make_connector("facebook", {})
    with pytest.raises(SourceError, match="refused the credentials"):
        read_all(FacebookConnector(fb.PAGE_ID, "nope", base_url=fake.url, sleep=Sleeps()))


def test_end_to_end_into_the_store(fake, sqlite_engine):
    first = ingest(sqlite_engine, "fb-page", "facebook", "facebook", connector(fake))
    assert first == {"new": 7, "quarantined": 2}
    assert counts(sqlite_engine) == {"comments": 7, "threads": 2, "quarantined": 2}
    assert ingest(sqlite_engine, "fb-page", "facebook", "facebook", connector(fake)) == {
        "new": 0,
        "quarantined": 0,
    }
