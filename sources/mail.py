"""E-mail: a folder of .eml and .mbox files, or an IMAP mailbox, as threads of comments.

Threads come from the headers: a message's thread is the first id of its References, else the
thread of the message it is In-Reply-To, else the message itself. The text is the message's own
words: text/plain preferred (else the HTML as text), without the quoted history ("> ..." lines,
"On ... wrote:" / "Le ... a écrit :" blocks, forwarded originals) nor the signature. A message is
the agent's when its sender's address or domain is one of the configured support addresses.
"""

from __future__ import annotations

import contextlib
import hashlib
import imaplib
import mailbox
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sources.base import AGENT, CUSTOMER, Batch, Record, Rejected, SourceError
from sources.files import chunked, read_files
from sources.parsing import (
    BadValue,
    FileInfo,
    check_text,
    decode_bytes,
    parse_datetime,
    repair_text,
)

CHANNEL = "email"
CHUNK_SIZE = 1_000
PAGE_SIZE = 100
EXTENSIONS = (".eml", ".mbox")
_RAW_CHARS = 20_000  # of a rejected message kept in quarantine

_PARSER = BytesParser(policy=policy.default)
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")


# --- message to record -------------------------------------------------------------------------


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


# --- a folder of .eml and .mbox files ----------------------------------------------------------


class MailFolderConnector:
    """Reads .eml and .mbox files (a file or a drop folder), one batch per chunk of messages."""

    def __init__(
        self,
        path: Path | str,
        agent_addresses: Iterable[str] = (),
        channel: str = CHANNEL,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self.path = Path(path)
        self.agents = AgentAddresses(agent_addresses)
        self.channel = channel
        self.chunk_size = chunk_size

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailFolderConnector:
        """{"path": file or folder, "agent_addresses": [...], "channel": "email"}."""
        if not config.get("path"):
            raise SourceError("An email source needs a 'path' in its config.")
        return cls(
            config["path"],
            _address_list(config.get("agent_addresses")),
            channel=config.get("channel") or CHANNEL,
            chunk_size=int(config.get("chunk_size") or CHUNK_SIZE),
        )

    def files(self) -> list[Path]:
        """The files this connector reads, in the order it reads them."""
        if self.path.is_file():
            return [self.path]
        if self.path.is_dir():
            return sorted(
                p for p in self.path.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS
            )
        raise SourceError(f"{self.path} does not exist.")

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        """Batches of the messages in files new or changed since `cursor`, each file whole."""
        threads = ThreadIndex()
        return read_files(
            self.files(),
            cursor,
            lambda path, info: chunked(self._outcomes(path, info, threads), self.chunk_size),
            detect_encoding=False,
        )

    def _outcomes(
        self, path: Path, info: FileInfo, threads: ThreadIndex
    ) -> Iterator[Record | Rejected]:
        for position, data in _messages(path):
            yield parse_message(
                data, position, self.agents, threads, self.channel, {"file": path.name}
            )


def _messages(path: Path) -> Iterator[tuple[str, bytes]]:
    if path.suffix.lower() == ".eml":
        yield path.name, path.read_bytes()
        return
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.keys(), start=1):
            yield f"{path.name}#{number}", box.get_bytes(key)
    finally:
        box.close()


# --- an IMAP mailbox ---------------------------------------------------------------------------


class ImapConnector:
    """Reads the new messages of an IMAP folder, by UID, a page of messages per batch.

    The cursor holds the folder's UIDVALIDITY and the last UID read; when the server changes
    UIDVALIDITY (the folder was rebuilt) the folder is read again from the start, and the store
    keeps what it already has (same Message-ID).
    """

    def __init__(
        self,
        host: str,
        username: str,
        password: str,
        port: int | None = None,
        ssl: bool = True,
        folder: str = "INBOX",
        agent_addresses: Iterable[str] = (),
        channel: str = CHANNEL,
        page_size: int = PAGE_SIZE,
        timeout: float = 60.0,
    ) -> None:
        self.host = host
        self.port = port or (993 if ssl else 143)
        self.ssl = ssl
        self.username = username
        self.password = password
        self.folder = folder
        self.agents = AgentAddresses(agent_addresses)
        self.channel = channel
        self.page_size = page_size
        self.timeout = timeout

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ImapConnector:
        """{"host", "port", "ssl", "username", "password_env", "folder", "agent_addresses", ...}.

        The password is never in the config: `password_env` names the environment variable
        that holds it.
        """
        missing = [k for k in ("host", "username", "password_env") if not config.get(k)]
        if missing:
            raise SourceError(
                f"An imap source needs {', '.join(repr(m) for m in missing)} in its config."
            )
        password = os.environ.get(str(config["password_env"]))
        if not password:
            raise SourceError(
                f"The IMAP password is not set: the environment variable "
                f"{config['password_env']} is empty."
            )
        ssl = config.get("ssl", True)
        if isinstance(ssl, str):
            ssl = ssl.strip().lower() not in ("false", "no", "0", "off")
        return cls(
            host=str(config["host"]),
            username=str(config["username"]),
            password=password,
            port=int(config["port"]) if config.get("port") else None,
            ssl=bool(ssl),
            folder=str(config.get("folder") or "INBOX"),
            agent_addresses=_address_list(config.get("agent_addresses")),
            channel=config.get("channel") or CHANNEL,
            page_size=int(config.get("page_size") or PAGE_SIZE),
            timeout=float(config.get("timeout") or 60.0),
        )

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        """Batches of the messages with a UID above the cursor's, `page_size` at a time."""
        where = f"{self.host}:{self.port}"
        try:
            yield from self._read(cursor)
        except imaplib.IMAP4.abort as exc:
            raise SourceError(f"The IMAP server {where} closed the connection: {exc}") from None
        except imaplib.IMAP4.error as exc:
            raise SourceError(f"The IMAP server {where} refused a command: {exc}") from None
        except (TimeoutError, OSError) as exc:
            raise SourceError(f"The IMAP server {where} cannot be reached: {exc}") from None

    def _connect(self) -> imaplib.IMAP4:
        if self.ssl:
            return imaplib.IMAP4_SSL(self.host, self.port, timeout=self.timeout)
        return imaplib.IMAP4(self.host, self.port, timeout=self.timeout)

    def _read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        connection = self._connect()
        try:
            try:
                connection.login(self.username, self.password)
            except imaplib.IMAP4.error as exc:
                raise SourceError(
                    f"The IMAP login of {self.username!r} to {self.host} failed: {_text(exc)}"
                ) from None
            status, data = connection.select(_quote(self.folder), readonly=True)
            if status != "OK":
                raise SourceError(
                    f"The IMAP folder {self.folder!r} cannot be opened: {_text(data)}"
                )
            _, validity = connection.response("UIDVALIDITY")
            uidvalidity = int(validity[0]) if validity and validity[0] else 0
            last = int(cursor.get("last_uid") or 0)
            if (
                cursor.get("uidvalidity") != uidvalidity
                or cursor.get("folder", self.folder) != self.folder
            ):
                last = 0  # a new or rebuilt folder: its UIDs start over
            status, data = connection.uid("SEARCH", f"UID {last + 1}:*")
            if status != "OK":
                raise SourceError(f"The IMAP search in {self.folder!r} failed: {_text(data)}")
            # "n:*" also matches the highest UID when it is below n: keep only the new ones.
            uids = sorted(u for u in (int(x) for x in b" ".join(data or []).split()) if u > last)
            threads = ThreadIndex()
            for start in range(0, len(uids), self.page_size):
                page = uids[start : start + self.page_size]
                records: list[Record] = []
                rejected: list[Rejected] = []
                for uid, message in self._fetch(connection, page):
                    outcome = parse_message(
                        message,
                        f"{self.folder}:{uidvalidity}:{uid}",
                        self.agents,
                        threads,
                        self.channel,
                        {"folder": self.folder, "uid": uid},
                    )
                    (records if isinstance(outcome, Record) else rejected).append(outcome)  # type: ignore[arg-type]
                yield Batch(
                    records,
                    rejected,
                    {
                        **cursor,
                        "folder": self.folder,
                        "uidvalidity": uidvalidity,
                        "last_uid": page[-1],
                    },
                )
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                connection.logout()

    def _fetch(self, connection: imaplib.IMAP4, uids: list[int]) -> list[tuple[int, bytes]]:
        status, data = connection.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
        if status != "OK":
            raise SourceError(f"The IMAP fetch in {self.folder!r} failed: {_text(data)}")
        found: list[tuple[int, bytes]] = []
        for item in data or []:
            if not isinstance(item, tuple) or len(item) < 2:
                continue  # the closing ")" of each message
            match = re.search(rb"UID (\d+)", item[0])
            if match:
                found.append((int(match.group(1)), item[1]))
        found.sort()
        return found


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = b" ".join(v for v in value if isinstance(v, bytes))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _address_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[,\s]+", value) if v]
    return [str(v) for v in value]
