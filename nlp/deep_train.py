"""Train the slow pass's classifiers (nlp/deep.py): small classifiers on the multilingual
sentence encoder's embeddings (nlp/encoder.py), blended with the fast TF-IDF classifiers.

python -m nlp.deep_train [--data ../shared/data] [--models data/models] [--cache .cache/embeddings]
python -m nlp.deep_train --reblend ...   # keep the heads, choose the blend weights again

Needs the fast classifiers of --models (their probabilities are blended) and writes
data/models/deep/{sentiment_en,sentiment_fr,emotion} with cards. Splits are nlp/splits.py's.
Everything is chosen on the development sets (so the development figures of the chosen variant
are optimistic), in two steps to keep the fits few: first the weight of the other language's
sentiment rows (the encoder maps French and English into one space, so English tweets teach the
French head and French comments the English one), with a logistic regression; then the head
(logistic regressions, class-weighted or not, and small MLPs), each with its best blend weight.
The test splits are scored once, after choosing.

`--reblend` keeps the shipped heads and chooses each blend weight again on the development sets
(e.g. after the fast classifiers changed), then rescores development and test.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from casebook_data import EVAL_DIR, MODELS_DIR, SHARED_DATA_DIR
from nlp.deep import DEEP_FOLDER, blend
from nlp.deep_heads import (
    HEAD_GRID,
    choose_blend,
    columns,
    fit_head,
    head_name,
    metric_score,
)
from nlp.deep_rows import EXTRA_REPEATS, deep_extra_rows, extra_rows_facts
from nlp.embedding_cache import (
    DEEP_DEV_SHARE,
    DEEP_TEST_SHARE,
    DEEP_TRAIN_SHARE,
    DEFAULT_CACHE,
    cached_encode,
    deep_dev_sets,
    deep_train_rows,
    task_split,
)
from nlp.emotion import EMOTIONS, EmotionClassifier
from nlp.encoder import ENCODER_NAME, MAX_ENCODER_CHARS
from nlp.features import prepare_for_classifier
from nlp.models import CARD_FILE, load_classifier, save_classifier, write_card
from nlp.sentiment import LABELS as SENTIMENT_LABELS
from nlp.sentiment import SentimentClassifier
from nlp.splits import SPLIT_RULE

log = logging.getLogger(__name__)

TASK_NAMES = ("sentiment_en", "sentiment_fr", "emotion")
# The head the weight of the other language's rows is chosen with (step one).
CROSS_PROBE: tuple[str, float] = ("lr", 1.0)
# Sentiment heads may learn from the other language's training rows too, at these weights per
# row (0: not at all), chosen on the development set.
CROSS_LINGUAL: dict[str, tuple[str, tuple[float, ...]]] = {
    "sentiment_fr": ("sentiment_en", (0.0, 0.1, 0.3, 1.0)),
    "sentiment_en": ("sentiment_fr", (0.0, 1.0)),
}
# Weight per training row by source (the rest 1.0).
SOURCE_WEIGHTS: dict[str, dict[str, float]] = {
    "sentiment_en": {"tweeteval_emotion": 0.5},
    "sentiment_fr": {"umsab": 8.0, "allocine": 1.0},
}
# The emotion head's, chosen on the development comments in other languages (nlp/deep_rows.py
# says how): the only comments it reads since English and French have fine-tuned members.
TASK_HEADS: dict[str, tuple[tuple[str, float], ...]] = {"emotion": (("lr", 1.0),)}
METRICS = {"sentiment_en": "macro_recall", "sentiment_fr": "macro_f1", "emotion": "macro_f1"}
# French emotion: the fast classifier reads English only (French gets its lexicon), so French
# comments take the slow model's emotion at this weight. Fixed before any French figure was
# seen (there is no French emotion development set).
FRENCH_EMOTION_WEIGHT = 0.8
REBUILD_DEEP = "casebook train slow-pass --data ../shared/data"
REBLEND_DEEP = "casebook train slow-pass --data ../shared/data --reblend"


def _rows_xy(
    task: str, data_dir: Path, cache: Path
) -> tuple[np.ndarray, list[str], np.ndarray, Counter[str]]:
    """(embeddings, labels, weights per row, rows per source) of the rows a head learns."""
    split = task_split(task, data_dir)
    rows = deep_train_rows(task, split.train) + deep_extra_rows(task, data_dir) * EXTRA_REPEATS
    X = cached_encode([t for t, _, _ in rows], cache / f"{task}.npz")
    weights_of = SOURCE_WEIGHTS.get(task, {})
    w = np.array([weights_of.get(src, 1.0) for _, _, src in rows], dtype=np.float64)
    return X, [lab for _, lab, _ in rows], w, Counter(src for _, _, src in rows)


def score_sets(
    head: Any,
    weight: float,
    sets: dict[str, tuple[list[str], list[str]]],
    encode: Callable[[list[str]], Any],
    fast_probs: Callable[[list[str]], np.ndarray],
    classes: tuple[str, ...],
    metric: str,
) -> dict[str, float]:
    """Fast, slow and blended figures of each set (two-class sets: polar accuracy); `encode`
    turns texts into what the head reads (embeddings; the texts themselves for a fine-tuned
    model)."""
    figures: dict[str, float] = {}
    for name, (texts, labels) in sets.items():
        if not texts:
            continue
        deep = head.predict_proba(encode(texts))[:, columns(head, classes)]
        fast = fast_probs(texts)
        tables = (("fast", fast), ("slow", deep), ("blend", blend(fast, deep, weight)))
        if set(labels) <= {"negative", "positive"} and "neutral" in classes:
            # Two-class set (Allociné): negative vs positive, neutral ignored.
            neg, pos = classes.index("negative"), classes.index("positive")
            for label, p in tables:
                polar = np.where(p[:, pos] > p[:, neg], "positive", "negative")
                figures[f"{name}_polar_accuracy {label}"] = round(
                    float(np.mean(polar == np.array(labels))), 4
                )
            continue
        for label, p in tables:
            figures[f"{name}_{metric} {label}"] = round(metric_score(metric, labels, p, classes), 4)
            if metric != "macro_f1":
                figures[f"{name}_macro_f1 {label}"] = round(
                    metric_score("macro_f1", labels, p, classes), 4
                )
    return figures


def _train_task(
    task: str,
    data_dir: Path,
    cache: Path,
    classes: tuple[str, ...],
    fast_probs: Callable[[list[str]], np.ndarray],
    heads: tuple[tuple[str, float], ...] = HEAD_GRID,
) -> tuple[Any, dict[str, Any]]:
    """Choose the other language's weight, then the head and the blend weight, on dev; score
    dev and test (fast, slow, blend)."""
    metric = METRICS[task]
    cache_file = cache / f"{task}.npz"
    X, y, w, sources = _rows_xy(task, data_dir, cache)
    split = task_split(task, data_dir)
    split.dev = deep_dev_sets(task, split.dev)
    split.test = deep_dev_sets(task, split.test, "test")
    (dev_name, (dev_texts, dev_labels)), *_ = split.dev.items()
    X_dev = cached_encode(dev_texts, cache_file)
    fast_dev = fast_probs(dev_texts)
    comparison: list[dict[str, Any]] = []

    def trial(kind: str, param: float, cross_w: float, Xc: Any) -> tuple[float, float, Any]:
        t0 = time.time()
        if Xc is not None and cross_w > 0:
            Xa = np.vstack([X, Xc[0]])
            ya = y + Xc[1]
            wa = np.concatenate([w, np.full(len(Xc[1]), cross_w)])
        else:
            Xa, ya, wa = X, y, w
        head = fit_head(kind, param, Xa, ya, wa)
        deep_dev = head.predict_proba(X_dev)[:, columns(head, classes)]
        score, weight = choose_blend(fast_dev, deep_dev, dev_labels, metric, classes)
        comparison.append(
            {
                "head": head_name(kind, param),
                "other language rows weight": cross_w,
                f"{dev_name}_{metric} slow alone": round(
                    metric_score(metric, dev_labels, deep_dev, classes), 4
                ),
                f"{dev_name}_{metric} blend": round(score, 4),
                "blend weight": weight,
                "fit_seconds": round(time.time() - t0, 1),
            }
        )
        log.info(f"  {task} {comparison[-1]}")
        return score, weight, head

    cross = CROSS_LINGUAL.get(task)
    other: tuple[np.ndarray, list[str]] | None = None
    cross_w = 0.0
    if cross is not None:
        Xo, yo, _, _ = _rows_xy(cross[0], data_dir, cache)
        other = (Xo, yo)
        probes = [(trial(*CROSS_PROBE, cw, other)[0], cw) for cw in cross[1]]
        cross_w = max(probes, key=lambda p: (p[0], -p[1]))[1]
    best: tuple[float, float, Any, tuple[str, float]] | None = None
    for kind, param in heads:
        if (kind, param) == CROSS_PROBE and cross is not None:
            # Fitted in step one with this weight: reuse its row.
            row = next(
                r
                for r in comparison
                if r["head"] == head_name(kind, param)
                and r["other language rows weight"] == cross_w
            )
            score, weight = row[f"{dev_name}_{metric} blend"], row["blend weight"]
            if best is None or score > best[0] + 1e-9:
                best = (score, weight, None, (kind, param))
            continue
        score, weight, head = trial(kind, param, cross_w, other)
        if best is None or score > best[0] + 1e-9:
            best = (score, weight, head, (kind, param))
    assert best is not None
    _, weight, head, (kind, param) = best
    if head is None:
        head = trial(kind, param, cross_w, other)[2]
        comparison.pop()  # the refit of a row already in the comparison

    def encode(texts: list[str]) -> np.ndarray:
        return cached_encode(texts, cache_file)

    figures = {
        part: score_sets(head, weight, sets, encode, fast_probs, classes, metric)
        for part, sets in (("dev", split.dev), ("test", split.test))
    }
    log.info(
        f"  {task} chosen {head_name(kind, param)}, other language {cross_w}, "
        f"blend weight {weight}: {figures}"
    )
    facts = {
        "head": head_name(kind, param),
        "cross_weight": cross_w,
        "cross_task": cross[0] if cross else None,
        "cross_rows": len(other[1]) if other and cross_w > 0 else 0,
        "blend_weight": weight,
        "comparison": comparison,
        "figures": figures,
        "train_rows": len(y),
        "train_sources": sources,
        "train_share": DEEP_TRAIN_SHARE[task],
        "dev_share": DEEP_DEV_SHARE[task],
        "test_share": DEEP_TEST_SHARE[task],
        "dev_rows": {k: len(v[0]) for k, v in split.dev.items()},
        "test_rows": {k: len(v[0]) for k, v in split.test.items()},
    }
    return head, facts


def _sentiment_fast(models_dir: Path, language: str) -> Callable[[list[str]], np.ndarray]:
    """The fast sentiment classifier's probabilities (loaded on first use)."""
    loaded: list[SentimentClassifier] = []

    def probs(texts: list[str]) -> np.ndarray:
        if not loaded:
            loaded.append(SentimentClassifier.load(models_dir / "sentiment"))
        return loaded[0].probabilities(
            [prepare_for_classifier(t) for t in texts], [language] * len(texts)
        )

    return probs


def _emotion_fast(models_dir: Path) -> Callable[[list[str]], np.ndarray]:
    """The fast emotion classifier's probabilities, in EMOTIONS order (loaded on first use)."""
    loaded: list[Any] = []

    def probs(texts: list[str]) -> np.ndarray:
        if not loaded:
            loaded.append(load_classifier(models_dir / "emotion").pipeline)
        pipeline = loaded[0]
        cols = columns(pipeline, EMOTIONS)
        return pipeline.predict_proba([prepare_for_classifier(t) for t in texts])[:, cols]

    return probs


def french_emotion_figures(
    data_dir: Path, models_dir: Path, deep: Any | None, cache: Path | None
) -> dict[str, float]:
    """Macro F1 and accuracy on the hand-labelled French comments (data/eval/emotion_fr.tsv):
    the fast path (classifier + lexicon, as the analyser runs it for French) and the blend."""
    from nlp.emotion import french_emotion_reading
    from nlp.evaluate_splits import read_emotion_fr

    texts, labels = read_emotion_fr(data_dir)
    fast = EmotionClassifier.load(models_dir / "emotion")
    sentiment = SentimentClassifier.load(models_dir / "sentiment")
    fast_p = french_emotion_reading(sentiment, fast, texts)[1]
    out = {}
    present = sorted(set(labels))
    tables = {"fast": fast_p}
    if deep is not None:
        from nlp.encoder import encode

        X = cached_encode(texts, cache / "emotion_fr.npz") if cache else encode(texts)
        deep_p = deep.predict_proba(X)[:, columns(deep, EMOTIONS)]
        tables["slow"] = deep_p
        tables["blend"] = blend(fast_p, deep_p, FRENCH_EMOTION_WEIGHT)
    for label, p in tables.items():
        pred = np.array(EMOTIONS)[p.argmax(axis=1)]
        out[f"emotion_fr_annotated_macro_f1 {label}"] = round(
            float(f1_score(labels, pred, labels=present, average="macro")), 4
        )
        out[f"emotion_fr_annotated_accuracy {label}"] = round(
            float(np.mean(pred == np.array(labels))), 4
        )
    return out


def _card(task: str, facts: dict[str, Any], what: str, extra: dict[str, Any]) -> dict[str, Any]:
    cross = (
        f"; plus {facts['cross_rows']} {facts['cross_task']} training rows at weight "
        f"{facts['cross_weight']} each (same encoder space)"
        if facts["cross_rows"]
        else ""
    )
    return {
        "name": f"casebook-deep-{task.replace('_', '-')}",
        "task": what,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "pipeline": f"{ENCODER_NAME}, first {MAX_ENCODER_CHARS} characters -> "
        f"{facts['head']}; probabilities blended geometrically with the fast classifier's, "
        f"weight {facts['blend_weight']} on this one",
        "input": "nlp.encoder.encode(raw comment)",
        "encoder": ENCODER_NAME,
        "blend": {"weight": facts["blend_weight"], **extra.pop("blend", {})},
        "data": {
            "train_rows": facts["train_rows"],
            **extra_rows_facts(task, facts["train_sources"]),
            "train_share": f"{facts['train_share']} of the fast classifier's training rows "
            "(hash of the text, nlp.embedding_cache.deep_train_rows: the encoder's cost)" + cross,
            "dev_and_test_shares": f"dev {facts['dev_share']}, test {facts['test_share']} "
            "(hash of the text, nlp.embedding_cache.deep_dev_sets); fast and slow figures of "
            "this card are on these same rows",
            "dev": facts["dev_rows"],
            "test": facts["test_rows"],
            "split_rule": SPLIT_RULE,
            "chosen_on": (
                "the head and its rows on the development comments in other languages "
                "(nlp/deep_train.py TASK_HEADS, nlp/deep_rows.py EXTRA_ROWS; their blend "
                "weight: nlp/other_languages.py WEIGHTS), the blend weight here on the "
                "development set (its figures are optimistic)"
                if task in TASK_HEADS
                else f"the other language's row weight (with {head_name(*CROSS_PROBE)}), then "
                "the head and the blend weight, on the development set (its figures are "
                "optimistic)"
            ),
        },
        "dev": facts["figures"]["dev"],
        "test": facts["figures"]["test"],
        "comparison": facts["comparison"],
        "rebuild": REBUILD_DEEP,
        "reblend": REBLEND_DEEP,
        "limits": "The encoder reads about 900 comments a second on one core: the slow pass "
        "(nlp/deep.py) and comments in other languages (nlp/other_languages.py), never the "
        "analysis of every comment.",
        **extra,
    }


def task_specs(models_dir: Path) -> dict[str, tuple[tuple[str, ...], Any, str]]:
    """Each slow-pass task's classes, the fast classifier's probabilities (a function of texts,
    models_dir's classifiers loaded on first use) and what the task reads, for its card."""
    return {
        "sentiment_en": (
            SENTIMENT_LABELS,
            _sentiment_fast(models_dir, "en"),
            "sentiment (negative / neutral / positive) of English comments, slow pass",
        ),
        "sentiment_fr": (
            SENTIMENT_LABELS,
            _sentiment_fast(models_dir, "fr"),
            "sentiment (negative / neutral / positive) of French comments, slow pass",
        ),
        "emotion": (
            EMOTIONS,
            _emotion_fast(models_dir),
            "main emotion (Ekman 6 + neutral) of the comments no fine-tuned member reads (other"
            " languages, undetermined), slow pass",
        ),
    }


def _write_md(folder: Path, card: dict[str, Any]) -> None:
    from nlp.training import write_card_md

    write_card_md(folder, card)
    md = folder / "card.md"
    md.write_text(
        md.read_text(encoding="utf-8")
        + f"\nAfter the fast classifiers change, choose the blend weight again (head kept): "
        f"`{REBLEND_DEEP}`.\n",
        encoding="utf-8",
    )


def train_deep(
    data_dir: Path,
    models_dir: Path,
    cache: Path = DEFAULT_CACHE,
    only: tuple[str, ...] = TASK_NAMES,
    heads: tuple[tuple[str, float], ...] = HEAD_GRID,
) -> dict[str, Any]:
    """Train the slow classifiers of `only`; write them under models_dir/deep; return figures."""
    started = time.time()
    out: dict[str, Any] = {}
    for task, (classes, fast, what) in task_specs(models_dir).items():
        if task not in only:
            continue
        clf, facts = _train_task(task, data_dir, cache, classes, fast, TASK_HEADS.get(task, heads))
        extra: dict[str, Any] = {"classes": list(classes)}
        if task in SOURCE_WEIGHTS:
            extra["sample_weights"] = SOURCE_WEIGHTS[task]
        if task == "emotion":
            extra["blend"] = {"weight_fr": FRENCH_EMOTION_WEIGHT}
            if (EVAL_DIR / "emotion_fr.tsv").exists():
                facts["figures"]["test"].update(
                    french_emotion_figures(data_dir, models_dir, clf, cache)
                )
        card = _card(task, facts, what, extra)
        card["classes"] = [str(c) for c in clf.classes_]
        card["training_seconds"] = round(time.time() - started)
        folder = models_dir / DEEP_FOLDER / task
        card = save_classifier(clf, folder, card)
        _write_md(folder, card)
        out[task] = {"dev": card["dev"], "test": card["test"]}
    return out


def reblend(
    data_dir: Path,
    models_dir: Path,
    cache: Path = DEFAULT_CACHE,
    only: tuple[str, ...] = TASK_NAMES,
) -> dict[str, Any]:
    """Keep the shipped slow heads of `only`; choose each blend weight again on the development
    set against the fast classifiers of models_dir (e.g. after they changed); rescore dev and
    test; rewrite the cards. Returns {task: {"weight": (old, new), "dev": ..., "test": ...}}."""
    out: dict[str, Any] = {}
    for task, (classes, fast_probs, _) in task_specs(models_dir).items():
        folder = models_dir / DEEP_FOLDER / task
        if task not in only or not (folder / CARD_FILE).exists():
            continue
        head = load_classifier(folder).pipeline
        card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
        metric = METRICS[task]
        split = task_split(task, data_dir)
        dev = deep_dev_sets(task, split.dev)
        test = deep_dev_sets(task, split.test, "test")
        cache_file = cache / f"{task}.npz"

        def encode(texts: list[str], cache_file: Path = cache_file) -> np.ndarray:
            return cached_encode(texts, cache_file)

        (_, (dev_texts, dev_labels)), *_ = dev.items()
        deep_dev = head.predict_proba(encode(dev_texts))[:, columns(head, classes)]
        _, weight = choose_blend(fast_probs(dev_texts), deep_dev, dev_labels, metric, classes)
        old = card.get("blend", {}).get("weight")
        card["blend"] = {**card.get("blend", {}), "weight": weight}
        card["pipeline"] = card["pipeline"].replace(
            f"weight {old} on this one", f"weight {weight} on this one"
        )
        card["dev"] = score_sets(head, weight, dev, encode, fast_probs, classes, metric)
        french = {k: v for k, v in card.get("test", {}).items() if k.startswith("emotion_fr_")}
        card["test"] = score_sets(head, weight, test, encode, fast_probs, classes, metric)
        if task == "emotion" and french and (EVAL_DIR / "emotion_fr.tsv").exists():
            card["test"].update(french_emotion_figures(data_dir, models_dir, head, cache))
        card["reblended_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        write_card(folder, card)
        _write_md(folder, card)
        out[task] = {"weight": (old, weight), "dev": card["dev"], "test": card["test"]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=SHARED_DATA_DIR)
    parser.add_argument("--models", type=Path, default=MODELS_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--only", nargs="+", choices=list(TASK_NAMES), default=None)
    parser.add_argument(
        "--reblend", action="store_true", help="keep the heads, choose the blend weights again"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    only = tuple(args.only) if args.only else TASK_NAMES
    run = reblend if args.reblend else train_deep
    print(json.dumps(run(args.data, args.models, args.cache, only), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
