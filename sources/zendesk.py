"""Zendesk tickets: the cursor-based incremental ticket export and each ticket's comments.

GET /api/v2/incremental/tickets/cursor.json?start_time=... gives the tickets changed since then,
a page at a time (`after_cursor`, `end_of_stream`); GET /api/v2/tickets/{id}/comments.json gives
a ticket's conversation. A ticket is a thread and each public comment a record (the requester
is the customer, anyone else an agent). The cursor is the export's `after_cursor`: an updated
ticket comes back with all its comments, under the same ids, and the store keeps one of each.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sources.base import AGENT, CUSTOMER, Batch, Record, Rejected, SourceError
from sources.http import ApiClient, NotFound, item_id, parse_time, reject, secret, text_of
from sources.parsing import BadValue

TOKEN_ENV = "CASEBOOK_ZENDESK_TOKEN"
CHANNEL = "ticket"
PER_PAGE = 1000


class ZendeskConnector:
    """Tickets and public comments of a Zendesk account, read with an API token."""

    def __init__(
        self,
        base_url: str,
        token: str,
        email: str | None = None,
        start_time: int = 0,
        per_page: int = PER_PAGE,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_retries: int | None = None,
    ) -> None:
        self.base_url = base_url
        self.token = token
        self.email = email
        self.start_time = start_time
        self.per_page = per_page
        self.sleep = sleep
        self.clock = clock
        self.max_retries = max_retries

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ZendeskConnector:
        """From `subdomain` (or `base_url`), `email` and `token_env`; `start_time` in epoch seconds."""
        base_url = str(config.get("base_url") or "").strip()
        if not base_url:
            subdomain = str(config.get("subdomain") or "").strip()
            if not subdomain:
                raise SourceError(
                    "A zendesk source needs a 'subdomain' (or a 'base_url') in its settings."
                )
            base_url = f"https://{subdomain}.zendesk.com"
        start = config.get("start_time") or 0
        try:
            start_time = int(start)
        except (TypeError, ValueError):
            start_time = int(parse_time(start).timestamp())
        return cls(
            base_url=base_url,
            token=secret(config, "token_env", TOKEN_ENV, "Zendesk API token") or "",
            email=str(config.get("email") or "").strip() or None,
            start_time=start_time,
        )

    def _client(self) -> ApiClient:
        extra = {} if self.max_retries is None else {"max_retries": self.max_retries}
        if self.email:  # an API token: basic auth as "{email}/token"
            return ApiClient(
                self.base_url,
                "Zendesk",
                auth=(f"{self.email}/token", self.token),
                sleep=self.sleep,
                clock=self.clock,
                **extra,
            )
        return ApiClient(  # an OAuth access token
            self.base_url,
            "Zendesk",
            headers={"Authorization": f"Bearer {self.token}"},
            sleep=self.sleep,
            clock=self.clock,
            **extra,
        )

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        """One batch per page of changed tickets, with their public comments."""
        after = cursor.get("after_cursor")
        page = int(cursor.get("page") or 0)
        with self._client() as client:
            while True:
                page += 1
                params: dict[str, Any] = {"per_page": self.per_page, "exclude_deleted": "true"}
                if after:
                    params["cursor"] = after
                else:
                    params["start_time"] = self.start_time
                payload = client.get_json("/api/v2/incremental/tickets/cursor.json", params)
                payload = payload if isinstance(payload, dict) else {}
                records: list[Record] = []
                rejected: list[Rejected] = []
                label = f"zendesk@{(after or str(self.start_time))[:60]}:page{page}"
                for number, ticket in enumerate(payload.get("tickets") or [], start=1):
                    position = f"{label}:item{number}"
                    try:
                        if not isinstance(ticket, dict):
                            raise BadValue("not a JSON object")
                        ticket_id = item_id(ticket.get("id"))
                    except BadValue as exc:
                        rejected.append(reject(position, str(exc), ticket))
                        continue
                    if ticket.get("status") == "deleted":
                        continue
                    got, bad = self._ticket(client, ticket, ticket_id, position)
                    records.extend(got)
                    rejected.extend(bad)
                after = payload.get("after_cursor") or after
                end = bool(payload.get("end_of_stream")) or not payload.get("after_cursor")
                state = {**cursor, "after_cursor": after}
                state.pop("page", None)
                yield Batch(records, rejected, state)
                if end:
                    return

    def _ticket(
        self, client: ApiClient, ticket: Mapping[str, Any], ticket_id: str, position: str
    ) -> tuple[list[Record], list[Rejected]]:
        requester = str(ticket.get("requester_id") or "")
        records: list[Record] = []
        rejected: list[Rejected] = []
        url: str | None = f"/api/v2/tickets/{ticket_id}/comments.json"
        params: dict[str, Any] | None = {"sort_order": "asc"}
        parent: str | None = None
        number = 0
        while url:
            try:
                payload = client.get_json(url, params)
            except NotFound:  # deleted since the export listed it
                return records, rejected
            payload = payload if isinstance(payload, dict) else {}
            for comment in payload.get("comments") or []:
                number += 1
                if isinstance(comment, dict) and comment.get("public") is False:
                    continue
                try:
                    record = self.to_record(comment, ticket, ticket_id, requester, parent)
                except BadValue as exc:
                    rejected.append(
                        reject(f"{position}:ticket{ticket_id}:comment{number}", str(exc), comment)
                    )
                    continue
                records.append(record)
                parent = record.external_id
            links = payload.get("links") or {}
            meta = payload.get("meta") or {}
            url = payload.get("next_page") or (links.get("next") if meta.get("has_more") else None)
            params = None  # next-page URLs carry their own query
        return records, rejected

    def to_record(
        self,
        comment: Any,
        ticket: Mapping[str, Any],
        ticket_id: str,
        requester: str,
        parent: str | None,
    ) -> Record:
        """One public comment of a ticket; BadValue says why it cannot be one."""
        if not isinstance(comment, dict):
            raise BadValue("not a JSON object")
        comment_id = item_id(comment.get("id"))
        text = text_of(comment.get("plain_body") or comment.get("body"))
        author = str(comment.get("author_id") or "").strip()
        return Record(
            external_id=comment_id,
            thread_id=ticket_id,
            parent_id=parent,
            author=author or "unknown",
            author_role=CUSTOMER if author and author == requester else AGENT,
            channel=CHANNEL,
            created_at=parse_time(comment.get("created_at")),
            text=text,
            raw={**comment, "ticket_id": ticket.get("id"), "subject": ticket.get("subject")},
        )
