import random

import numpy as np
import pytest

from nlp import emotion as emotion_module
from nlp.emotion import EMOTIONS, LEXICON, EmotionClassifier, lexicon_counts
from nlp.situation import fold


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


def _lexicon_texts(seed: int, n: int) -> list[str]:
    """Texts of lexicon entries cut, extended, glued and cased in every way, among other words."""
    rng = random.Random(seed)
    entries = [w for words in LEXICON.values() for w in words]
    pieces = ["the", "a", "pas", "l'", "d'", "-", "'", "!", "?!", "😡", "😭", "é", "x", "ok"]
    words = []
    for _ in range(n * 8):
        word = rng.choice(entries) if rng.random() < 0.6 else rng.choice(pieces)
        roll = rng.random()
        if roll < 0.15:
            word = word[: rng.randint(1, len(word))]
        elif roll < 0.3:
            word = word + rng.choice(["s", "ly", "ed", "é", "'", "-x", "_"])
        elif roll < 0.4:
            word = rng.choice(["un", "l'", "x", "_", "#"]) + word
        if rng.random() < 0.2:
            word = word.upper() if rng.random() < 0.5 else word.capitalize()
        words.append(word)
    return [
        rng.choice([" ", "", "  ", "\n", "'", "-"]).join(words[i : i + 8])
        for i in range(0, len(words), 8)
    ]


@pytest.mark.parametrize("seed", range(3))
def test_lexicon_counts_equal_the_regexes_without_their_gate(seed):
    texts = _lexicon_texts(seed, 1500)
    gated = [lexicon_counts(t)[:-1].tolist() for t in texts]
    plain = [
        [
            len(emotion_module._LEXICON_RE[e].findall(fold(t)))
            + sum(emotion_module.EMOJI.get(ch) == e for ch in t)
            for e in EMOTIONS[:-1]
        ]
        for t in texts
    ]
    assert [t for t, g, p in zip(texts, gated, plain, strict=True) if g != p] == []
    # The texts reach the lexicon often, and each emotion's regex at least once.
    assert sum(any(p) for p in plain) > len(texts) // 2
    assert all(any(p[i] for p in plain) for i in range(6))


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


def _reference(clf, texts, prepared, languages, sentiment):
    """The blend row by row, as EmotionClassifier.probabilities computed it before it worked
    on the whole batch at once."""
    out = np.zeros((len(texts), len(EMOTIONS)))
    out[:, -1] = 1.0
    todo = [i for i, t in enumerate(prepared) if t.strip()]
    if clf.loaded is not None:
        model = clf.loaded.pipeline.predict_proba([prepared[i] for i in todo])[:, clf._columns]
    else:
        model = np.tile(np.eye(len(EMOTIONS))[-1], (len(todo), 1))
    for row, i in zip(model, todo, strict=True):
        counts = lexicon_counts(prepared[i])
        total = counts.sum()
        if total > 0:
            weight = clf.LEXICON_WEIGHT.get(languages[i], 0.7) if clf.loaded is not None else 0.9
            row = (1 - weight) * row + weight * counts / total
        if sentiment is not None:
            negative, _, positive = (float(x) for x in sentiment[i])
            factors = np.ones(len(EMOTIONS))
            factors[EMOTIONS.index("joy")] = 1.0 - 0.8 * negative
            for emotion in ("anger", "disgust", "fear", "sadness"):
                factors[EMOTIONS.index(emotion)] = 1.0 - 0.8 * positive
            row = row * factors
        out[i] = row / row.sum() if row.sum() > 0 else out[i]
    return out


BLEND_TEXTS = [
    "I love this, thank you so much 😍",
    "Je suis furieux, c'est inadmissible 😡",
    "",
    "   ",
    "the parcel is late again",
    "so sad and disappointed, shocked really 😢😮",
    "ok",
    "Merci, super service !",
    "I'm scared my account was hacked",
    "disgusting food, gross",
]


@pytest.mark.parametrize("shipped", [True, False])
@pytest.mark.parametrize("with_sentiment", [True, False])
def test_batch_blend_equals_row_by_row(shipped, with_sentiment):
    from casebook_data import MODELS_DIR

    clf = EmotionClassifier.load(MODELS_DIR / "emotion" if shipped else None)
    rng = np.random.default_rng(0)
    texts = BLEND_TEXTS * 3
    languages = [["en", "fr", "und"][i % 3] for i in range(len(texts))]
    sentiment = rng.dirichlet(np.ones(3), size=len(texts)).round(4) if with_sentiment else None
    got = clf.probabilities(texts, texts, languages, sentiment)
    expected = _reference(clf, texts, texts, languages, sentiment)
    assert np.array_equal(got, expected)
