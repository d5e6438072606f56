"""E-mail messages as records: threads from the headers, the message's own words, the sender's role.

A message's thread is the first id of its References, else the thread of the message it is
In-Reply-To, else the message itself. The text is the message's own words: text/plain preferred
(else the HTML as text), without the quoted history ("> ..." lines, "On ... wrote:" / "Le ... a
écrit :" blocks, forwarded originals) nor the signature. A message is the agent's when its
sender's address or domain is one of the configured support addresses.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser
from typing import Any

from sources.base import AGENT, CUSTOMER, Record, Rejected
from sources.parsing import BadValue, check_text, decode_bytes, parse_datetime, repair_text

CHANNEL = "email"
_RAW_CHARS = 20_000  # of a rejected message kept in quarantine

_PARSER = BytesParser(policy=policy.default)
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")


class AgentAddresses:
    """Tells support addresses from customers': full addresses and domains (with subdomains)."""

    def __init__(self, entries: Iterable[str] = ()) -> None:
        self.addresses: set[str] = set()
        self.domains: set[str] = set()
        for entry in entries:
            value = entry.strip().lower()
            if "@" in value.lstrip("@"):
                self.addresses.add(value)
            elif value:
                self.domains.add(value.lstrip("@"))

    def __contains__(self, address: str) -> bool:
        address = address.lower()
        if address in self.addresses:
            return True
        domain = address.rpartition("@")[2]
        return any(domain == d or domain.endswith("." + d) for d in self.domains)


@dataclass
class ThreadIndex:
    """Each message's thread, for replies that only say In-Reply-To."""

    threads: dict[str, str] = field(default_factory=dict)

    def thread_of(self, message_id: str, in_reply_to: str | None, references: list[str]) -> str:
        if references:
            thread = references[0]
        elif in_reply_to:
            thread = self.threads.get(in_reply_to, in_reply_to)
        else:
            thread = message_id
        self.threads[message_id] = thread
        return thread


def message_ids(value: str | None) -> list[str]:
    """The ids in a Message-ID, In-Reply-To or References header, without angle brackets."""
    if not value:
        return []
    found = _MESSAGE_ID.findall(value)
    return found or value.split()


def parse_message(
    data: bytes,
    position: str,
    agents: AgentAddresses,
    threads: ThreadIndex,
    channel: str = CHANNEL,
    extra_raw: Mapping[str, Any] | None = None,
) -> Record | Rejected:
    """One message as a record, or Rejected saying why it cannot be one."""
    try:
        return _to_record(data, agents, threads, channel, extra_raw)
    except BadValue as exc:
        reason = str(exc)
    except Exception as exc:  # malformed MIME can fail anywhere in the stdlib parser
        reason = f"malformed message: {type(exc).__name__}: {exc}"
    raw = data[:_RAW_CHARS].decode("utf-8", errors="replace")
    return Rejected(position=position, reason=reason, raw=raw)


def _to_record(
    data: bytes,
    agents: AgentAddresses,
    threads: ThreadIndex,
    channel: str,
    extra_raw: Mapping[str, Any] | None,
) -> Record:
    if not data.strip():
        raise BadValue("empty message")
    message = _PARSER.parsebytes(data)
    if not isinstance(message, EmailMessage) or not any(k for k in message):
        raise BadValue("not an e-mail message: no headers")
    ids = message_ids(_header(message, "Message-ID"))
    # No Message-ID: the message's bytes name it, so reading it again finds the same record.
    message_id = ids[0] if ids else "sha1:" + hashlib.sha1(data, usedforsecurity=False).hexdigest()
    date = _header(message, "Date")
    if not date.strip():
        raise BadValue("no Date header")
    try:
        created_at = parse_datetime(date)
    except BadValue as exc:
        raise BadValue(f"bad Date header: {exc}") from None
    senders = [a for _, a in getaddresses([_header(message, "From")]) if "@" in a]
    author = senders[0].lower() if senders else ""
    if not author:
        raise BadValue("no sender address in From")
    text = check_text(repair_text(own_words(body_text(message)), "body"))
    in_reply_to = (message_ids(_header(message, "In-Reply-To")) or [None])[0]
    references = message_ids(_header(message, "References"))
    parent = in_reply_to or (references[-1] if references else None)
    language = _header(message, "Content-Language").split(",")[0].strip().lower() or None
    return Record(
        external_id=message_id,
        thread_id=threads.thread_of(message_id, in_reply_to, references),
        parent_id=parent if parent != message_id else None,
        author=author,
        author_role=AGENT if author in agents else CUSTOMER,
        channel=channel,
        created_at=created_at,
        text=text,
        language=language,
        raw={
            "subject": repair_text(_header(message, "Subject"), "subject"),
            "to": _header(message, "To"),
            "message_id": message_id,
            "in_reply_to": in_reply_to,
            "references": references,
            **(extra_raw or {}),
        },
    )


def _header(message: Message, name: str) -> str:
    """A header as text; a header the parser cannot decode reads as its raw value."""
    try:
        value = message.get(name)
    except Exception:  # e.g. an encoded word in an unknown charset
        value = dict(message.raw_items()).get(name)  # type: ignore[attr-defined]
    return "" if value is None else str(value)


def body_text(message: Message) -> str:
    """The text/plain body (the first one not attached), else the HTML body as text."""
    plain = html = None
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = _payload_text(part)
        elif kind == "text/html" and html is None:
            html = _payload_text(part)
    if plain is not None and plain.strip():
        return plain
    if html is not None:
        return html_to_text(html)
    raise BadValue("no text body (neither text/plain nor text/html)")


def _payload_text(part: Message) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    return decode_bytes(data, part.get_content_charset())


class _TextExtractor(HTMLParser):
    _BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"}
    )
    _SKIPPED = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quoting = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self.skipping += 1
        elif tag == "blockquote":
            self.quoting += 1  # quoted history, as mail clients write it in HTML
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag == "blockquote":
            self.quoting = max(self.quoting - 1, 0)
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.quoting:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML body, a line per block, without <blockquote> history."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (
        re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(extractor.parts).split("\n")
    )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# An attribution line ending a reply: "On <date>, <who> wrote:" / "Le <date>, <who> a écrit :".
_ATTRIBUTION = re.compile(
    r"^\s*(On\s.+\swrote|Le\s.+\sa\s+[ée]crit)\s*:\s*$", re.IGNORECASE | re.DOTALL
)
# The start of an original message pasted under a reply (Outlook and friends).
_ORIGINAL = re.compile(
    r"^\s*(-{2,}\s*(Original Message|Message d'origine|Forwarded message|Message transféré)"
    r"\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
_SIGNATURE = "-- "


def own_words(text: str) -> str:
    """The message's own text: quoted lines, attributions, pasted originals and signature removed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line == _SIGNATURE or line.rstrip() == "--" or _ORIGINAL.match(line):
            break  # everything below is the signature or someone else's message
        attribution = _attribution_length(lines, index)
        if attribution:
            following = next((x for x in lines[index + attribution :] if x.strip()), "").lstrip()
            if not following.startswith(">"):
                break  # the history follows unquoted: drop it all
            index += attribution
            continue
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
        index += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _attribution_length(lines: list[str], index: int) -> int:
    """1 or 2 when an attribution starts at `index` (clients wrap long ones), else 0."""
    if _ATTRIBUTION.match(lines[index]):
        return 1
    if (
        index + 1 < len(lines)
        and re.match(r"^\s*(On|Le)\s", lines[index])
        and _ATTRIBUTION.match(lines[index] + " " + lines[index + 1])
    ):
        return 2
    return 0
