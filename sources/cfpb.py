"""The CFPB consumer complaints export: an internal channel of complaints and company responses.

Each row of the raw export (https://www.consumerfinance.gov/data-research/consumer-complaints/)
with a consumer narrative becomes a thread: the complaint (customer) and, when the company gave
a public response, that response (agent) as its reply; when the export also says whether the
consumer disputed that response ("Consumer disputed?"), the consumer's verdict follows it as a
customer turn ("disputed: Yes" or "disputed: No", one second after the response), so a disputed
answer reads as the customer ending angrier (as in the annotated set's rubric). Rows without a
narrative have no text to learn from: they are skipped, and counted in the file's cursor entry
("without_narrative").
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from sources.base import AGENT, CUSTOMER, Batch, Record, Rejected, SourceError
from sources.parsing import (
    BadValue,
    FileInfo,
    check_text,
    normalise_id,
    parse_datetime,
    repair_text,
)
from sources.reading import chunked, csv_line, read_files

CHANNEL = "complaint"
CHUNK_SIZE = 10_000
ID, NARRATIVE, RECEIVED = "Complaint ID", "Consumer complaint narrative", "Date received"
RESPONSE, SENT, COMPANY = "Company public response", "Date sent to company", "Company"
REQUIRED = (ID, NARRATIVE, RECEIVED)
# Kept in each record's raw: what the complaint is about and how it was handled.
KEPT = (
    "Product",
    "Sub-product",
    "Issue",
    "Sub-issue",
    "Company",
    "State",
    "Tags",
    "Submitted via",
    "Company response to consumer",
    "Timely response?",
    "Consumer disputed?",
)
RESPONSE_SUFFIX = "-response"
DISPUTED, DISPUTED_SUFFIX = "Consumer disputed?", "-disputed"
# The export's picklist value that means the company said nothing in public: not a reply.
NO_PUBLIC_RESPONSE = "chooses not to provide a public response"


def is_reply(response: str) -> bool:
    """Whether a "Company public response" cell is something the company said."""
    text = response.strip()
    return bool(text) and NO_PUBLIC_RESPONSE not in text


_ERROR = "\x00error"  # a row key no export has: the row could not be read

csv.field_size_limit(16 * 1024 * 1024)


class CfpbConnector:
    """Reads CFPB complaint exports (a CSV file or a folder of them), one thread per complaint."""

    def __init__(self, path: Path | str, chunk_size: int = CHUNK_SIZE) -> None:
        self.path = Path(path)
        self.chunk_size = chunk_size
        self._skipped: dict[str, int] = {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> CfpbConnector:
        """The connector of a source config: {"path": file or folder, "chunk_size": optional}."""
        if not config.get("path"):
            raise SourceError("A cfpb source needs a 'path' in its config.")
        return cls(config["path"], int(config.get("chunk_size") or CHUNK_SIZE))

    def files(self) -> list[Path]:
        """The files this connector reads, in the order it reads them."""
        if self.path.is_file():
            return [self.path]
        if self.path.is_dir():
            return sorted(
                p for p in self.path.iterdir() if p.is_file() and p.suffix.lower() == ".csv"
            )
        raise SourceError(f"{self.path} does not exist.")

    def read(self, cursor: dict[str, Any]) -> Iterator[Batch]:
        """Batches of the complaints in files not yet read; a file is marked done on its last batch."""
        return read_files(
            self.files(),
            cursor,
            self._chunks,
            entry=lambda path, _: {"without_narrative": self._skipped.get(path.name, 0)},
        )

    def _chunks(self, path: Path, info: FileInfo) -> Iterator[tuple[list[Record], list[Rejected]]]:
        return chunked(self._outcomes(path, info), self.chunk_size)

    def _outcomes(self, path: Path, info: FileInfo) -> Iterator[Record | Rejected]:
        self._skipped[path.name] = 0
        for line, row, raw in _rows(path, info):
            position = f"{path.name}:{line}"
            if _ERROR in row:
                yield Rejected(position=position, reason=row[_ERROR], raw=raw)
                continue
            if not row.get(NARRATIVE, "").strip():
                self._skipped[path.name] += 1
                continue
            try:
                complaint = to_complaint(row)
            except BadValue as exc:
                yield Rejected(position=position, reason=str(exc), raw=raw)
                continue
            yield complaint
            if is_reply(row.get(RESPONSE, "")):
                try:
                    response = to_response(row, complaint)
                except BadValue as exc:
                    yield Rejected(
                        position=f"{position} (response)", reason=f"response: {exc}", raw=raw
                    )
                    continue
                yield response
                if row.get(DISPUTED, "").strip().lower() in ("yes", "no"):  # not "N/A"
                    yield to_dispute(row, complaint, response)


def to_complaint(row: Mapping[str, str]) -> Record:
    """The consumer's complaint as a customer record; BadValue says why it cannot be one."""
    complaint_id = normalise_id(row.get(ID, ""))
    if not complaint_id:
        raise BadValue("missing id")
    text = check_text(repair_text(row.get(NARRATIVE, "").strip()))
    if not row.get(RECEIVED, "").strip():
        raise BadValue("missing date")
    return Record(
        external_id=complaint_id,
        thread_id=complaint_id,
        parent_id=None,
        # The export names no consumer: each complaint is its own anonymous author.
        author=f"consumer-{complaint_id}",
        author_role=CUSTOMER,
        channel=CHANNEL,
        created_at=parse_datetime(row[RECEIVED]),
        text=text,
        language="en",
        raw={k: row.get(k, "") for k in KEPT},
    )


def to_response(row: Mapping[str, str], complaint: Record) -> Record:
    """The company's public response as the agent's reply to `complaint`."""
    sent = row.get(SENT, "").strip()
    created_at = parse_datetime(sent) if sent else complaint.created_at
    return Record(
        external_id=complaint.external_id + RESPONSE_SUFFIX,
        thread_id=complaint.external_id,
        parent_id=complaint.external_id,
        author=row.get(COMPANY, "").strip() or "company",
        author_role=AGENT,
        channel=CHANNEL,
        created_at=max(created_at, complaint.created_at),
        text=check_text(repair_text(row.get(RESPONSE, "").strip())),
        language="en",
        raw={k: row.get(k, "") for k in KEPT},
    )


def to_dispute(row: Mapping[str, str], complaint: Record, response: Record) -> Record:
    """Whether the consumer disputed the company's response, as their turn after it."""
    return Record(
        external_id=complaint.external_id + DISPUTED_SUFFIX,
        thread_id=complaint.external_id,
        parent_id=response.external_id,
        author=complaint.author,
        author_role=CUSTOMER,
        channel=CHANNEL,
        created_at=response.created_at + timedelta(seconds=1),
        text=f"disputed: {row[DISPUTED].strip()}",
        language="en",
        raw={k: row.get(k, "") for k in KEPT},
    )


def _rows(path: Path, info: FileInfo) -> Iterator[tuple[int, dict[str, str], str]]:
    """(line, row, raw) for each data row; SourceError when the header is not the export's."""
    with path.open(encoding=info.encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        if not header:
            return
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise SourceError(
                f"{path.name} is not a CFPB complaints export: it has no column "
                f"{', '.join(repr(m) for m in missing)}."
            )
        start = reader.line_num + 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, {_ERROR: f"unreadable CSV row: {exc}"}, ""
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if any(v.strip() for v in values):
                yield line, dict(zip(header, values, strict=False)), csv_line(values, ",")
