"""The slow pass's heads (nlp/deep.py): the classifiers compared on the sentence encoder's
embeddings, how one is fitted and stored small, and how its blend weight with the fast classifier
is chosen on a development set. Training and cards are nlp/deep_train.py's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from sklearn.neural_network import MLPClassifier
from sklearn.utils.class_weight import compute_sample_weight

from nlp.deep import blend

BLEND_GRID = tuple(round(w, 2) for w in np.arange(0.0, 1.01, 0.1))
# The heads compared on the development set: (kind, parameter). "lr": logistic regression with
# balanced class weights, parameter C; "lr-plain": without class weights (tried on 19% of the
# English rows: macro recall 0.6186 alone, 0.7033 blended, against 0.6579 / 0.7131 balanced, so
# it is left out of the grid); "mlp": one hidden layer of MLP_HIDDEN units, parameter the L2
# penalty alpha, classes balanced by sample weights.
HEAD_GRID: tuple[tuple[str, float], ...] = (
    ("lr", 0.3),
    ("lr", 1.0),
    ("lr", 3.0),
    ("mlp", 1e-3),
    ("mlp", 1e-2),
)
MLP_HIDDEN = 128


def metric_score(name: str, truth: list[str], probs: np.ndarray, classes: tuple[str, ...]) -> float:
    pred = np.array(classes)[probs.argmax(axis=1)]
    if name == "macro_recall":
        return float(recall_score(truth, pred, average="macro"))
    return float(f1_score(truth, pred, average="macro"))


def columns(clf: Any, classes: tuple[str, ...]) -> list[int]:
    order = [str(c) for c in clf.classes_]
    return [order.index(c) for c in classes]


def head_name(kind: str, param: float) -> str:
    if kind == "mlp":
        return f"MLPClassifier(hidden={MLP_HIDDEN}, alpha={param}, early stopping)"
    balanced = ", class_weight=balanced" if kind == "lr" else ""
    return f"LogisticRegression(C={param}{balanced})"


def fit_head(kind: str, param: float, X: np.ndarray, y: list[str], weights: np.ndarray) -> Any:
    """A fitted head of HEAD_GRID's kind; `weights` per row (sources, other language)."""
    X = np.asarray(X, dtype=np.float32)
    if kind == "mlp":
        # MLPClassifier has no class_weight: balanced by the sample weights.
        balanced = compute_sample_weight("balanced", y) * weights
        mlp = MLPClassifier(
            hidden_layer_sizes=(MLP_HIDDEN,),
            alpha=param,
            early_stopping=True,
            max_iter=200,
            random_state=0,
        )
        mlp.fit(X, y, sample_weight=balanced / balanced.mean())
        return strip_mlp(mlp)
    clf = LogisticRegression(
        C=param, class_weight="balanced" if kind == "lr" else None, max_iter=3000
    )
    clf.fit(X, y, sample_weight=weights)
    return clf


def strip_mlp(mlp: MLPClassifier) -> MLPClassifier:
    """Drop what only further training needs (optimizer state, random state, best-so-far
    copies, curves) and keep float32 weights: smaller files, fewer types to trust."""
    for attr in ("_optimizer", "_random_state", "_best_coefs", "_best_intercepts"):
        if hasattr(mlp, attr):
            delattr(mlp, attr)
    mlp.loss_curve_ = []
    mlp.validation_scores_ = []
    mlp.loss_ = float(getattr(mlp, "loss_", 0.0) or 0.0)
    mlp.coefs_ = [np.asarray(c, dtype=np.float32) for c in mlp.coefs_]
    mlp.intercepts_ = [np.asarray(c, dtype=np.float32) for c in mlp.intercepts_]
    return mlp


def choose_blend(
    fast: np.ndarray, deep: np.ndarray, truth: list[str], metric: str, classes: tuple[str, ...]
) -> tuple[float, float]:
    """(score, weight): the blend weight of BLEND_GRID with the best development score (the
    smaller weight on ties)."""
    best = (-1.0, 0.0)
    for w in BLEND_GRID:
        score = metric_score(metric, truth, blend(fast, deep, w), classes)
        if score > best[0] + 1e-9:
            best = (score, w)
    return best
