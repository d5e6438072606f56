"""App-store review feeds and other RSS/Atom feeds, read with feedparser.

Apple's customer-reviews feed (`app_id` and `country`) or any feed `url`: each entry is a
customer's root comment; an entry's rating and app version are kept in `raw`. Feeds list the
newest first and link the next page (rel="next"); the cursor keeps the newest entry committed
(its `updated` date and the ids at that date) and, half-way through a run, the next page's URL.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import feedparser

from sources.base import CUSTOMER, Batch, Record, Rejected, SourceError
from sources.http import ApiClient, item_id, parse_time, reject, text_of
from sources.parsing import BadValue

APPLE_BASE_URL = "https://itunes.apple.com"
CHANNEL = "app_store"
MAX_PAGES = 10  # Apple serves at most ten pages of 50 reviews
_TAG = re.compile(r"<[^>]+>")


def apple_reviews_url(app_id: str, country: str = "us", base_url: str = APPLE_BASE_URL) -> str:
    """The first page of an app's most recent customer reviews, as Atom."""
    return f"{base_url.rstrip('/')}/{country}/rss/customerreviews/page=1/id={app_id}/sortby=mostrecent/xml"


class FeedConnector:
    """Entries of an RSS/Atom feed (following rel="next" pages) as customer comments."""

    def __init__(
        self,
        url: str,
        channel: str = CHANNEL,
        max_pages: int = MAX_PAGES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_retries: int | None = None,
    ) -> None:
        self.url = url
        self.channel = channel
        self.max_pages = max_pages
        self.sleep = sleep
        self.clock = clock
        self.max_retries = max_retries

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> FeedConnector:
        """From `url`, or Apple's `app_id` (+ `country`, `base_url`); `channel` optional."""
        url = str(config.get("url") or "").strip()
        if not url:
            app_id = str(config.get("app_id") or "").strip()
            if not app_id:
                raise SourceError(
                    "An appstore source needs a feed 'url' or an Apple 'app_id' in its settings."
                )
            url = apple_reviews_url(
                app_id,
                str(config.get("country") or "us"),
                str(config.get("base_url") or APPLE_BASE_URL),
            )
        return cls(url, channel=str(config.get("channel") or CHANNEL))

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        """One batch per feed page holding entries newer than the cursor's."""
        newest = cursor.get("updated")
        watermark = parse_time(newest) if newest else None
        seen = set(cursor.get("ids") or [])
        pending = dict(cursor.get("pending") or {})
        url = str(pending.get("next") or self.url)
        page = int(pending.get("page") or 1)
        run_newest: str | None = pending.get("updated")
        run_ids: set[str] = set(pending.get("ids") or [])
        visited: set[str] = set()
        extra = {} if self.max_retries is None else {"max_retries": self.max_retries}
        with ApiClient("", "feed", sleep=self.sleep, clock=self.clock, **extra) as client:
            while True:
                visited.add(url)
                response = client.get(url)
                parsed = feedparser.parse(response.content)
                if not parsed.version and not parsed.entries:
                    raise SourceError(f"{_public(url)} is not an RSS or Atom feed.")
                records: list[Record] = []
                rejected: list[Rejected] = []
                reached_old = False
                for number, entry in enumerate(parsed.entries, start=1):
                    entry_id = str(entry.get("id") or "").strip()
                    position = (
                        f"appstore:entry:{entry_id}"
                        if entry_id
                        else f"appstore@{newest or 0}:page{page}:item{number}"
                    )
                    try:
                        updated = parse_time(entry.get("updated") or entry.get("published"))
                        entry_id = item_id(entry_id)
                    except BadValue as exc:
                        rejected.append(reject(position, str(exc), _raw(entry)))
                        continue
                    if watermark is not None and (
                        updated < watermark or (updated == watermark and entry_id in seen)
                    ):
                        reached_old = True
                        continue
                    if run_newest is None or updated > parse_time(run_newest):
                        run_newest, run_ids = updated.isoformat(), {entry_id}
                    elif updated == parse_time(run_newest):
                        run_ids.add(entry_id)
                    try:
                        records.append(self.to_record(entry))
                    except BadValue as exc:
                        rejected.append(reject(position, str(exc), _raw(entry)))
                following = _next_link(parsed, url)
                more = (
                    following is not None
                    and following not in visited
                    and not reached_old
                    and bool(parsed.entries)
                    and page < self.max_pages
                )
                if more:
                    assert following is not None
                    state = {
                        "next": following,
                        "page": page + 1,
                        "updated": run_newest,
                        "ids": sorted(run_ids),
                    }
                    yield Batch(records, rejected, {**cursor, "pending": state})
                    url, page = following, page + 1
                    continue
                done = {k: v for k, v in cursor.items() if k != "pending"}
                if run_newest is not None and (
                    watermark is None or parse_time(run_newest) > watermark
                ):
                    done.update(updated=run_newest, ids=sorted(run_ids))
                elif run_newest is not None:
                    done.update(updated=newest, ids=sorted(seen | run_ids))
                yield Batch(records, rejected, done)
                return

    def to_record(self, entry: Mapping[str, Any]) -> Record:
        """One feed entry as a customer's root comment; BadValue says why it cannot be one."""
        entry_id = item_id(entry.get("id"))
        body = _body(entry)
        title = str(entry.get("title") or "").strip()
        if title and body and not body.startswith(title):
            body = f"{title}\n\n{body}"
        text = text_of(body or None)
        language = str(entry.get("language") or "").strip().lower() or None
        return Record(
            external_id=entry_id,
            thread_id=entry_id,
            parent_id=None,
            author=str(entry.get("author") or "").strip() or "unknown",
            author_role=CUSTOMER,
            channel=self.channel,
            created_at=parse_time(entry.get("updated") or entry.get("published")),
            text=text,
            language=language,
            likes=_count(entry.get("im_votesum")),
            url=_link(entry),
            raw=_raw(entry),
        )


def _body(entry: Mapping[str, Any]) -> str:
    """The entry's plain text: a text/plain content first, else HTML content or summary, untagged."""
    contents = list(entry.get("content") or [])
    for content in contents:
        if content.get("type") == "text/plain" and str(content.get("value") or "").strip():
            return str(content["value"]).strip()
    for value in [c.get("value") for c in contents] + [entry.get("summary")]:
        if value and str(value).strip():
            return html.unescape(_TAG.sub(" ", str(value))).strip()
    return ""


def _raw(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's fields that are JSON (feedparser adds parsed time tuples beside them)."""
    keep = (
        "id",
        "title",
        "updated",
        "published",
        "author",
        "link",
        "summary",
        "im_rating",
        "im_version",
        "im_votesum",
        "im_votecount",
        "language",
    )
    raw: dict[str, Any] = {k: entry.get(k) for k in keep if entry.get(k) is not None}
    if str(raw.get("im_rating", "")).strip().isdigit():
        raw["rating"] = int(raw["im_rating"])
    if entry.get("content"):
        raw["content"] = [
            {"type": c.get("type"), "value": c.get("value")} for c in entry["content"]
        ]
    return raw


def _link(entry: Mapping[str, Any]) -> str | None:
    """The entry's web page: its alternate link, else a related one (Apple's review page)."""
    links = [
        link for link in entry.get("links") or [] if str(link.get("href", "")).startswith("http")
    ]
    for rel in ("alternate", "related"):
        for link in links:
            if link.get("rel", "alternate") == rel:
                return str(link["href"])
    return None


def _next_link(parsed: Any, current: str) -> str | None:
    for link in parsed.feed.get("links") or []:
        if link.get("rel") == "next" and link.get("href") and link["href"] != current:
            return str(link["href"])
    return None


def _public(url: str) -> str:
    return url.split("?", 1)[0]


def _count(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
