"""A custom situation classifier trained from any labelled CSV (TF-IDF word + char -> LogisticRegression).

Trained by `casebook train situation` (or train_situation_model below), saved with skops and a
card like the shipped classifiers, loaded through nlp.models' allow-listed loader; the Analyzer
uses it instead of the taxonomy's keyword rules when given `situation_model=DIR`.
"""

from __future__ import annotations

import csv
import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlp.features import prepare_for_classifier
from nlp.models import LoadedClassifier, load_classifier, save_classifier
from nlp.training import write_card_md

log = logging.getLogger(__name__)

csv.field_size_limit(10_000_000)

# Share of the training rows held out (per label) to choose C; the final model is refitted on all.
HOLDOUT_SHARE = 0.1
C_GRID = (5.0, 20.0, 50.0)
MIN_ROWS = 2


class SituationDataError(ValueError):
    """The labelled CSV cannot be used (missing file or column, too few rows or labels)."""


@dataclass(frozen=True, slots=True)
class SituationPrediction:
    situation: str
    confidence: float
    runner_up: str  # the second most probable label ("other" when there is none)


class SituationModel:
    """A loaded custom situation classifier: the best label with its probability, and the runner-up."""

    def __init__(self, loaded: LoadedClassifier):
        self.loaded = loaded
        self.classes = loaded.classes

    @classmethod
    def load(cls, model_dir: Path) -> SituationModel:
        model_dir = Path(model_dir)
        if not (model_dir / "classifier.skops").exists():
            raise FileNotFoundError(f"{model_dir} holds no classifier.skops")
        return cls(load_classifier(model_dir))

    def predict(self, prepared: list[str]) -> list[SituationPrediction]:
        """One prediction per text already prepared for the classifier (empty text: "other", 0)."""
        results = [SituationPrediction("other", 0.0, "other")] * len(prepared)
        todo = [i for i, t in enumerate(prepared) if t.strip()]
        if not todo:
            return results
        probs = self.loaded.pipeline.predict_proba([prepared[i] for i in todo])
        # The two most probable classes of each row, best first.
        order = np.argsort(-probs, axis=1, kind="stable")[:, :2]
        for i, (j, *second), row in zip(todo, order, probs, strict=True):
            runner_up = self.classes[int(second[0])] if second else "other"
            results[i] = SituationPrediction(
                self.classes[int(j)], round(float(row[j]), 4), runner_up
            )
        return results


def read_labelled_csv(path: Path, text_column: str, label_column: str) -> list[tuple[str, str]]:
    """(text, label) rows of a CSV; rows with an empty text or label are skipped."""
    path = Path(path)
    if not path.exists():
        raise SituationDataError(f"{path} does not exist")
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = reader.fieldnames or []
        for column in (text_column, label_column):
            if column not in columns:
                raise SituationDataError(
                    f"{path} has no column {column!r} (columns: {', '.join(columns) or 'none'})"
                )
        for rec in reader:
            text = (rec.get(text_column) or "").strip()
            label = (rec.get(label_column) or "").strip()
            if text and label:
                rows.append((text, label))
    if len(rows) < MIN_ROWS or len({lab for _, lab in rows}) < 2:
        raise SituationDataError(f"{path} needs at least two labels with a text each")
    return rows


def situation_features() -> FeatureUnion:
    """Word 1-2 grams and character 2-5 grams inside word boundaries."""
    return FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    max_features=100_000,
                    dtype=np.float32,
                    token_pattern=r"(?u)[\w']+|[!?]+",
                ),
            ),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=2,
                    sublinear_tf=True,
                    max_features=150_000,
                    dtype=np.float32,
                ),
            ),
        ]
    )


def _pipeline(C: float) -> Pipeline:
    return Pipeline(
        [("features", situation_features()), ("clf", LogisticRegression(C=C, max_iter=3000))]
    )


def _split(rows: list[tuple[str, str]], seed: int = 13) -> tuple[list[int], list[int]]:
    """Indices (fit, held out): HOLDOUT_SHARE of each label with at least 5 rows, deterministic."""
    by_label: dict[str, list[int]] = {}
    for i, (_, label) in enumerate(rows):
        by_label.setdefault(label, []).append(i)
    rng = random.Random(seed)
    fit, held = [], []
    for label in sorted(by_label):
        idx = by_label[label][:]
        rng.shuffle(idx)
        k = int(len(idx) * HOLDOUT_SHARE) if len(idx) >= 5 else 0
        held += idx[:k]
        fit += idx[k:]
    return sorted(fit), sorted(held)


def train_situation_model(
    data: Path,
    out_dir: Path,
    text_column: str = "text",
    label_column: str = "label",
    c_grid: tuple[float, ...] = C_GRID,
) -> dict[str, Any]:
    """Train on a labelled CSV, choose C on a held-out slice of it, refit on all rows, save to
    out_dir (classifier.skops, card.json, card.md); returns the card."""
    started = time.time()
    rows = read_labelled_csv(data, text_column, label_column)
    texts = [prepare_for_classifier(t) for t, _ in rows]
    labels = [lab for _, lab in rows]
    fit_idx, held_idx = _split(rows)
    comparison: list[dict[str, Any]] = []
    best_c = c_grid[0]
    if held_idx and len(c_grid) > 1:
        best_acc = -1.0
        for C in c_grid:
            t0 = time.time()
            pipe = _pipeline(C).fit([texts[i] for i in fit_idx], [labels[i] for i in fit_idx])
            pred = pipe.predict([texts[i] for i in held_idx])
            acc = float(np.mean(pred == np.array([labels[i] for i in held_idx])))
            comparison.append(
                {
                    "features": "word1-2+char_wb2-5",
                    "C": C,
                    "heldout_accuracy": round(acc, 4),
                    "fit_seconds": round(time.time() - t0, 1),
                }
            )
            log.info(f"  situation {comparison[-1]}")
            if acc > best_acc:
                best_acc, best_c = acc, C
    pipeline = _pipeline(best_c).fit(texts, labels)
    chosen = next((r for r in comparison if r["C"] == best_c), None)
    card = {
        "name": "casebook-situation-custom",
        "task": "situation (custom labels from a labelled CSV)",
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "classes": [str(c) for c in pipeline.classes_],
        "pipeline": f"TF-IDF word1-2+char_wb2-5 -> LogisticRegression(C={best_c})",
        "input": "nlp.features.prepare_for_classifier(normalised, redacted text)",
        "data": {
            "train": {f"{Path(data).name} ({text_column} -> {label_column})": len(rows)},
            "heldout_for_choosing_C": f"{len(held_idx)} rows ({HOLDOUT_SHARE:.0%} of each label), "
            "then refitted on all rows",
        },
        "dev": {"heldout_accuracy": chosen["heldout_accuracy"]} if chosen else {},
        "comparison": comparison,
        "rebuild": f"casebook train situation --data {data} --text-column {text_column} "
        f"--label-column {label_column} --out {out_dir}",
        "training_seconds": round(time.time() - started),
        "limits": "Bag of n-grams: as good as the labelled rows are representative; a comment "
        "unlike any training row still gets one of the trained labels (no 'other' unless trained).",
    }
    card = save_classifier(pipeline, Path(out_dir), card)
    write_card_md(Path(out_dir), card)
    return card


def situation_accuracy(model: SituationModel, rows: list[tuple[str, str]]) -> float:
    """Accuracy of a situation model on (text, label) rows."""
    if not rows:
        return 0.0
    pred = model.predict([prepare_for_classifier(t) for t, _ in rows])
    return float(np.mean([p.situation == lab for p, (_, lab) in zip(pred, rows, strict=True)]))
