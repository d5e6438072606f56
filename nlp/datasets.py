"""Readers of the shared data sets (../shared/data of a checkout) that training and evaluation
use, and a converter from CLINC150 to the labelled CSV that `casebook train situation` reads.

python -m nlp.datasets clinc150-csv OUT.csv --split train|val [--data ../shared/data] [--with-oos]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from casebook_data import SHARED_DATA_DIR
from nlp.features import decode_literal_escapes

CLINC_FILE = Path("intent") / "clinc150" / "data_full_train_val.json"
SENTIMENT_LABELS = ("negative", "neutral", "positive")
# TweetEval emotion labels (0 anger, 1 joy, 2 optimism, 3 sadness) as a polarity.
EMOTION_TWEET_POLARITY = {0: "negative", 1: "positive", 2: "positive", 3: "negative"}

csv.field_size_limit(10_000_000)


def read_semeval(path: Path) -> list[tuple[str, str]]:
    """(text, label) rows of a SemEval TSV; tolerates extra columns and stray quotes."""
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 3 or row[1].strip() not in SENTIMENT_LABELS:
                continue
            text = row[2]
            if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
                text = text[1:-1].replace('""', '"')
            text = decode_literal_escapes(text).strip()
            if text and text != "Not Available":
                rows.append((text, row[1].strip()))
    return rows


def read_lines(path: Path) -> list[str]:
    """One item a line, without the line end."""
    return path.read_text(encoding="utf-8").splitlines()


def read_tweeteval_val(data_dir: Path) -> tuple[list[str], list[str]]:
    """TweetEval sentiment validation texts and labels (0 neg, 1 neu, 2 pos)."""
    base = data_dir / "sentiment_en" / "tweeteval"
    texts = [decode_literal_escapes(t).strip() for t in read_lines(base / "val_text.txt")]
    labels = [SENTIMENT_LABELS[int(x)] for x in read_lines(base / "val_labels.txt") if x.strip()]
    return texts, labels


def read_umsab(data_dir: Path, split: str) -> tuple[list[str], list[str]]:
    """UMSAB French tweets of one split (0 neg, 1 neu, 2 pos)."""
    base = data_dir / "sentiment_fr" / "umsab_tweets"
    texts = [t.strip() for t in read_lines(base / f"{split}_text.txt")]
    labels = [
        SENTIMENT_LABELS[int(x)] for x in read_lines(base / f"{split}_labels.txt") if x.strip()
    ]
    return texts[: len(labels)], labels


def read_tweeteval_emotion_polar(data_dir: Path) -> list[tuple[str, str]]:
    """TweetEval emotion train tweets as (text, negative|positive): anger and sadness are
    negative, joy and optimism positive."""
    base = data_dir / "emotion" / "tweeteval"
    if not (base / "train_text.txt").exists():
        return []
    texts = [decode_literal_escapes(t).strip() for t in read_lines(base / "train_text.txt")]
    labels = [int(x) for x in read_lines(base / "train_labels.txt") if x.strip()]
    return [(t, EMOTION_TWEET_POLARITY[lab]) for t, lab in zip(texts, labels, strict=False) if t]


def read_allocine(data_dir: Path) -> list[tuple[str, str]]:
    """Allociné reviews (0 neg, 1 pos), cut to their first 1,000 characters."""
    rows = []
    with (data_dir / "sentiment_fr" / "allocine" / "train.csv").open(
        encoding="utf-8", newline=""
    ) as fh:
        for rec in csv.DictReader(fh):
            label = {"0": "negative", "1": "positive"}.get((rec.get("label") or "").strip())
            if label and rec.get("text"):
                rows.append((rec["text"][:1000], label))
    return rows


def read_goemotions(path: Path, names: list[str]) -> tuple[list[str], list[str]]:
    """GoEmotions Ekman TSV rows; a multi-label row keeps its first label."""
    texts, labels = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 2 or not row[1].strip():
                continue
            first = int(row[1].split(",")[0])
            texts.append(row[0])
            labels.append(names[first])
    return texts, labels


def read_clinc150(data_dir: Path, split: str, with_oos: bool = False) -> list[tuple[str, str]]:
    """(text, intent) rows of one CLINC150 split ("train" or "val"); out-of-scope rows only on request."""
    if split not in ("train", "val"):
        raise ValueError(f"split must be train or val, not {split!r}")
    path = data_dir / CLINC_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    spec = json.loads(path.read_text(encoding="utf-8"))
    rows = [(str(t), str(label)) for t, label in spec[split]]
    if with_oos:
        rows += [(str(t), "oos") for t, _ in spec.get(f"oos_{split}", [])]
    return rows


def write_labelled_csv(rows: list[tuple[str, str]], out: Path) -> int:
    """Write rows as a CSV with the columns text,label; returns the row count."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    clinc = sub.add_parser("clinc150-csv", help="CLINC150 (full) split -> text,label CSV")
    clinc.add_argument("out", type=Path)
    clinc.add_argument("--split", choices=["train", "val"], default="train")
    clinc.add_argument("--data", type=Path, default=SHARED_DATA_DIR)
    clinc.add_argument("--with-oos", action="store_true", help="add the out-of-scope rows as 'oos'")
    args = parser.parse_args(argv)
    n = write_labelled_csv(read_clinc150(args.data, args.split, args.with_oos), args.out)
    print(f"{args.out}: {n} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
