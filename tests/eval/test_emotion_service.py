"""The labelled customer-service comments (data/eval/emotion_service.tsv): the file follows its
rubric and the conversation evaluation's split, and every row resolves to a customer's turn."""

from __future__ import annotations

from collections import Counter

import pytest

from casebook_data.eval import conversations as conv
from casebook_data.eval import emotion_service as service
from nlp.emotion import EMOTIONS
from nlp.sentiment import LABELS as SENTIMENTS


@pytest.fixture(scope="module")
def labels() -> list[dict[str, str]]:
    return service.read_labels()


@pytest.fixture(scope="module")
def turns() -> dict[str, tuple[str, str]]:
    if not (conv.shared_data_dir() / conv.TWCS_FILE).exists():
        pytest.skip(f"shared data absent: {conv.shared_data_dir()}")
    return service.customer_turns()


def test_every_row_has_the_columns_and_allowed_values(labels):
    assert len(labels) >= 2000
    assert len({r["row"] for r in labels}) == len(labels), "a comment is labelled twice"
    for record in labels:
        assert tuple(record) == service.COLUMNS
        assert record["emotion"] in EMOTIONS
        assert record["first_emotion"] in EMOTIONS
        assert record["sentiment"] in SENTIMENTS
        assert record["first_sentiment"] in SENTIMENTS
        assert record["confidence"] in ("sure", "doubtful")
        # Only a doubtful first reading was read again.
        if record["confidence"] == "sure":
            assert record["emotion"] == record["first_emotion"]
            assert record["sentiment"] == record["first_sentiment"]


def test_rows_take_their_threads_split_and_both_splits_hold_both_sources(labels):
    for record in labels:
        assert record["split"] == conv.split_of(record["thread"])
        assert record["source"] == record["thread"].split(":")[0]
    by = Counter((r["split"], r["source"]) for r in labels)
    assert min(by[(s, src)] for s in ("dev", "test") for src in ("twcs", "written")) >= 300


def test_every_customer_turn_is_labelled_once_and_nothing_else(labels, turns):
    assert {r["row"] for r in labels} == set(turns)
    for record in labels:
        assert turns[record["row"]][0] == record["thread"]


def test_comments_come_back_with_their_text_and_one_part(turns):
    parts = {name: service.service_comments(part_name=name) for name in service.PARTS}
    assert {c.split for c in parts["train"] + parts["dev"]} == {"dev"}
    assert {c.split for c in parts["test"]} == {"test"}
    threads = {name: {c.thread for c in comments} for name, comments in parts.items()}
    assert not threads["train"] & threads["dev"] and not threads["dev"] & threads["test"]
    assert not threads["train"] & threads["test"]
    # The development threads are halved: both halves hold hundreds of comments.
    assert min(len(parts["train"]), len(parts["dev"])) >= 500
    for comment in parts["dev"][:50] + parts["test"][:50]:
        assert comment.text == turns[comment.row][1] and comment.text.strip()


def test_a_row_that_is_not_a_customer_turn_is_refused(labels, turns, tmp_path):
    path = tmp_path / "labels.tsv"
    bad = dict(labels[0], row="twcs:999999999999")
    lines = ["\t".join(service.COLUMNS)] + ["\t".join(bad[c] for c in service.COLUMNS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a customer turn"):
        service.service_comments(path=path)
