"""Sentiment (negative / neutral / positive) from the shipped bilingual classifier."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.models import LoadedClassifier, load_classifier

LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class SentimentResult:
    label: str
    score: float  # P(positive) - P(negative), in [-1, 1]
    probabilities: dict[str, float]


NEUTRAL = SentimentResult("neutral", 0.0, {"negative": 0.0, "neutral": 1.0, "positive": 0.0})


class SentimentClassifier:
    """Wraps the fitted pipeline; one predict_proba call per batch."""

    def __init__(self, loaded: LoadedClassifier):
        self.loaded = loaded
        classes = loaded.classes
        if sorted(classes) != sorted(LABELS):
            raise ValueError(f"sentiment classifier has classes {classes}, expected {LABELS}")
        self._columns = [classes.index(label) for label in LABELS]

    @classmethod
    def load(cls, model_dir: Path) -> SentimentClassifier:
        return cls(load_classifier(model_dir))

    def probabilities(self, prepared: list[str]) -> np.ndarray:
        """(n, 3) probabilities in LABELS order for texts already prepared for the classifier."""
        if not prepared:
            return np.zeros((0, len(LABELS)))
        return self.loaded.pipeline.predict_proba(prepared)[:, self._columns]

    def predict(self, prepared: list[str]) -> list[SentimentResult]:
        """A result per text; empty texts are neutral without asking the classifier."""
        results = [NEUTRAL] * len(prepared)
        todo = [i for i, t in enumerate(prepared) if t.strip()]
        probs = self.probabilities([prepared[i] for i in todo])
        for i, row in zip(todo, probs, strict=True):
            label = LABELS[int(np.argmax(row))]
            score = float(np.clip(row[2] - row[0], -1.0, 1.0))
            results[i] = SentimentResult(
                label,
                round(score, 4),
                {lab: round(float(p), 4) for lab, p in zip(LABELS, row, strict=True)},
            )
        return results
