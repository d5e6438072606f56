"""The slow pass: sentiment and emotion read again with a multilingual sentence encoder
(nlp/encoder.py) for the few comments where the labels matter most (comments of threads that
may become cases), blended with the fast classifiers' reading.

The fast analysis (nlp/analyze.py) stays as it is, thousands of comments a second; the slow pass
runs at the encoder's pace (tens of comments a second on one core), after curation on the
customer comments of the most notable cases (casebook/steps/refine.py, through
`Analyzer.refine_redacted`), or on request: `Analyzer.refine(analyses)`. Its classifiers are logistic regressions or one-layer MLPs
on the encoder's embeddings, shipped in data/models/deep (skops files, loaded without
unpickling), trained by nlp/deep_train.py; each card gives the blend weight chosen on the
development set (`casebook train slow-pass --reblend` chooses it again, heads kept).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.emotion import EMOTIONS
from nlp.models import (
    CLASSIFIER_FILE,
    LoadedClassifier,
    classifier_digest,
    load_classifier,
    read_card,
)
from nlp.sentiment import LABELS as SENTIMENT_LABELS

DEEP_FOLDER = "deep"
TASKS = ("sentiment_en", "sentiment_fr", "emotion")
# Bump when the slow pass's code changes its results (encoder input, blend, routing): it enters
# slow_pass_version, so the stored refined readings are read again.
SLOW_PASS_REVISION = "1"


def slow_pass_version(models_dir: Path) -> str | None:
    """The slow pass's version, read from the files alone (no classifier loaded): "YYYY.MM-<hash>",
    the month of the newest slow classifier and a hash of each one's file and blend weights (a
    `--reblend` changes the card only) and of SLOW_PASS_REVISION; None when none is shipped."""
    folder = models_dir / DEEP_FOLDER
    present = [t for t in TASKS if (folder / t / CLASSIFIER_FILE).exists()]
    if not present:
        return None
    digest = hashlib.sha256(SLOW_PASS_REVISION.encode())
    dates = []
    for task in present:
        card = read_card(folder / task)
        digest.update(task.encode())
        digest.update(classifier_digest(folder / task).encode())
        digest.update(json.dumps(card.get("blend") or {}, sort_keys=True).encode())
        dates.append(str(card.get("trained_at", "")))
    newest = max(dates)
    month = newest[:7].replace("-", ".") if newest else "0000.00"
    return f"{month}-{digest.hexdigest()[:8]}"


def blend(fast: np.ndarray, deep: np.ndarray, weight: float) -> np.ndarray:
    """Geometric blend of two probability tables (rows sum to 1): weight 0 is `fast` alone,
    1 is `deep` alone."""
    log_p = (1.0 - weight) * np.log(fast + 1e-9) + weight * np.log(deep + 1e-9)
    log_p -= log_p.max(axis=1, keepdims=True)
    p = np.exp(log_p)
    return p / p.sum(axis=1, keepdims=True)


@dataclass(frozen=True, slots=True)
class _Head:
    loaded: LoadedClassifier
    columns: list[int]
    weight: float
    weight_fr: float

    @classmethod
    def of(cls, loaded: LoadedClassifier, classes: tuple[str, ...]) -> _Head:
        order = loaded.classes
        missing = set(classes) - set(order)
        if missing:
            raise ValueError(f"slow classifier lacks classes {sorted(missing)}")
        blend_facts = loaded.card.get("blend") or {}
        weight = float(blend_facts.get("weight", 0.5))
        return cls(
            loaded,
            [order.index(c) for c in classes],
            weight,
            float(blend_facts.get("weight_fr", weight)),
        )

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        return self.loaded.pipeline.predict_proba(X)[:, self.columns]


class DeepScorer:
    """The slow pass's classifiers (any of TASKS; a missing one leaves its part to the fast
    reading); `None` from load() when none is shipped."""

    def __init__(self, heads: dict[str, LoadedClassifier]):
        def head(task: str, classes: tuple[str, ...]) -> _Head | None:
            return _Head.of(heads[task], classes) if task in heads else None

        self.sentiment_en = head("sentiment_en", SENTIMENT_LABELS)
        self.sentiment_fr = head("sentiment_fr", SENTIMENT_LABELS)
        self.emotion = head("emotion", EMOTIONS)
        self.digests = {task: loaded.digest for task, loaded in heads.items()}

    @classmethod
    def load(cls, models_dir: Path) -> DeepScorer | None:
        folder = models_dir / DEEP_FOLDER
        present = [t for t in TASKS if (folder / t / CLASSIFIER_FILE).exists()]
        if not present:
            return None
        return cls({task: load_classifier(folder / task) for task in present})

    def refine(
        self,
        texts: list[str],
        languages: list[str],
        sentiment_fast: np.ndarray,
        emotion_fast: np.ndarray,
        embeddings: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Blended (sentiment (n, 3), emotion (n, 7)) probabilities, in nlp.sentiment.LABELS and
        nlp.emotion.EMOTIONS order, from the fast ones and the texts (encoded here unless
        `embeddings` are given). French texts use the French sentiment head and the French
        emotion weight; others the English ones."""
        if not texts:
            return sentiment_fast, emotion_fast
        if embeddings is None:
            from nlp.encoder import encode

            embeddings = encode(texts)
        french = np.array([lang == "fr" for lang in languages], dtype=bool)
        empty = ~embeddings.any(axis=1)
        sentiment = sentiment_fast.copy()
        emotion = emotion_fast.copy()
        for mask, head in ((~french, self.sentiment_en), (french, self.sentiment_fr)):
            idx = np.flatnonzero(mask & ~empty)
            if head is not None and len(idx):
                sentiment[idx] = blend(
                    sentiment_fast[idx], head.probabilities(embeddings[idx]), head.weight
                )
        idx = np.flatnonzero(~empty)
        if self.emotion is not None and len(idx):
            deep = self.emotion.probabilities(embeddings[idx])
            weights = np.where(french[idx], self.emotion.weight_fr, self.emotion.weight)
            for w in np.unique(weights):
                part = weights == w
                emotion[idx[part]] = blend(emotion_fast[idx[part]], deep[part], float(w))
        return sentiment, emotion
