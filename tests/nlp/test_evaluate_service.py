"""The customer-service figures of `casebook evaluate nlp` (nlp/evaluate_service.py): the labels
are compared with what the analyser says of each comment, by split and language."""

from __future__ import annotations

import pytest

from casebook_data.eval import conversations as conv
from casebook_data.eval import emotion_service as service
from nlp.analyze import Analyzer
from nlp.evaluate_service import figure_names, service_figures


def _write(path, records):
    lines = ["\t".join(service.COLUMNS)]
    lines += ["\t".join(r[c] for c in service.COLUMNS) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample():
    """Some development and test rows of both languages, labelled with the analyser's reading."""
    if not (conv.shared_data_dir() / conv.TWCS_FILE).exists():
        pytest.skip(f"shared data absent: {conv.shared_data_dir()}")
    records = service.read_labels()
    turns = service.customer_turns()
    picked = [r for r in records if r["source"] == "twcs"][:12]
    picked += [r for r in records if r["row"].startswith("written:dev")][:60]
    picked += [r for r in records if r["row"].startswith("written:test")][:40]
    readings = Analyzer.load().analyze([turns[r["row"]][1] for r in picked])
    return [
        dict(r, emotion=a.emotion, sentiment=a.sentiment)
        for r, a in zip(picked, readings, strict=True)
    ], readings


def test_labels_equal_to_the_analysers_reading_score_one(sample, tmp_path):
    records, readings = sample
    assert {a.language for a in readings} >= {"en", "fr"}
    figures = {
        f.name: f
        for f in service_figures(conv.shared_data_dir(), path=_write(tmp_path / "s.tsv", records))
    }
    assert set(figures) == set(figure_names())
    counted = 0
    for language in ("en", "fr"):
        for split in ("dev", "test"):
            rows = sum(
                1
                for r, a in zip(records, readings, strict=True)
                if service.part(r["thread"]) == split and (a.language == "fr") == (language == "fr")
            )
            emotion = figures[f"emotion_service_{language}_{split}_macro_f1"]
            assert emotion.rows == rows
            assert emotion.value == (1.0 if rows else None)
            counted += rows
    # The training half of the development threads is not scored.
    assert counted == sum(service.part(r["thread"]) != "train" for r in records) < len(records)


def test_a_wrong_label_lowers_its_own_split_only(sample, tmp_path):
    records, readings = sample
    first_dev = next(
        i
        for i, (r, a) in enumerate(zip(records, readings, strict=True))
        if service.part(r["thread"]) == "dev" and a.language == "fr"
    )
    wrong = [dict(r) for r in records]
    other = "anger" if wrong[first_dev]["emotion"] != "anger" else "joy"
    wrong[first_dev]["emotion"] = other
    figures = {
        f.name: f
        for f in service_figures(conv.shared_data_dir(), path=_write(tmp_path / "w.tsv", wrong))
    }
    assert figures["emotion_service_fr_dev_macro_f1"].value < 1.0
    assert figures["emotion_service_fr_test_macro_f1"].value == 1.0
    assert figures["sentiment_service_fr_dev_macro_f1"].value == 1.0


def test_without_the_file_every_figure_says_what_is_missing(tmp_path):
    figures = service_figures(tmp_path, path=tmp_path / "none.tsv")
    assert [f.name for f in figures] == figure_names()
    assert all(f.value is None and "missing" in f.note for f in figures)
