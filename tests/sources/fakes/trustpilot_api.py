"""A fake Trustpilot API: a business unit's reviews, newest first, with page links."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from tests.sources.fakes.server import FakeApi, Request, Response, json_response

API_KEY = "tp-test-key"
UNIT = "5f1e0000aaaa"


def review(
    n: int,
    stars: int,
    text: str | None,
    day: int,
    reply: str | None = None,
    created_at: str | None = None,
    language: str = "en",
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"r{n:03d}",
        "stars": stars,
        "title": f"Review {n}",
        "language": language,
        "createdAt": created_at or f"2024-04-{day:02d}T08:30:00Z",
        "consumer": {"id": f"c{n}", "displayName": f"Consumer {n}"},
        "numberOfLikes": 1,
        "links": [
            {"href": f"https://api.example/v1/reviews/r{n:03d}", "method": "GET", "rel": "reviews"}
        ],
    }
    if text is not None:
        item["text"] = text
    if reply:
        item["companyReply"] = {"text": reply, "createdAt": f"2024-04-{day:02d}T12:00:00Z"}
    return item


def default_reviews() -> list[dict[str, Any]]:
    return [
        review(1, 1, "Parcel lost and nobody answers.", 1, reply="We found it, it ships today."),
        review(2, 5, "Fast delivery, great staff.", 2),
        review(3, 2, None, 3),
        review(
            4,
            4,
            "Colis arrivé en retard mais service client au top.",
            4,
            reply="Merci !",
            language="fr",
        ),
        review(5, 3, "Okay.", 5, created_at="yesterday-ish"),
    ]


class FakeTrustpilot(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.reviews = default_reviews()
        self.url = ""

    def authorized(self, request: Request) -> bool:
        return request.headers.get("apikey") == API_KEY

    def route(self, request: Request) -> Response:
        if request.path != f"/v1/business-units/{UNIT}/reviews":
            return json_response({"message": "Not found"}, 404)
        ordered = sorted(self.reviews, key=lambda r: r["id"], reverse=True)  # ids follow dates
        page = int(request.query.get("page") or 1)
        per_page = int(request.query.get("perPage") or 20)
        chunk = ordered[(page - 1) * per_page : page * per_page]
        links = []
        if page * per_page < len(ordered):
            query = urlencode({**request.query, "page": page + 1})
            links.append(
                {"href": f"{self.url}{request.path}?{query}", "method": "GET", "rel": "next-page"}
            )
        return json_response({"reviews": chunk, "links": links})
