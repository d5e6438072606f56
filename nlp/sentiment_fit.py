"""What the sentiment trainers (nlp/sentiment_train.py, nlp/sentiment_train_fr.py) share: the
TF-IDF features, the logistic regression, the figures and the words of the cards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from sklearn.pipeline import FeatureUnion

from nlp.training import word_char_tfidf

SENTIMENT_INPUT = (
    "nlp.features.sentiment_input(nlp.features.prepare_for_classifier(normalised text))"
)
SENTIMENT_INPUT_VADER = (
    "nlp.features.sentiment_input(nlp.features.prepare_for_classifier(normalised text), vader=True)"
)

UMSAB_WEIGHT = 8.0  # UMSAB tweets are closer to customer comments than Allociné film reviews

QUICK_NOTE = (
    "--quick: the first variant, as chosen before on a held-out slice of the training rows "
    "(see comparison and exploration), fitted on all training rows; nothing re-chosen"
)


def sentiment_features(
    char_range: tuple[int, int] = (2, 5), max_char: int = 100_000
) -> FeatureUnion:
    """Word 1-2 grams plus character n-grams inside word boundaries, both capped."""
    return word_char_tfidf(r"(?u)[\w@#']+|[!?]+|[^\w\s]", 80_000, char_range, max_char)


def fit_lr(X: Any, y: list[str], C: float, weights: np.ndarray | None) -> LogisticRegression:
    """A balanced LogisticRegression fitted with sample weights."""
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
    clf.fit(X, y, sample_weight=weights)
    return clf


def scores(y_true: list[str], pred: Any, prefix: str) -> dict[str, float]:
    """Macro recall and macro F1, rounded, named `prefix`_macro_...."""
    return {
        f"{prefix}_macro_recall": round(float(recall_score(y_true, pred, average="macro")), 4),
        f"{prefix}_macro_f1": round(float(f1_score(y_true, pred, average="macro")), 4),
    }


def sentiment_test_figures(
    en_probs: np.ndarray,
    en_labels: list[str],
    fr_probs: np.ndarray,
    fr_labels: list[str],
    allocine_probs: np.ndarray,
    allocine_labels: list[str],
    classes: tuple[str, ...] = ("negative", "neutral", "positive"),
) -> dict[str, float]:
    """Figures on the untouched test splits from class probabilities (columns in `classes`
    order): macro recall and F1 (3 classes) for SemEval 2016 and UMSAB; for Allociné (2
    classes), accuracy of negative vs positive (neutral ignored) and the share called neutral."""
    names = np.array(classes)
    out: dict[str, float] = {}
    for labels, probs, prefix in (
        (en_labels, en_probs, "en_semeval2016_test"),
        (fr_labels, fr_probs, "fr_umsab_test"),
    ):
        if len(labels):
            out.update(scores(labels, names[probs.argmax(axis=1)], prefix))
    if len(allocine_labels):
        neg, pos = classes.index("negative"), classes.index("positive")
        polar = np.where(allocine_probs[:, pos] > allocine_probs[:, neg], "positive", "negative")
        out["fr_allocine_test_polar_accuracy"] = round(
            float(np.mean(polar == np.array(allocine_labels))), 4
        )
        out["fr_allocine_test_share_neutral"] = round(
            float(np.mean(allocine_probs.argmax(axis=1) == classes.index("neutral"))), 4
        )
    return out


def service_training_rows(
    data_dir: Path,
    language: str,
    service: list[tuple[str, str]] | None,
    weight: float | None,
    default_weight: float,
) -> tuple[list[tuple[str, str]], float, str]:
    """(rows, weight, why none) of a sentiment trainer's customer-service rows: `service` or, when
    None, the training half's in `language` (nlp.evaluate_service.service_rows); `weight` or the
    trainer's default; none at weight 0."""
    from nlp.evaluate_service import service_rows

    no_service = ""
    if service is None:
        service, no_service = service_rows(data_dir, "train", "sentiment", language)
    weight = default_weight if weight is None else weight
    return (service if weight else []), weight, no_service
