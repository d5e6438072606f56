"""Sentiment (negative / neutral / positive) from the shipped classifiers: an English one
(data/models/sentiment, also used for undetermined text) and a French one (sentiment/fr)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from nlp.features import sentiment_input
from nlp.language import detect_languages
from nlp.models import CLASSIFIER_FILE, LoadedClassifier, load_classifier
from nlp.word_vectors import WordVectors, load_word_vectors

LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class SentimentResult:
    label: str
    score: float  # P(positive) - P(negative), in [-1, 1]
    probabilities: dict[str, float]


NEUTRAL = SentimentResult("neutral", 0.0, {"negative": 0.0, "neutral": 1.0, "positive": 0.0})


def _columns(loaded: LoadedClassifier) -> list[int]:
    classes = loaded.classes
    if sorted(classes) != sorted(LABELS):
        raise ValueError(f"sentiment classifier has classes {classes}, expected {LABELS}")
    return [classes.index(label) for label in LABELS]


def _wants_sentiment_input(loaded: LoadedClassifier) -> bool:
    """Classifiers trained on nlp.features.sentiment_input say so in their card."""
    return "sentiment_input" in str(loaded.card.get("input", ""))


def _input_options(loaded: LoadedClassifier) -> dict[str, bool]:
    """Keyword options of sentiment_input the classifier was trained with (its card's
    `input_options`, e.g. {"vader": true}); none for older cards."""
    options = loaded.card.get("input_options") or {}
    return {"vader": bool(options.get("vader", False))}


@dataclass(frozen=True, slots=True)
class VectorFeature:
    """The mean word vector of a text, times `scale`, appended to a classifier's TF-IDF
    features (its card's `word_vectors`: package, version, scale)."""

    vectors: WordVectors
    scale: float

    def append(self, X: Any, prepared: list[str]) -> Any:
        """TF-IDF rows X (sparse) with the scaled mean vectors of the texts after them."""
        return append_vectors(X, self.vectors.mean_vectors(prepared), self.scale)


def append_vectors(X: Any, mean: np.ndarray, scale: float) -> Any:
    """Sparse rows X with `mean` (one mean word vector a row) times `scale` after them: the
    features a classifier with word vectors reads (its trainer and VectorFeature both build them
    here)."""
    extra = sparse.csr_matrix(mean * np.float32(scale))
    return sparse.hstack([X, extra], format="csr", dtype=np.float32)


def vector_feature(card: dict[str, Any]) -> VectorFeature | None:
    """The word-vector feature a card asks for (loading the vectors once), None without one."""
    spec = card.get("word_vectors")
    if not spec:
        return None
    return VectorFeature(load_word_vectors(spec["package"], spec["version"]), float(spec["scale"]))


def predict_proba(
    pipeline: Any, inputs: list[str], prepared: list[str], vectors: VectorFeature | None
) -> np.ndarray:
    """A sentiment pipeline's probabilities (its classes' order); with `vectors`, the features
    before the last step get the mean word vectors of `prepared` (the texts before
    sentiment_input) appended, outside the pipeline, so the saved file holds plain scikit-learn
    types only."""
    if vectors is None:
        return pipeline.predict_proba(inputs)
    X = vectors.append(pipeline[:-1].transform(inputs), prepared)
    return pipeline[-1].predict_proba(X)


class SentimentClassifier:
    """Wraps the fitted pipelines; one predict_proba call per language per batch.

    With a French classifier beside the main one, French texts go to it; the language is
    passed in (`languages`) or, without it, detected here."""

    def __init__(self, loaded: LoadedClassifier, french: LoadedClassifier | None = None):
        self.main = loaded
        self.french = french
        self._main_columns = _columns(loaded)
        self._french_columns = _columns(french) if french is not None else []
        # Word vectors only for a classifier whose card asks for them (the French one today).
        self._main_vectors = vector_feature(loaded.card)
        self._french_vectors = vector_feature(french.card) if french is not None else None
        if french is None:
            self.loaded = loaded
        else:
            # One digest for both files, so the analyser's version follows either of them.
            digest = hashlib.sha256((loaded.digest + french.digest).encode()).hexdigest()
            self.loaded = LoadedClassifier(loaded.pipeline, loaded.card, digest)

    @classmethod
    def load(cls, model_dir: Path) -> SentimentClassifier:
        french_dir = model_dir / "fr"
        french = load_classifier(french_dir) if (french_dir / CLASSIFIER_FILE).exists() else None
        return cls(load_classifier(model_dir), french)

    @staticmethod
    def _run(
        loaded: LoadedClassifier,
        columns: list[int],
        prepared: list[str],
        vectors: VectorFeature | None,
    ) -> np.ndarray:
        inputs = prepared
        if _wants_sentiment_input(loaded):
            options = _input_options(loaded)
            inputs = [sentiment_input(t, **options) for t in prepared]
        return predict_proba(loaded.pipeline, inputs, prepared, vectors)[:, columns]

    def probabilities(self, prepared: list[str], languages: list[str] | None = None) -> np.ndarray:
        """(n, 3) probabilities in LABELS order for texts already prepared for the classifier."""
        if not prepared:
            return np.zeros((0, len(LABELS)))
        if self.french is None:
            return self._run(self.main, self._main_columns, prepared, self._main_vectors)
        if languages is None:
            languages = [lang for lang, _ in detect_languages(prepared)]
        out = np.zeros((len(prepared), len(LABELS)))
        french = np.array([lang == "fr" for lang in languages], dtype=bool)
        for mask, loaded, columns, vectors in (
            (~french, self.main, self._main_columns, self._main_vectors),
            (french, self.french, self._french_columns, self._french_vectors),
        ):
            idx = np.flatnonzero(mask)
            if len(idx):
                out[idx] = self._run(loaded, columns, [prepared[i] for i in idx], vectors)
        return out

    def predict(
        self, prepared: list[str], languages: list[str] | None = None
    ) -> list[SentimentResult]:
        """A result per text; empty texts are neutral without asking the classifier.
        `languages` ("en", "fr", "und" per text) saves detecting them again."""
        results = [NEUTRAL] * len(prepared)
        todo = [i for i, t in enumerate(prepared) if t.strip()]
        probs = self.probabilities(
            [prepared[i] for i in todo],
            [languages[i] for i in todo] if languages is not None else None,
        )
        # Python floats (the same numbers) and argmax for all rows at once: numpy's per-scalar
        # calls cost more than the arithmetic.
        best = np.argmax(probs, axis=1).tolist() if len(todo) else []
        for i, row, k in zip(todo, probs.tolist(), best, strict=True):
            results[i] = sentiment_result(row, k)
        return results


def sentiment_result(row: list[float], best: int | None = None) -> SentimentResult:
    """The result of probabilities in LABELS order (`best`: their argmax, when known)."""
    negative, neutral, positive = row
    if best is None:
        best = max(range(len(LABELS)), key=row.__getitem__)
    score = min(1.0, max(-1.0, positive - negative))
    return SentimentResult(
        LABELS[best],
        round(score, 4),
        {
            "negative": round(negative, 4),
            "neutral": round(neutral, 4),
            "positive": round(positive, 4),
        },
    )
