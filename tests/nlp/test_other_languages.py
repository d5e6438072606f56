"""Comments in other languages than English and French read by the multilingual heads
(nlp/other_languages.py), through the analyser, with the shipped models."""

from __future__ import annotations

import shutil

import pytest

import nlp.other_languages as other_languages
from casebook_data import MODELS_DIR
from nlp import Analyzer
from nlp.analyze import analyzer_version
from nlp.other_languages import WEIGHTS, OtherLanguages, heads_digest
from nlp.other_languages_eval import FEELINGS, feelings_figures, read_feelings, readings

# Written for this test (not from an evaluation set): comments whose words the English and
# French classifiers never learnt.
OTHERS = [
    "Das ist eine Katastrophe, ich warte seit drei Wochen auf mein Paket",  # de, complaint
    "Il pacco è arrivato rotto, sono molto deluso",  # it, complaint
    "Muchas gracias por la ayuda, todo perfecto",  # es, thanks
]
EN_FR = ["Thanks, the refund came through!", "Je suis furieux, toujours pas de réponse."]


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer.load()


def fast_only(analyzer, texts):
    other, analyzer.other_languages = analyzer.other_languages, OtherLanguages(None)
    try:
        return analyzer.analyze(texts)
    finally:
        analyzer.other_languages = other


def test_other_languages_are_read_by_the_heads(analyzer):
    read = analyzer.analyze(OTHERS)
    assert [a.language for a in read] == ["de", "it", "es"]
    assert [a.sentiment for a in read] == ["negative", "negative", "positive"]
    assert read[2].emotion == "joy"
    assert all(abs(sum(a.emotions.values()) - 1.0) < 1e-3 for a in read)
    # The fast classifiers alone read the complaints as no complaint.
    fast = fast_only(analyzer, OTHERS)
    assert [a.sentiment for a in fast[:2]] != ["negative", "negative"]


def test_english_and_french_keep_the_fast_reading_and_load_nothing():
    analyzer = Analyzer.load()
    assert analyzer.analyze(EN_FR) == fast_only(analyzer, EN_FR)
    assert analyzer.other_languages._heads is None  # the encoder was never needed


def test_the_slow_pass_leaves_other_languages_as_the_heads_read_them(analyzer):
    fast = analyzer.analyze([*OTHERS, *EN_FR])
    slow = analyzer.refine(fast)
    assert slow[: len(OTHERS)] == fast[: len(OTHERS)]
    assert slow[len(OTHERS) :] != fast[len(OTHERS) :]  # the others are read again


def test_without_the_heads_other_languages_keep_the_fast_reading(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(MODELS_DIR, models, ignore=shutil.ignore_patterns("deep"))
    assert heads_digest(models) is None
    bare = Analyzer.load(models)
    assert [a.language for a in bare.analyze(OTHERS)] == ["de", "it", "es"]
    assert bare.analyze(OTHERS) == fast_only(bare, OTHERS)
    # The heads enter the analyser's version: stored analyses are read again when they come.
    assert bare.version == analyzer_version(models) != analyzer_version(MODELS_DIR)


def test_heads_digest_follows_the_weights(monkeypatch):
    before = heads_digest(MODELS_DIR)
    monkeypatch.setitem(other_languages.WEIGHTS, "emotion", 0.5)
    assert heads_digest(MODELS_DIR) != before


@pytest.mark.skipif(
    not all(p.exists() for p in FEELINGS.values()), reason="a checkout's evaluation sets"
)
def test_feelings_figures_on_the_written_comments():
    for path in FEELINGS.values():
        rows = read_feelings(path)
        assert len(rows) >= 100
        assert {lang for lang, *_ in rows} == {"es", "de", "it", "pt", "nl"}
    figures = {f.name: f for f in feelings_figures()}
    assert len(figures) == 8
    for name, figure in figures.items():
        assert figure.value is not None and 0.0 <= figure.value <= 1.0, name
    # The heads read the development comments better than the fast classifiers (what chose them).
    for reading in ("sentiment", "emotion"):
        dev = f"{reading}_other_languages_dev_macro_f1"
        assert figures[dev].value > figures[f"{dev}_fast"].value


@pytest.mark.skipif(not FEELINGS["dev"].exists(), reason="a checkout's evaluation set")
def test_the_figures_score_what_the_analyser_says(analyzer):
    rows = read_feelings(FEELINGS["dev"])[:40]
    read = readings(rows, analyzer)
    analysed = analyzer.analyze([text for *_, text in rows])
    assert read.rows  # some are read by the heads
    assert read.said("sentiment", WEIGHTS["sentiment"]) == [a.sentiment for a in analysed]
    assert read.said("emotion", WEIGHTS["emotion"]) == [a.emotion for a in analysed]
