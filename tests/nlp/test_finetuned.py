"""The slow pass's fine-tuned members (nlp/finetuned.py): the shipped int8 ONNX models
read by onnxruntime, their routing in nlp/deep.py, and the trainer's pure parts
(nlp/finetune_train.py; the training itself needs torch, a training-only extra)."""

import dataclasses
import json
import random
import shutil
from datetime import UTC, datetime

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import nlp.encoder
from casebook_data import MODELS_DIR
from nlp.deep import DeepScorer, blend, slow_pass_version
from nlp.emotion import EMOTIONS
from nlp.encoder import DIMENSIONS
from nlp.finetune_train import BATCH, BUCKET, class_weights, length_batches
from nlp.finetuned import MODEL_FILE, FinetunedModel, finetuned_folder
from nlp.models import load_classifier, save_classifier
from nlp.sentiment import LABELS

DEEP = MODELS_DIR / "deep"
SHIPPED = {
    t: finetuned_folder(DEEP, t) for t in ("sentiment_en", "emotion", "sentiment_fr", "emotion_fr")
}


def needs_shipped(task):
    return pytest.mark.skipif(
        not (SHIPPED[task] / MODEL_FILE).exists(),
        reason=f"the fine-tuned {task} model is not shipped in this checkout",
    )


def test_length_batches_cover_every_row_once_with_little_padding():
    rng = random.Random(0)
    lengths = [rng.randint(3, 64) for _ in range(5000)]
    batches = length_batches(lengths, BATCH, random.Random(1))
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    assert all(1 <= len(b) <= BATCH for b in batches)
    # Sorted inside groups: a batch's lengths are close, unlike a random batch's.
    spread = np.mean([max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches])
    assert spread < 10
    # Shuffled: consecutive batches do not climb in length through a whole group.
    firsts = [lengths[b[0]] for b in batches[:BUCKET]]
    assert firsts != sorted(firsts)


def test_french_members_learn_from_their_rows_and_never_from_dev_or_test(tmp_path, monkeypatch):
    from nlp import finetune_tasks
    from nlp.embedding_cache import task_split
    from tests.nlp.test_train import _write_data

    _write_data(tmp_path)
    french = task_split("sentiment_fr", tmp_path)
    english = task_split("sentiment_en", tmp_path)
    monkeypatch.setitem(
        finetune_tasks.SPECS,
        "sentiment_fr",
        finetune_tasks.SPECS["sentiment_fr"].__class__(
            LABELS, 1, "balanced", base="e5", language="fr", english_rows=20
        ),
    )
    rows = finetune_tasks.training_rows("sentiment_fr", tmp_path)
    assert rows[: len(french.train)] == french.train  # every French training row
    added = rows[len(french.train) :]
    assert len(added) == 20 and set(added) <= set(english.train)  # a sample of the English ones
    assert added == finetune_tasks.training_rows("sentiment_fr", tmp_path)[len(french.train) :]
    held = {t for part in (french.dev, french.test) for texts, _ in part.values() for t in texts}
    assert not held & {t for t, _, _ in rows}


def test_french_emotion_rows_train_but_a_hashed_fifth_joins_development(tmp_path, monkeypatch):
    """The hand-labelled French training rows (data/eval/emotion_fr_train.tsv) train the French
    emotion member, repeated as its recipe says, except a fifth chosen by hash that joins the
    development set and never trains; the member learns only the labelling batches its recipe
    names, while every batch's hashed fifth joins the development set."""
    from nlp import evaluate_splits, finetune_tasks
    from nlp.datasets import read_umsab
    from nlp.embedding_cache import task_split
    from tests.nlp.test_train import _write_data, write_labelled_french

    _write_data(tmp_path)
    texts, sentiments = read_umsab(tmp_path, "train")
    emotion_of = {"negative": "anger", "neutral": "neutral", "positive": "joy"}
    half = len(texts) // 2  # the first half labelled in batch 1, the rest in batch 2
    train_file = write_labelled_french(
        tmp_path / "emotion_fr_train.tsv",
        [
            ("umsab", t, emotion_of[s], "1" if i < half else "2")
            for i, (t, s) in enumerate(zip(texts, sentiments, strict=True))
        ],
        two_passes=True,
    )
    dev_file = tmp_path / "emotion_fr_dev.tsv"
    dev_text, test_text = read_umsab(tmp_path, "val")[0][:2]
    for path, text in ((dev_file, dev_text), (tmp_path / "emotion_fr.tsv", test_text)):
        write_labelled_french(path, [("umsab", text, "joy")])
    monkeypatch.setattr(evaluate_splits, "EMOTION_FR_TRAIN", train_file)
    monkeypatch.setattr(evaluate_splits, "EMOTION_FR_DEV", dev_file)
    monkeypatch.setattr(evaluate_splits, "EMOTION_FR", tmp_path / "emotion_fr.tsv")
    train, held = evaluate_splits.french_emotion_training(tmp_path)
    assert 0 < len(held) < len(texts) / 2 and len(train) + len(held) == len(texts)
    assert sorted(train + held) == sorted(
        (t, emotion_of[s]) for t, s in zip(texts, sentiments, strict=True)
    )
    dev = finetune_tasks.evaluation_split("emotion_fr", tmp_path).dev["emotion_fr_dev_annotated"]
    assert dev == ([dev_text] + [t for t, _ in held], ["joy"] + [lab for _, lab in held])
    monkeypatch.setitem(
        finetune_tasks.SPECS,
        "emotion_fr",
        dataclasses.replace(
            finetune_tasks.SPECS["emotion_fr"], annotated_repeats=2, annotated_batches=("1",)
        ),
    )
    rows = finetune_tasks.training_rows("emotion_fr", tmp_path)
    english = task_split("emotion", tmp_path).train
    assert rows[: len(english)] == english
    first_batch = set(texts[:half])
    batch_one = [(t, lab, "emotion_fr_train") for t, lab in train if t in first_batch]
    assert 0 < len(batch_one) < len(train)
    assert rows[len(english) :] == batch_one * 2
    assert not {t for t, _ in held} & {t for t, _, _ in rows}


def test_written_french_emotions_read_and_a_bad_row_is_named(tmp_path):
    """The shipped written comments read as (text, emotion); a malformed row stops the reading
    with its line number rather than training on a shifted column."""
    from nlp.evaluate_splits import read_emotion_fr_written

    rows = read_emotion_fr_written()
    assert len(rows) == 720 and len({t for t, _ in rows}) == 720
    assert {lab for _, lab in rows} == set(EMOTIONS)
    bad = tmp_path / "written.tsv"
    bad.write_text(
        "writer\tregister\tlabel\ttext\n1\ttweet\tjoy\tSuper !\n1\ttweet\tjoie\tGénial\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="line 3"):
        read_emotion_fr_written(bad)


def test_class_weights_balanced_and_softened():
    labels = [0] * 80 + [1] * 15 + [2] * 5
    balanced = class_weights(labels, 3, "balanced")
    assert np.allclose(balanced * np.bincount(labels), len(labels) / 3)
    assert np.allclose(class_weights(labels, 3, "sqrt"), np.sqrt(balanced))


SENTIMENT_EXAMPLES = {
    "sentiment_en": [
        "@united thank you so much, the crew was wonderful and got me home on time!",
        "Three hours on hold and nobody can tell me where my refund is. Worst airline ever.",
        "What time does the store open on Sunday?",
    ],
    "sentiment_fr": [
        "Merci infiniment, le conseiller a été adorable et tout est réglé !",
        "Trois semaines sans réponse et toujours pas remboursé, c'est honteux.",
        "Le magasin est ouvert le dimanche ?",
    ],
}
EMOTION_EXAMPLES = {
    "emotion": [
        ("I'm so angry, this is outrageous and I want my money back!", "anger"),
        ("Thank you, that made my day :)", "joy"),
    ],
    "emotion_fr": [
        ("Je suis furieux, c'est scandaleux, je veux être remboursé !", "anger"),
        ("Merci beaucoup, vous avez illuminé ma journée :)", "joy"),
        ("J'ai peur que mon compte ait été piraté", "fear"),
    ],
}


@pytest.mark.parametrize(
    "task", [pytest.param(t, marks=needs_shipped(t)) for t in SENTIMENT_EXAMPLES]
)
def test_shipped_sentiment_models_read_their_language(task):
    model = FinetunedModel(SHIPPED[task])
    assert model.language == task[-2:] and [str(c) for c in model.classes_] == list(LABELS)
    texts = [*SENTIMENT_EXAMPLES[task], ""]
    p = model.predict_proba(texts)
    assert p.shape == (4, 3) and np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert [LABELS[i] for i in p[:3].argmax(axis=1)] == ["positive", "negative", "neutral"]
    assert model.predict_proba([]).shape == (0, 3)
    # A comment reads the same alone or among others, in any order.
    alone = np.vstack([model.predict_proba([t]) for t in texts])
    assert np.array_equal(alone, p)
    assert np.array_equal(model.predict_proba(texts[::-1]), p[::-1])


@pytest.mark.parametrize(
    "task", [pytest.param(t, marks=needs_shipped(t)) for t in EMOTION_EXAMPLES]
)
def test_shipped_emotion_models_read_their_language(task):
    model = FinetunedModel(SHIPPED[task])
    assert sorted(str(c) for c in model.classes_) == sorted(EMOTIONS)
    texts, expected = zip(*EMOTION_EXAMPLES[task], strict=True)
    p = model.predict_proba(list(texts))
    classes = [str(c) for c in model.classes_]
    assert [classes[i] for i in p.argmax(axis=1)] == list(expected)


class _Member:
    """A fine-tuned member's interface with a fixed answer, to check the routing alone (the real
    models are read above)."""

    def __init__(self, classes, winner, weight, language="en"):
        self.classes_ = np.array(classes)
        self.language = language
        self.card = {"blend": {"weight": weight}}
        self.read: list[str] = []
        self._row = np.eye(len(classes))[list(classes).index(winner)] * 0.9 + 0.1 / len(classes)

    def predict_proba(self, texts):
        self.read += texts
        return np.tile(self._row, (len(texts), 1))


def _head(classes, winner, folder, weight):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, DIMENSIONS)).astype(np.float32)
    y = ([winner] * 50 + [c for c in classes if c != winner] * 10)[:60]
    clf = LogisticRegression(C=0.01).fit(X, y)
    save_classifier(
        clf, folder, {"trained_at": datetime.now(UTC).isoformat(), "blend": {"weight": weight}}
    )
    return load_classifier(folder)


def test_english_goes_to_the_fine_tuned_members_french_to_the_heads(tmp_path, monkeypatch):
    heads = {
        "sentiment_en": _head(LABELS, "neutral", tmp_path / "en", 1.0),
        "sentiment_fr": _head(LABELS, "negative", tmp_path / "fr", 1.0),
        "emotion": _head(EMOTIONS, "sadness", tmp_path / "emo", 1.0),
    }
    sentiment_member = _Member(LABELS, "positive", 1.0)
    emotion_member = _Member(EMOTIONS, "joy", 1.0)
    scorer = DeepScorer(heads, {"sentiment_en": sentiment_member, "emotion": emotion_member})
    texts = ["great service", "service nul", "   ", "servicio pésimo"]
    languages = ["en", "fr", "en", "es"]
    sentiment_fast = np.tile([0.1, 0.8, 0.1], (4, 1))
    sentiment_fast[3] = [0.1, 0.1, 0.8]
    emotion_fast = np.tile(np.full(len(EMOTIONS), 1 / len(EMOTIONS)), (4, 1))
    encoded: list[list[str]] = []
    real_encode = nlp.encoder.encode

    def spy(batch):
        encoded.append(list(batch))
        return real_encode(batch)

    monkeypatch.setattr(nlp.encoder, "encode", spy)
    sentiment, emotion = scorer.refine(texts, languages, sentiment_fast, emotion_fast)
    assert LABELS[int(sentiment[0].argmax())] == "positive"  # the fine-tuned member
    assert EMOTIONS[int(emotion[0].argmax())] == "joy"
    assert LABELS[int(sentiment[1].argmax())] == "negative"  # the French head
    assert EMOTIONS[int(emotion[1].argmax())] == "sadness"  # the multilingual emotion head
    assert np.allclose(sentiment[2], sentiment_fast[2])  # nothing to read: fast reading kept
    # Another language: the multilingual English heads, not the English-only members.
    assert LABELS[int(sentiment[3].argmax())] == "neutral"
    assert EMOTIONS[int(emotion[3].argmax())] == "sadness"
    # Only the French and Spanish comments were encoded; the members read the English one.
    assert encoded == [["service nul", "servicio pésimo"]]
    assert sentiment_member.read == ["great service"] == emotion_member.read
    # All English: no sentence encoding at all.
    encoded.clear()
    scorer.refine(texts[:1], ["en"], sentiment_fast[:1], emotion_fast[:1])
    assert encoded == []


def test_french_goes_to_the_french_member_when_one_is_shipped(tmp_path, monkeypatch):
    heads = {
        "sentiment_en": _head(LABELS, "neutral", tmp_path / "en", 1.0),
        "sentiment_fr": _head(LABELS, "neutral", tmp_path / "fr", 1.0),
        "emotion": _head(EMOTIONS, "sadness", tmp_path / "emo", 1.0),
    }
    french_member = _Member(LABELS, "negative", 0.5, language="fr")
    scorer = DeepScorer(heads, {"sentiment_fr": french_member})
    assert scorer.serves("sentiment_fr", "fr") and not scorer.serves_english("sentiment_en")
    texts = ["great service", "service nul", "  "]
    languages = ["en", "fr", "fr"]
    sentiment_fast = np.tile([0.2, 0.6, 0.2], (3, 1))
    emotion_fast = np.tile(np.full(len(EMOTIONS), 1 / len(EMOTIONS)), (3, 1))
    encoded: list[list[str]] = []
    real_encode = nlp.encoder.encode
    monkeypatch.setattr(nlp.encoder, "encode", lambda b: encoded.append(list(b)) or real_encode(b))
    sentiment, emotion = scorer.refine(texts, languages, sentiment_fast, emotion_fast)
    assert french_member.read == ["service nul"]  # the French comment with words in it
    expected = blend(sentiment_fast[1:2], french_member.predict_proba(["x"]), 0.5)
    assert np.allclose(sentiment[1], expected[0])
    assert LABELS[int(sentiment[0].argmax())] == "neutral"  # English: the English head
    assert np.allclose(sentiment[2], sentiment_fast[2])  # nothing to read: fast reading kept
    assert EMOTIONS[int(emotion[1].argmax())] == "sadness"  # French emotion: the head
    # Encoded: the English comment (both heads) and the French ones (emotion only).
    assert encoded == [["great service", "service nul", "  "]]
    # With a French emotion member too, French comments need no sentence embeddings.
    emotion_member = _Member(EMOTIONS, "anger", 1.0, language="fr")
    scorer = DeepScorer(heads, {"sentiment_fr": french_member, "emotion_fr": emotion_member})
    encoded.clear()
    sentiment, emotion = scorer.refine(texts, languages, sentiment_fast, emotion_fast)
    assert EMOTIONS[int(emotion[1].argmax())] == "anger" and emotion_member.read == ["service nul"]
    assert EMOTIONS[int(emotion[0].argmax())] == "sadness"  # English: the head
    assert encoded == [["great service"]]


@needs_shipped("sentiment_en")
def test_slow_pass_version_follows_the_fine_tuned_members(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(SHIPPED["sentiment_en"], finetuned_folder(models / "deep", "sentiment_en"))
    first = slow_pass_version(models)
    assert first is not None
    card = finetuned_folder(models / "deep", "sentiment_en") / "card.json"
    facts = json.loads(card.read_text())
    facts["blend"]["weight"] = round(1.0 - facts["blend"]["weight"], 2)
    card.write_text(json.dumps(facts))
    assert slow_pass_version(models) != first
    scorer = DeepScorer.load(models)
    assert scorer is not None and scorer.serves_english("sentiment_en")
    assert not scorer.serves_english("emotion") and not scorer.serves_english("sentiment_fr")
    assert scorer.sentiment_en is None


@needs_shipped("sentiment_en")
def test_reblend_keeps_the_model_and_chooses_the_best_weight_on_dev(tmp_path):
    from nlp.finetune_score import reblend_finetuned
    from tests.nlp.test_train import _write_data

    data = tmp_path / "data"
    _write_data(data)
    models = tmp_path / "models"
    (models / "deep").mkdir(parents=True)
    for name in ("sentiment", "emotion"):
        (models / name).symlink_to(MODELS_DIR / name)
    folder = finetuned_folder(models / "deep", "sentiment_en")
    shutil.copytree(SHIPPED["sentiment_en"], folder)
    model_bytes = (folder / MODEL_FILE).read_bytes()
    figures = reblend_finetuned("sentiment_en", data, models)
    card = json.loads((folder / "card.json").read_text())
    assert (folder / MODEL_FILE).read_bytes() == model_bytes  # the model is kept
    assert card["blend"]["weight"] == figures["blend_weight"] and "reblended_at" in card
    assert f"weight {figures['blend_weight']} on this one" in card["pipeline"]
    # The weight is the best of the grid on the development set (the smallest on ties).
    curve = {
        row["blend weight"]: row["en_tweeteval_val_macro_recall"] for row in card["comparison"]
    }
    assert len(curve) == 11 and curve[card["blend"]["weight"]] == max(curve.values())
    assert min(w for w, v in curve.items() if v == max(curve.values())) == card["blend"]["weight"]
    dev = card["dev"]
    assert {"fast", "slow", "blend"} == {k.rsplit(" ", 1)[1] for k in dev}
    assert dev["en_tweeteval_val_macro_recall blend"] == curve[card["blend"]["weight"]]
    assert card["test"] == {}  # the tiny data has no SemEval 2016 test file: nothing to score
    # The card counts the development rows it was reblended on, not those of its training.
    from nlp.finetune_tasks import evaluation_split

    dev_sets = evaluation_split("sentiment_en", data).dev
    assert card["data"]["dev"] == {k: len(v[0]) for k, v in dev_sets.items()}
    shipped_data = json.loads((SHIPPED["sentiment_en"] / "card.json").read_text())["data"]
    assert card["data"]["train_rows"] == shipped_data["train_rows"]
    assert f"weight {figures['blend_weight']}" in (folder / "card.md").read_text()
    # Every reading of the test split is listed: the shipped card's, then this one; the licence
    # stays.
    shipped = json.loads((SHIPPED["sentiment_en"] / "card.json").read_text())
    assert card["test_readings"][:-1] == shipped.get("test_readings", [])
    assert "reblended" in card["test_readings"][-1]
    assert f"blend weight {figures['blend_weight']}" in card["test_readings"][-1]
    assert card.get("licence") == shipped.get("licence")


def test_french_emotion_blend_weight_is_chosen_on_every_development_set(monkeypatch):
    """French emotion's blend weight suits both its development sets (the public French
    comments and the customer-service ones); another task's, its first set alone."""
    from pathlib import Path

    from nlp import finetune_score
    from nlp.emotion import EMOTIONS
    from nlp.splits import Split

    def row(**p: float) -> list[float]:
        return [p.get(e, 0.0) for e in EMOTIONS]

    # The first set's comment is read right by the fast classifier (up to weight 0.8), the
    # second's by the fine-tuned model (from weight 0.2).
    fast = {"public": row(joy=0.9, anger=0.1), "service": row(joy=0.6, anger=0.4)}
    slow = {"public": row(joy=0.4, anger=0.6), "service": row(joy=0.1, anger=0.9)}

    class Model:
        classes_ = list(EMOTIONS)

        def predict_proba(self, texts):
            return np.array([slow[t] for t in texts])

    monkeypatch.setattr(
        finetune_score,
        "fast_probabilities",
        lambda task, models_dir: lambda texts: np.array([fast[t] for t in texts]),
    )
    split = Split(
        dev={"first": (["public"], ["joy"]), "second": (["service"], ["anger"])},
        test={"first_test": (["public"], ["joy"])},
    )
    weight, curve, figures = finetune_score.blend_and_figures(
        "emotion_fr", split, Path("."), Model()
    )
    assert weight == 0.2
    assert [r["mean macro_f1"] for r in curve] == [0.5] * 2 + [1.0] * 7 + [0.5] * 2
    assert figures["dev"]["second_macro_f1 blend"] == figures["dev"]["first_macro_f1 blend"] == 1.0
    one = Split(dev={"first": split.dev["first"]}, test=split.test)
    weight, curve, _ = finetune_score.blend_and_figures("emotion", one, Path("."), Model())
    assert weight == 0.0 and all("mean macro_f1" not in r for r in curve)


def test_every_member_also_reads_the_customer_service_comments_of_its_language():
    from casebook_data.eval import conversations as conv
    from casebook_data.eval.emotion_service import service_comments
    from nlp import finetune_tasks

    data = conv.shared_data_dir()
    if not (data / conv.TWCS_FILE).exists():
        pytest.skip(f"shared data absent: {data}")
    read: dict[tuple[str, str, str], set[str]] = {}
    for task, label, language in (
        ("sentiment_fr", "sentiment", "fr"),
        ("emotion_fr", "emotion", "fr"),
        ("sentiment_en", "sentiment", "en"),
        ("emotion", "emotion", "en"),
    ):
        split = finetune_tasks.evaluation_split(task, data)
        for part, sets in (("dev", split.dev), ("test", split.test)):
            texts, labels = sets[f"{label}_service_{language}_{part}"]
            assert len(texts) >= 100
            read[label, part, language] = set(texts)
            labelled = {(c.text, getattr(c, label)) for c in service_comments(data, part)}
            assert set(zip(texts, labels, strict=True)) <= labelled
        # The public set comes first, the customer-service one after it.
        assert not next(iter(split.dev)).startswith(label + "_service")
    # Each member reads its own language's comments only.
    for label in ("sentiment", "emotion"):
        for part in ("dev", "test"):
            assert not read[label, part, "en"] & read[label, part, "fr"]


def test_a_member_learns_the_training_half_of_its_languages_customer_service_comments():
    """service_repeats adds the training half's comments of the member's language, so many times
    over, and none of the comments it is scored on."""
    from casebook_data.eval import conversations as conv
    from nlp import finetune_tasks

    data = conv.shared_data_dir()
    if not (data / conv.TWCS_FILE).exists():
        pytest.skip(f"shared data absent: {data}")
    for task in ("sentiment_en", "emotion", "emotion_fr"):
        spec = finetune_tasks.SPECS[task]
        assert spec.service_repeats == 3
        rows = finetune_tasks.training_rows(task, data)
        learnt = [(t, lab) for t, lab, source in rows if source == "customer_service"]
        half = finetune_tasks.service_training(task, data)
        assert len(half) >= 100 and learnt == half * spec.service_repeats
        split = finetune_tasks.evaluation_split(task, data)
        scored = {t for name, (texts, _) in {**split.dev, **split.test}.items() for t in texts}
        # Other threads' customers may write the same few words ("ok merci"), nothing longer.
        assert all(len(t.split()) <= 3 for t in {t for t, _ in half} & scored)
    assert finetune_tasks.SPECS["sentiment_fr"].service_repeats == 0
