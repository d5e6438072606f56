"""Train the shipped sentiment classifiers (English with VADER's band, French without) from
../shared/data: SemEval and TweetEval tweets, UMSAB and Allociné. English variants chosen on a
held-out slice of the training rows, dev figures reported (python -m nlp.train --only sentiment);
French C and word-vector scale chosen on the French development set, train-CV figures beside
(nlp/sentiment_train_fr.py; python -m nlp.train --only sentiment_fr retrains it alone)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from nlp.features import prepare_for_classifier, sentiment_input
from nlp.models import save_classifier
from nlp.sentiment_fit import (
    QUICK_NOTE,
    SENTIMENT_INPUT_VADER,
    fit_lr,
    scores,
    sentiment_features,
    sentiment_test_figures,
    service_training_rows,
)
from nlp.sentiment_train_fr import train_sentiment_fr
from nlp.splits import (
    SEMEVAL_TEST,
    SEMEVAL_TEST_FILE,
    SPLIT_RULE,
    sentiment_en_split,
    text_key,
)
from nlp.training import REBUILD, held_out_mask, write_card_md

log = logging.getLogger(__name__)
# TweetEval emotion tweets carry a polarity but no neutral class: half the weight of SemEval's.
EMOTION_TWEET_WEIGHT = 0.5


def dedupe_key(text: str) -> str:
    """A loose identity for a tweet (nlp.splits.text_key)."""
    return text_key(text)


def _choose_and_fit(
    name: str,
    texts: list[str],
    labels: np.ndarray,
    weights: np.ndarray,
    held: np.ndarray,
    variants: list[tuple[tuple[int, int], float]],
    metric: str,
    dev_texts: list[str],
    dev_labels: list[str],
    dev_prefix: str,
    quick: bool,
    inputs_label: str = "negation+lexicon",
) -> tuple[Pipeline, dict[str, Any], list[dict[str, Any]]]:
    """Fit each (char n-gram range, C) on the training rows outside `held`, score it on `held`
    (`metric`: macro recall or macro F1), then refit the best on every row. Dev figures are
    reported, not used for choosing."""
    comparison: list[dict[str, Any]] = []
    best: tuple[float, tuple[int, int], float] | None = None
    if not quick and held.any() and len(variants) > 1:
        train_texts = [t for t, h in zip(texts, held, strict=True) if not h]
        held_texts = [t for t, h in zip(texts, held, strict=True) if h]
        for char_range in dict.fromkeys(r for r, _ in variants):
            t0 = time.time()
            features = sentiment_features(char_range)
            X = features.fit_transform(train_texts)
            Xh, Xd = features.transform(held_texts), features.transform(dev_texts)
            log.info(f"  {name}: {X.shape[1]} features in {time.time() - t0:.0f} s")
            for C in [c for r, c in variants if r == char_range]:
                t0 = time.time()
                clf = fit_lr(X, list(labels[~held]), C, weights[~held])
                held_scores = scores(list(labels[held]), clf.predict(Xh), "held_out")
                row = {
                    "model": name,
                    "features": "{}, word1-2+char_wb{}-{}".format(inputs_label, *char_range),
                    "C": C,
                    **held_scores,
                    **scores(dev_labels, clf.predict(Xd), dev_prefix),
                    "fit_seconds": round(time.time() - t0, 1),
                }
                comparison.append(row)
                log.info(f"  {row}")
                if best is None or held_scores[f"held_out_{metric}"] > best[0]:
                    best = (held_scores[f"held_out_{metric}"], char_range, C)
    char_range, C = (best[1], best[2]) if best is not None else variants[0]
    t0 = time.time()
    features = sentiment_features(char_range)
    clf = fit_lr(features.fit_transform(texts), list(labels), C, weights)
    dev = scores(dev_labels, clf.predict(features.transform(dev_texts)), dev_prefix)
    chosen = {
        "model": f"{name} chosen, refit on all rows",
        "features": "{}, word1-2+char_wb{}-{}".format(inputs_label, *char_range),
        "C": C,
        **dev,
        "fit_seconds": round(time.time() - t0, 1),
    }
    log.info(f"  chosen {chosen}")
    return Pipeline([("features", features), ("clf", clf)]), chosen, comparison


# Exploration runs (2026-11-23) that led to the shipped design. Dev figures of models fitted on
# the training rows minus the held-out slice; "offsets" are per-class biases chosen on that slice.
SENTIMENT_EXPLORATION: list[dict[str, Any]] = [
    {
        "variant": "v1 shipped: one bilingual LR, C=0.7, UMSAB x8",
        "en_val_macro_recall": 0.6782,
        "fr_val_macro_f1": 0.6564,
    },
    {
        "variant": "bilingual, 90% fit (baseline of this table)",
        "en_val_macro_recall": 0.6799,
        "fr_val_macro_f1": 0.6440,
    },
    {
        "variant": "bilingual + bias offsets for EN macro recall (held-out)",
        "en_val_macro_recall": 0.6656,
        "fr_val_macro_f1": 0.5908,
    },
    {
        "variant": "bilingual + bias offsets for EN recall + FR F1 (held-out)",
        "en_val_macro_recall": 0.6754,
        "fr_val_macro_f1": 0.6340,
    },
    {
        "variant": "bilingual + negation marking + polarity lexicon/emoji/caps",
        "en_val_macro_recall": 0.6797,
        "fr_val_macro_f1": 0.6590,
    },
    {
        "variant": "  same + held-out offsets (EN + FR)",
        "en_val_macro_recall": 0.6862,
        "fr_val_macro_f1": 0.6511,
    },
    {
        "variant": "EN-only LR C=0.7, negation + lexicon (all EN rows)",
        "en_val_macro_recall": 0.6886,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "FR-only LR C=0.7, negation + lexicon, UMSAB x8 + Allociné",
        "en_val_macro_recall": "",
        "fr_val_macro_f1": 0.6698,
    },
    {
        "variant": "EN-only LR C=1.5, negation + lexicon (all EN rows)",
        "en_val_macro_recall": 0.6877,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "EN-only NB-scaled features (max one-vs-rest log-count ratio) LR C=1.0",
        "en_val_macro_recall": 0.6898,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "EN-only LR C=0.7, 90% fit (held-out macro recall 0.6859)",
        "en_val_macro_recall": 0.6835,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "  same + held-out offsets (held-out 0.6982)",
        "en_val_macro_recall": 0.6743,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "  SGD modified_huber alpha=5e-5 alone / LR + SGD (90% fit)",
        "en_val_macro_recall": "0.6578 / 0.6791",
        "fr_val_macro_f1": "",
    },
    {
        "variant": "  EN 90% fit, char block weight x0.7 / x1.4 (held-out 0.6848 / 0.6867)",
        "en_val_macro_recall": "0.6829 / 0.6831",
        "fr_val_macro_f1": "",
    },
    {
        "variant": "  EN 90% fit, word 1-3 grams 120k (held-out 0.6859)",
        "en_val_macro_recall": 0.6795,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "  EN 90% fit, char_wb 3-5 (held-out 0.6878; ~30% faster)",
        "en_val_macro_recall": 0.6803,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "2026-12, EN 90% fit: NB-scaled LR C=1.0 alone / averaged with the LR (held-out 0.6786 / 0.6880)",
        "en_val_macro_recall": "0.6869 / 0.6917",
        "fr_val_macro_f1": "",
    },
    {
        "variant": "  + TweetEval emotion tweets as polar rows, weight 1 / 0.5 (held-out 0.6884 / 0.6906)",
        "en_val_macro_recall": "0.6852 / 0.6867",
        "fr_val_macro_f1": "",
    },
    {
        "variant": "  C=0.4 / C=1.0 (held-out 0.6836 / 0.6845)",
        "en_val_macro_recall": "0.6849 / 0.6832",
        "fr_val_macro_f1": "",
    },
    {
        "variant": "  emotion tweets x0.5 + a token per VADER-lexicon word (held-out 0.6949)",
        "en_val_macro_recall": 0.6939,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "  emotion tweets x0.5 + VADER compound band token, LR (held-out 0.6973)",
        "en_val_macro_recall": 0.7026,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "    same, NB-scaled LR / average of both (held-out 0.6909 / 0.6977)",
        "en_val_macro_recall": "0.7004 / 0.7008",
        "fr_val_macro_f1": "",
    },
    {
        "variant": "    same + a token per VADER-lexicon word (held-out 0.6983, within noise: the simpler kept)",
        "en_val_macro_recall": 0.6962,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "  emotion tweets x0.5 + own valence-sum band, no VADER call (held-out 0.6954)",
        "en_val_macro_recall": 0.6994,
        "fr_val_macro_f1": "",
    },
    {
        "variant": "FR-only NB-scaled LR C=0.7",
        "en_val_macro_recall": "",
        "fr_val_macro_f1": 0.6635,
    },
    {
        "variant": "FR-only LR C=2.0, negation + lexicon, UMSAB x8 + Allociné",
        "en_val_macro_recall": "",
        "fr_val_macro_f1": 0.6637,
    },
]


# The labelled English customer-service comments of the training half of the development
# threads (data/eval/emotion_service.tsv, part "train") weigh this much each. Explored on
# 6 December 2026 by fitting (--quick) on them and scoring the analyser's English comments of
# the other half (part "dev", macro recall, 545 rows), SERVICE_EXPLORATION: weight 10 lifts that
# figure from 0.68 to 0.73 and keeps TweetEval's. It reads real customers' tweets as more
# negative; the curation's rule that read "angrier" from a negative tone alone was dropped for
# it (curation/outcome.py `_end`), which is better on the development threads either way.
SERVICE_WEIGHT = 10.0
SERVICE_EXPLORATION: list[dict[str, Any]] = [
    {
        "customer-service rows (half A, 618)": "weight 0",
        "half B EN macro recall": 0.6834,
        "en_tweeteval_val_macro_recall": 0.6996,
    },
    {
        "customer-service rows (half A, 618)": "weight 3",
        "half B EN macro recall": 0.7175,
        "en_tweeteval_val_macro_recall": 0.7008,
    },
    {
        "customer-service rows (half A, 618)": "weight 10 (chosen)",
        "half B EN macro recall": 0.7317,
        "en_tweeteval_val_macro_recall": 0.7022,
    },
    {
        "customer-service rows (half A, 618)": "weight 25",
        "half B EN macro recall": 0.7461,
        "en_tweeteval_val_macro_recall": 0.6949,
    },
]


def train_sentiment(
    data_dir: Path,
    out_dir: Path,
    quick: bool = False,
    service: list[tuple[str, str]] | None = None,
    service_weight: float | None = None,
) -> dict[str, Any]:
    """Train the English and the French sentiment classifiers (the language is known at run
    time); write them to out_dir/sentiment and out_dir/sentiment/fr; return dev figures.
    `service`: English customer-service rows (default: the training half's, nlp.evaluate_service.service_rows), each
    weighing `service_weight` (default SERVICE_WEIGHT; 0 leaves them out)."""
    started = time.time()
    service, weight, no_service = service_training_rows(
        data_dir, "en", service, service_weight, SERVICE_WEIGHT
    )
    # Development and untouched test splits: nlp/splits.py (the rule is in the card).
    en_split = sentiment_en_split(data_dir)
    val_en_texts, val_en_labels = en_split.dev["en_tweeteval_val"]
    en_train = [(t, lab) for t, lab, src in en_split.train if src != "tweeteval_emotion"]
    emotion_tweets = [(t, lab) for t, lab, src in en_split.train if src == "tweeteval_emotion"]
    dropped_val = en_split.dropped.get("training rows that are development or test rows", 0)
    log.info(f"sentiment: {len(en_train)} EN rows ({dropped_val} dropped as dev/test)")

    def inputs(texts: Iterable[str], vader: bool = False) -> list[str]:
        return [sentiment_input(prepare_for_classifier(t), vader=vader) for t in texts]

    # English: SemEval, plus TweetEval emotion tweets as polar examples (half weight); C chosen
    # on 10% of the SemEval rows for macro recall.
    en_all = en_train + emotion_tweets + service
    en_texts = inputs((t for t, _ in en_all), vader=True)
    en_labels = np.array([lab for _, lab in en_all])
    en_source = np.array([0] * len(en_train) + [1] * len(emotion_tweets) + [2] * len(service))
    en_held = held_out_mask(en_source, {0: 0.10})
    en_pipeline, en_chosen, en_comparison = _choose_and_fit(
        "en",
        en_texts,
        en_labels,
        np.select([en_source == 1, en_source == 2], [EMOTION_TWEET_WEIGHT, weight], 1.0),
        en_held,
        [((3, 5), 1.0), ((3, 5), 0.7)],
        "macro_recall",
        inputs(val_en_texts, vader=True),
        val_en_labels,
        "en_tweeteval_val",
        quick,
        "negation+lexicon+vader",
    )
    # French: its own trainer (word vectors; C and their scale chosen on the French dev set).
    fr = train_sentiment_fr(data_dir, out_dir, quick, with_test=True)
    fr_card = fr["card"]
    dev = {
        "en_tweeteval_val_macro_recall": en_chosen["en_tweeteval_val_macro_recall"],
        "en_tweeteval_val_macro_f1": en_chosen["en_tweeteval_val_macro_f1"],
        **fr["dev"],
    }

    def probs(pipeline: Pipeline, texts: list[str], vader: bool = False) -> np.ndarray:
        return pipeline.predict_proba(inputs(texts, vader)) if texts else np.zeros((0, 3))

    test = {
        **sentiment_test_figures(
            probs(en_pipeline, en_split.test["en_semeval2016_test"][0], vader=True),
            en_split.test["en_semeval2016_test"][1],
            np.zeros((0, 3)),
            [],
            np.zeros((0, 3)),
            [],
        ),
        **fr["test"],
    }
    log.info(f"  test {test}")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    limits = (
        "Linear bag of n-grams with marked negation scopes: misses sarcasm; French data is small "
        "(tweets + film reviews), so French customer-service wording is less reliable than English."
    )
    card = {
        "name": "casebook-sentiment",
        "task": "sentiment (negative / neutral / positive): this English classifier for English "
        "and undetermined comments, sentiment/fr for French ones",
        "trained_at": now,
        "classes": [str(c) for c in en_pipeline.classes_],
        "pipeline": "negation marks + polarity pseudo-tokens (nlp/lexicon_polarity.py) + the band "
        "of VADER's compound score as a pseudo-token, TF-IDF "
        f"{en_chosen['features'].split(', ')[-1]} -> LogisticRegression(C={en_chosen['C']}, class_weight=balanced)",
        "input": SENTIMENT_INPUT_VADER,
        "input_options": {"vader": True},
        "routing": {"fr": "fr", "en": ".", "und": "."},
        "data": {
            "train": {
                "sentiment_en/semeval/*.tsv": len(en_train),
                "emotion/tweeteval/train_* (anger, sadness -> negative; joy, optimism -> "
                f"positive; weight {EMOTION_TWEET_WEIGHT})": len(emotion_tweets),
                "data/eval/emotion_service.tsv (English customer-service comments, "
                f"training half of the development threads, weight {weight})": len(service),
                **({"customer-service rows missing": no_service} if no_service else {}),
            },
            "excluded_from_train": en_split.dropped,
            "held_out_for_choosing_C": QUICK_NOTE
            if quick
            else "10% of the SemEval rows (seed 0), then refit on all rows",
            "dev": {"sentiment_en/tweeteval/val_*": len(val_en_texts)},
            "test": {
                f"sentiment_en/semeval/{SEMEVAL_TEST_FILE} (share {SEMEVAL_TEST[1]}, salt "
                f"{SEMEVAL_TEST[0]!r})": len(en_split.test["en_semeval2016_test"][0]),
            },
            "split_rule": SPLIT_RULE,
            "french_model": {"sentiment/fr": fr_card["version"], **fr_card["data"]["train"]},
        },
        "dev": dev,
        "test": test,
        "comparison": en_comparison + [en_chosen] + fr_card["comparison"],
        "exploration": SENTIMENT_EXPLORATION,
        "customer_service_exploration": SERVICE_EXPLORATION,
        "rebuild": REBUILD + " --only sentiment",
        "training_seconds": round(time.time() - started),
        "limits": limits,
    }
    card = save_classifier(en_pipeline, out_dir / "sentiment", card)
    write_card_md(out_dir / "sentiment", card)
    return {**dev, **test}
