"""A fake Facebook Graph API: a page's posts and their comments, cursor-paged like Graph."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from tests.sources.fakes.server import FakeApi, Request, Response, json_response

TOKEN = "fb-test-token"
PAGE_ID = "200"
PAGE = {"id": PAGE_ID, "name": "Acme"}


def post(n: int, message: str | None, hour: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"{PAGE_ID}_{n}",
        "created_time": f"2024-05-0{n}T{hour:02d}:00:00+0000",
        "from": PAGE,
        "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/{n}",
    }
    if message is not None:
        item["message"] = message
    return item


def comment(
    post_n: int,
    n: int,
    author: dict[str, str],
    message: str,
    minute: int,
    parent: str | None = None,
    created_time: str | None = None,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"{post_n}_{n}",
        "message": message,
        "created_time": created_time or f"2024-05-0{post_n}T12:{minute:02d}:00+0000",
        "from": author,
        "like_count": n,
        "comment_count": 0,
        "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/{post_n}?comment_id={n}",
    }
    if parent:
        item["parent"] = {"id": parent, "created_time": "x", "message": "y"}
    return item


DANA = {"id": "9001", "name": "Dana"}
ELI = {"id": "9002", "name": "Eli"}


def default_posts() -> list[dict[str, Any]]:
    return [
        post(1, "Our summer sale starts today!", 9),
        post(2, "New opening hours", 9),
        post(3, None, 9),
    ]


def default_comments() -> dict[str, list[dict[str, Any]]]:
    return {
        f"{PAGE_ID}_1": [
            comment(1, 1, DANA, "My order from the sale never arrived", 1),
            comment(1, 2, PAGE, "Dana, sorry! Sending you a DM now.", 2, parent="1_1"),
            comment(1, 3, DANA, "Got it, you are the best", 3, parent="1_1"),
            comment(1, 4, ELI, "Same problem here", 4),
            comment(1, 5, ELI, "bad date", 5, created_time="2024-13-45T99:00:00+0000"),
        ],
        f"{PAGE_ID}_2": [comment(2, 1, ELI, "Open on Sundays?", 1)],
        f"{PAGE_ID}_3": [],
    }


def _cursor(index: int) -> str:
    return base64.b64encode(f"i{index}".encode()).decode()


def _index(cursor: str) -> int:
    return int(base64.b64decode(cursor.encode()).decode()[1:])


class FakeFacebook(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.posts = default_posts()
        self.comments = default_comments()
        self.url = ""

    def authorized(self, request: Request) -> bool:
        return request.query.get("access_token") == TOKEN

    def route(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        if parts == [PAGE_ID, "posts"]:
            newest_first = sorted(self.posts, key=lambda p: p["created_time"], reverse=True)
            return self.page(newest_first, request)
        if len(parts) == 2 and parts[1] == "comments" and parts[0] in self.comments:
            if request.query.get("filter") != "stream":
                return json_response({"error": {"message": "expected filter=stream"}}, 400)
            return self.page(self.comments[parts[0]], request)
        return json_response({"error": {"message": "Unsupported get request", "code": 100}}, 400)

    def page(self, items: list[dict[str, Any]], request: Request) -> Response:
        limit = int(request.query.get("limit") or 25)
        start = _index(request.query["after"]) + 1 if request.query.get("after") else 0
        chunk = items[start : start + limit]
        body: dict[str, Any] = {"data": chunk}
        if chunk:
            paging: dict[str, Any] = {
                "cursors": {"before": _cursor(start), "after": _cursor(start + len(chunk) - 1)}
            }
            if start + limit < len(items):
                query = {**request.query, "after": paging["cursors"]["after"]}
                paging["next"] = f"{self.url}{request.path}?{urlencode(query)}"
            body["paging"] = paging
        return json_response(body)
