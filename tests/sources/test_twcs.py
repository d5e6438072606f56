"""TwcsConnector: thread rebuilding on a hand-written fixture and on the real TWCS sample."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sources import SourceError, TwcsConnector
from sources.base import AGENT, CUSTOMER
from sources.twcs import ThreadRoots

FIXTURE = Path(__file__).parents[1] / "fixtures" / "sources" / "twcs_quirks.csv"
REAL = Path(__file__).parents[2] / "../shared/data/channels/twcs/twcs_part1.csv"


def read_all(connector, cursor=None):
    batches = list(connector.read(cursor or {}))
    return (
        batches,
        [r for b in batches for r in b.records],
        [r for b in batches for r in b.rejected],
    )


def assert_threads_consistent(records):
    by_id = {r.external_id: r for r in records}
    for record in records:
        if record.parent_id in by_id:
            assert by_id[record.parent_id].thread_id == record.thread_id, record
        if record.parent_id is None:
            assert record.thread_id == record.external_id, record


@pytest.fixture
def fixture_records():
    return {r.external_id: r for r in read_all(TwcsConnector(FIXTURE))[1]}


@pytest.mark.parametrize(
    ("tweet_id", "thread_id", "parent_id"),
    [
        ("12", "12", None),  # a root
        ("10", "12", "12"),  # "12.0" normalised
        ("11", "12", "10"),  # two levels down
        ("20", "99", "99"),  # parent outside the file: the root is that parent
        ("21", "99", "20"),
        ("22", "99", "20"),
        ("30", "98", "98"),  # siblings answering the same missing tweet share a thread
        ("31", "98", "98"),
    ],
)
def test_threads_are_rebuilt(fixture_records, tweet_id, thread_id, parent_id):
    record = fixture_records[tweet_id]
    assert (record.thread_id, record.parent_id) == (thread_id, parent_id)


def test_fixture_fields(fixture_records):
    assert fixture_records["12"].text == "@NovaCare my internet is down\nsince this morning"
    assert fixture_records["12"].author_role == CUSTOMER
    assert fixture_records["10"].author_role == AGENT
    assert fixture_records["10"].author == "NovaCare"
    assert fixture_records["10"].created_at == datetime(2017, 10, 31, 22, 10, 47, tzinfo=UTC)
    assert fixture_records["20"].replies == 2  # "21,22"
    assert fixture_records["11"].replies == 0
    assert {r.channel for r in fixture_records.values()} == {"twitter"}


def test_fixture_rejects(tmp_path):
    _, records, rejected = read_all(TwcsConnector(FIXTURE))
    assert len(records) == 8
    assert [(r.position, r.reason.split(" ")[0]) for r in rejected] == [
        ("twcs_quirks.csv:11", "unparseable"),  # Feb 30
        ("twcs_quirks.csv:12", "empty"),
    ]


def test_cursor_skips_a_read_file(tmp_path):
    connector = TwcsConnector(FIXTURE)
    batches = list(connector.read({}))
    assert set(batches[-1].cursor["files"]) == {"twcs_quirks.csv"}
    assert list(connector.read(batches[-1].cursor)) == []


def test_threads_span_files_in_a_folder(tmp_path):
    lines = FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "part1.csv").write_text("".join(lines[:4]), encoding="utf-8")  # 10, 11, 12 (split)
    (tmp_path / "part2.csv").write_text(lines[0] + "".join(lines[5:8]), encoding="utf-8")
    (tmp_path / "part0.csv").write_text(lines[0] + "".join(lines[3:5]), encoding="utf-8")
    _, records, _ = read_all(TwcsConnector(tmp_path))
    by_id = {r.external_id: r for r in records}
    assert by_id["10"].thread_id == "12"  # parent 12 lives in part0.csv


def test_not_a_twcs_file(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,text\n1,hello\n")
    with pytest.raises(SourceError, match="other.csv is not a TWCS file.*tweet_id"):
        list(TwcsConnector(path).read({}))


def test_thread_roots_survive_cycles():
    roots = ThreadRoots({"a": "b", "b": "a", "c": "a"})
    assert roots("a") == roots("b") == roots("c")


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data is absent")
def test_real_twcs_sample():
    batches, records, rejected = read_all(TwcsConnector(REAL))
    assert len(records) == 2000
    assert rejected == []
    assert len({r.external_id for r in records}) == 2000
    assert {r.author_role for r in records} == {CUSTOMER, AGENT}
    assert sum(r.author_role == CUSTOMER for r in records) == 1090
    assert all(r.parent_id is None or not r.parent_id.endswith(".0") for r in records)
    assert_threads_consistent(records)
    threads = {r.thread_id for r in records}
    assert 100 < len(threads) < 2000
    assert any("\n" in r.text for r in records)
    assert max(r.replies for r in records) > 1
    assert "twcs_part1.csv" in batches[-1].cursor["files"]


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data is absent")
def test_real_twcs_sample_in_chunks(tmp_path):
    shutil.copy(REAL, tmp_path / "twcs.csv")
    batches, records, _ = read_all(TwcsConnector(tmp_path, chunk_size=500))
    assert [len(b.records) for b in batches] == [500, 500, 500, 500]
    assert ["twcs.csv" in b.cursor.get("files", {}) for b in batches] == [False, False, False, True]
    assert_threads_consistent(records)
