"""The slow pass: sentiment and emotion read again with a multilingual sentence encoder
(nlp/encoder.py) for the few comments where the labels matter most (comments of threads that
may become cases), blended with the fast classifiers' reading.

The fast analysis (nlp/analyze.py) stays as it is, thousands of comments a second; the slow pass
runs at the encoders' pace (about a hundred comments a second on one core), after curation on the
customer comments of the most notable cases (casebook/steps/refine.py, through
`Analyzer.refine_redacted`), or on request: `Analyzer.refine(analyses)`. Its classifiers are logistic regressions or one-layer MLPs
on the encoder's embeddings, shipped in data/models/deep (skops files, loaded without
unpickling), trained by nlp/deep_train.py; each card gives the blend weight chosen on the
development set (`casebook train slow-pass --reblend` chooses it again, heads kept).

Comments go instead to fine-tuned members where one is shipped for their task and language
(nlp/finetuned.py, data/models/deep/<task>_finetuned: a small transformer per task, int8 ONNX;
English and French sentiment and emotion), which read better and faster; the other
comments go to the multilingual heads, and only the comments those heads read are encoded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.emotion import EMOTIONS
from nlp.encoder import DIMENSIONS
from nlp.finetuned import (
    FOLDER_SUFFIX,
    MODEL_FILE,
    FinetunedModel,
    finetuned_digest,
    finetuned_folder,
    finetuned_input,
)
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
# The tasks a fine-tuned member may serve (data/models/deep/<task>_finetuned; the language it
# reads is on its card), and the reading each one gives.
FINETUNED_TASKS = ("sentiment_en", "emotion", "sentiment_fr", "emotion_fr")
READING = {
    "sentiment_en": "sentiment",
    "sentiment_fr": "sentiment",
    "emotion": "emotion",
    "emotion_fr": "emotion",
}
# Bump when the slow pass's code changes its results (encoder input, blend, routing): it enters
# slow_pass_version, so the stored refined readings are read again.
# 3: comments in other languages than English and French keep the analysis's reading (the
# multilingual heads read them there, nlp/other_languages.py).
SLOW_PASS_REVISION = "3"


def slow_pass_version(models_dir: Path) -> str | None:
    """The slow pass's version, read from the files alone (no classifier loaded): "YYYY.MM-<hash>",
    the month of the newest slow classifier and a hash of each one's file and blend weights (a
    `--reblend` changes the card only) and of SLOW_PASS_REVISION; None when none is shipped."""
    folder = models_dir / DEEP_FOLDER
    present = [
        (t, folder / t, classifier_digest) for t in TASKS if (folder / t / CLASSIFIER_FILE).exists()
    ] + [
        (f"{t}{FOLDER_SUFFIX}", finetuned_folder(folder, t), finetuned_digest)
        for t in FINETUNED_TASKS
        if (finetuned_folder(folder, t) / MODEL_FILE).exists()
    ]
    if not present:
        return None
    digest = hashlib.sha256(SLOW_PASS_REVISION.encode())
    dates = []
    for name, task_folder, file_digest in present:
        card = read_card(task_folder)
        digest.update(name.encode())
        digest.update(file_digest(task_folder).encode())
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


def _columns(found: list[str], classes: tuple[str, ...], what: str) -> list[int]:
    """Where each of `classes` is among a model's classes (`found`); a clear error if missing."""
    missing = set(classes) - set(found)
    if missing:
        raise ValueError(f"{what} lacks classes {sorted(missing)}")
    return [found.index(c) for c in classes]


@dataclass(frozen=True, slots=True)
class Head:
    """A multilingual head: its classifier, its columns in the task's class order, its blend
    weights (from its card)."""

    loaded: LoadedClassifier
    columns: list[int]
    weight: float
    weight_fr: float

    @classmethod
    def of(cls, loaded: LoadedClassifier, classes: tuple[str, ...]) -> Head:
        blend_facts = loaded.card.get("blend") or {}
        weight = float(blend_facts.get("weight", 0.5))
        return cls(
            loaded,
            _columns(loaded.classes, classes, "slow classifier"),
            weight,
            float(blend_facts.get("weight_fr", weight)),
        )

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        return self.loaded.pipeline.predict_proba(X)[:, self.columns]


@dataclass(frozen=True, slots=True)
class _Member:
    """A fine-tuned member, its columns in the task's order and its blend weight."""

    model: FinetunedModel
    columns: list[int]
    weight: float

    @classmethod
    def of(cls, model: FinetunedModel, classes: tuple[str, ...]) -> _Member:
        columns = _columns([str(c) for c in model.classes_], classes, "fine-tuned model")
        return cls(model, columns, float((model.card.get("blend") or {}).get("weight", 0.5)))

    def probabilities(self, texts: list[str]) -> np.ndarray:
        return self.model.predict_proba(texts)[:, self.columns]


# The classes each task's probabilities come in (nlp.sentiment.LABELS, nlp.emotion.EMOTIONS).
_CLASSES = {
    "sentiment_en": SENTIMENT_LABELS,
    "sentiment_fr": SENTIMENT_LABELS,
    "emotion": EMOTIONS,
    "emotion_fr": EMOTIONS,
}


def load_head(models_dir: Path, task: str) -> Head:
    """The multilingual head of `task` (one of TASKS) in models_dir/deep."""
    return Head.of(load_classifier(models_dir / DEEP_FOLDER / task), _CLASSES[task])


class DeepScorer:
    """The slow pass's classifiers (any of TASKS; a missing one leaves its part to the fast
    reading) and its fine-tuned members (nlp/finetuned.py; where one is shipped, it reads the
    comments of its task in its language instead of the multilingual head); `None` from load()
    when none is shipped."""

    def __init__(
        self,
        heads: dict[str, LoadedClassifier],
        finetuned: dict[str, FinetunedModel] | None = None,
    ):
        def head(task: str) -> Head | None:
            return Head.of(heads[task], _CLASSES[task]) if task in heads else None

        self.sentiment_en = head("sentiment_en")
        self.sentiment_fr = head("sentiment_fr")
        self.emotion = head("emotion")
        # FINETUNED_TASKS' members that are shipped, by task.
        self.members = {t: _Member.of(m, _CLASSES[t]) for t, m in (finetuned or {}).items()}

    @classmethod
    def load(cls, models_dir: Path) -> DeepScorer | None:
        folder = models_dir / DEEP_FOLDER
        present = [t for t in TASKS if (folder / t / CLASSIFIER_FILE).exists()]
        tuned = [t for t in FINETUNED_TASKS if (finetuned_folder(folder, t) / MODEL_FILE).exists()]
        if not present and not tuned:
            return None
        return cls(
            {task: load_classifier(folder / task) for task in present},
            {task: FinetunedModel(finetuned_folder(folder, task)) for task in tuned},
        )

    def serves_english(self, task: str) -> bool:
        """Whether a fine-tuned member reads the English comments of `task`: those need no
        sentence embeddings."""
        return self.serves(task, "en")

    def serves(self, task: str, language: str) -> bool:
        """Whether a fine-tuned member reads the comments of `task` in `language`."""
        member = self.members.get(task)
        return member is not None and member.model.language == language

    def refine(
        self,
        texts: list[str],
        languages: list[str],
        sentiment_fast: np.ndarray,
        emotion_fast: np.ndarray,
        embeddings: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Blended (sentiment (n, 3), emotion (n, 7)) probabilities, in nlp.sentiment.LABELS and
        nlp.emotion.EMOTIONS order, from the fast ones and the texts. Texts go to the fine-tuned
        member of their task and language where one is shipped; the rest to the multilingual
        heads, on `embeddings` (computed here for the rows that need them when not given):
        French texts use the French sentiment head and the French emotion weight; others the
        English ones."""
        if not texts:
            return sentiment_fast, emotion_fast
        language = np.array(languages, dtype=object)
        french = language == "fr"
        fast = {"sentiment": sentiment_fast, "emotion": emotion_fast}
        out = {"sentiment": sentiment_fast.copy(), "emotion": emotion_fast.copy()}
        served = {reading: np.zeros(len(texts), dtype=bool) for reading in out}
        readable = np.array([bool(finetuned_input(t)) for t in texts], dtype=bool)
        for task, member in self.members.items():
            reading = READING[task]
            rows = language == member.model.language
            served[reading] |= rows
            idx = np.flatnonzero(rows & readable)
            if len(idx):
                slow = member.probabilities([texts[i] for i in idx])
                out[reading][idx] = blend(fast[reading][idx], slow, member.weight)
        sentiment, emotion = out["sentiment"], out["emotion"]
        # The multilingual heads: the texts no fine-tuned member reads (French ones with the
        # French sentiment head, the others with the English ones).
        sentiment_rows = ~served["sentiment"]
        emotion_rows = ~served["emotion"]
        if embeddings is None:
            embeddings = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
            need = np.flatnonzero(sentiment_rows | emotion_rows)
            if len(need):
                from nlp.encoder import encode

                embeddings[need] = encode([texts[i] for i in need])
        empty = ~embeddings.any(axis=1)
        for mask, head in (
            (~french & sentiment_rows, self.sentiment_en),
            (french & sentiment_rows, self.sentiment_fr),
        ):
            idx = np.flatnonzero(mask & ~empty)
            if head is not None and len(idx):
                sentiment[idx] = blend(
                    sentiment_fast[idx], head.probabilities(embeddings[idx]), head.weight
                )
        idx = np.flatnonzero(emotion_rows & ~empty)
        if self.emotion is not None and len(idx):
            deep = self.emotion.probabilities(embeddings[idx])
            weights = np.where(french[idx], self.emotion.weight_fr, self.emotion.weight)
            for w in np.unique(weights):
                part = weights == w
                emotion[idx[part]] = blend(emotion_fast[idx[part]], deep[part], float(w))
        return sentiment, emotion
