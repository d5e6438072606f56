"""Value parsing shared by the file connectors: dates, roles, ids, counts, encodings, fingerprints."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import charset_normalizer
import ftfy

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
    r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)"
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


# Transcripts, chats and surveys often name a speaker by their role ("Caller", "Visiteur",
# "Survey respondent"), the same label in every conversation: such a name is not an account.
_SPEAKER_LABEL_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "customer",
        "customers",
        "client",
        "cliente",
        "clients",
        "caller",
        "appelant",
        "appelante",
        "visitor",
        "visiteur",
        "visiteuse",
        "guest",
        "invité",
        "invitée",
        "user",
        "utilisateur",
        "utilisatrice",
        "member",
        "membre",
        "consumer",
        "consommateur",
        "consommatrice",
        "anonymous",
        "anonyme",
        "unknown",
        "inconnu",
        "survey",
        "respondent",
        "response",
        "reply",
        "répondant",
        "répondante",
        "réponse",
        "questionnaire",
        "sondage",
        "enquête",
    ]
)


def is_speaker_label(author: str) -> bool:
    """Whether an author name is a role label ("Caller", "Client", "Survey respondent") rather
    than an account: two threads' "Caller" are two people."""
    words = author.lower().replace("_", " ").split()
    return bool(words) and all(w.strip(".:()-") in _SPEAKER_LABEL_WORDS for w in words)


def normalise_id(value: str) -> str:
    """An id as text, with spreadsheet float artefacts removed ("3.0" -> "3")."""
    text = value.strip()
    if "." not in text:
        return text
    match = _FLOAT_ID.match(text)
    return match.group(1) if match else text


def parse_count(value: str) -> int:
    """A non-negative engagement count ("12", "12.0", "1.2k"); unreadable or empty counts are 0."""
    if not value:
        return 0
    if len(value) < 16 and value.isdigit() and value.isascii():
        return int(value)
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


# ftfy repairs mojibake only: curly quotes, ligatures, widths, line breaks and entities stay as written.
_REPAIR = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    explain=False,
)
# What mojibake looks like: a UTF-8 lead byte read as Latin-1/cp1252 followed by a continuation
# byte read the same way, C1 controls, or replacement characters. Text without any of them is
# left alone, which keeps clean non-ASCII text (most French comments) off ftfy's slower path.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]|\u00c3\\s|[\u0080-\u009f\ufffd]"
)
_GARBAGE = re.compile("[\u0080-\u009f\ufffd]")  # left after repair: bytes nothing could decode


def repair_text(value: str, field: str = "text") -> str:
    """`value` with mojibake repaired ("Ã©tÃ©" -> "été"); BadValue when it stays undecodable."""
    if value.isascii() or not _MOJIBAKE_HINT.search(value):
        return value
    fixed = ftfy.fix_text(value, _REPAIR)
    if _GARBAGE.search(fixed):
        raise BadValue(f"undecodable bytes in {field} (garbage left after repair)")
    return fixed


# Encodings charset-normalizer may name that the utf-8 / cp1252 / latin-1 chain would garble:
# UTF-16/32 (Excel's "Unicode text") and scripts other than Latin. For Western text its guesses
# (iso8859_10, mac_roman, ...) are worse than the chain plus ftfy, so they are not taken.
_TRUSTED_GUESSES = (
    "utf_16",
    "utf_32",
    "cp1251",
    "koi8",
    "iso8859_5",
    "mac_cyrillic",
    "cp866",
    "cp855",
    "cp1253",
    "iso8859_7",
    "cp1255",
    "iso8859_8",
    "cp1256",
    "iso8859_6",
    "cp874",
    "tis_620",
    "shift_jis",
    "cp932",
    "euc_jp",
    "iso2022",
    "gb2312",
    "gbk",
    "gb18030",
    "big5",
    "euc_kr",
    "cp949",
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE_BYTES = 1 << 18  # what charset-normalizer sees: the start and the non-ASCII chunks
_MIN_GUESS_BYTES = 64
_NON_ASCII = re.compile(rb"[\x80-\xff]")  # below this, charset-normalizer's guesses are noise


def guess_encoding(sample: bytes) -> str | None:
    """A non-Western encoding charset-normalizer is sure of, or None (then the chain decides)."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if len(sample) < _MIN_GUESS_BYTES:
        return None
    best = charset_normalizer.from_bytes(sample).best()
    if best is None or not best.encoding.startswith(_TRUSTED_GUESSES):
        return None
    if best.encoding.startswith(("utf_16", "utf_32")):
        return best.encoding.replace("_", "-")
    return best.encoding if best.coherence >= 0.2 else None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text from bytes of any encoding: the declared one, UTF-8, a sure guess, cp1252, latin-1.

    Never raises; undecodable bytes become U+FFFD, which `repair_text` then refuses.
    """
    for name in (declared, "utf-8"):
        if not name:
            continue
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    guess = guess_encoding(data[:_SAMPLE_BYTES])
    for name in (guess, "cp1252"):
        if not name:
            continue
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    if declared:
        try:
            return data.decode(declared, errors="replace")
        except LookupError:
            pass
    return data.decode("utf-8", errors="replace")


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


def unchanged(entry: object, stat: os.stat_result) -> bool:
    """True when a cursor entry has this file's size and mtime: skipped without being opened."""
    return (
        isinstance(entry, dict)
        and entry.get("size") == stat.st_size
        and entry.get("mtime_ns") == stat.st_mtime_ns
    )


def inspect_file(path: Path, chunk_bytes: int = 1 << 20, detect: bool = True) -> FileInfo:
    """Size, mtime, SHA-1 and the encoding that decodes the file (not looked for unless `detect`).

    UTF-8 when the whole file is UTF-8; else the encoding charset-normalizer is sure of (UTF-16,
    Cyrillic, ...); else cp1252 when it decodes the whole file, else latin-1. Mojibake left by a
    file of mixed encodings is repaired field by field (`repair_text`).
    """
    stat = path.stat()
    digest = hashlib.sha1(usedforsecurity=False)
    decoders = {name: codecs.getincrementaldecoder(name)() for name in ("utf-8", "cp1252")}
    failed: set[str] = set() if detect else {"utf-8", "cp1252"}
    sample = bytearray()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            digest.update(chunk)
            if detect and len(sample) < _SAMPLE_BYTES:
                # The start (for a byte-order mark) and the stretches with non-ASCII bytes.
                found = _NON_ASCII.search(chunk) if sample else None
                start = 0 if not sample else (max(found.start() - 256, 0) if found else len(chunk))
                sample += chunk[start : start + _SAMPLE_BYTES - len(sample)]
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
    if not detect:
        return FileInfo(stat.st_size, stat.st_mtime_ns, digest.hexdigest(), "binary")
    if "utf-8" not in failed:
        encoding = "utf-8-sig"  # also drops a byte-order mark, as Excel writes one
    else:
        encoding = guess_encoding(bytes(sample)) or (
            "cp1252" if "cp1252" not in failed else "latin-1"
        )
    return FileInfo(stat.st_size, stat.st_mtime_ns, digest.hexdigest(), encoding)


def as_text(value: Any) -> str:
    """A JSON value as the text a column holds: null empty, booleans lower-case, objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
