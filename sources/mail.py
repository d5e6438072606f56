"""E-mail connectors: a folder of .eml and .mbox files, or an IMAP mailbox, read as threads of
comments; each message becomes a record in sources/mail_messages.py.
"""

from __future__ import annotations

import contextlib
import imaplib
import mailbox
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from sources.base import Batch, Record, Rejected, SourceError
from sources.mail_messages import CHANNEL, AgentAddresses, ThreadIndex, parse_message
from sources.parsing import FileInfo
from sources.reading import chunked, read_files

CHUNK_SIZE = 1_000
PAGE_SIZE = 100
EXTENSIONS = (".eml", ".mbox")


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
