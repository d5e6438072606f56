"""A fake feed host: Apple's customer-reviews Atom feed (paged) and a plain Atom feed."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from tests.sources.fakes.server import FakeApi, Request, Response

APP_ID = "123456789"
PER_PAGE = 2


@dataclass
class Review:
    id: str
    title: str
    text: str | None
    updated: str
    rating: int = 3
    author: str = "someone"


def default_reviews() -> list[Review]:
    return [
        Review(
            "9001",
            "Crashes",
            "The app crashes on launch since 3.2",
            "2024-05-01T03:14:15-07:00",
            1,
            "kim",
        ),
        Review(
            "9002",
            "Love it",
            "Support fixed my account in minutes!",
            "2024-05-02T09:00:00-07:00",
            5,
            "lee",
        ),
        Review("9003", "Meh", None, "2024-05-03T09:00:00-07:00", 2, "max"),
        Review("9004", "Bad date", "When?", "the day after", 2, "ned"),
        Review(
            "9005",
            "Refund",
            "Still no refund after two weeks",
            "2024-05-05T09:00:00-07:00",
            1,
            "oli",
        ),
    ]


def _sort_key(review: Review) -> str:
    return review.updated if review.updated[:4].isdigit() else "9999"  # undatable ones on top


class FakeFeeds(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.reviews = default_reviews()
        self.url = ""

    def route(self, request: Request) -> Response:
        prefix = "/us/rss/customerreviews/page="
        if request.path.startswith(prefix) and request.path.endswith(
            f"/id={APP_ID}/sortby=mostrecent/xml"
        ):
            page = int(request.path[len(prefix) :].split("/", 1)[0])
            return self.apple(page)
        if request.path == "/blog/reviews.atom":
            return self.atom()
        if request.path == "/not-a-feed":
            return Response(200, b"<html><body>Hello</body></html>", {"Content-Type": "text/html"})
        return Response(404, b"not found", {"Content-Type": "text/plain"})

    def page_url(self, page: int) -> str:
        return f"{self.url}/us/rss/customerreviews/page={page}/id={APP_ID}/sortby=mostrecent/xml"

    def apple(self, page: int) -> Response:
        ordered = sorted(self.reviews, key=_sort_key, reverse=True)
        last = max(1, -(-len(ordered) // PER_PAGE))
        chunk = ordered[(page - 1) * PER_PAGE : page * PER_PAGE]
        links = [
            f'<link rel="alternate" type="text/html" href="https://apps.apple.com/us/app/id{APP_ID}"/>',
            f'<link rel="self" href="{self.page_url(page)}"/>',
            f'<link rel="first" href="{self.page_url(1)}"/>',
            f'<link rel="last" href="{self.page_url(last)}"/>',
            f'<link rel="previous" href="{self.page_url(max(page - 1, 1))}"/>',
            f'<link rel="next" href="{self.page_url(min(page + 1, last))}"/>',
        ]
        entries = []
        for r in chunk:
            content = (
                f'<content type="text">{escape(r.text)}</content>'
                f'<content type="html">&lt;p&gt;{escape(escape(r.text))}&lt;/p&gt;</content>'
                if r.text is not None
                else ""
            )
            entries.append(
                f"<entry><updated>{r.updated}</updated><id>{r.id}</id><title>{escape(r.title)}</title>"
                f'{content}<im:contentType term="Application" label="Application"/>'
                f"<im:voteSum>1</im:voteSum><im:voteCount>1</im:voteCount>"
                f"<im:rating>{r.rating}</im:rating><im:version>3.2.1</im:version>"
                f"<author><name>{r.author}</name><uri>https://itunes.apple.com/us/reviews/id1</uri></author>"
                f'<link rel="related" href="https://itunes.apple.com/us/review?id={APP_ID}&amp;type=Purple%20Software"/>'
                "</entry>"
            )
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns:im="http://itunes.apple.com/rss" xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
            f"<id>{self.page_url(page)}</id><title>iTunes Store: Customer Reviews</title>"
            f"<updated>2024-05-06T00:00:00-07:00</updated>{''.join(links)}"
            "<icon>http://itunes.apple.com/favicon.ico</icon>"
            "<author><name>iTunes Store</name><uri>http://www.apple.com/itunes/</uri></author>"
            f"{''.join(entries)}</feed>"
        )
        return Response(200, body.encode(), {"Content-Type": "application/atom+xml; charset=utf-8"})

    def atom(self) -> Response:
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Store reviews</title><id>urn:uuid:store</id><updated>2024-05-02T00:00:00Z</updated>"
            "<entry><id>urn:review:1</id><title>Great app</title><updated>2024-05-01T10:00:00Z</updated>"
            '<author><name>Pat</name></author><link href="https://reviews.example/1"/>'
            '<summary type="html">&lt;b&gt;Works&lt;/b&gt; &amp;amp; fast</summary></entry>'
            "<entry><id>urn:review:2</id><title>Hmm</title><updated>2024-05-02T10:00:00Z</updated>"
            '<author><name>Sam</name></author><content type="text">Could be better</content></entry>'
            "</feed>"
        )
        return Response(200, body.encode(), {"Content-Type": "application/atom+xml"})
