"""A seeded generator of malformed import files (CSV, JSON Lines, JSON, XLSX) for the fuzz tests.

Every generated record carries a marker, "fz-" and six digits, in its id and (unless the text
is the damaged field) in its text, so after an import each record can be found again: in a
stored comment (its id or text, or an earlier text kept as a revision) or in the quarantine's
raw text. Damage is of two kinds: values (empty, impossible, over-long, wrong type, NUL bytes,
lone surrogates, huge counts, mojibake, repeated ids...) and structure (unbalanced quotes, extra
cells, broken JSON lines, a damaged or truncated JSON document, garbage bytes). Files are
written at test time into a temporary folder; the same seed gives the same bytes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

FORMATS = ("csv", "jsonl", "json", "xlsx")
MARKER = re.compile(r"fz-\d{6}")
COLUMNS = (
    "external_id",
    "thread_id",
    "parent_id",
    "author",
    "author_role",
    "channel",
    "created_at",
    "text",
    "language",
    "likes",
    "shares",
    "replies",
    "url",
)
WORDS = [
    *(
        [
            "parcel",
            "lost",
            "refund",
            "delayed",
            "agent",
            "thanks",
            "awful",
            "great",
            "waiting",
            "card",
            "blocked",
            "app",
        ]
    ),
    *(
        [
            "colis",
            "perdu",
            "remboursement",
            "merci",
            "attente",
            "carte",
            "bloquée",
            "appli",
            "plantée",
            "déçu",
        ]
    ),
]


@dataclass
class Corpus:
    """What was generated: each marker's format and file, and the files by format."""

    folder: Path
    markers: dict[str, tuple[str, str]] = field(default_factory=dict)  # marker -> (format, file)
    files: dict[str, list[Path]] = field(default_factory=dict)

    def count(self, fmt: str) -> int:
        return sum(1 for f, _ in self.markers.values() if f == fmt)


def _text(rng: random.Random, marker: str) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 25)))
    return f"{words} [{marker}]"


def _base(rng: random.Random, marker: str, n: int) -> dict[str, Any]:
    thread = f"fz-t{n // 4:06d}"
    return {
        "external_id": marker,
        "thread_id": thread,
        "parent_id": "",
        "author": rng.choice(["@jane", "@bob", "Zoé", "brand_care", "12345"]),
        "author_role": rng.choice(["customer", "agent", "client", "brand", ""]),
        "channel": rng.choice(["twitter", "ticket", "chat", ""]),
        "created_at": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T"
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+00:00",
        "text": _text(rng, marker),
        "language": rng.choice(["en", "fr", "", "EN"]),
        "likes": rng.choice([0, 1, 12, "", "1.2k"]),
        "shares": rng.choice([0, 3, ""]),
        "replies": rng.choice([0, 2, ""]),
        "url": rng.choice(["", f"https://example.org/{marker}"]),
    }


# Value damage: (name, formats it applies to, function(rng, record, earlier markers) -> record).
def _value_mutations() -> list[tuple[str, tuple[str, ...], Any]]:
    huge = [2**63, 2**64 + 5, 10**30, 3_000_000_000, -5]
    every = FORMATS
    text_formats = ("csv", "jsonl", "json")  # XLSX refuses control characters
    json_formats = ("jsonl", "json")

    def setter(key: str, value: Any) -> Any:
        return lambda rng, r, earlier: {**r, key: value}

    return [
        ("empty text", every, lambda rng, r, e: {**r, "text": rng.choice(["", "   ", "\t"])}),
        ("no id", every, lambda rng, r, e: {**r, "external_id": ""}),
        ("long id", every, lambda rng, r, e: {**r, "external_id": r["external_id"] + "x" * 200}),
        ("long thread", every, setter("thread_id", "t" * 201)),
        ("long parent", every, setter("parent_id", "p" * 201)),
        ("long language", every, setter("language", "english-us")),
        ("long channel", every, setter("channel", "c" * 41)),
        ("long url", every, setter("url", "https://example.org/" + "u" * 490)),
        (
            "huge text",
            every,
            lambda rng, r, e: {**r, "text": r["text"] + " more" * 4100},
        ),
        ("no date", every, setter("created_at", "")),
        (
            "bad date",
            every,
            lambda rng, r, e: {
                **r,
                "created_at": rng.choice(
                    ["2024-02-30", "soon", "1899-01-01", "31/31/2024", "99999999999999", "T"]
                ),
            },
        ),
        (
            "odd date",
            every,
            lambda rng, r, e: {
                **r,
                "created_at": rng.choice(
                    [
                        "2024-03-01",
                        "1710417600",
                        "03/04/2024 10:00",
                        "Tue Oct 31 22:10:47 +0000 2017",
                    ]
                ),
            },
        ),
        ("bad role", every, setter("author_role", "martian")),
        (
            "huge count",
            every,
            lambda rng, r, e: {**r, rng.choice(["likes", "shares", "replies"]): rng.choice(huge)},
        ),
        (
            "odd count",
            every,
            lambda rng, r, e: {**r, "likes": rng.choice(["abc", "1e400", "12,5", " 7 ", "-"])},
        ),
        (
            "NUL in text",
            text_formats,
            lambda rng, r, e: {**r, "text": r["text"].replace(" ", " \x00", 1)},
        ),
        (
            "NUL in id",
            text_formats,
            lambda rng, r, e: {**r, "external_id": r["external_id"] + "\x00"},
        ),
        ("NUL in language", text_formats, setter("language", "e\x00n")),
        (
            "control characters",
            text_formats,
            lambda rng, r, e: {**r, "text": r["text"] + " \x01\x07\x1b[31m \r lone CR"},
        ),
        (
            "lone surrogate",
            json_formats,
            lambda rng, r, e: {**r, rng.choice(["text", "author", "url"]): r["text"] + " \ud83d"},
        ),
        (
            "mojibake",
            every,
            lambda rng, r, e: {**r, "text": r["text"] + " Ã©tÃ© trÃ¨s dÃ©Ã§u"},
        ),
        (
            "unicode",
            every,
            lambda rng, r, e: {**r, "text": r["text"] + " 🙂 ‮RTL‬ 日本語 \u2028 ﬁ"},
        ),
        (
            "formula",
            every,
            lambda rng, r, e: {**r, "text": '=HYPERLINK("x") ' + r["text"]},
        ),
        (
            "float id",
            every,
            lambda rng, r, e: {**r, "thread_id": "12.0", "parent_id": "3.50"},
        ),
        (
            "repeated id",
            every,
            lambda rng, r, e: {**r, "external_id": rng.choice(e)} if e else r,
        ),
        (
            "wrong JSON type",
            json_formats,
            lambda rng, r, e: {
                **r,
                rng.choice(["text", "external_id", "created_at", "likes", "language"]): rng.choice(
                    [{"a": 1}, [1, 2], True]
                ),
            },
        ),
        (
            "JSON numbers",
            json_formats,
            lambda rng, r, e: {**r, "likes": 1.5, "created_at": 1710417600, "thread_id": 77},
        ),
        (
            "quotes and delimiters",
            every,
            lambda rng, r, e: {**r, "text": r["text"] + ' "a";b,c|d\te\n"'},
        ),
    ]


MUTATIONS = _value_mutations()


def _records(rng: random.Random, fmt: str, start: int, n: int) -> list[dict[str, Any]]:
    """n records, each with one value damage (a few left clean)."""
    usable = [m for m in MUTATIONS if fmt in m[1]]
    out: list[dict[str, Any]] = []
    earlier: list[str] = []
    for i in range(n):
        marker = f"fz-{start + i:06d}"
        record = _base(rng, marker, start + i)
        if rng.random() < 0.92:
            _, _, mutate = rng.choice(usable)
            record = mutate(rng, record, earlier)
        record["_marker"] = marker
        out.append(record)
        earlier.append(marker)
    return out


def _csv_bytes(rng: random.Random, records: list[dict[str, Any]]) -> bytes:
    delimiter = rng.choice([",", ";", "\t", "|"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=rng.choice(["\n", "\r\n"]))
    writer.writerow(COLUMNS)
    for record in records:
        row = [str(record[c]) for c in COLUMNS]
        damage = rng.random()
        if damage < 0.03:  # a cell beyond the header
            row.append("surprise")
        if damage > 0.985:  # an unbalanced quote: the row runs on into the next ones
            buffer.write(delimiter.join(row[:7]) + delimiter + '"' + row[7] + "\n")
            continue
        writer.writerow(row)
    text = buffer.getvalue()
    if rng.random() < 0.3:
        return ("\ufeff" + text).encode("utf-8")
    if rng.random() < 0.3:
        return text.encode("cp1252", errors="replace")
    data = text.encode("utf-8")
    if (
        rng.random() < 0.3
    ):  # a few undecodable bytes: the file is read as cp1252, repaired per field
        cut = data.rfind(b"\n", 0, len(data) // 2) + 1
        data = data[:cut] + b"\xff\xfe\x81garbage line\n" + data[cut:]
    return data


def _json_value(record: dict[str, Any], key: str) -> Any:
    value = record[key]
    if value == "" and key in ("parent_id", "url", "language", "likes", "shares", "replies"):
        return None
    return value


def _jsonl_bytes(rng: random.Random, records: list[dict[str, Any]]) -> bytes:
    lines = []
    for record in records:
        obj = {k: _json_value(record, k) for k in COLUMNS}
        line = json.dumps(obj, ensure_ascii=rng.random() < 0.5)
        damage = rng.random()
        if damage < 0.02:
            found = MARKER.search(line)  # a cut line, cut after the marker (so it can be found)
            line = line[: max(len(line) // 2, found.end() + 1 if found else 0)]
        elif damage < 0.03:
            line = "[" + line + "]"  # not an object
        elif damage < 0.04:
            line = line.replace('"text": "', '"text": "raw \x00 NUL ', 1)  # invalid JSON
        lines.append(line)
        if rng.random() < 0.02:
            lines.append("   ")
    return ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass")


def _json_bytes(rng: random.Random, records: list[dict[str, Any]]) -> tuple[bytes, str | None]:
    items = [
        json.dumps({k: _json_value(r, k) for k in COLUMNS}, ensure_ascii=True) for r in records
    ]
    for _ in range(rng.randint(0, 3)):  # damaged items: an unquoted string, a missing comma
        i = rng.randrange(len(items))
        if rng.random() < 0.5:
            items[i] = items[i].replace('"text": "', '"text": ', 1)
        else:
            items[i] = (
                items[i] + " " + items[i].replace('"external_id": "', '"external_id": "dup-', 1)
            )
    body = ",\n".join(items)
    key = rng.choice([None, "data.comments"])
    text = "[\n" + body + "\n]" if key is None else '{"data": {"comments": [\n' + body + "\n]}}"
    if rng.random() < 0.3:  # truncated: the last item is cut
        text = text[: len(text) - rng.randint(20, 80)]
    return text.encode("utf-8"), key


def _xlsx_write(path: Path, rng: random.Random, records: list[dict[str, Any]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append(list(COLUMNS))
    for record in records:
        row: list[Any] = []
        for key in COLUMNS:
            value = record[key]
            if isinstance(value, int) and abs(value) >= 2**53:
                value = str(value)  # beyond what a spreadsheet number holds
            elif key == "created_at" and rng.random() < 0.2 and value[:4].isdigit():
                with contextlib.suppress(ValueError):
                    value = datetime.fromisoformat(value).replace(tzinfo=None)
            row.append(value)
        if rng.random() < 0.03:
            row.append("beyond the header")
        sheet.append(row)
    workbook.save(path)


def generate(folder: Path, per_format: int = 1300, per_file: int = 130, seed: int = 13) -> Corpus:
    """Write the corpus under `folder` (one sub-folder per format; one source per file)."""
    rng = random.Random(seed)
    corpus = Corpus(folder)
    start = 0
    for fmt in FORMATS:
        corpus.files[fmt] = []
        fmt_dir = folder / fmt
        fmt_dir.mkdir(parents=True, exist_ok=True)
        for index in range(per_format // per_file):
            records = _records(rng, fmt, start, per_file)
            start += per_file
            path = fmt_dir / f"export-{index:02d}.{fmt}"
            if fmt == "csv":
                path.write_bytes(_csv_bytes(rng, records))
            elif fmt == "jsonl":
                path.write_bytes(_jsonl_bytes(rng, records))
            elif fmt == "json":
                data, key = _json_bytes(rng, records)
                path.write_bytes(data)
                if key:
                    path.with_suffix(".key").write_text(key)
            else:
                _xlsx_write(path, rng, records)
            corpus.files[fmt].append(path)
            for record in records:
                corpus.markers[record["_marker"]] = (fmt, path.name)
    return corpus
