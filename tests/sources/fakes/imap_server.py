"""A small IMAP4rev1 server on 127.0.0.1 that answers the commands imaplib sends.

It serves one folder of messages held in memory, checks the login, and logs every command, so
tests can change the folder (new messages, a new UIDVALIDITY) between two reads and see what the
client asked for. Supported: CAPABILITY, NOOP, LOGIN, SELECT, EXAMINE, UID SEARCH (UID ranges
and ALL), UID FETCH (UID, RFC822, BODY[], BODY.PEEK[], RFC822.SIZE, FLAGS), CLOSE, LOGOUT.
"""

from __future__ import annotations

import re
import socketserver
import threading
from dataclasses import dataclass, field
from types import TracebackType

_TOKEN = re.compile(rb'"((?:[^"\\]|\\.)*)"|(\([^)]*\))|([^\s()]+)')


@dataclass
class Mailbox:
    """What the server holds: one folder, its UIDVALIDITY and its messages by UID."""

    username: str
    password: str
    folder: str = "INBOX"
    uidvalidity: int = 1
    messages: dict[int, bytes] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)  # "COMMAND args", the login's password hidden

    def add(self, message: bytes) -> int:
        """Append a message with the next UID; returns that UID."""
        uid = max(self.messages, default=0) + 1
        self.messages[uid] = message
        return uid

    def reset(self, uidvalidity: int) -> None:
        """Rebuild the folder: same messages, UIDs from 1, a new UIDVALIDITY."""
        self.messages = {n: m for n, m in enumerate(self.messages.values(), start=1)}
        self.uidvalidity = uidvalidity


class FakeImapServer:
    """`with FakeImapServer(mailbox) as server:` serves on server.port until the block ends."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.mailbox = mailbox  # type: ignore[attr-defined]
        self.host, self.port = self._server.server_address[:2]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeImapServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _tokens(data: bytes) -> list[str]:
    out = []
    for quoted, group, atom in _TOKEN.findall(data):
        if quoted or (not group and not atom):
            out.append(re.sub(rb"\\(.)", rb"\1", quoted).decode())
        else:
            out.append((group or atom).decode())
    return out


def _uid_set(spec: str, uids: list[int]) -> list[int]:
    """The UIDs of `uids` in an IMAP sequence set ("1:3,7,9:*"); "*" is the highest UID."""
    highest = max(uids, default=0)
    chosen: set[int] = set()
    for part in spec.split(","):
        low, _, high = part.partition(":")
        a = highest if low == "*" else int(low)
        b = a if not high else (highest if high == "*" else int(high))
        a, b = min(a, b), max(a, b)
        chosen.update(u for u in uids if a <= u <= b)
    return sorted(chosen)


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        box: Mailbox = self.server.mailbox  # type: ignore[attr-defined]
        self.state = "NONAUTH"
        self._send(b"* OK [CAPABILITY IMAP4rev1] fake IMAP ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
            command, _, args = rest.partition(b" ")
            name = command.decode().upper()
            arguments = _tokens(args)
            shown = ["***" if name == "LOGIN" and i == 1 else a for i, a in enumerate(arguments)]
            box.commands.append(" ".join([name, *shown]))
            reply = getattr(self, f"_do_{name.lower()}", None)
            if reply is None:
                self._send(tag + b" BAD unknown command " + command)
                continue
            if reply(tag, arguments, box) == "bye":
                return

    def _send(self, data: bytes) -> None:
        self.wfile.write(data + b"\r\n")
        self.wfile.flush()

    def _do_capability(self, tag: bytes, args: list[str], box: Mailbox) -> None:
        self._send(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN")
        self._send(tag + b" OK CAPABILITY completed")

    def _do_noop(self, tag: bytes, args: list[str], box: Mailbox) -> None:
        self._send(tag + b" OK NOOP completed")

    def _do_login(self, tag: bytes, args: list[str], box: Mailbox) -> None:
        if args[:2] == [box.username, box.password]:
            self.state = "AUTH"
            self._send(tag + b" OK LOGIN completed")
        else:
            self._send(tag + b" NO [AUTHENTICATIONFAILED] Invalid credentials")

    def _do_select(self, tag: bytes, args: list[str], box: Mailbox, readonly: bool = False) -> None:
        if self.state == "NONAUTH":
            self._send(tag + b" BAD not authenticated")
            return
        if not args or args[0] != box.folder:
            self._send(tag + b" NO [NONEXISTENT] no such mailbox")
            return
        self.state = "SELECTED"
        self._send(b"* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)")
        self._send(b"* %d EXISTS" % len(box.messages))
        self._send(b"* 0 RECENT")
        self._send(b"* OK [UIDVALIDITY %d] UIDs valid" % box.uidvalidity)
        self._send(b"* OK [UIDNEXT %d] next UID" % (max(box.messages, default=0) + 1))
        mode = b"READ-ONLY" if readonly else b"READ-WRITE"
        self._send(
            tag + b" OK [" + mode + b"] " + (b"EXAMINE" if readonly else b"SELECT") + b" completed"
        )

    def _do_examine(self, tag: bytes, args: list[str], box: Mailbox) -> None:
        self._do_select(tag, args, box, readonly=True)

    def _do_uid(self, tag: bytes, args: list[str], box: Mailbox) -> None:
        if self.state != "SELECTED":
            self._send(tag + b" BAD no mailbox selected")
            return
        sub = args[0].upper() if args else ""
        uids = sorted(box.messages)
        if sub == "SEARCH":
            criteria = [a.upper() for a in args[1:]]
            if criteria[:1] == ["UID"] and len(criteria) > 1:
                found = _uid_set(criteria[1], uids)
            elif criteria in (["ALL"], []):
                found = uids
            else:
                self._send(tag + b" BAD unsupported search")
                return
            self._send(b"* SEARCH" + b"".join(b" %d" % u for u in found))
            self._send(tag + b" OK UID SEARCH completed")
        elif sub == "FETCH" and len(args) >= 3:
            items = " ".join(args[2:]).strip("()").upper().split()
            for uid in _uid_set(args[1], uids):
                number = uids.index(uid) + 1
                message = box.messages[uid]
                parts = [b"UID %d" % uid]
                if "FLAGS" in items:
                    parts.append(b"FLAGS ()")
                if "RFC822.SIZE" in items:
                    parts.append(b"RFC822.SIZE %d" % len(message))
                body = next((i for i in items if i in ("RFC822", "BODY[]", "BODY.PEEK[]")), None)
                head = b"* %d FETCH (" % number + b" ".join(parts)
                if body is None:
                    self._send(head + b")")
                    continue
                label = b"RFC822" if body == "RFC822" else b"BODY[]"
                self.wfile.write(head + b" " + label + b" {%d}\r\n" % len(message) + message)
                self._send(b")")
            self._send(tag + b" OK UID FETCH completed")
        else:
            self._send(tag + b" BAD unsupported UID command")

    def _do_close(self, tag: bytes, args: list[str], box: Mailbox) -> None:
        self.state = "AUTH"
        self._send(tag + b" OK CLOSE completed")

    def _do_logout(self, tag: bytes, args: list[str], box: Mailbox) -> str:
        self._send(b"* BYE fake IMAP server logging out")
        self._send(tag + b" OK LOGOUT completed")
        return "bye"
