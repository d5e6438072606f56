"""ApiClient logs each rate-limit wait and each retry, with how long it waits."""

import logging

import httpx

from sources.http import ApiClient


def client(answers, waits):
    """A client whose API answers `answers` in turn (status, headers), never really sleeping."""
    queue = list(answers)

    def answer(request):
        status, headers = queue.pop(0)
        return httpx.Response(status, headers=headers, json={"ok": True})

    return ApiClient(
        "https://api.example.test",
        "Example",
        sleep=waits.append,
        clock=lambda: 1_000.0,
        transport=httpx.MockTransport(answer),
    )


def test_a_rate_limit_wait_is_logged(caplog):
    waits = []
    api = client([(429, {"Retry-After": "7"}), (200, {})], waits)
    with caplog.at_level(logging.INFO, logger="sources.http"):
        assert api.get_json("/items") == {"ok": True}
    assert waits == [7.0]
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        "Example API rate limited (HTTP 429) at GET https://api.example.test/items: "
        "waiting 7 s (wait 1 of 5)"
    )
    assert (record.api, record.wait_seconds, record.attempt) == ("Example", 7.0, 1)


def test_retries_after_server_errors_are_logged(caplog):
    waits = []
    api = client([(503, {}), (502, {}), (200, {})], waits)
    with caplog.at_level(logging.INFO, logger="sources.http"):
        api.get_json("/items")
    assert waits == [1.0, 2.0]
    assert [r.getMessage() for r in caplog.records] == [
        "Example API answered 503 at GET https://api.example.test/items: retry 1 of 4 in 1 s",
        "Example API answered 502 at GET https://api.example.test/items: retry 2 of 4 in 2 s",
    ]
