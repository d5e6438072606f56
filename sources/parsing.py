"""Value parsing shared by the file connectors: dates, roles, ids, counts, encodings, fingerprints."""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from sources.base import AGENT, CUSTOMER

MAX_TEXT_CHARS = 20_000
_MIN_YEAR, _MAX_YEAR = 1970, 2100

# Tried in order after ISO-8601; slash dates are read day first (European exports), then month first.
_DATE_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",  # Twitter: Tue Oct 31 22:10:47 +0000 2017
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S %Z",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%d/%m/%y %H:%M",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d %b %Y %H:%M",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y %H:%M",
    "%b %d, %Y",
    "%B %d, %Y",
)

# fmt: off
_CUSTOMER_ROLES = frozenset({
    "customer", "client", "cliente", "user", "consumer", "member", "guest", "caller",
    "requester", "end-user", "end_user", "enduser", "inbound", "in", "true", "t", "yes", "y", "1",
})
_AGENT_ROLES = frozenset({
    "agent", "advisor", "adviser", "conseiller", "conseillère", "conseillere", "brand", "company",
    "support", "staff", "operator", "rep", "representative", "care", "moderator", "admin",
    "responder", "outbound", "out", "false", "f", "no", "n", "0",
})
# fmt: on

_LOOKS_LIKE_DATE = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?!\d)|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)"
)
_FLOAT_ID = re.compile(r"^(-?\d+)\.0+$")
_EPOCH = re.compile(r"^\d{9,13}(\.\d+)?$")
_COUNT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([kKmM]?)$")


class BadValue(ValueError):
    """A field value that makes a row unreadable; its message is the quarantine reason."""


def parse_datetime(value: str) -> datetime:
    """An aware datetime from ISO-8601, epoch seconds/ms, RFC 2822 or a common format; naive = UTC."""
    text = value.strip()
    if not text:
        raise BadValue("empty date")
    parsed = _parse_datetime(text)
    if parsed is None:
        if _LOOKS_LIKE_DATE.match(text):
            raise BadValue(f"impossible date {value!r}")
        raise BadValue(f"unparseable date {value!r}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        raise BadValue(f"impossible date {value!r} (year outside {_MIN_YEAR}-{_MAX_YEAR})")
    return parsed


def _parse_datetime(text: str) -> datetime | None:
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    if _EPOCH.match(text):
        seconds = float(text)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        return datetime.fromtimestamp(seconds, tz=UTC)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text)  # RFC 2822, as e-mail headers have them
    except (TypeError, ValueError, IndexError):
        return None


def parse_role(value: str, default: str = CUSTOMER) -> str:
    """CUSTOMER or AGENT from the many ways exports say who wrote a comment."""
    key = value.strip().lower()
    if not key:
        return default
    if key in _CUSTOMER_ROLES:
        return CUSTOMER
    if key in _AGENT_ROLES:
        return AGENT
    raise BadValue(f"unknown author role {value!r}")


def normalise_id(value: str) -> str:
    """An id as text, with spreadsheet float artefacts removed ("3.0" -> "3")."""
    text = value.strip()
    match = _FLOAT_ID.match(text)
    return match.group(1) if match else text


def parse_count(value: str) -> int:
    """A non-negative engagement count ("12", "12.0", "1.2k"); unreadable or empty counts are 0."""
    text = value.strip().replace("\u202f", "").replace(" ", "")
    match = _COUNT.match(text)
    if not match:
        return 0
    number = float(match.group(1).replace(",", "."))
    number *= {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return int(number)


def check_text(value: str) -> str:
    """The comment text, refused when empty or longer than MAX_TEXT_CHARS."""
    if not value.strip():
        raise BadValue("empty text")
    if len(value) > MAX_TEXT_CHARS:
        raise BadValue(f"text too long ({len(value):,} characters, limit {MAX_TEXT_CHARS:,})")
    return value


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What the cursor remembers of a file, and how to decode it."""

    size: int
    mtime_ns: int
    sha1: str
    encoding: str

    def cursor_entry(self) -> dict[str, int | str]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha1": self.sha1}

    def seen_in(self, entry: object) -> bool:
        """True when the cursor entry is this very file (same size and content)."""
        return (
            isinstance(entry, dict)
            and entry.get("size") == self.size
            and entry.get("sha1") == self.sha1
        )


def inspect_file(path: Path, chunk_bytes: int = 1 << 20) -> FileInfo:
    """Size, mtime, SHA-1 and the first of utf-8, cp1252, latin-1 that decodes the whole file."""
    stat = path.stat()
    digest = hashlib.sha1(usedforsecurity=False)
    decoders = {name: codecs.getincrementaldecoder(name)() for name in ("utf-8", "cp1252")}
    failed: set[str] = set()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            digest.update(chunk)
            for name, decoder in decoders.items():
                if name in failed:
                    continue
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    failed.add(name)
    for name, decoder in decoders.items():
        if name not in failed:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                failed.add(name)
    encoding = next((n for n in ("utf-8", "cp1252") if n not in failed), "latin-1")
    if encoding == "utf-8":
        encoding = "utf-8-sig"  # also drops a byte-order mark, as Excel writes one
    return FileInfo(stat.st_size, stat.st_mtime_ns, digest.hexdigest(), encoding)
