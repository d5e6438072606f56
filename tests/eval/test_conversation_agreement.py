"""A second annotator's labels (data/eval/conversations/second_annotator.jsonl) follow the rubric's
values, name turns of their threads, keep no text of the shared data, and their agreement with the
first labels is computed as the rubric's fields and Cohen's kappa say."""

from __future__ import annotations

import re

import pytest

from casebook_data.eval import conversations as conv
from casebook_data.eval.conversations import agreement as ag


def _record(key, arc, pivotal=None, **fields):
    base = {"kind": "service", "start": "complaint", "need": "answered", "end": "neutral"}
    return {
        "key": key,
        "arc": arc,
        "pivotal": pivotal,
        "notable": arc != "unresolved",
        **base,
        **fields,
    }


def test_agreement_and_kappa_of_two_small_label_sets():
    first = [
        _record("t:1", "recovery", "11"),
        _record("t:2", "escalation", "21"),
        _record("t:3", "unresolved"),
        _record("t:4", "unresolved"),
        _record("t:5", "escalation", "51"),  # labelled by the first annotator only
    ]
    second = [
        _record("t:1", "recovery", "12"),
        _record("t:2", "unresolved"),
        _record("t:3", "unresolved"),
        _record("t:4", "unresolved"),
    ]
    figures = ag.agreement(first, second)
    arc = figures["arc"]
    assert arc["n"] == 4 and arc["agreement"] == 0.75
    # observed 3/4; by chance 1/4 * 1/4 (recovery) + 2/4 * 3/4 (unresolved) = 7/16
    assert arc["kappa"] == pytest.approx((0.75 - 7 / 16) / (1 - 7 / 16))
    assert figures["kind"]["agreement"] == 1.0 and figures["kind"]["kappa"] is None
    assert figures["recovery"] == {"first": 1, "second": 1, "both": 1}
    assert figures["escalation"] == {"first": 1, "second": 0, "both": 0}
    assert figures["pivotal"] == {"same": 0, "of": 1}


def test_two_files_without_a_common_thread_are_refused():
    with pytest.raises(ValueError, match="share no thread"):
        ag.agreement([_record("t:1", "recovery", "1")], [_record("t:2", "recovery", "2")])


@pytest.fixture(scope="module")
def second() -> list[dict]:
    return conv.read_labels(ag.SECOND_FILE)


def test_the_second_annotator_labelled_development_twcs_threads_with_rubric_values(second):
    assert len(second) == 80
    first = {r["key"]: r for r in conv.read_labels()}
    for r in second:
        assert r["source"] == "twcs" and r["key"] in first
        assert r["split"] == conv.split_of(r["key"]) == "dev", r["key"]
        assert r["kind"] in conv.KINDS and r["start"] in conv.STARTS
        assert r["need"] in conv.NEEDS and r["end"] in conv.ENDS and r["arc"] in conv.ARCS
        assert set(r["delicate"]) <= set(conv.DELICATE) and isinstance(r["notable"], bool)
        assert r["confidence"] in conv.CONFIDENCE and 0 < len(r["note"]) <= 200
        assert (r["arc"] in ag.CASE_ARCS) == (r["pivotal"] is not None), r["key"]


def test_the_second_annotators_ids_and_notes_belong_to_their_threads(second):
    if not (conv.shared_data_dir() / conv.TWCS_FILE).exists():
        pytest.skip(f"shared data absent: {conv.shared_data_dir()}")
    threads = conv.twcs_threads()
    for r in second:
        turns = threads[r["key"]]
        ids = {t["id"] for t in turns}
        assert set(r["roles_fix"]) <= ids and (r["pivotal"] is None or r["pivotal"] in ids)
        text = " ".join(t["text"].lower() for t in turns)
        words = re.findall(r"[a-z']+", r["note"].lower())
        for i in range(len(words) - 5):
            assert " ".join(words[i : i + 6]) not in text, (r["key"], r["note"])


def test_the_command_prints_every_field(capsys):
    assert ag.main([]) == 0
    out = capsys.readouterr().out
    for field in ag.FIELDS:
        assert re.search(rf"^{field} +80 ", out, re.M), field
    assert "pivotal turn: the same in" in out
