"""Sentiment (negative / neutral / positive) from the shipped classifiers: an English one
(data/models/sentiment, also used for undetermined text) and a French one (sentiment/fr)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.features import sentiment_input
from nlp.language import detect_languages
from nlp.models import CLASSIFIER_FILE, LoadedClassifier, load_classifier

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


class SentimentClassifier:
    """Wraps the fitted pipelines; one predict_proba call per language per batch.

    With a French classifier beside the main one, French texts go to it; the language is
    passed in (`languages`) or, without it, detected here."""

    def __init__(self, loaded: LoadedClassifier, french: LoadedClassifier | None = None):
        self.main = loaded
        self.french = french
        self._main_columns = _columns(loaded)
        self._french_columns = _columns(french) if french is not None else []
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
    def _run(loaded: LoadedClassifier, columns: list[int], prepared: list[str]) -> np.ndarray:
        if _wants_sentiment_input(loaded):
            options = _input_options(loaded)
            prepared = [sentiment_input(t, **options) for t in prepared]
        return loaded.pipeline.predict_proba(prepared)[:, columns]

    def probabilities(self, prepared: list[str], languages: list[str] | None = None) -> np.ndarray:
        """(n, 3) probabilities in LABELS order for texts already prepared for the classifier."""
        if not prepared:
            return np.zeros((0, len(LABELS)))
        if self.french is None:
            return self._run(self.main, self._main_columns, prepared)
        if languages is None:
            languages = [lang for lang, _ in detect_languages(prepared)]
        out = np.zeros((len(prepared), len(LABELS)))
        french = np.array([lang == "fr" for lang in languages], dtype=bool)
        for mask, loaded, columns in (
            (~french, self.main, self._main_columns),
            (french, self.french, self._french_columns),
        ):
            idx = np.flatnonzero(mask)
            if len(idx):
                out[idx] = self._run(loaded, columns, [prepared[i] for i in idx])
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
        for i, (negative, neutral, positive), k in zip(todo, probs.tolist(), best, strict=True):
            score = min(1.0, max(-1.0, positive - negative))
            results[i] = SentimentResult(
                LABELS[k],
                round(score, 4),
                {
                    "negative": round(negative, 4),
                    "neutral": round(neutral, 4),
                    "positive": round(positive, 4),
                },
            )
        return results
