import numpy as np
import pytest

from nlp.emotion import EMOTIONS, EmotionClassifier, lexicon_counts


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("Je suis furieux, c'est inadmissible", "anger"),
        ("Quelle déception, je suis triste", "sadness"),
        ("Merci, je suis ravi !", "joy"),
        ("J'ai peur, je suis très inquiet", "fear"),
        ("C'est dégoûtant", "disgust"),
        ("😡", "anger"),
        ("😭", "sadness"),
    ],
)
def test_lexicon_counts(text, emotion):
    counts = lexicon_counts(text)
    assert EMOTIONS[int(np.argmax(counts))] == emotion


def test_lexicon_only_classifier_sums_to_one():
    clf = EmotionClassifier(None)
    texts = ["Je suis furieux", "", "nothing here", "😍😍"]
    probs = clf.probabilities(texts, texts, ["fr", "und", "en", "und"])
    assert probs.shape == (4, 7)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert [EMOTIONS[int(i)] for i in probs.argmax(axis=1)] == [
        "anger",
        "neutral",
        "neutral",
        "joy",
    ]


def test_missing_model_dir_means_lexicon_only(tmp_path):
    assert EmotionClassifier.load(tmp_path / "nowhere").loaded is None


def test_sentiment_damps_contradicting_emotions():
    clf = EmotionClassifier(None)
    texts = ["great, thanks a lot"]
    plain = clf.probabilities(texts, texts, ["en"])
    negative = clf.probabilities(texts, texts, ["en"], np.array([[0.95, 0.05, 0.0]]))
    joy = EMOTIONS.index("joy")
    assert negative[0, joy] < plain[0, joy]
    assert np.allclose(negative.sum(axis=1), 1.0)
