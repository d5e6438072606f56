"""A fake X API v2: user mentions and recent search by conversation, paged newest first."""

from __future__ import annotations

from typing import Any

from tests.sources.fakes.server import FakeApi, Request, Response, json_response

TOKEN = "x-test-token"
BRAND_ID = "100"
USERS = {"100": "acme_care", "501": "alice", "502": "bob", "503": "carol"}


def tweet(
    id: int,
    author: str,
    text: str | None,
    conversation: int,
    replied_to: int | None = None,
    minute: int = 0,
    created_at: str | None = None,
    mention: bool = True,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": str(id),
        "author_id": author,
        "conversation_id": str(conversation),
        "created_at": created_at or f"2024-05-01T10:{minute:02d}:00.000Z",
        "lang": "en",
        "public_metrics": {"like_count": 2, "retweet_count": 1, "reply_count": 0, "quote_count": 0},
        "edit_history_tweet_ids": [str(id)],
        "_mention": mention,  # which endpoint lists it; removed before answering
    }
    if text is not None:
        item["text"] = text
    if replied_to is not None:
        item["referenced_tweets"] = [{"type": "replied_to", "id": str(replied_to)}]
        item["in_reply_to_user_id"] = "100" if author != "100" else "501"
    return item


def default_tweets() -> list[dict[str, Any]]:
    return [
        tweet(1000, "501", "@acme_care my parcel is two weeks late", 1000, minute=0),
        tweet(
            1001,
            "100",
            "@alice so sorry, we are on it",
            1000,
            replied_to=1000,
            minute=5,
            mention=False,
        ),
        tweet(
            1002,
            "501",
            "@acme_care it arrived, thank you so much!",
            1000,
            replied_to=1001,
            minute=9,
        ),
        tweet(1010, "502", "@acme_care app crashes at login", 1010, minute=12),
        tweet(
            1011,
            "100",
            "@bob could you DM us your version?",
            1010,
            replied_to=1010,
            minute=15,
            mention=False,
        ),
        tweet(1020, "503", "@acme_care worst service ever", 1020, minute=20),
        tweet(1025, "503", "@acme_care hello?", 1025, created_at="not a date"),
    ]


class FakeX(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.tweets = default_tweets()

    def authorized(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {TOKEN}"

    def route(self, request: Request) -> Response:
        if request.path == f"/2/users/{BRAND_ID}/mentions":
            found = [t for t in self.tweets if t["_mention"]]
            return self.page(found, request, "pagination_token")
        if request.path == "/2/tweets/search/recent":
            query = request.query.get("query", "")
            if not query.startswith("conversation_id:"):
                return json_response({"title": "Invalid Request"}, 400)
            conversation = query.split(":", 1)[1]
            found = [t for t in self.tweets if t["conversation_id"] == conversation]
            return self.page(found, request, "next_token")
        if request.path.startswith("/2/users/"):
            return json_response({"title": "Not Found Error"}, 404)
        return json_response({"title": "Not Found"}, 404)

    def page(self, found: list[dict[str, Any]], request: Request, token_param: str) -> Response:
        since = int(request.query.get("since_id") or 0)
        found = sorted((t for t in found if int(t["id"]) > since), key=lambda t: -int(t["id"]))
        size = int(request.query.get("max_results") or 10)
        token = request.query.get(token_param)
        offset = int(token.removeprefix("tok")) if token else 0
        page = found[offset : offset + size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta["newest_id"], meta["oldest_id"] = page[0]["id"], page[-1]["id"]
        if offset + size < len(found):
            meta["next_token"] = f"tok{offset + size}"
        if not page:
            return json_response({"meta": meta})
        data = [{k: v for k, v in t.items() if k != "_mention"} for t in page]
        authors = sorted({t["author_id"] for t in page})
        users = [{"id": a, "name": USERS[a].title(), "username": USERS[a]} for a in authors]
        return json_response({"data": data, "includes": {"users": users}, "meta": meta})
