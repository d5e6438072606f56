"""A fake Zendesk: cursor-based incremental ticket export and ticket comments."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from tests.sources.fakes.server import FakeApi, Request, Response, json_response

EMAIL = "bot@acme.example"
TOKEN = "zd-test-token"
AGENT_ID = 7
PER_PAGE = 2


def ticket(id: int, requester: int, updated: int, status: str = "open") -> dict[str, Any]:
    return {
        "id": id,
        "requester_id": requester,
        "subject": f"Ticket {id}",
        "status": status,
        "updated_at": f"2024-05-01T10:{updated:02d}:00Z",
        "generated_timestamp": 1714557600 + updated * 60,
    }


def comment(
    id: int,
    author: int,
    body: str | None,
    minute: int,
    public: bool = True,
    created: str | None = None,
):
    return {
        "id": id,
        "type": "Comment",
        "author_id": author,
        "public": public,
        "body": body,
        "plain_body": body,
        "created_at": created or f"2024-05-01T09:{minute:02d}:00Z",
        "attachments": [],
    }


class FakeZendesk(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.url = ""
        self.tickets = [
            ticket(1, 501, 1),
            ticket(2, 502, 2),
            ticket(3, 503, 3),
            ticket(4, 504, 4, "deleted"),
        ]
        self.comments: dict[int, list[dict[str, Any]]] = {
            1: [
                comment(11, 501, "My invoice is wrong", 0),
                comment(12, AGENT_ID, "Internal: check billing", 1, public=False),
                comment(13, AGENT_ID, "Fixed, sorry about that!", 2),
                comment(14, 501, "Thanks a lot", 3),
            ],
            2: [comment(21, 502, "Where is my order?", 5), comment(22, AGENT_ID, "", 6)],
            3: [comment(31, 503, "Cancel please", 7, created="31/31/2024")],
        }

    def authorized(self, request: Request) -> bool:
        expected = base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {expected}"

    def update(self, id: int, minute: int, new_comment: dict[str, Any] | None = None) -> None:
        """A ticket changed: the export lists it again after what was exported, maybe with a new comment."""
        self.tickets.append(ticket(id, 500 + id, minute))  # the export is a log of changes
        self.comments.setdefault(id, [])
        if new_comment:
            self.comments[id].append(new_comment)

    def route(self, request: Request) -> Response:
        if request.path == "/api/v2/incremental/tickets/cursor.json":
            if request.query.get("cursor"):
                start = int(base64.b64decode(request.query["cursor"]).decode())
            elif "start_time" in request.query:
                start = 0
            else:
                return json_response({"error": "InvalidPaginationParameter"}, 400)
            chunk = self.tickets[start : start + PER_PAGE]
            position = start + len(chunk)
            after = base64.b64encode(str(position).encode()).decode()
            return json_response(
                {
                    "tickets": chunk,
                    "after_cursor": after,
                    "after_url": f"{self.url}{request.path}?cursor={after}",
                    "before_cursor": None,
                    "before_url": None,
                    "end_of_stream": position >= len(self.tickets),
                }
            )
        parts = request.path.strip("/").split("/")
        if (
            len(parts) == 5
            and parts[:3] == ["api", "v2", "tickets"]
            and parts[4] == "comments.json"
        ):
            comments = self.comments.get(int(parts[3]))
            if comments is None:
                return json_response({"error": "RecordNotFound"}, 404)
            page = int(request.query.get("page") or 1)
            chunk = comments[(page - 1) * 2 : page * 2]
            more = page * 2 < len(comments)
            next_page = (
                f"{self.url}{request.path}?{urlencode({'page': page + 1})}" if more else None
            )
            return json_response(
                {
                    "comments": chunk,
                    "next_page": next_page,
                    "previous_page": None,
                    "count": len(comments),
                }
            )
        return json_response({"error": "InvalidEndpoint"}, 404)
