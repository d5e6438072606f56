"""Records the database would refuse never crash an import: found by fuzzing (issue 13).

Each test imports a real file through `ingest_source` on SQLite and PostgreSQL: values the
columns cannot hold are clamped (counts) or quarantined with their reason (the rest), the good
records of the same batch are stored, and the source is never stuck (the next run succeeds).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from casebook.steps.ingest import ingest_source, register_source, retry_quarantine
from store.db import transaction
from store.models import Comment, CommentRevision, QuarantinedRecord, Source

KEY = b"k" * 32
INT32_MAX = 2**31 - 1


def good(ext: str, **fields: object) -> dict[str, object]:
    return {
        "external_id": ext,
        "author": "@jane",
        "created_at": "2026-11-10T09:00:00+00:00",
        "text": f"my parcel {ext} never came",
        **fields,
    }


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _drop_sources(engine):
    """PostgreSQL's schema is shared by the session's tests: take this test's sources away."""
    yield
    with transaction(engine) as session:
        session.execute(delete(Source).where(Source.name.in_(CREATED)))
    CREATED.clear()


CREATED: list[str] = []


def import_file(engine, path: Path, kind: str = "jsonl") -> tuple[str, object]:
    name = f"src-{uuid.uuid4().hex[:10]}"
    CREATED.append(name)
    register_source(engine, name, kind, "chat", {"path": str(path), "channel": "chat"})
    return name, ingest_source(engine, name, KEY)


def comments(engine, name: str) -> dict[str, Comment]:
    with transaction(engine) as session:
        rows = session.scalars(
            select(Comment).join(Source, Source.id == Comment.source_id).where(Source.name == name)
        ).all()
        session.expunge_all()
    return {c.external_id: c for c in rows}


def quarantine(engine, name: str) -> list[QuarantinedRecord]:
    with transaction(engine) as session:
        rows = session.scalars(
            select(QuarantinedRecord)
            .join(Source, Source.id == QuarantinedRecord.source_id)
            .where(Source.name == name)
            .order_by(QuarantinedRecord.id)
        ).all()
        session.expunge_all()
    return list(rows)


def test_huge_engagement_counts_are_clamped_not_a_crash(engine, tmp_path):
    rows = [
        good("a", likes=2**63),
        good("b", shares=2**64 + 5, replies=10**30),
        good("c", likes="3000000000"),  # above PostgreSQL's integer
        good("d", likes=7),
    ]
    name, result = import_file(engine, write_jsonl(tmp_path / "in.jsonl", rows))
    assert (result.new, result.quarantined) == (4, 0)
    stored = comments(engine, name)
    assert stored["a"].likes == INT32_MAX
    assert (stored["b"].shares, stored["b"].replies) == (INT32_MAX, INT32_MAX)
    assert stored["c"].likes == INT32_MAX
    assert stored["d"].likes == 7
    assert stored["a"].raw["likes"] == 2**63  # the channel's own value stays in its payload


def test_values_the_columns_cannot_hold_are_quarantined_with_their_reason(engine, tmp_path):
    rows = [
        good("ok-1"),
        good("nul", text="a NUL \x00 byte in the text"),
        good("x" * 201),
        good("lang", language="english-us"),
        good("chan", channel="c" * 41),
        good("thread", thread_id="t" * 201),
        good("url", url="https://example.org/" + "u" * 500),
        good("surrogate", text="a lone \ud800 surrogate"),
        good("ok-2"),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    name, result = import_file(engine, path)
    assert set(comments(engine, name)) == {"ok-1", "ok-2"}
    reasons = {q.position: q.reason for q in quarantine(engine, name)}
    assert len(reasons) == 7 and result.quarantined == 7
    assert "NUL" in reasons["in.jsonl:2"] and "text" in reasons["in.jsonl:2"]
    assert "external_id" in reasons["in.jsonl:3"] and "200" in reasons["in.jsonl:3"]
    assert "language" in reasons["in.jsonl:4"] and "8" in reasons["in.jsonl:4"]
    assert "channel" in reasons["in.jsonl:5"] and "40" in reasons["in.jsonl:5"]
    assert "thread_id" in reasons["in.jsonl:6"]
    assert "url" in reasons["in.jsonl:7"]
    assert "surrogate" in reasons["in.jsonl:8"]
    # The source is not stuck: its cursor moved past the file, a second run reads nothing.
    again = ingest_source(engine, name, KEY)
    assert (again.read, again.new, again.quarantined) == (0, 0, 0)


def test_nul_bytes_in_quarantined_raw_text_do_not_crash(engine, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        (json.dumps(good("ok")) + "\n" + '{"external_id": "bad\x00", "text": broken\n').encode()
    )
    name, result = import_file(engine, path)
    assert set(comments(engine, name)) == {"ok"}
    [row] = quarantine(engine, name)
    assert row.reason.startswith("invalid JSON") and "bad" in row.raw


def test_an_id_three_times_in_one_batch_keeps_every_text(engine, tmp_path):
    rows = [
        good("same", text="first text of the comment"),
        good("other"),
        good("same", text="second text of the comment"),
        good("same", text="third text of the comment"),
    ]
    name, _ = import_file(engine, write_jsonl(tmp_path / "in.jsonl", rows))
    stored = comments(engine, name)
    assert stored["same"].text == "third text of the comment"
    with transaction(engine) as session:
        revisions = session.scalars(
            select(CommentRevision.text)
            .where(CommentRevision.comment_id == stored["same"].id)
            .order_by(CommentRevision.id)
        ).all()
    assert revisions == ["first text of the comment", "second text of the comment"]


def test_json_values_of_the_wrong_type_are_quarantined(engine, tmp_path):
    rows = [
        good("ok"),
        good("obj", text={"body": "hello"}),
        good(["list-id"]),
        good("bool", likes=True),
        good("date", created_at={"ts": 1}),
        good("lang", language=["en"]),
        good("num-text", text=12),
        good(42),  # a numeric id is fine
    ]
    name, _ = import_file(engine, write_jsonl(tmp_path / "in.jsonl", rows))
    assert set(comments(engine, name)) == {"ok", "42"}
    reasons = {q.position: q.reason for q in quarantine(engine, name)}
    assert set(reasons) == {f"in.jsonl:{n}" for n in range(2, 8)}
    assert "text" in reasons["in.jsonl:2"] and "object" in reasons["in.jsonl:2"]
    assert "external_id" in reasons["in.jsonl:3"] and "array" in reasons["in.jsonl:3"]
    assert "likes" in reasons["in.jsonl:4"] and "boolean" in reasons["in.jsonl:4"]
    assert "created_at" in reasons["in.jsonl:5"]
    assert "language" in reasons["in.jsonl:6"]
    assert "text" in reasons["in.jsonl:7"] and "number" in reasons["in.jsonl:7"]


def test_a_second_file_with_the_same_name_keeps_its_own_bad_rows(engine, tmp_path):
    first = write_jsonl(tmp_path / "a" / "export.jsonl", [good("a1"), good("a2", text="")])
    second = write_jsonl(tmp_path / "b" / "export.jsonl", [good("b1"), good("b2", text="  ")])
    name, _ = import_file(engine, first)
    register_source(engine, name, "jsonl", "chat", {"path": str(second), "channel": "chat"})
    ingest_source(engine, name, KEY)
    rows = quarantine(engine, name)
    assert [r.position for r in rows] == ["export.jsonl:2", "export.jsonl:2"]
    assert ["a2" in rows[0].raw, "b2" in rows[1].raw] == [True, True]
    # Reading the same files again (a cursor lost in a crash) adds nothing.
    with transaction(engine) as session:
        session.scalar(select(Source).where(Source.name == name)).cursor = {}
    ingest_source(engine, name, KEY)
    assert len(quarantine(engine, name)) == 2


def test_json_after_a_syntax_error_is_kept_whole_and_the_items_after_it_are_read(engine, tmp_path):
    items = [good(f"j{i}", text=f"comment {i} " + "long words " * 40) for i in range(12)]
    texts = [json.dumps(item) for item in items]
    texts[3] = texts[3].replace('"text": "', '"text": ', 1)  # an unquoted string: invalid JSON
    path = tmp_path / "export.json"
    path.write_text("[\n" + ",\n".join(texts) + "\n]\n", encoding="utf-8")
    name, result = import_file(engine, path, kind="json")
    stored = comments(engine, name)
    assert set(stored) == {f"j{i}" for i in range(12)} - {"j3"}
    [row] = quarantine(engine, name)
    assert row.raw == texts[3]  # whole: no cut at 2,000 characters
    assert "invalid JSON" in row.reason
    assert result.read == 12


def test_a_quarantined_json_item_is_restored_by_retry_once_its_mapping_is_fixed(engine, tmp_path):
    items = [good("k1"), {**good("k2"), "body": "a long text " * 300}, good("k3")]
    del items[1]["text"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    name, _ = import_file(engine, path, kind="json")
    assert set(comments(engine, name)) == {"k1", "k3"}
    [row] = quarantine(engine, name)
    assert len(row.raw) > 3000
    register_source(
        engine,
        name,
        "json",
        "chat",
        {"path": str(path), "channel": "chat", "mapping": {"text": "body"}},
    )
    [result] = retry_quarantine(engine, KEY, name)
    assert (result.ingested, result.still) == (1, 0)
    assert comments(engine, name)["k2"].text.startswith("a long text")
