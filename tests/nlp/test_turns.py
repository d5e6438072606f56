"""The turn reader (nlp/turns.py): three small classifiers of single customer turns, their
thresholds per question, a batch read once, and the shipped files loaded through the allow-list."""

from __future__ import annotations

import pickle
import shutil

import pytest

from nlp.models import save_classifier
from nlp.turns import QUESTIONS, TASKS, TurnReader, make_pipeline

BETTER = ["that worked, thank you so much!", "brilliant, all sorted now", "merci, c'est réglé"]
NOT_BETTER = ["still nothing arrived", "so you can't help then", "ok I sent a DM"]
COMPLAINT = ["my parcel is lost again", "charged twice, fix it", "toujours pas remboursé"]
NOT_COMPLAINT = ["how do I change my email?", "love the new app", "quelle est l'adresse ?"]
WORSE = ["this is a joke, useless", "you people never listen", "c'est du grand n'importe quoi"]
NOT_WORSE = ["ok thanks, will do", "sent you a DM", "d'accord j'attends"]


@pytest.fixture(scope="module")
def reader() -> TurnReader:
    pipelines = {}
    for task, yes, no in (
        ("end_better", BETTER, NOT_BETTER),
        ("start_complaint", COMPLAINT, NOT_COMPLAINT),
        ("end_worse", WORSE, NOT_WORSE),
    ):
        pipeline = make_pipeline(c=10.0)
        pipeline.fit(yes * 3 + no * 3, [True] * 9 + [False] * 9)
        pipelines[task] = pipeline
    return TurnReader(
        pipelines,
        {"end_better": 0.5, "start_complaint": 0.5, "unhappy": 0.99, "end_worse": 0.5},
    )


def test_the_reader_says_what_its_classifiers_learnt(reader):
    assert reader.says("end_better", "that worked, thank you so much!")
    assert not reader.says("end_better", "still nothing arrived")
    assert reader.says("start_complaint", "my parcel is lost again")
    assert not reader.says("start_complaint", "how do I change my email?")
    assert reader.says("end_worse", "you people never listen")
    assert not reader.says("end_worse", "ok thanks, will do")


def test_unhappy_reads_the_start_classifier_at_its_own_threshold(reader):
    assert QUESTIONS["unhappy"] == "start_complaint"
    text = "my parcel is lost again"
    p = reader.probability("start_complaint", text)
    assert 0.5 <= p < 0.99
    assert reader.says("start_complaint", text) and not reader.says("unhappy", text)
    assert not reader.says("a question it has no threshold for", text)


def test_a_primed_batch_gives_the_probabilities_of_one_by_one_reads(reader):
    texts = ["so it's fixed?", "thanks, received both", "nope", "so it's fixed?"]
    fresh = TurnReader(reader.pipelines, reader.thresholds)
    fresh.prime(iter(texts))  # a generator: read once for both classifiers
    for task in TASKS:
        expected = reader.probabilities(task, texts)
        assert [fresh._cache[task][t] for t in texts] == pytest.approx(list(expected))
    assert fresh.probability("end_better", "nope") == pytest.approx(
        float(reader.probabilities("end_better", ["nope"])[0])
    )


def test_a_reader_sent_to_a_worker_leaves_its_cache_behind(reader):
    reader.prime(["charged twice, fix it"])
    copy = pickle.loads(pickle.dumps(reader))
    assert all(not cache for cache in copy._cache.values())
    assert copy.says("start_complaint", "charged twice, fix it")


def save_reader(reader, models_dir, **card):
    """The reader's classifiers saved as `casebook train turns` does, every threshold 0.5."""
    for task in TASKS:
        save_classifier(
            reader.pipelines[task],
            models_dir / "turns" / task,
            {
                "trained_at": "2026-12-04T00:00:00+00:00",
                "thresholds": {q: 0.5 for q, t in QUESTIONS.items() if t == task},
                **card,
            },
        )


def test_the_saved_reader_loads_through_the_allow_list(reader, tmp_path):
    assert TurnReader.load(tmp_path) is None  # nothing shipped there
    save_reader(reader, tmp_path)
    loaded = TurnReader.load(tmp_path)
    assert loaded is not None and loaded.version
    assert loaded.thresholds == {
        "end_better": 0.5,
        "start_complaint": 0.5,
        "unhappy": 0.5,
        "end_worse": 0.5,
    }
    assert loaded.says("end_better", "that worked, thank you so much!")
    # A folder fitted before end_worse existed: the other questions, that one never asked.
    shutil.rmtree(tmp_path / "turns" / "end_worse")
    older = TurnReader.load(tmp_path)
    assert older is not None and "end_worse" not in older.thresholds
    assert older.says("end_better", "that worked, thank you so much!")
    assert not older.says("end_worse", "you people never listen")


def test_a_reader_fitted_under_another_analyser_says_to_fit_it_again(reader, tmp_path, caplog):
    """The thresholds were chosen on the analyser's readings of the development threads: a
    folder whose classifiers (or taxonomy, rules) changed since gets a warning on load."""
    import shutil

    from casebook_data import MODELS_DIR
    from nlp.analyze import analyzer_version

    for name in ("sentiment", "emotion"):
        shutil.copytree(MODELS_DIR / name, tmp_path / name)
    now = analyzer_version(tmp_path)
    for analyser, warned in ((now, False), ("2026.01-00000000", True)):
        save_reader(reader, tmp_path, analyser=analyser)
        caplog.clear()
        loaded = TurnReader.load(tmp_path)
        assert loaded is not None and loaded.analyser == analyser
        note = loaded.analyser_note(tmp_path)
        assert (note is not None) == warned
        assert any("casebook train turns" in r.getMessage() for r in caplog.records) == warned
    assert note is not None and "2026.01-00000000" in note and now in note


def test_the_shipped_reader_was_fitted_under_the_shipped_analyser():
    """After retraining sentiment or emotion (or editing the taxonomy, the rules, the word
    lists), `casebook train turns` must choose the reader's thresholds again on the new
    readings; this fails until it has."""
    from casebook_data import MODELS_DIR
    from nlp.analyze import analyzer_version

    shipped = TurnReader.load(MODELS_DIR)
    assert shipped is not None
    assert shipped.analyser == analyzer_version(MODELS_DIR), shipped.analyser_note(MODELS_DIR)
