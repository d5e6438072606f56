import json

import pytest
from sqlalchemy import func, select

from casebook.pipeline import ingest_source, register_source, retry_quarantine
from sources.base import Batch, Rejected
from store.db import transaction
from store.ingest import ensure_source, start_run, write_batch
from store.models import Comment, QuarantinedRecord, Source
from store.quarantine import count_failed_attempt, quarantined, release
from tests.dashboard.seed import seed
from tests.store.test_ingest import KEY

DATE = "2026-11-01T10:00:00+00:00"


def test_list_release_and_count_attempts(session):
    for name in ("a", "b"):
        source = ensure_source(session, name=name, kind="csv", channel="ticket")
        rejected = [Rejected(f"{name}.csv:{i}", "missing date", f"raw {i}") for i in (2, 3)]
        write_batch(
            session,
            source=source,
            run=start_run(session, source=source),
            batch=Batch(rejected=rejected),
            key=KEY,
        )
    assert len(quarantined(session)) == 4
    rows = quarantined(session, source="a").to_dict("records")
    assert {r["position"] for r in rows} == {"a.csv:2", "a.csv:3"}
    assert {r["attempts"] for r in rows} == {0}
    ids = dict(
        session.execute(select(QuarantinedRecord.position, QuarantinedRecord.id)).tuples().all()
    )
    assert release(session, ids=[ids["a.csv:2"]]) == 1
    count_failed_attempt(session, reasons={ids["a.csv:3"]: "still no date"})
    count_failed_attempt(session, reasons={ids["a.csv:3"]: "still no date, again"})
    [row] = quarantined(session, source="a").to_dict("records")
    assert (row["position"], row["attempts"], row["reason"]) == (
        "a.csv:3",
        2,
        "still no date, again",
    )


def write_csv(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(";".join(r) for r in rows) + "\n")


def set_config(engine, name, **changes):
    with transaction(engine) as s:
        source = s.scalar(select(Source).where(Source.name == name))
        source.config = {**source.config, **changes}


def counts(engine):
    with transaction(engine) as s:
        return (
            s.scalar(select(func.count(Comment.id))),
            s.scalar(select(func.count(QuarantinedRecord.id))),
            sorted(s.scalars(select(QuarantinedRecord.attempts))),
        )


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_retry_ingests_what_now_parses_and_counts_attempts_on_the_rest(
    tmp_path, sqlite_engine, kind
):
    rows = [
        {"ticket": "t1", "body": "fine", "date": DATE, "who": "@ann"},
        {"ticket": "t2", "body": "no date here", "date": "", "who": "@bob"},
        {"ticket": "t3", "body": "", "date": DATE, "who": "@cy"},  # no text: stays
    ]
    drop = tmp_path / "drop"
    if kind == "csv":
        write_csv(drop / "export.csv", [list(rows[0])] + [list(r.values()) for r in rows])
    else:
        (drop).mkdir()
        (drop / "export.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    mapping = {"external_id": "ticket", "text": "body", "created_at": "date", "author": "who"}
    register_source(
        sqlite_engine,
        "crm",
        kind,
        "ticket",
        {"path": str(drop), "mapping": mapping, "channel": "ticket"},
    )
    first = ingest_source(sqlite_engine, "crm", KEY)
    assert (first.new, first.quarantined) == (1, 2)

    [unchanged] = retry_quarantine(sqlite_engine, KEY)
    assert (unchanged.retried, unchanged.ingested, unchanged.still) == (2, 0, 2)
    assert counts(sqlite_engine) == (1, 2, [1, 1])

    set_config(sqlite_engine, "crm", defaults={"created_at": DATE})  # the fix: a default date
    [fixed] = retry_quarantine(sqlite_engine, KEY, source="crm")
    assert (fixed.retried, fixed.ingested, fixed.still) == (2, 1, 1)
    assert counts(sqlite_engine) == (2, 1, [2])
    with transaction(sqlite_engine) as s:
        comment = s.scalar(select(Comment).where(Comment.external_id == "t2"))
        assert comment.text == "no date here" and comment.channel == "ticket"
        assert comment.raw["who"] == "@bob"
    assert retry_quarantine(sqlite_engine, KEY, source="other") == []


def test_retry_keeps_records_whose_file_is_gone(tmp_path, sqlite_engine):
    drop = tmp_path / "drop"
    write_csv(drop / "export.csv", [["external_id", "text", "created_at"], ["1", "no date", ""]])
    register_source(sqlite_engine, "crm", "csv", "ticket", {"path": str(drop), "channel": "ticket"})
    assert ingest_source(sqlite_engine, "crm", KEY).quarantined == 1
    (drop / "export.csv").unlink()
    set_config(sqlite_engine, "crm", defaults={"created_at": DATE})
    [result] = retry_quarantine(sqlite_engine, KEY)
    assert (result.ingested, result.still) == (0, 1)
    with transaction(sqlite_engine) as s:
        assert "gone" in s.scalar(select(QuarantinedRecord.reason))


def test_quarantined(session):
    seed(session, users=False)
    records = quarantined(session)
    assert list(records["reason"]) == ["bad json"] and records.iloc[0]["source"] == "demo-twitter"
