"""FileConnector: mapping, rejects, format errors, cursor, encodings, drop folders, registry."""

from __future__ import annotations

import csv
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

import sources.files
import sources.reading
from sources import FileConnector, SourceError, TwcsConnector, make_connector
from sources.base import AGENT, CUSTOMER

HEADER = ["ticket_id", "body", "date", "customer", "role"]
MAPPING = {
    "external_id": "ticket_id",
    "text": "body",
    "created_at": "date",
    "author": "customer",
    "author_role": "role",
}


def write_csv(path: Path, rows: list[list[str]], header=HEADER, encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_all(connector, cursor=None):
    batches = list(connector.read(cursor or {}))
    records = [r for b in batches for r in b.records]
    rejected = [r for b in batches for r in b.rejected]
    return batches, records, rejected


def test_mapping_reads_every_field(tmp_path):
    path = write_csv(
        tmp_path / "export.csv",
        [["T-1", "My parcel is late", "2024-03-14 12:00", "jane", "client"]],
    )
    _, records, rejected = read_all(FileConnector(path, "csv", MAPPING, channel="ticket"))
    assert rejected == []
    (record,) = records
    assert record.external_id == "T-1"
    assert record.thread_id == "T-1"  # defaults to the id
    assert record.parent_id is None
    assert record.author == "jane"
    assert record.author_role == CUSTOMER
    assert record.channel == "ticket"
    assert record.created_at == datetime(2024, 3, 14, 12, 0, tzinfo=UTC)
    assert record.text == "My parcel is late"
    assert record.raw == dict(
        zip(HEADER, ["T-1", "My parcel is late", "2024-03-14 12:00", "jane", "client"], strict=True)
    )


def test_unmapped_fields_use_same_named_columns(tmp_path):
    header = [
        "external_id",
        "Text",
        "created_at",
        "thread_id",
        "parent_id",
        "channel",
        "language",
        "likes",
        "shares",
        "replies",
        "url",
    ]
    row = [
        "c2",
        "merci !",
        "2024-03-14T12:00:00Z",
        "c1",
        "c1",
        "Facebook",
        "FR",
        "12",
        "3",
        "1",
        "https://x.example/c2",
    ]
    path = write_csv(tmp_path / "a.csv", [row], header=header)
    _, (record,), _ = read_all(FileConnector(path, "csv", None, channel="fallback"))
    assert (record.thread_id, record.parent_id, record.channel) == ("c1", "c1", "facebook")
    assert (record.language, record.likes, record.shares, record.replies) == ("fr", 12, 3, 1)
    assert record.url == "https://x.example/c2"
    assert record.text == "merci !"  # column names match case-insensitively


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("customer", CUSTOMER),
        ("agent", AGENT),
        ("client", CUSTOMER),
        ("advisor", AGENT),
        ("brand", AGENT),
        ("True", CUSTOMER),
        ("False", AGENT),
        ("", CUSTOMER),
    ],
)
def test_role_values(tmp_path, role, expected):
    path = write_csv(tmp_path / "r.csv", [["1", "hello", "2024-01-01", "x", role]])
    _, (record,), _ = read_all(FileConnector(path, "csv", MAPPING))
    assert record.author_role == expected


def test_defaults_fill_missing_columns_and_empty_cells(tmp_path):
    path = write_csv(tmp_path / "d.csv", [["1", "bonjour", "", "x", ""]])
    connector = FileConnector(
        path,
        "csv",
        MAPPING,
        defaults={"created_at": "2024-05-01", "language": "fr", "author_role": "agent"},
    )
    _, (record,), _ = read_all(connector)
    assert record.created_at == datetime(2024, 5, 1, tzinfo=UTC)
    assert record.language == "fr"
    assert record.author_role == AGENT


# Each damaged row and the reason it must be quarantined with.
DAMAGED = [
    (["", "no id here", "2024-01-01", "a", "customer"], "missing id"),
    (["2", "", "2024-01-01", "a", "customer"], "empty text"),
    (["3", "   ", "2024-01-01", "a", "customer"], "empty text"),
    (["4", "x" * 20_001, "2024-01-01", "a", "customer"], "text too long"),
    (["5", "bad date", "not a date", "a", "customer"], "unparseable date"),
    (["6", "impossible date", "2024-02-30", "a", "customer"], "impossible date"),
    (["7", "no date", "", "a", "customer"], "missing date"),
    (["8", "odd role", "2024-01-01", "a", "martian"], "unknown author role"),
    (["9", "too many", "2024-01-01", "a", "customer", "extra"], "6 fields"),
]
GOOD = [
    ["100", "fine", "2024-01-01", "a", "customer"],
    ["101", "multi\nline, quoted", "2024-01-02T10:00:00+02:00", "b", "agent"],
    ["102", "x" * 20_000, "01/02/2024", "c", ""],
]


def test_damaged_csv_rejects_every_bad_row_and_reads_every_good_one(tmp_path):
    rows = [GOOD[0], *[row for row, _ in DAMAGED], GOOD[1], GOOD[2]]
    path = write_csv(tmp_path / "damaged.csv", rows)
    _, records, rejected = read_all(FileConnector(path, "csv", MAPPING))
    assert [r.external_id for r in records] == ["100", "101", "102"]
    assert len(rejected) == len(DAMAGED)
    for reject, (row, reason) in zip(rejected, DAMAGED, strict=True):
        assert reason in reject.reason
        assert reject.position.startswith("damaged.csv:")
        assert row[1][:50] in reject.raw
    # Positions are physical lines: the header is line 1, the first good row line 2.
    assert [r.position for r in rejected][:2] == ["damaged.csv:3", "damaged.csv:4"]


def test_position_counts_lines_inside_quoted_newlines(tmp_path):
    rows = [["1", "a\nb\nc", "2024-01-01", "a", ""], ["2", "", "2024-01-01", "a", ""]]
    path = write_csv(tmp_path / "n.csv", rows)
    _, _, (reject,) = read_all(FileConnector(path, "csv", MAPPING))
    assert reject.position == "n.csv:5"


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["ticket_id", "date", "customer", "role"], "'body (text)'"),
        (["body", "date", "customer", "role"], "'ticket_id (external_id)'"),
        (["ticket_id", "body", "date", "role"], "'customer (author)'"),  # mapped explicitly
    ],
)
def test_missing_columns_raise_one_clear_sentence(tmp_path, header, missing):
    path = write_csv(tmp_path / "wrong.csv", [["1"] * len(header)], header=header)
    with pytest.raises(SourceError) as caught:
        list(FileConnector(path, "csv", MAPPING).read({}))
    message = str(caught.value)
    assert "wrong.csv" in message and missing in message
    assert message.count(".") >= 1 and "\n" not in message


def test_missing_date_column_is_a_format_error_unless_defaulted(tmp_path):
    path = write_csv(tmp_path / "nodate.csv", [["1", "hi"]], header=["external_id", "text"])
    with pytest.raises(SourceError, match="created_at"):
        list(FileConnector(path, "csv").read({}))
    _, records, _ = read_all(FileConnector(path, "csv", defaults={"created_at": "2024-01-01"}))
    assert len(records) == 1


def test_unknown_mapping_field_is_refused():
    with pytest.raises(SourceError, match="bogus"):
        FileConnector(Path("x.csv"), "csv", {"bogus": "col"})


def test_missing_path_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        list(FileConnector(tmp_path / "nope.csv", "csv").read({}))


def test_semicolon_separated_csv(tmp_path):
    path = tmp_path / "fr.csv"
    path.write_text(
        "external_id;text;created_at\n1;Bonjour, ça marche;14/03/2024 12:00\n", encoding="utf-8"
    )
    _, (record,), _ = read_all(FileConnector(path, "csv"))
    assert record.text == "Bonjour, ça marche"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_encoding_fallback(tmp_path, encoding):
    text = "Très déçu, où est ma commande ?" + (" – “vite”" if encoding == "cp1252" else "")
    path = write_csv(
        tmp_path / "enc.csv", [["1", text, "2024-01-01", "zoé", ""]], encoding=encoding
    )
    _, (record,), rejected = read_all(FileConnector(path, "csv", MAPPING))
    assert rejected == []
    assert record.text == text
    assert record.author == "zoé"


def test_undecodable_bytes_fall_back_per_file(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    write_csv(folder / "a.csv", [["1", "café", "2024-01-01", "a", ""]], encoding="utf-8")
    write_csv(folder / "b.csv", [["2", "café", "2024-01-01", "a", ""]], encoding="cp1252")
    _, records, _ = read_all(FileConnector(folder, "csv", MAPPING))
    assert [r.text for r in records] == ["café", "café"]


def test_chunks_and_cursor_marks_a_file_done_on_its_last_batch_only(tmp_path):
    rows = [[str(i), f"text {i}", "2024-01-01", "a", ""] for i in range(25)]
    path = write_csv(tmp_path / "big.csv", rows)
    batches = list(FileConnector(path, "csv", MAPPING, chunk_size=10).read({}))
    assert [len(b.records) for b in batches] == [10, 10, 5]
    assert [("big.csv" in b.cursor.get("files", {})) for b in batches] == [False, False, True]
    entry = batches[-1].cursor["files"]["big.csv"]
    assert set(entry) == {"size", "mtime_ns", "sha1"}
    assert entry["size"] == path.stat().st_size


def test_cursor_skips_completed_files_and_rereads_half_read_ones(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    write_csv(folder / "1.csv", [[str(i), "t", "2024-01-01", "a", ""] for i in range(3)])
    write_csv(folder / "2.csv", [[str(i), "t", "2024-01-01", "a", ""] for i in range(10, 15)])
    connector = FileConnector(folder, "csv", MAPPING, chunk_size=2)

    # A run killed after the first batch of 2.csv: the last committed cursor is that batch's.
    batches = list(connector.read({}))
    first_of_second = next(b for b in batches if b.records[0].external_id == "10")
    assert "2.csv" not in first_of_second.cursor["files"]
    resumed = list(connector.read(first_of_second.cursor))
    assert [r.external_id for b in resumed for r in b.records] == ["10", "11", "12", "13", "14"]

    # A completed run: nothing to read again.
    assert list(connector.read(batches[-1].cursor)) == []

    # A new file in the folder: only it is read.
    write_csv(folder / "3.csv", [["20", "t", "2024-01-01", "a", ""]])
    again = list(connector.read(batches[-1].cursor))
    assert [r.external_id for b in again for r in b.records] == ["20"]
    assert set(again[-1].cursor["files"]) == {"1.csv", "2.csv", "3.csv"}


def test_a_changed_file_is_read_again(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["1", "t", "2024-01-01", "a", ""]])
    connector = FileConnector(path, "csv", MAPPING)
    cursor = list(connector.read({}))[-1].cursor
    write_csv(path, [["1", "t", "2024-01-01", "a", ""], ["2", "u", "2024-01-01", "a", ""]])
    _, records, _ = read_all(connector, cursor)
    assert [r.external_id for r in records] == ["1", "2"]


def test_cursor_keeps_other_keys(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["1", "t", "2024-01-01", "a", ""]])
    (batch,) = FileConnector(path, "csv", MAPPING).read({"note": "kept"})
    assert batch.cursor["note"] == "kept"


def test_empty_files_are_marked_done(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    write_csv(tmp_path / "header_only.csv", [])
    batches = list(FileConnector(tmp_path, "csv", MAPPING).read({}))
    assert [len(b.records) for b in batches] == [0, 0]
    assert set(batches[-1].cursor["files"]) == {"empty.csv", "header_only.csv"}


def test_drop_folder_reads_only_its_format_sorted(tmp_path):
    for name, ident in (("b.csv", "2"), ("a.csv", "1")):
        write_csv(tmp_path / name, [[ident, "t", "2024-01-01", "a", ""]])
    (tmp_path / "notes.txt").write_text("ignored")
    (tmp_path / "c.jsonl").write_text("{}\n")
    _, records, _ = read_all(FileConnector(tmp_path, "csv", MAPPING))
    assert [r.external_id for r in records] == ["1", "2"]


def test_jsonl_reads_typed_values_and_rejects_bad_lines(tmp_path):
    lines = [
        {"id": 1, "message": "hello", "ts": "2024-01-01T00:00:00Z", "inbound": True, "likes": 3},
        "not json at all",
        [1, 2],
        {"id": 2, "message": "", "ts": "2024-01-01T00:00:00Z", "inbound": False},
        {"id": 3.0, "message": "bye", "ts": 1704067200, "inbound": False, "parent": 1},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n",
        encoding="utf-8",
    )
    mapping = {
        "external_id": "id",
        "text": "message",
        "created_at": "ts",
        "author_role": "inbound",
        "parent_id": "parent",
    }
    _, records, rejected = read_all(FileConnector(path, "jsonl", mapping, channel="chat"))
    assert [(r.external_id, r.author_role, r.parent_id) for r in records] == [
        ("1", CUSTOMER, None),
        ("3", AGENT, "1"),
    ]
    assert records[0].likes == 3 and records[0].channel == "chat"
    assert records[1].created_at == datetime(2024, 1, 1, tzinfo=UTC)
    assert [(r.position, r.reason.split(":")[0]) for r in rejected] == [
        ("feed.jsonl:2", "invalid JSON"),
        ("feed.jsonl:3", "not a JSON object"),
        ("feed.jsonl:4", "empty text"),
    ]


def test_jsonl_without_required_keys_is_a_format_error(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text(json.dumps({"foo": 1}) + "\n")
    with pytest.raises(SourceError, match="f.jsonl.*external_id"):
        list(FileConnector(path, "jsonl").read({}))


def test_a_csv_read_as_jsonl_is_a_format_error(tmp_path):
    path = write_csv(tmp_path / "f.jsonl", [[str(i), "t", "2024-01-01", "a", ""] for i in range(6)])
    with pytest.raises(SourceError, match="not a JSON Lines file"):
        list(FileConnector(path, "jsonl").read({}))


@pytest.mark.parametrize(
    ("kind", "config", "cls"),
    [
        ("csv", {"path": "x.csv", "mapping": MAPPING, "channel": "ticket"}, FileConnector),
        ("jsonl", {"path": "x.jsonl"}, FileConnector),
        ("twcs", {"path": "twcs.csv"}, TwcsConnector),
        ("json", {"path": "x.json", "records_key": "data.items"}, FileConnector),
        ("xlsx", {"path": "x.xlsx", "sheet": "Tickets", "mapping": MAPPING}, FileConnector),
    ],
)
def test_registry_makes_connectors(kind, config, cls):
    connector = make_connector(kind, config)
    assert isinstance(connector, cls)
    if kind == "csv":
        assert connector.format == "csv" and connector.channel == "ticket"
    if kind == "json":
        assert connector.format == "json" and connector.records_key == "data.items"
    if kind == "xlsx":
        assert connector.format == "xlsx" and connector.sheet == "Tickets"


def test_registry_refuses_unknown_kinds_naming_the_known_ones():
    with pytest.raises(SourceError) as caught:
        make_connector("ftp", {})
    for kind in ("cfpb", "csv", "email", "imap", "json", "jsonl", "twcs", "xlsx"):
        assert kind in str(caught.value)


def test_registry_needs_a_path():
    with pytest.raises(SourceError, match="path"):
        make_connector("csv", {})


# --- JSON documents -----------------------------------------------------------------------------

ITEMS = [
    {"ticket_id": "T-1", "body": "Colis perdu", "date": "2024-03-14T12:00:00Z", "customer": "a"},
    {"ticket_id": 2, "body": "Merci !", "date": 1710417600, "customer": "b", "role": "agent"},
]


@pytest.mark.parametrize(
    ("document", "records_key", "where"),
    [
        (ITEMS, None, "$"),
        ({"items": ITEMS, "count": 2}, "items", "$.items"),
        ({"data": {"comments": ITEMS}, "meta": {}}, "data.comments", "$.data.comments"),
    ],
)
def test_json_reads_a_list_at_the_top_or_under_a_key(tmp_path, document, records_key, where):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    connector = FileConnector(path, "json", MAPPING, channel="chat", records_key=records_key)
    batches, records, rejected = read_all(connector)
    assert rejected == []
    assert [(r.external_id, r.author_role, r.text) for r in records] == [
        ("T-1", CUSTOMER, "Colis perdu"),
        ("2", AGENT, "Merci !"),
    ]
    assert records[1].created_at == datetime(2024, 3, 14, 12, 0, tzinfo=UTC)
    assert records[0].raw == ITEMS[0]
    assert "export.json" in batches[-1].cursor["files"]
    assert where  # positions of rejects are shown in the damaged test below


def test_damaged_json_quarantines_each_bad_item_with_its_reason(tmp_path):
    items = [
        ITEMS[0],
        "not an object",
        {"ticket_id": "3", "body": "", "date": "2024-01-01", "customer": "c"},
        {"ticket_id": "4", "body": "bad date", "date": "2024-02-30", "customer": "c"},
        {"ticket_id": "", "body": "no id", "date": "2024-01-01", "customer": "c"},
        {"ticket_id": "6", "body": "Ã©tÃ© pourri", "date": "2024-01-01", "customer": "c"},
    ]
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps({"data": items}), encoding="utf-8")
    _, records, rejected = read_all(FileConnector(path, "json", MAPPING, records_key="data"))
    assert [(r.external_id, r.text) for r in records] == [
        ("T-1", "Colis perdu"),
        ("6", "été pourri"),
    ]
    assert [(r.position, r.reason) for r in rejected] == [
        ("damaged.json:$.data[1]", "not a JSON object"),
        ("damaged.json:$.data[2]", "empty text"),
        ("damaged.json:$.data[3]", "impossible date '2024-02-30'"),
        ("damaged.json:$.data[4]", "missing id"),
    ]
    assert "not an object" in rejected[0].raw


def test_truncated_json_reads_the_items_before_the_damage(tmp_path):
    text = json.dumps(ITEMS + [ITEMS[0]], indent=1)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) - 40], encoding="utf-8")  # cut inside the third item
    batches, records, rejected = read_all(FileConnector(path, "json", MAPPING))
    assert [r.external_id for r in records] == ["T-1", "2"]
    (reject,) = rejected
    assert reject.position == "cut.json:$[2]"
    assert reject.reason.startswith("invalid JSON at line") and "rest of the list" in reject.reason
    assert "cut.json" in batches[-1].cursor["files"]  # read to its end: done


@pytest.mark.parametrize(
    ("document", "records_key", "message"),
    [
        ({"items": ITEMS}, None, "not a list of records (name the key"),
        ({"items": ITEMS}, "rows", "no key 'rows'"),
        ({"items": {"a": 1}}, "items", "an object at $.items, not a list"),
        ('{"items": [1, 2', "items2", "not valid JSON"),
    ],
)
def test_json_without_a_list_of_records_is_a_format_error(tmp_path, document, records_key, message):
    path = tmp_path / "f.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    with pytest.raises(SourceError, match=message.replace("(", r"\(").replace("$", r"\$")):
        list(FileConnector(path, "json", MAPPING, records_key=records_key).read({}))


# --- XLSX workbooks -----------------------------------------------------------------------------


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


XLSX_ROWS = [
    HEADER,
    [1.0, "Très déçu", datetime(2024, 3, 14, 12, 0), "zoé", "client"],
    [],  # an empty row in the middle
    ["T-2", "Merci pour votre aide", "14/03/2024 13:00", "agent7", "agent"],
]


@pytest.mark.parametrize(("sheet", "expected"), [(None, ["1", "T-2"]), ("Second", ["S-1"])])
def test_xlsx_reads_the_first_or_the_named_sheet(tmp_path, sheet, expected):
    second = [HEADER, ["S-1", "other sheet", "2024-01-01", "x", ""]]
    path = write_xlsx(tmp_path / "book.xlsx", {"First": XLSX_ROWS, "Second": second})
    batches, records, rejected = read_all(FileConnector(path, "xlsx", MAPPING, sheet=sheet))
    assert rejected == []
    assert [r.external_id for r in records] == expected
    if sheet is None:
        first = records[0]
        assert first.created_at == datetime(2024, 3, 14, 12, 0, tzinfo=UTC)
        assert (first.text, first.author, first.author_role) == ("Très déçu", "zoé", CUSTOMER)
        assert first.raw["date"] == "2024-03-14T12:00:00"
        assert records[1].author_role == AGENT
    assert set(batches[-1].cursor["files"]) == {"book.xlsx"}


def test_damaged_xlsx_quarantines_bad_rows_with_sheet_and_row(tmp_path):
    rows = [
        HEADER,
        ["1", "fine", "2024-01-01", "a", ""],
        ["2", None, "2024-01-01", "a", ""],
        ["3", "bad date", "soon", "a", ""],
        ["4", "odd role", "2024-01-01", "a", "martian"],
        ["5", "extra cell", "2024-01-01", "a", "", "surprise"],
        [None, "no id", "2024-01-01", "a", ""],
        ["7", "Ã©tÃ©", "2024-01-01", "a", ""],
    ]
    path = write_xlsx(tmp_path / "damaged.xlsx", {"Tickets": rows})
    _, records, rejected = read_all(FileConnector(path, "xlsx", MAPPING))
    assert [(r.external_id, r.text) for r in records] == [("1", "fine"), ("7", "été")]
    assert [(r.position, r.reason.split(" '")[0]) for r in rejected] == [
        ("damaged.xlsx:Tickets!3", "empty text"),
        ("damaged.xlsx:Tickets!4", "unparseable date"),
        ("damaged.xlsx:Tickets!5", "unknown author role"),
        ("damaged.xlsx:Tickets!6", "values beyond the header's 5 columns"),
        ("damaged.xlsx:Tickets!7", "missing id"),
    ]


@pytest.mark.parametrize(
    ("content", "sheet", "message"),
    [
        (b"not a zip at all", None, "not a readable XLSX file"),
        (None, "Missing", "no sheet 'Missing' \\(its sheets are First\\)"),
    ],
)
def test_unreadable_xlsx_is_a_format_error(tmp_path, content, sheet, message):
    path = tmp_path / "bad.xlsx"
    if content is None:
        write_xlsx(path, {"First": XLSX_ROWS})
    else:
        path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        list(FileConnector(path, "xlsx", MAPPING, sheet=sheet).read({}))


# --- mojibake and undecodable bytes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Ã©tÃ©", "été"),
        ("TrÃ¨s dÃ©Ã§u, oÃ¹ est ma commande ?", "Très déçu, où est ma commande ?"),
        ("Iâ€™m not happy", "I’m not happy"),
        ("already fine: été", "already fine: été"),
    ],
)
def test_mojibake_is_repaired_in_text_and_author(tmp_path, written, expected):
    path = write_csv(tmp_path / "m.csv", [["1", written, "2024-01-01", "ZoÃ©", ""]])
    _, (record,), _ = read_all(FileConnector(path, "csv", MAPPING))
    assert record.text == expected
    assert record.author == "Zoé"


def test_a_file_of_mixed_encodings_is_repaired_row_by_row_and_garbage_rejected(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"ticket_id,body,date,customer,role\n"
        + "1,Très déçu,2024-01-01,zoé,\n".encode()  # UTF-8
        + "2,Très déçu,2024-01-01,zoé,\n".encode("cp1252")  # cp1252 appended later
        + b"3,caf\x81\x8d\x90 \x9d,2024-01-01,a,\n"  # bytes no encoding gives text for
    )
    _, records, rejected = read_all(FileConnector(path, "csv", MAPPING))
    assert [(r.external_id, r.text, r.author) for r in records] == [
        ("1", "Très déçu", "zoé"),
        ("2", "Très déçu", "zoé"),
    ]
    (reject,) = rejected
    assert reject.position == "mixed.csv:4"
    assert reject.reason == "undecodable bytes in text (garbage left after repair)"


def test_utf16_export_is_detected(tmp_path):
    path = write_csv(
        tmp_path / "u16.csv",
        [["1", "Très déçu, où est ma commande ?", "2024-01-01", "zoé", ""]],
        encoding="utf-16",
    )
    _, (record,), rejected = read_all(FileConnector(path, "csv", MAPPING))
    assert rejected == [] and record.text == "Très déçu, où est ma commande ?"


# --- no-op re-runs ------------------------------------------------------------------------------


@pytest.fixture
def hashing(monkeypatch):
    """The names of the files the connector hashes (opens to fingerprint)."""
    calls: list[str] = []
    real = sources.reading.inspect_file

    def counting(path, *args, **kwargs):
        calls.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(sources.reading, "inspect_file", counting)
    return calls


@pytest.mark.parametrize("format", ["csv", "jsonl", "json", "xlsx"])
def test_an_unchanged_folder_is_skipped_without_opening_its_files(tmp_path, hashing, format):
    rows = [[str(i), f"text {i}", "2024-01-01", "a", ""] for i in range(3)]
    for name in ("a", "b"):
        path = tmp_path / f"{name}.{format}"
        if format == "csv":
            write_csv(path, rows)
        elif format == "xlsx":
            write_xlsx(path, {"S": [HEADER, *rows]})
        else:
            objects = [dict(zip(HEADER, row, strict=True)) for row in rows]
            path.write_text(
                json.dumps(objects)
                if format == "json"
                else "\n".join(json.dumps(o) for o in objects)
            )
    connector = FileConnector(tmp_path, format, MAPPING)
    first = list(connector.read({}))
    assert sum(len(b.records) for b in first) == 6 and hashing == [f"a.{format}", f"b.{format}"]
    hashing.clear()
    assert list(connector.read(first[-1].cursor)) == []
    assert hashing == []


def test_a_touched_identical_file_is_hashed_once_and_not_read_again(tmp_path, hashing):
    path = write_csv(tmp_path / "x.csv", [["1", "t", "2024-01-01", "a", ""]])
    connector = FileConnector(tmp_path, "csv", MAPPING)
    cursor = list(connector.read({}))[-1].cursor
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    hashing.clear()
    (refresh,) = connector.read(cursor)  # one empty batch carrying the new mtime
    assert (refresh.records, refresh.rejected, hashing) == ([], [], ["x.csv"])
    assert refresh.cursor["files"]["x.csv"]["mtime_ns"] == path.stat().st_mtime_ns
    hashing.clear()
    assert list(connector.read(refresh.cursor)) == [] and hashing == []


def test_a_changed_file_with_the_same_size_is_read_again(tmp_path, hashing):
    path = write_csv(tmp_path / "x.csv", [["1", "aaa", "2024-01-01", "a", ""]])
    connector = FileConnector(path, "csv", MAPPING)
    cursor = list(connector.read({}))[-1].cursor
    write_csv(path, [["1", "bbb", "2024-01-01", "a", ""]])
    os.utime(path, ns=(0, path.stat().st_mtime_ns + 1_000))  # coarse clocks: force a new mtime
    _, records, _ = read_all(connector, cursor)
    assert [r.text for r in records] == ["bbb"]


@pytest.mark.slow
def test_a_no_op_rerun_of_a_200k_row_file_takes_no_time(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(
            [str(i), f"comment number {i}", "2024-01-01", "a", ""] for i in range(200_000)
        )
    connector = FileConnector(path, "csv", MAPPING)
    cursor = {"files": {"big.csv": {}}}
    for batch in connector.read({}):
        cursor = batch.cursor
    start = time.perf_counter()
    assert list(connector.read(cursor)) == []
    assert time.perf_counter() - start < 0.05


def test_csv_rows_read_as_lists_give_what_to_record_gives_from_dicts(tmp_path):
    """The CSV fast path (column indexes, ASCII rows skip repair) agrees with to_record on every
    kind of row: short rows, blanks and defaults, mojibake, same-named columns, bad values."""
    header = ["id", "when", "body", "who", "role", "likes", "id", "extra"]
    rows = [
        ["1", "2026-11-01T10:00:00Z", "plain text", "@a", "agent", "12", "1b", "x"],
        ["2", "2026-11-01 10:00:00 +0200", "caf\u00c3\u00a9 cr\u00c3\u00a8me", "", "", "1.2k"],
        ["3", "01/11/2026", "  spaced  ", "  @b ", " Customer ", " 7 ", " 3.0 "],
        ["4", "", "no date"],
        ["5", "2026-11-01", "   "],
        ["6", "2026-11-01", "bad role", "@c", "robot"],
        ["7", "2026-11-01", "\u00c3\u00a9t\u00c3\u00a9 \ufffd", "@d"],
        ["8", "2026-02-30", "impossible"],
        ["9", "2026-11-01T10:00:00", "d\u00e9j\u00e0 vu, clean French", "\u00c3\u00a9ric"],
        ["", "2026-11-01", "no id"],
    ]
    path = tmp_path / "mixed.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    mapping = {
        "created_at": "when",
        "text": "body",
        "author": "who",
        "author_role": "role",
        "external_id": "id",
    }
    for defaults in ({}, {"author": "@default", "language": "fr", "channel": "Chat"}):
        connector = FileConnector(path, mapping=mapping, channel="survey", defaults=defaults)
        batches = list(connector.read({}))
        fast = [*batches[0].records, *batches[0].rejected]
        columns = connector.columns(path, header)
        expected = []
        for line, values in enumerate(rows, start=2):
            by_column = dict(zip(header, values, strict=False))
            try:
                expected.append(
                    connector.to_record(
                        {f: by_column.get(c, "") for f, c in columns.items()}, by_column
                    )
                )
            except sources.files.BadValue as exc:
                line_text = sources.reading.csv_line(values, ",")
                expected.append(sources.files.Rejected(f"mixed.csv:{line}", str(exc), line_text))
        records = sorted(
            (r for r in expected if not isinstance(r, sources.files.Rejected)),
            key=lambda r: r.external_id,
        )
        rejected = [r for r in expected if isinstance(r, sources.files.Rejected)]
        assert sorted(batches[0].records, key=lambda r: r.external_id) == records
        assert batches[0].rejected == rejected
        assert len(fast) == len(rows)
        by_id = {r.external_id: r for r in records}
        assert by_id["1b"].author_role == AGENT and by_id["1b"].likes == 12
        assert by_id["1b"].raw == dict(zip(header, rows[0], strict=False))
        assert by_id["2"].text == "café crème" and by_id["2"].likes == 1200
        assert by_id["3"].author == "@b" and by_id["3"].text == "spaced"
        assert by_id["9"].text == "déjà vu, clean French" and by_id["9"].author == "éric"
        assert {r.reason for r in rejected} >= {"missing date", "empty text", "missing id"}


def test_read_ahead_keeps_order_passes_errors_on_and_stops_its_thread():
    import threading

    from sources.base import Batch
    from sources.reading import read_ahead

    def batches(fail: bool):
        for i in range(5):
            yield Batch(cursor={"n": i})
        if fail:
            raise SourceError("the export went away")

    assert [b.cursor["n"] for b in read_ahead(batches(False))] == [0, 1, 2, 3, 4]
    reader = read_ahead(batches(True))
    assert next(reader).cursor == {"n": 0}
    with pytest.raises(SourceError, match="went away"):
        list(reader)
    stopped = read_ahead(iter([Batch()] * 100), depth=1)
    next(stopped)
    stopped.close()  # as ingest_source does when a write fails
    assert not [t for t in threading.enumerate() if t.name == "ingest-read-ahead"]
