"""The demo generator: deterministic, bilingual, threaded, and readable by FileConnector."""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from casebook.demo.generator import generate_demo, main
from casebook.demo.world import CHANNELS, DEFAULT_START, SITUATIONS
from sources import FileConnector
from sources.base import AGENT, CUSTOMER


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    paths = generate_demo(out, n_comments=2000, seed=7)
    batches = list(FileConnector(out, "jsonl", mapping=None, channel="demo").read({}))
    records = [r for b in batches for r in b.records]
    rejected = [r for b in batches for r in b.rejected]
    with (out / "labels.csv").open(encoding="utf-8") as handle:
        labels = list(csv.DictReader(handle))
    return out, paths, records, rejected, labels


def test_same_seed_same_bytes(tmp_path, demo):
    generate_demo(tmp_path / "again", n_comments=2000, seed=7)
    assert digest(tmp_path / "again") == digest(demo[0])


def test_other_seed_other_bytes(tmp_path, demo):
    generate_demo(tmp_path / "other", n_comments=2000, seed=8)
    assert digest(tmp_path / "other") != digest(demo[0])


def test_one_file_per_channel(demo):
    _, paths, _, _, _ = demo
    assert [p.name for p in paths] == [f"{c}.jsonl" for c in CHANNELS]


@pytest.mark.parametrize("n", [1, 7, 150, 2000])
def test_volume_is_exact(tmp_path, n):
    generate_demo(tmp_path, n_comments=n, seed=3)
    batches = list(FileConnector(tmp_path, "jsonl", channel="demo").read({}))
    assert sum(len(b.records) for b in batches) == n


def test_ingests_without_rejects(demo):
    _, _, records, rejected, _ = demo
    assert rejected == []
    assert len(records) == 2000
    assert len({r.external_id for r in records}) == 2000
    assert {r.channel for r in records} == set(CHANNELS)  # from the files, not "demo"


def test_both_languages_in_proportion(demo):
    languages = Counter(r.language for r in demo[2])
    assert set(languages) == {"en", "fr"}
    assert 0.35 < languages["fr"] / 2000 < 0.55


def test_both_roles_present(demo):
    roles = Counter(r.author_role for r in demo[2])
    assert set(roles) == {CUSTOMER, AGENT}
    assert roles[CUSTOMER] > roles[AGENT]


def test_threads_are_consistent(demo):
    records = demo[2]
    by_id = {r.external_id: r for r in records}
    threads: dict[str, list] = {}
    for record in records:
        threads.setdefault(record.thread_id, []).append(record)
        if record.parent_id is None:
            assert record.thread_id == record.external_id
        else:
            parent = by_id[record.parent_id]
            assert parent.thread_id == record.thread_id
            assert parent.created_at <= record.created_at
            assert parent.author_role != record.author_role  # turns alternate
    assert max(len(t) for t in threads.values()) <= 6
    assert all(t[0].author_role == CUSTOMER for t in threads.values())


def test_dates_within_sixty_days_before_start(demo):
    dates = [r.created_at for r in demo[2]]
    assert all(d.tzinfo is not None for d in dates)
    assert DEFAULT_START - timedelta(days=61) <= min(dates)
    assert max(dates) <= DEFAULT_START


def test_start_is_a_parameter(tmp_path):
    start = datetime(2025, 1, 1, tzinfo=UTC)
    generate_demo(tmp_path, n_comments=50, seed=1, start=start)
    records = [r for b in FileConnector(tmp_path, "jsonl").read({}) for r in b.records]
    assert max(r.created_at for r in records) <= start


def test_arcs_and_situations_are_mixed(demo):
    labels = demo[4]
    arcs = Counter(row["arc"] for row in labels)
    assert 0.18 < arcs["recovery"] / len(labels) < 0.32
    assert 0.09 < arcs["escalation"] / len(labels) < 0.21
    assert {"praise", "question", "unresolved", "plain"} <= set(arcs)
    assert {row["situation"] for row in labels} == set(SITUATIONS)


def test_recoveries_end_delighted(demo):
    _, _, records, _, labels = demo
    threads: dict[str, list] = {}
    for record in sorted(records, key=lambda r: r.created_at):
        threads.setdefault(record.thread_id, []).append(record)
    recoveries = [row["thread_id"] for row in labels if row["arc"] == "recovery"]
    assert len(recoveries) > 100
    delighted = re.compile(r"thank|merci|impress|5 (stars|étoiles)", re.IGNORECASE)
    ended_happy = 0
    for thread_id in recoveries:
        last_customer = [r for r in threads[thread_id] if r.author_role == CUSTOMER][-1]
        ended_happy += bool(delighted.search(last_customer.text))
    assert ended_happy >= len(recoveries) - 1  # the very last thread may be cut short
    texts = {r.text for r in records}
    assert any("you saved my day" in t for t in texts)
    assert any("Merci infiniment, au top" in t for t in texts)


def test_texts_are_varied(demo):
    customer_texts = [r.text for r in demo[2] if r.author_role == CUSTOMER]
    assert len(set(customer_texts)) > 0.6 * len(customer_texts)


def test_personal_data_and_intensity_are_sprinkled(demo):
    texts = [r.text for r in demo[2] if r.author_role == CUSTOMER]
    assert (
        sum(bool(re.search(r"[\w.]+@example\.(com|org)|@mail\.example\.net", t)) for t in texts)
        > 50
    )
    assert any(re.search(r"\b0[67]( \d\d){4}\b|\+33 [67]", t) for t in texts)
    assert any(re.search(r"\(\d{3}\) 555-\d{4}|\+1 \d{3}-555", t) for t in texts)
    assert any(re.search(r"CMD-\d{6}|ORD-\d{6}|#\d{6}", t) for t in texts)
    assert sum("!!!" in t for t in texts) > 30
    assert any(re.search(r"\b[A-ZÉ]{5,}\b", t) for t in texts)


def test_near_duplicates_exist(demo):
    customer_texts = Counter(
        r.text for r in demo[2] if r.author_role == CUSTOMER and len(r.text) > 60
    )
    assert any(n > 1 for n in customer_texts.values())


def test_engagement_only_on_social_channels(demo):
    records = demo[2]
    assert all(
        r.likes == 0 and r.shares == 0 for r in records if r.channel not in ("twitter", "facebook")
    )
    social = [
        r for r in records if r.channel in ("twitter", "facebook") and r.author_role == CUSTOMER
    ]
    assert sum(r.likes for r in social) > 0


def test_command_line(tmp_path, capsys):
    main([str(tmp_path / "cli"), "--n", "30", "--seed", "2"])
    assert "30 comments" in capsys.readouterr().out
    assert (tmp_path / "cli" / "twitter.jsonl").exists()
