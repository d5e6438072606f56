"""The one interface every connector implements: batches of records, rejects and a cursor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

CUSTOMER = "customer"
AGENT = "agent"


class SourceError(Exception):
    """A source cannot be read at all (wrong format, missing file): one clear sentence."""


@dataclass(frozen=True, slots=True)
class Record:
    """One comment as a channel gives it, before pseudonymisation and analysis."""

    external_id: str
    thread_id: str  # external id of the conversation's root
    parent_id: str | None  # external id of the comment this one answers
    author: str  # the channel's handle or id; pseudonymised at the store's door
    author_role: str  # CUSTOMER or AGENT
    channel: str  # twitter, facebook, review, app_store, ticket, survey, chat, call, email
    created_at: datetime  # aware
    text: str
    language: str | None = None  # when the channel says it
    likes: int = 0
    shares: int = 0
    replies: int = 0
    url: str | None = None
    raw: dict[str, Any] | None = None
    # Where it was read ("export.csv:42"), for the quarantine; not part of what the record is.
    position: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that could not be read: kept in quarantine with where it was and why."""

    position: str  # e.g. "export.csv:42"
    reason: str
    raw: str


@dataclass(slots=True)
class Batch:
    """A unit of work committed at once, with the cursor that resumes after it."""

    records: list[Record] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    cursor: dict[str, Any] = field(default_factory=dict)
    # The identity of the file the batch was read from (its SHA-1), "" for other sources: the
    # quarantine keys a rejected record by source, origin and position, so two files with the
    # same name (or a file replaced by another) keep their own bad rows.
    origin: str = ""


class Connector(Protocol):
    """A channel: reads what is new since `cursor`, one committed batch at a time."""

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]: ...
