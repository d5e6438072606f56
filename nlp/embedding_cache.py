"""Sentence embeddings of training texts kept on disk between training runs (the encoder is
slow: encoding the shared data sets takes about half an hour of one core).

python -m nlp.embedding_cache sentiment_en|sentiment_fr|emotion [--data ../shared/data]
    [--cache .cache/embeddings]

The cache is a folder of .npz files, one per task, mapping sha256(encoder input) to a vector;
it is a training convenience, never shipped, and deleting it only costs time.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from casebook_data import SHARED_DATA_DIR
from nlp.encoder import encode, encoder_input

log = logging.getLogger(__name__)
DEFAULT_CACHE = Path(".cache") / "embeddings"


def _digest(text: str) -> str:
    return hashlib.sha256(encoder_input(text).encode("utf-8")).hexdigest()[:24]


def cached_encode(texts: list[str], cache_file: Path, chunk: int = 500) -> np.ndarray:
    """Embeddings of texts, encoding only those not in `cache_file` (saved as it goes)."""
    store: dict[str, np.ndarray] = {}
    if cache_file.exists():
        with np.load(cache_file) as data:
            store = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    keys = [_digest(t) for t in texts]
    by_key = {k: t for k, t in zip(keys, texts, strict=True)}
    # Shortest first: the most texts for the time spent, if a run is cut short.
    missing = sorted(dict.fromkeys(k for k in keys if k not in store), key=lambda k: len(by_key[k]))
    started = time.time()
    for start in range(0, len(missing), chunk):
        part = missing[start : start + chunk]
        vectors = encode([by_key[k] for k in part])
        store.update(zip(part, vectors, strict=True))
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(list(store)), vectors=np.stack(list(store.values())))
        tmp.replace(cache_file)
        done = start + len(part)
        log.info(f"{cache_file.name}: {done}/{len(missing)} encoded, {time.time() - started:.0f} s")
    return np.stack([store[k] for k in keys]) if keys else np.zeros((0, 512), np.float32)


# Share of a task's training rows the slow models learn from (the encoder's cost on this
# machine); drawn by a hash of the text, as the test splits are.
DEEP_TRAIN_SHARE: dict[str, float | dict[str, float]] = {
    "sentiment_en": 0.4,
    "sentiment_fr": {"umsab": 1.0, "allocine": 1.0},
    # All since 7 December 2026: the encoder reads about 900 comments a second (ENCODER_THREADS).
    "emotion": 1.0,
}
# Shares of the development and test sets the slow models are chosen and scored on; the fast
# classifiers are scored on the same rows beside them.
DEEP_DEV_SHARE: dict[str, float | dict[str, float]] = {
    "sentiment_en": 1.0,
    "sentiment_fr": 1.0,
    "emotion": 0.15,
}
DEEP_TEST_SHARE: dict[str, float | dict[str, float]] = {
    "sentiment_en": 1.0,
    "sentiment_fr": 1.0,
    "emotion": 0.2,
}


def deep_train_rows(
    task: str,
    rows: list[tuple[str, str, str]],
    shares: float | dict[str, float] | None = None,
) -> list[tuple[str, str, str]]:
    """The training rows of a task that the slow models learn from (`shares`, by default
    DEEP_TRAIN_SHARE's; a larger share keeps every row of a smaller one)."""
    from nlp.splits import in_test, text_key

    if shares is None:
        shares = DEEP_TRAIN_SHARE[task]

    def share(source: str) -> float:
        return shares if isinstance(shares, float) else shares.get(source, 1.0)

    return [
        r
        for r in rows
        if share(r[2]) >= 1.0 or in_test(text_key(r[0]), ("deep-" + task, share(r[2])))
    ]


def deep_dev_sets(
    task: str, sets: dict[str, tuple[list[str], list[str]]], part: str = "dev"
) -> dict[str, tuple[list[str], list[str]]]:
    """The development (or, part="test", test) sets of a task as the slow models are scored on
    them: a hashed share of the rows."""
    from nlp.splits import in_test, text_key

    shares = (DEEP_DEV_SHARE if part == "dev" else DEEP_TEST_SHARE)[task]
    out = {}
    for name, (texts, labels) in sets.items():
        share = shares if isinstance(shares, float) else shares.get(name, 1.0)
        if share >= 1.0:
            out[name] = (texts, labels)
            continue
        keep = [in_test(text_key(t), (f"deep-{part}-" + task, share)) for t in texts]
        out[name] = (
            [t for t, k in zip(texts, keep, strict=True) if k],
            [lab for lab, k in zip(labels, keep, strict=True) if k],
        )
    return out


def task_split(task: str, data_dir: Path) -> Any:
    """The nlp.splits.Split of a task."""
    from nlp import splits

    return {
        "sentiment_en": splits.sentiment_en_split,
        "sentiment_fr": splits.sentiment_fr_split,
        "emotion": splits.emotion_split,
    }[task](data_dir)


def task_texts(task: str, data_dir: Path) -> list[str]:
    """The texts of a task the slow models need: their training rows, dev and test."""
    split = task_split(task, data_dir)
    texts = [t for t, _, _ in deep_train_rows(task, split.train)]
    for part in (deep_dev_sets(task, split.dev), deep_dev_sets(task, split.test, "test")):
        for ts, _ in part.values():
            texts += ts
    return texts


def _scaled(shares: float | dict[str, float], factor: float) -> float | dict[str, float]:
    if isinstance(shares, float):
        return min(1.0, shares * factor)
    return {k: min(1.0, v * factor) for k, v in shares.items()}


def staged_texts(task: str, data_dir: Path, steps: int = 1) -> list[list[str]]:
    """The texts task_texts() needs, in the order to encode them so that a run cut short still
    leaves usable sets: the development and test rows first, then the training rows in `steps`
    growing hashed shares (step k holds the rows of share DEEP_TRAIN_SHARE * k / steps that the
    steps before it lack)."""
    split = task_split(task, data_dir)
    first: list[str] = []
    for part in (deep_dev_sets(task, split.dev), deep_dev_sets(task, split.test, "test")):
        for ts, _ in part.values():
            first += ts
    stages = [first]
    done: set[str] = set(first)
    for k in range(1, steps + 1):
        shares = _scaled(DEEP_TRAIN_SHARE[task], k / steps)
        texts = [t for t, _, _ in deep_train_rows(task, split.train, shares) if t not in done]
        done.update(texts)
        stages.append(texts)
    return stages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("task", choices=["sentiment_en", "sentiment_fr", "emotion"])
    parser.add_argument("--data", type=Path, default=SHARED_DATA_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument(
        "--steps",
        type=int,
        default=1,
        help="encode dev and test first, then the training rows in this many growing hashed "
        "shares (a run cut short leaves a clean smaller share)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    total = 0
    for k, texts in enumerate(staged_texts(args.task, args.data, args.steps)):
        total += len(cached_encode(texts, args.cache / f"{args.task}.npz"))
        print(f"{args.task}: stage {k} done, {total} embeddings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
