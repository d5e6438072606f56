"""Trustpilot business-unit reviews and the company's replies to them.

GET /v1/business-units/{id}/reviews, newest first, `page` and `perPage`, with a `next-page`
link while there is more. A review is a thread's root (its stars kept in `raw`); the company's
reply is its child, written by an agent. The cursor keeps the newest review committed (its date
and the ids at that date); while a run is half-way it also keeps the next page to ask for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from sources.base import AGENT, CUSTOMER, Batch, Record, Rejected
from sources.http import ApiClient, item_id, parse_time, reject, secret, setting, text_of
from sources.parsing import BadValue

BASE_URL = "https://api.trustpilot.com"
KEY_ENV = "CASEBOOK_TRUSTPILOT_API_KEY"
CHANNEL = "review"
PER_PAGE = 100


class TrustpilotConnector:
    """The reviews of business unit `business_unit_id`, read with an API key."""

    def __init__(
        self,
        business_unit_id: str,
        api_key: str,
        base_url: str = BASE_URL,
        per_page: int = PER_PAGE,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_retries: int | None = None,
    ) -> None:
        self.business_unit_id = str(business_unit_id)
        self.api_key = api_key
        self.base_url = base_url
        self.per_page = per_page
        self.sleep = sleep
        self.clock = clock
        self.max_retries = max_retries

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> TrustpilotConnector:
        """The connector a source's settings describe (business_unit_id, api_key_env, base_url)."""
        return cls(
            business_unit_id=setting(config, "business_unit_id", "trustpilot"),
            api_key=secret(config, "api_key_env", KEY_ENV, "Trustpilot API key") or "",
            base_url=str(config.get("base_url") or BASE_URL),
        )

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        """One batch per page of reviews newer than the cursor's."""
        newest = cursor.get("newest")
        seen = set(cursor.get("ids") or [])
        watermark = parse_time(newest) if newest else None
        pending = dict(cursor.get("pending") or {})
        page = int(pending.get("page") or 1)
        run_newest: str | None = pending.get("newest")
        run_ids: set[str] = set(pending.get("ids") or [])
        extra = {} if self.max_retries is None else {"max_retries": self.max_retries}
        path = f"/v1/business-units/{self.business_unit_id}/reviews"
        with ApiClient(
            self.base_url,
            "Trustpilot",
            headers={"apikey": self.api_key},
            sleep=self.sleep,
            clock=self.clock,
            **extra,
        ) as client:
            while True:
                payload = client.get_json(
                    path, {"page": page, "perPage": self.per_page, "orderBy": "createdat.desc"}
                )
                payload = payload if isinstance(payload, dict) else {}
                records: list[Record] = []
                rejected: list[Rejected] = []
                reached_old = False
                for number, review in enumerate(payload.get("reviews") or [], start=1):
                    position = f"trustpilot@{newest or 0}:page{page}:item{number}"
                    if isinstance(review, dict) and str(review.get("id") or "").strip():
                        # An undatable review sits on every run's first page: one quarantine row.
                        position = f"trustpilot:review:{str(review['id']).strip()}"
                    try:
                        created = parse_time(
                            review.get("createdAt") if isinstance(review, dict) else None
                        )
                        review_id = item_id(review.get("id"))
                    except BadValue as exc:
                        rejected.append(reject(position, str(exc), review))
                        continue
                    if watermark is not None and (
                        created < watermark or (created == watermark and review_id in seen)
                    ):
                        reached_old = True
                        continue
                    if run_newest is None or created > parse_time(run_newest):
                        run_newest, run_ids = created.isoformat(), {review_id}
                    elif created == parse_time(run_newest):
                        run_ids.add(review_id)
                    try:
                        records.extend(self.to_records(review))
                    except BadValue as exc:
                        rejected.append(reject(position, str(exc), review))
                more = _has_next(payload) and not reached_old and bool(payload.get("reviews"))
                if more:
                    state = {"page": page + 1, "newest": run_newest, "ids": sorted(run_ids)}
                    yield Batch(records, rejected, {**cursor, "pending": state})
                    page += 1
                    continue
                done = {k: v for k, v in cursor.items() if k != "pending"}
                if run_newest is not None and (
                    watermark is None or parse_time(run_newest) > watermark
                ):
                    done.update(newest=run_newest, ids=sorted(run_ids))
                elif run_newest is not None:  # more reviews at the same instant as the watermark
                    done.update(newest=newest, ids=sorted(seen | run_ids))
                yield Batch(records, rejected, done)
                return

    def to_records(self, review: Mapping[str, Any]) -> list[Record]:
        """The review and, when it has one, the company's reply; BadValue says what is wrong."""
        review_id = item_id(review.get("id"))
        title = str(review.get("title") or "").strip()
        text = text_of(review.get("text"))
        if title and not text.startswith(title.rstrip(".…")):
            text = f"{title}\n\n{text}"
        created_at = parse_time(review.get("createdAt"))
        consumer = review.get("consumer") if isinstance(review.get("consumer"), dict) else {}
        language = str(review.get("language") or "").strip().lower() or None
        url = next(
            (
                link.get("href")
                for link in review.get("links") or []
                if isinstance(link, dict) and link.get("rel") in ("reviews", "review-web")
            ),
            None,
        )
        records = [
            Record(
                external_id=review_id,
                thread_id=review_id,
                parent_id=None,
                author=str(consumer.get("id") or consumer.get("displayName") or "unknown"),
                author_role=CUSTOMER,
                channel=CHANNEL,
                created_at=created_at,
                text=text,
                language=language,
                likes=_count(review.get("numberOfLikes")),
                url=url,
                raw=dict(review),  # stars, title, consumer: all kept
            )
        ]
        reply = review.get("companyReply")
        if isinstance(reply, dict) and str(reply.get("text") or "").strip():
            reply_at: datetime = parse_time(reply.get("createdAt") or reply.get("updatedAt"))
            records.append(
                Record(
                    external_id=f"{review_id}:reply",
                    thread_id=review_id,
                    parent_id=review_id,
                    author=f"business-unit:{self.business_unit_id}",
                    author_role=AGENT,
                    channel=CHANNEL,
                    created_at=reply_at,
                    text=text_of(reply.get("text")),
                    language=language,
                    raw=dict(reply),
                )
            )
        return records


def _has_next(payload: Mapping[str, Any]) -> bool:
    return any(
        isinstance(link, dict) and link.get("rel") == "next-page"
        for link in payload.get("links") or []
    )


def _count(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
