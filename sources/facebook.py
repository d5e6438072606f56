"""Facebook Graph API: a page's posts and the comments and replies under them.

Posts come from GET /{page-id}/posts (newest first); each post's comments and replies from
GET /{post-id}/comments?filter=stream&order=chronological, a flat list in which a reply names
its `parent`. The cursor keeps, for each of the most recent posts, the `after` paging cursor of
the last comment committed: asking again from there gives only the comments written since.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sources.base import AGENT, CUSTOMER, Batch, Record, Rejected
from sources.http import ApiClient, item_id, parse_time, reject, secret, setting, text_of
from sources.parsing import BadValue

BASE_URL = "https://graph.facebook.com/v21.0"
TOKEN_ENV = "CASEBOOK_FACEBOOK_TOKEN"
CHANNEL = "facebook"
POST_FIELDS = "id,message,created_time,from{id,name},permalink_url"
COMMENT_FIELDS = (
    "id,message,created_time,from{id,name},like_count,comment_count,parent{id},permalink_url"
)
MAX_POSTS = 50  # the most recent posts whose comments are followed
PAGE_SIZE = 100


class FacebookConnector:
    """The posts of page `page_id` and their comments, read with a page access token."""

    def __init__(
        self,
        page_id: str,
        token: str,
        base_url: str = BASE_URL,
        max_posts: int = MAX_POSTS,
        page_size: int = PAGE_SIZE,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_retries: int | None = None,
    ) -> None:
        self.page_id = str(page_id)
        self.token = token
        self.base_url = base_url
        self.max_posts = max_posts
        self.page_size = page_size
        self.sleep = sleep
        self.clock = clock
        self.max_retries = max_retries

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> FacebookConnector:
        """The connector a source's settings describe (page_id, token_env, base_url, max_posts)."""
        return cls(
            page_id=setting(config, "page_id", "facebook"),
            token=secret(config, "token_env", TOKEN_ENV, "Facebook page access token") or "",
            base_url=str(config.get("base_url") or BASE_URL),
            max_posts=int(config.get("max_posts") or MAX_POSTS),
        )

    def _client(self) -> ApiClient:
        extra = {} if self.max_retries is None else {"max_retries": self.max_retries}
        # The Graph API takes the token as a parameter; the client never prints query strings.
        return ApiClient(
            self.base_url, "Facebook Graph", sleep=self.sleep, clock=self.clock, **extra
        )

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        """A batch of new posts per page of posts, then one per page of each post's comments."""
        posts: dict[str, dict[str, Any]] = {
            str(k): dict(v) for k, v in (cursor.get("posts") or {}).items()
        }

        def current() -> dict[str, Any]:
            keep = sorted(
                posts, key=lambda p: str(posts[p].get("created_time") or ""), reverse=True
            )
            return {**cursor, "posts": {p: dict(posts[p]) for p in keep[: self.max_posts]}}

        with self._client() as client:
            followed: list[str] = []
            after: str | None = None
            page = 0
            while len(followed) < self.max_posts:
                page += 1
                payload = self._get(
                    client,
                    f"/{self.page_id}/posts",
                    {
                        "fields": POST_FIELDS,
                        "limit": min(self.page_size, self.max_posts - len(followed)),
                        "after": after,
                    },
                )
                records: list[Record] = []
                rejected: list[Rejected] = []
                for number, post in enumerate(payload.get("data") or [], start=1):
                    position = f"facebook:{self.page_id}:posts:page{page}:item{number}"
                    post_id = str(post.get("id") or "") if isinstance(post, dict) else ""
                    if post_id:
                        followed.append(post_id)
                    if post_id in posts:
                        continue  # already read: only its new comments matter
                    try:
                        records.append(self.to_record(post, post_id or None))
                    except BadValue as exc:
                        rejected.append(reject(position, str(exc), post))
                    if post_id:
                        posts[post_id] = {"created_time": str(post.get("created_time") or "")}
                yield Batch(records, rejected, current())
                after = _next_after(payload)
                if after is None:
                    break
            for post_id in followed[: self.max_posts]:
                yield from self._comments(client, post_id, posts, current)

    def _comments(
        self,
        client: ApiClient,
        post_id: str,
        posts: dict[str, dict[str, Any]],
        current: Callable[[], dict[str, Any]],
    ) -> Iterator[Batch]:
        state = posts.setdefault(post_id, {})
        after = state.get("after")
        page = int(state.get("page") or 0)
        while True:
            page += 1
            payload = self._get(
                client,
                f"/{post_id}/comments",
                {
                    "filter": "stream",
                    "order": "chronological",
                    "fields": COMMENT_FIELDS,
                    "limit": self.page_size,
                    "after": after,
                },
            )
            records: list[Record] = []
            rejected: list[Rejected] = []
            for number, comment in enumerate(payload.get("data") or [], start=1):
                try:
                    records.append(self.to_record(comment, post_id))
                except BadValue as exc:
                    position = f"facebook:{post_id}:comments:page{page}:item{number}"
                    rejected.append(reject(position, str(exc), comment))
            # The last page's `after` still marks where the next comment will appear.
            last_after = ((payload.get("paging") or {}).get("cursors") or {}).get("after")
            if last_after:
                after = last_after
            state.update({"after": after, "page": page})
            yield Batch(records, rejected, current())
            if _next_after(payload) is None:
                return

    def _get(self, client: ApiClient, path: str, params: dict[str, Any]) -> dict[str, Any]:
        payload = client.get_json(path, {**params, "access_token": self.token})
        return payload if isinstance(payload, dict) else {}

    def to_record(self, item: Any, post_id: str | None) -> Record:
        """A post (`post_id` its own id) or a comment under `post_id` as a record."""
        if not isinstance(item, dict):
            raise BadValue("not a JSON object")
        external_id = item_id(item.get("id"))
        text = text_of(item.get("message"))
        created_at = parse_time(item.get("created_time"))
        author = item.get("from") if isinstance(item.get("from"), dict) else {}
        author_id = str(author.get("id") or "").strip()
        thread_id = post_id or external_id
        parent = item.get("parent") if isinstance(item.get("parent"), dict) else {}
        top_level = external_id == thread_id
        parent_id = None if top_level else str(parent.get("id") or "") or thread_id
        return Record(
            external_id=external_id,
            thread_id=thread_id,
            parent_id=parent_id,
            author=author_id or "unknown",
            # Page posts and the page's replies are the brand's; a post without `from` is too.
            author_role=AGENT
            if author_id == self.page_id or (not author_id and parent_id is None)
            else CUSTOMER,
            channel=CHANNEL,
            created_at=created_at,
            text=text,
            likes=_count(item.get("like_count")),
            replies=_count(item.get("comment_count")),
            url=item.get("permalink_url") or None,
            raw=item,
        )


def _next_after(payload: Mapping[str, Any]) -> str | None:
    """The cursor of the next page, when the answer says there is one."""
    paging = payload.get("paging") or {}
    if not paging.get("next"):
        return None
    return (paging.get("cursors") or {}).get("after") or None


def _count(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
