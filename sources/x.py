"""X (Twitter) API v2: mentions of a brand account and the replies in its conversations.

Mentions come from GET /2/users/:id/mentions; the brand's own replies (which mention the
customer, not the brand) come from GET /2/tweets/search/recent with `conversation_id:` for the
conversations the mentions opened. Each stream is paged newest first with `since_id`, so the
cursor keeps, per stream, the newest id committed and, while a run is half-way through, the next
page's token: a killed run resumes at the page after the last committed one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sources.base import AGENT, CUSTOMER, Batch, Record, Rejected
from sources.http import ApiClient, item_id, parse_time, reject, secret, setting, text_of
from sources.parsing import BadValue

BASE_URL = "https://api.x.com"
TOKEN_ENV = "CASEBOOK_X_TOKEN"
CHANNEL = "twitter"
TWEET_FIELDS = (
    "id,text,author_id,conversation_id,created_at,in_reply_to_user_id,"
    "referenced_tweets,public_metrics,lang"
)
MAX_RESULTS = 100
MAX_CONVERSATIONS = 50  # conversations whose replies are searched on every run


class XConnector:
    """Mentions of `user_id` and the replies in the conversations they belong to."""

    def __init__(
        self,
        user_id: str,
        token: str,
        base_url: str = BASE_URL,
        conversations: bool = True,
        max_conversations: int = MAX_CONVERSATIONS,
        max_results: int = MAX_RESULTS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_retries: int | None = None,
    ) -> None:
        self.user_id = str(user_id)
        self.token = token
        self.base_url = base_url
        self.conversations = conversations
        self.max_conversations = max_conversations
        self.max_results = max_results
        self.sleep = sleep
        self.clock = clock
        self.max_retries = max_retries

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> XConnector:
        """The connector a source's settings describe (user_id, token_env, base_url, ...)."""
        return cls(
            user_id=setting(config, "user_id", "x"),
            token=secret(config, "token_env", TOKEN_ENV, "X API bearer token") or "",
            base_url=str(config.get("base_url") or BASE_URL),
            conversations=bool(config.get("conversations", True)),
            max_conversations=int(config.get("max_conversations") or MAX_CONVERSATIONS),
        )

    def _client(self) -> ApiClient:
        extra = {} if self.max_retries is None else {"max_retries": self.max_retries}
        return ApiClient(
            self.base_url,
            "X",
            headers={"Authorization": f"Bearer {self.token}"},
            sleep=self.sleep,
            clock=self.clock,
            **extra,
        )

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        """One batch per page of mentions, then per page of each conversation's replies."""
        mentions: dict[str, Any] = dict(cursor.get("mentions") or {})
        threads: dict[str, dict[str, Any]] = {
            str(k): dict(v) for k, v in (cursor.get("conversations") or {}).items()
        }

        def current() -> dict[str, Any]:
            return {
                **cursor,
                "mentions": dict(mentions),
                "conversations": _bounded(threads, self.max_conversations),
            }

        with self._client() as client:
            path = f"/2/users/{self.user_id}/mentions"
            for payload, state, label in self._pages(
                client, path, {}, mentions, "pagination_token", "mentions"
            ):
                records, rejected = self._page(payload, label)
                mentions = state
                if self.conversations:
                    for record in records:
                        # Replies come after the root; the root itself is a mention or the brand's.
                        threads.setdefault(record.thread_id, {"since_id": record.thread_id})
                yield Batch(records, rejected, current())
            if not self.conversations:
                return
            for conversation in sorted(
                _bounded(threads, self.max_conversations), key=_as_int, reverse=True
            ):
                params = {"query": f"conversation_id:{conversation}"}
                stream = self._pages(
                    client,
                    "/2/tweets/search/recent",
                    params,
                    threads[conversation],
                    "next_token",
                    f"conversation{conversation}",
                )
                for payload, state, label in stream:
                    records, rejected = self._page(payload, label)
                    threads[conversation] = state
                    yield Batch(records, rejected, current())

    def _pages(
        self,
        client: ApiClient,
        path: str,
        params: dict[str, Any],
        state: Mapping[str, Any],
        token_param: str,
        stream: str,
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any], str]]:
        """(payload, the stream's state after it, position label) for each page, newest first."""
        since = state.get("since_id")
        token = state.get("next_token")
        newest = state.get("newest_id")
        page = int(state.get("page") or 0)
        while True:
            page += 1
            payload = client.get_json(
                path,
                {
                    **params,
                    "since_id": since,
                    token_param: token,
                    "max_results": self.max_results,
                    "tweet.fields": TWEET_FIELDS,
                    "expansions": "author_id",
                    "user.fields": "username",
                },
            )
            if not isinstance(payload, dict):
                payload = {}
            meta = payload.get("meta") or {}
            ids = [t.get("id") for t in payload.get("data") or [] if isinstance(t, dict)]
            newest = _newest(newest, meta.get("newest_id"), *ids)
            token = meta.get("next_token")
            label = f"x:{stream}@{since or 0}:page{page}"
            if token:
                after = {"since_id": since, "next_token": token, "newest_id": newest, "page": page}
            else:
                after = {"since_id": _newest(since, newest)}
            yield payload, {k: v for k, v in after.items() if v is not None}, label
            if not token:
                return

    def _page(self, payload: dict[str, Any], label: str) -> tuple[list[Record], list[Rejected]]:
        users = {
            str(u.get("id")): str(u.get("username") or "")
            for u in (payload.get("includes") or {}).get("users") or []
            if isinstance(u, dict)
        }
        records: list[Record] = []
        rejected: list[Rejected] = []
        for number, tweet in enumerate(payload.get("data") or [], start=1):
            try:
                records.append(self.to_record(tweet, users))
            except BadValue as exc:
                rejected.append(reject(f"{label}:item{number}", str(exc), tweet))
        return records, rejected

    def to_record(self, tweet: Any, users: Mapping[str, str]) -> Record:
        """One tweet as a record; BadValue says why it cannot be one."""
        if not isinstance(tweet, dict):
            raise BadValue("not a JSON object")
        tweet_id = item_id(tweet.get("id"))
        text = text_of(tweet.get("text"))
        created_at = parse_time(tweet.get("created_at"))
        author_id = str(tweet.get("author_id") or "").strip()
        parent_id = next(
            (
                str(ref.get("id"))
                for ref in tweet.get("referenced_tweets") or []
                if isinstance(ref, dict) and ref.get("type") == "replied_to" and ref.get("id")
            ),
            None,
        )
        metrics = tweet.get("public_metrics") or {}
        username = users.get(author_id)
        lang = str(tweet.get("lang") or "").strip().lower()
        return Record(
            external_id=tweet_id,
            thread_id=str(tweet.get("conversation_id") or tweet_id),
            parent_id=parent_id,
            author=author_id or "unknown",
            author_role=AGENT if author_id == self.user_id else CUSTOMER,
            channel=CHANNEL,
            created_at=created_at,
            text=text,
            language=None if lang in ("", "und", "qme", "zxx") else lang,
            likes=_count(metrics.get("like_count")),
            shares=_count(metrics.get("retweet_count")),
            replies=_count(metrics.get("reply_count")),
            url=f"https://x.com/{username or 'i/web'}/status/{tweet_id}",
            raw=tweet,
        )


def _as_int(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError:
        return -1


def _newest(*ids: Any) -> str | None:
    """The largest of these tweet ids (ids grow with time), or None."""
    known = [str(i) for i in ids if i is not None and _as_int(i) >= 0]
    return max(known, key=_as_int) if known else None


def _bounded(threads: dict[str, dict[str, Any]], limit: int) -> dict[str, dict[str, Any]]:
    """The `limit` most recent conversations (ids grow with time)."""
    keep = sorted(threads, key=_as_int, reverse=True)[:limit]
    return {k: dict(threads[k]) for k in keep}


def _count(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
