"""Training the slow pass (nlp/deep_train.py, nlp/embedding_cache.py): staged encoding, the
heads it compares (MLPs saved within the allow-list), the blend weight chosen on development
rows, the other language's rows, and choosing the blend weight again without refitting."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from casebook_data import MODELS_DIR
from nlp import deep_rows, deep_train, embedding_cache
from nlp.deep_heads import BLEND_GRID, choose_blend, columns, fit_head, head_name
from nlp.deep_train import reblend, train_deep
from nlp.embedding_cache import deep_dev_sets, deep_train_rows, staged_texts, task_split
from nlp.encoder import DIMENSIONS
from nlp.models import file_types, load_classifier, save_classifier
from nlp.sentiment import LABELS
from tests.nlp.test_splits import _write


def _fake_encode(texts: list[str]) -> np.ndarray:
    """A stand-in for the (slow) encoder: a unit vector drawn from the text's hash."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for i, t in enumerate(texts):
        seed = int.from_bytes(hashlib.sha256(t.encode("utf-8")).digest()[:4], "big")
        v = np.random.default_rng(seed).normal(size=DIMENSIONS)
        out[i] = v / np.linalg.norm(v)
    return out


def test_staged_texts_put_dev_and_test_first_then_growing_shares(tmp_path, monkeypatch):
    _write(tmp_path, n=600)
    monkeypatch.setitem(embedding_cache.DEEP_TRAIN_SHARE, "emotion", 0.5)
    monkeypatch.setitem(embedding_cache.DEEP_DEV_SHARE, "emotion", 1.0)
    monkeypatch.setitem(embedding_cache.DEEP_TEST_SHARE, "emotion", 1.0)
    split = task_split("emotion", tmp_path)
    stages = staged_texts("emotion", tmp_path, steps=2)
    assert len(stages) == 3
    evaluation = [t for part in (split.dev, split.test) for ts, _ in part.values() for t in ts]
    assert stages[0] == evaluation
    half = {t for t, _, _ in deep_train_rows("emotion", split.train, 0.25)}
    full = {t for t, _, _ in deep_train_rows("emotion", split.train)}
    assert 0 < len(half) < len(full) < len(split.train)
    # Stage 1 is the smaller share, stage 2 what the full share adds: nothing twice.
    assert set(stages[1]) == half
    assert set(stages[2]) == full - half
    assert not set(stages[1]) & set(stages[2])


def test_blend_weight_follows_the_better_reading():
    rng = np.random.default_rng(0)
    truth = [LABELS[i % 3] for i in range(90)]
    right = np.eye(3)[[i % 3 for i in range(90)]] * 0.9 + 0.1 / 3
    noise = rng.dirichlet(np.ones(3), size=90)
    score, weight = choose_blend(noise, right, truth, "macro_f1", LABELS)
    # The smallest weight that reaches the best score: leaning on the right reading.
    assert weight > 0.5 and score == 1.0
    score, weight = choose_blend(right, noise, truth, "macro_recall", LABELS)
    assert weight < 0.5 and score == 1.0
    assert weight in BLEND_GRID


def test_mlp_head_is_small_float32_and_loads_within_the_allow_list(tmp_path):
    rng = np.random.default_rng(2)
    centres = rng.normal(size=(3, DIMENSIONS))
    y = [LABELS[i % 3] for i in range(300)]
    X = (centres[[i % 3 for i in range(300)]] + rng.normal(size=(300, DIMENSIONS))).astype(
        np.float32
    )
    mlp = fit_head("mlp", 1e-3, X, y, np.ones(300))
    assert all(c.dtype == np.float32 for c in mlp.coefs_)
    assert not hasattr(mlp, "_optimizer") and not hasattr(mlp, "_random_state")
    card = save_classifier(mlp, tmp_path, {"trained_at": "2026-12-03T00:00:00+00:00"})
    assert "numpy.random.mtrand.RandomState" not in file_types(tmp_path / "classifier.skops")
    loaded = load_classifier(tmp_path).pipeline
    assert np.allclose(loaded.predict_proba(X), mlp.predict_proba(X), atol=1e-6)
    assert float(np.mean(loaded.predict(X) == np.array(y))) > 0.9
    assert card["file"]["bytes"] < 1_000_000


@pytest.mark.skipif(
    not (MODELS_DIR / "sentiment" / "classifier.skops").exists(),
    reason="the fast sentiment classifier is not shipped in this checkout",
)
def test_train_with_other_language_rows_then_reblend(tmp_path, monkeypatch):
    data = tmp_path / "data"
    _write(data, n=300)
    models = tmp_path / "models"
    models.mkdir()
    (models / "sentiment").symlink_to(MODELS_DIR / "sentiment")
    (models / "emotion").symlink_to(MODELS_DIR / "emotion")
    monkeypatch.setattr(embedding_cache, "encode", _fake_encode)
    cache = tmp_path / "cache"
    heads = (("lr", 1.0), ("mlp", 1e-2))
    figures = train_deep(data, models, cache, ("sentiment_fr",), heads)
    card = json.loads((models / "deep" / "sentiment_fr" / "card.json").read_text())
    assert set(figures["sentiment_fr"]["test"]) == set(card["test"])
    compared = card["comparison"]
    weights = deep_train.CROSS_LINGUAL["sentiment_fr"][1]
    # Step one: every weight of the English rows, with the probe head; step two: the others.
    assert sorted(r["other language rows weight"] for r in compared[: len(weights)]) == sorted(
        weights
    )
    assert {r["head"] for r in compared} == {head_name(*h) for h in heads}
    assert card["blend"]["weight"] in BLEND_GRID
    assert "fr_umsab_test_macro_f1 blend" in card["test"]

    # Choosing the blend weight again keeps the head and finds what choose_blend finds.
    before = (models / "deep" / "sentiment_fr" / "classifier.skops").read_bytes()
    card["blend"]["weight"] = 0.55
    (models / "deep" / "sentiment_fr" / "card.json").write_text(json.dumps(card))
    out = reblend(data, models, cache, ("sentiment_fr",))
    assert (models / "deep" / "sentiment_fr" / "classifier.skops").read_bytes() == before
    head = load_classifier(models / "deep" / "sentiment_fr").pipeline
    (_, (texts, labels)), *_ = deep_dev_sets(
        "sentiment_fr", task_split("sentiment_fr", data).dev
    ).items()
    fast = deep_train._sentiment_fast(models, "fr")(texts)
    deep = head.predict_proba(_fake_encode(texts))[:, columns(head, LABELS)]
    expected = choose_blend(fast, deep, labels, "macro_f1", LABELS)[1]
    assert out["sentiment_fr"]["weight"] == (0.55, expected)
    again = json.loads((models / "deep" / "sentiment_fr" / "card.json").read_text())
    assert again["blend"]["weight"] == expected and "reblended_at" in again
    assert (models / "deep" / "sentiment_fr" / "card.md").exists()
    assert Path(cache / "sentiment_fr.npz").exists()


def test_the_emotion_head_learns_its_extra_rows_three_times_over(tmp_path, monkeypatch):
    _write(tmp_path, n=300)
    monkeypatch.setattr(embedding_cache, "encode", _fake_encode)
    extra = [("Where is my parcel?", "neutral", "customer_service")]
    monkeypatch.setattr(deep_train, "deep_extra_rows", lambda task, data: extra)
    base = deep_train_rows("emotion", task_split("emotion", tmp_path).train)
    X, y, weights, sources = deep_train._rows_xy("emotion", tmp_path, tmp_path / "cache")
    assert len(y) == len(X) == len(weights) == len(base) + deep_train.EXTRA_REPEATS
    assert sources["customer_service"] == deep_train.EXTRA_REPEATS
    assert y[len(base) :] == ["neutral"] * deep_train.EXTRA_REPEATS
    # Other tasks learn no extra rows.
    assert "sentiment_fr" not in deep_rows.EXTRA_ROWS and "emotion" in deep_train.TASK_HEADS
    # The card counts each source's rows once, with its repeats.
    assert deep_rows.extra_rows_facts("emotion", sources)["extra_rows"]["customer_service"] == (
        f"1 x {deep_train.EXTRA_REPEATS}"
    )
    assert deep_rows.extra_rows_facts("sentiment_fr", sources) == {}


def test_the_extra_rows_are_customer_service_and_french_comments():
    from casebook_data import SHARED_DATA_DIR

    if not (SHARED_DATA_DIR / "channels" / "twcs").is_dir():
        pytest.skip("the shared data sets are not here")
    rows = deep_rows.deep_extra_rows("emotion", SHARED_DATA_DIR)
    by_source = {source for *_, source in rows}
    assert by_source == {"customer_service", "emotion_fr_train"}
    assert all(label in deep_train.EMOTIONS for _, label, _ in rows)
    assert deep_rows.deep_extra_rows("sentiment_en", SHARED_DATA_DIR) == []
