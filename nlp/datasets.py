"""Converters from shared data sets to the labelled CSV that `casebook train situation` reads.

python -m nlp.datasets clinc150-csv OUT.csv --split train|val [--data ../shared/data] [--with-oos]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

CLINC_FILE = Path("intent") / "clinc150" / "data_full_train_val.json"
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


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
    clinc.add_argument("--data", type=Path, default=DEFAULT_DATA)
    clinc.add_argument("--with-oos", action="store_true", help="add the out-of-scope rows as 'oos'")
    args = parser.parse_args(argv)
    n = write_labelled_csv(read_clinc150(args.data, args.split, args.with_oos), args.out)
    print(f"{args.out}: {n} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
