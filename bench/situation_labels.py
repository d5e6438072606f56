"""Accuracy of a situation classifier against the number of labels a coach gives, on data with
complaint reasons, with a held-out test part; labels chosen at random or by active learning.

Two data sets from ../shared/data:
- cfpb: real US consumer complaints (CFPB narratives), the Product as the situation (9 products
  once renamed products are merged and the 4 rarest rows dropped): a domain the shipped taxonomy
  does not cover, so its situations are the coach's own (a copy of data/taxonomy.yaml with them).
- bitext: synthetic customer-support requests, their category mapped to the shipped taxonomy
  (data/eval/situation_rules.py): the taxonomy as shipped, and the keyword rules as the baseline
  before any label.

A hashed share of each set (nlp.situation_model.in_test, 30%) is the test part: never labelled,
never used to choose anything. The rest is the queue the coach labels from:
- random: the coach labels k comments of each situation (an oracle, as if sorted beforehand);
- active: the coach labels 2 comments per situation to start, then batches of the comments the
  current classifier is least sure of (lowest top probability), as `casebook situations next`
  shows them, in rounds half as large as the labels so far, until the same total
  (k x situations) is spent.
The classifier is the product's (nlp.situation_model.situation_pipeline: TF-IDF word + char
n-grams -> LogisticRegression), at its middle C, with no choice made on the test part. Each line
is the mean over --seeds seeds (2 by default).

nice -n 10 .venv/bin/python bench/situation_labels.py [--data ../shared/data] [--sets cfpb,bitext]
    [--budgets 10,25,50] [--seeds 2]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from casebook_data.eval.situation_rules import BITEXT_FILE, BITEXT_TO_TAXONOMY  # noqa: E402
from nlp.features import prepare_for_classifier  # noqa: E402
from nlp.situation import Taxonomy  # noqa: E402
from nlp.situation_model import in_test, situation_pipeline  # noqa: E402

CFPB_FILE = Path("channels") / "cfpb_complaints" / "complaints_sample.csv"
# Products renamed over the years, merged into today's name; the rarest (1-2 rows) dropped.
CFPB_MERGE = {
    "Credit card": "Credit card or prepaid card",
    "Payday loan": "Payday loan, title loan, or personal loan",
}
CFPB_MIN_ROWS = 20
TEST_SHARE = 0.3
START_PER_LABEL = 2
MAX_CHARS = 1500  # long narratives: the first 1,500 characters say what the complaint is about


def cfpb_rows(data_dir: Path) -> list[tuple[str, str]]:
    with (data_dir / CFPB_FILE).open(encoding="utf-8", newline="") as fh:
        rows = [
            (rec["Consumer complaint narrative"].strip()[:MAX_CHARS], rec["Product"])
            for rec in csv.DictReader(fh)
            if rec["Consumer complaint narrative"].strip()
        ]
    rows = [(t, CFPB_MERGE.get(p, p)) for t, p in rows]
    counts: dict[str, int] = {}
    for _, p in rows:
        counts[p] = counts.get(p, 0) + 1
    return [(t, p) for t, p in rows if counts[p] >= CFPB_MIN_ROWS]


def bitext_rows(data_dir: Path) -> list[tuple[str, str]]:
    with (data_dir / BITEXT_FILE).open(encoding="utf-8", newline="") as fh:
        return [
            (rec["instruction"].strip(), BITEXT_TO_TAXONOMY[rec["category"]])
            for rec in csv.DictReader(fh)
            if rec["category"] in BITEXT_TO_TAXONOMY and rec["instruction"].strip()
        ]


def _fit(texts: list[str], labels: list[str]):  # noqa: ANN202 - a scikit-learn Pipeline
    return situation_pipeline().fit(texts, labels)


def _accuracy(pipe, texts: list[str], labels: list[str]) -> float:  # noqa: ANN001
    return float(np.mean(pipe.predict(texts) == np.array(labels)))


def random_labels(pool: list[tuple[str, str]], k: int, rng: random.Random) -> list[int]:
    by_label: dict[str, list[int]] = {}
    for i, (_, lab) in enumerate(pool):
        by_label.setdefault(lab, []).append(i)
    chosen = []
    for lab in sorted(by_label):
        idx = by_label[lab][:]
        rng.shuffle(idx)
        chosen += idx[:k]
    return chosen


def active_labels(pool: list[tuple[str, str]], total: int, rng: random.Random) -> list[int]:
    """Start with START_PER_LABEL per situation, then the least sure comments, in batches."""
    chosen = random_labels(pool, START_PER_LABEL, rng)
    n_labels = len({lab for _, lab in pool})
    texts = [t for t, _ in pool]
    while len(chosen) < total:
        # Rounds grow with the labels (half as many again each time): few retrains, as a coach
        # labels a screenful, retrains, and labels the next least sure screenful.
        batch = max(2 * n_labels, len(chosen) // 2)
        pipe = _fit([texts[i] for i in chosen], [pool[i][1] for i in chosen])
        taken = set(chosen)
        rest = [i for i in range(len(pool)) if i not in taken]
        if not rest:
            break
        sure = pipe.predict_proba([texts[i] for i in rest]).max(axis=1)
        order = np.argsort(sure, kind="stable")[: min(batch, total - len(chosen))]
        chosen += [rest[int(j)] for j in order]
    return chosen


def curve(
    name: str, rows: list[tuple[str, str]], budgets: list[int], seeds: int, rules: bool
) -> None:
    rows = [(prepare_for_classifier(t), lab) for t, lab in rows]
    test = [r for r in rows if in_test(r[0], TEST_SHARE)]
    pool = [r for r in rows if not in_test(r[0], TEST_SHARE)]
    labels = sorted({lab for _, lab in rows})
    test_texts = [t for t, _ in test]
    test_gold = [lab for _, lab in test]
    print(f"\n{name}: {len(labels)} situations, queue {len(pool)}, test {len(test)} (hashed 30%)")
    if rules:
        taxonomy = Taxonomy.load()
        found = [taxonomy.classify(t, "en").situation for t in test_texts]
        acc = float(np.mean(np.array(found) == np.array(test_gold)))
        print(f"  keyword rules, no label: test accuracy {acc:.4f}")
    full = _fit([t for t, _ in pool], [lab for _, lab in pool])
    print(
        f"  every queue row labelled ({len(pool)}): test accuracy "
        f"{_accuracy(full, test_texts, test_gold):.4f}"
    )
    print("  labels/situation | labels | random | active (least sure first) | seconds")
    for k in budgets:
        t0 = time.time()
        scores: dict[str, list[float]] = {"random": [], "active": []}
        totals = []
        for seed in range(seeds):
            picked = random_labels(pool, k, random.Random(seed))
            totals.append(len(picked))
            pipe = _fit([pool[i][0] for i in picked], [pool[i][1] for i in picked])
            scores["random"].append(_accuracy(pipe, test_texts, test_gold))
            chosen = active_labels(pool, len(picked), random.Random(seed))
            pipe = _fit([pool[i][0] for i in chosen], [pool[i][1] for i in chosen])
            scores["active"].append(_accuracy(pipe, test_texts, test_gold))
        print(
            f"  {k:>16} | {int(np.mean(totals)):>6} | {np.mean(scores['random']):.4f} | "
            f"{np.mean(scores['active']):.4f}                    | {time.time() - t0:.0f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sets", default="cfpb,bitext")
    parser.add_argument("--budgets", default="10,25,50")
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    budgets = [int(b) for b in args.budgets.split(",")]
    for name in args.sets.split(","):
        if name == "cfpb":
            curve("CFPB complaints, Product", cfpb_rows(args.data), budgets, args.seeds, False)
        elif name == "bitext":
            curve("Bitext, taxonomy situations", bitext_rows(args.data), budgets, args.seeds, True)
        else:
            raise SystemExit(f"unknown set {name!r} (cfpb, bitext)")


if __name__ == "__main__":
    main()
