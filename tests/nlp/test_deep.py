"""The slow pass (nlp/deep.py, nlp/encoder.py): the blend, the routing by language, the real
encoder shipped in its wheel, and Analyzer.refine with the shipped slow classifiers."""

import json
from datetime import UTC, datetime

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from casebook_data import MODELS_DIR
from nlp.deep import TASKS, DeepScorer, blend, slow_pass_version
from nlp.emotion import EMOTIONS
from nlp.encoder import DIMENSIONS, encode
from nlp.models import load_classifier, save_classifier
from nlp.sentiment import LABELS


def test_blend_ends_and_rows():
    rng = np.random.default_rng(0)
    fast = rng.dirichlet(np.ones(3), size=5)
    deep = rng.dirichlet(np.ones(3), size=5)
    assert np.allclose(blend(fast, deep, 0.0), fast, atol=1e-6)
    assert np.allclose(blend(fast, deep, 1.0), deep, atol=1e-6)
    mid = blend(fast, deep, 0.5)
    assert np.allclose(mid.sum(axis=1), 1.0)
    # Where both agree on the winner, the blend does too.
    agree = fast.argmax(axis=1) == deep.argmax(axis=1)
    assert (mid.argmax(axis=1)[agree] == fast.argmax(axis=1)[agree]).all()


def _head(classes, winner, rng, folder, weight, weight_fr=None):
    """A logistic regression whose answer is `winner` whatever the embedding."""
    X = rng.normal(size=(60, DIMENSIONS)).astype(np.float32)
    y = [winner] * 50 + [c for c in classes if c != winner] * (10 // (len(classes) - 1) + 1)
    y = y[:60]
    clf = LogisticRegression(C=0.01, class_weight=None).fit(X, y)
    blend_facts = {"weight": weight}
    if weight_fr is not None:
        blend_facts["weight_fr"] = weight_fr
    card = {"trained_at": datetime.now(UTC).isoformat(), "blend": blend_facts}
    save_classifier(clf, folder, card)
    return load_classifier(folder)


def test_refine_routes_by_language_and_weight(tmp_path):
    rng = np.random.default_rng(1)
    heads = {
        "sentiment_en": _head(LABELS, "positive", rng, tmp_path / "en", 1.0),
        "sentiment_fr": _head(LABELS, "negative", rng, tmp_path / "fr", 1.0),
        "emotion": _head(EMOTIONS, "joy", rng, tmp_path / "emo", 0.0, weight_fr=1.0),
    }
    scorer = DeepScorer(heads)
    n = 3
    X = rng.normal(size=(n, DIMENSIONS)).astype(np.float32)
    X[2] = 0.0  # an empty text: its fast reading stays
    sentiment_fast = np.tile([0.1, 0.8, 0.1], (n, 1))
    emotion_fast = np.tile(np.eye(len(EMOTIONS))[EMOTIONS.index("neutral")] * 0.9 + 0.1 / 7, (n, 1))
    sentiment, emotion = scorer.refine(
        ["great", "nul", ""], ["en", "fr", "en"], sentiment_fast, emotion_fast, X
    )
    assert LABELS[int(sentiment[0].argmax())] == "positive"  # English head
    assert LABELS[int(sentiment[1].argmax())] == "negative"  # French head
    assert np.allclose(sentiment[2], sentiment_fast[2])
    # Emotion: weight 0 for English keeps the fast reading, weight_fr 1 takes the slow one.
    assert EMOTIONS[int(emotion[0].argmax())] == "neutral"
    assert EMOTIONS[int(emotion[1].argmax())] == "joy"
    assert DeepScorer.load(tmp_path / "nothing") is None
    # Without an English sentiment head, English sentiment keeps its fast reading.
    partial = DeepScorer({k: v for k, v in heads.items() if k != "sentiment_en"})
    kept, _ = partial.refine(["great"], ["en"], sentiment_fast[:1], emotion_fast[:1], X[:1])
    assert np.allclose(kept, sentiment_fast[:1])


def test_encoder_is_multilingual_and_offline():
    vectors = encode(["I love this service", "j'adore ce service", "the invoice is due", ""])
    assert vectors.shape == (4, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-3)
    assert not vectors[3].any()
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > other + 0.2


@pytest.mark.skipif(
    not all((MODELS_DIR / "deep" / t / "classifier.skops").exists() for t in TASKS[1:]),
    reason="the slow classifiers are not shipped in this checkout",
)
def test_analyzer_refine_with_shipped_models():
    from nlp import Analyzer

    analyzer = Analyzer.load()
    texts = [
        "Thank you so much, the new advisor was wonderful!",
        "Je suis furieux, trois semaines sans réponse, c'est inadmissible.",
        "",
    ]
    fast = analyzer.analyze(texts)
    slow = analyzer.refine(fast)
    assert [a.redacted_text for a in slow] == [a.redacted_text for a in fast]
    assert slow[0].sentiment == "positive" and slow[1].sentiment == "negative"
    assert slow[1].emotion in {"anger", "disgust", "sadness"}
    assert slow[2] == fast[2]
    assert all(abs(sum(a.emotions.values()) - 1.0) < 1e-3 for a in slow)
    # From what the store keeps (redacted text, language), the same slow reading.
    stored = analyzer.refine_redacted([a.redacted_text for a in fast], [a.language for a in fast])
    reading = ("sentiment", "sentiment_score", "emotion", "emotions", "intensity")
    assert [[getattr(a, f) for f in reading] for a in stored] == [
        [getattr(a, f) for f in reading] for a in slow
    ]


def test_slow_pass_version_follows_the_files_and_blend_weights(tmp_path):
    rng = np.random.default_rng(2)
    models = tmp_path / "models"
    assert slow_pass_version(models) is None  # nothing shipped: no slow pass
    _head(LABELS, "positive", rng, models / "deep" / "sentiment_en", 0.4)
    first = slow_pass_version(models)
    assert first is not None and first == slow_pass_version(models)
    card = models / "deep" / "sentiment_en" / "card.json"
    facts = json.loads(card.read_text())
    facts["blend"]["weight"] = 0.6  # what `casebook train slow-pass --reblend` changes
    card.write_text(json.dumps(facts))
    second = slow_pass_version(models)
    assert second != first
    _head(EMOTIONS, "joy", rng, models / "deep" / "emotion", 0.5)
    assert slow_pass_version(models) not in {first, second}
