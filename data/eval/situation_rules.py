"""Labelled sets that score the taxonomy's keyword rules (nlp/situation.py), development beside test.

- English: Bitext customer-support utterances (../shared/data/intent/bitext_customer_support,
  synthetic, CDLA-Sharing-1.0), their category mapped to a taxonomy situation (BITEXT_TO_TAXONOMY;
  FEEDBACK and NEWSLETTER have no situation of their own and are left out). Half of the rows by
  the hash of the text (nlp.situation_model.in_test) are development: the rules' false triggers
  were looked for there only; the other half is the test half, never read while changing rules.
- French: no public French set with complaint reasons is here, so the French figure is the share
  of Allociné film reviews (../shared/data/sentiment_fr/allocine) that the rules send to a
  commercial situation (billing, order, delivery, disruption, account, technical support): a film
  review is none of those, so every one is a false trigger (such as "avoir" read as a credit
  note). Same hashed halves: development (looked at) and test (not looked at).

python -m casebook_data.eval.situation_rules [--data ../shared/data] [--errors dev]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from casebook_data import SHARED_DATA_DIR
from nlp.situation import Taxonomy
from nlp.situation_model import in_test

BITEXT_FILE = Path("intent") / "bitext_customer_support" / "bitext_customer_support.csv"
ALLOCINE_FILE = Path("sentiment_fr") / "allocine" / "train.csv"
TEST_SHARE = 0.5
BITEXT_TO_TAXONOMY = {
    "ACCOUNT": "account_access",
    "ORDER": "order_booking",
    "REFUND": "billing_payment",
    "INVOICE": "billing_payment",
    "PAYMENT": "billing_payment",
    "CANCELLATION_FEE": "billing_payment",
    "DELIVERY": "delivery_logistics",
    "SHIPPING_ADDRESS": "delivery_logistics",
    "CONTACT": "support_experience",
}
COMMERCIAL = (
    "billing_payment",
    "order_booking",
    "delivery_logistics",
    "service_disruption",
    "account_access",
    "technical_support",
)


@dataclass(frozen=True, slots=True)
class RulesScore:
    rows: int
    accuracy: float  # English: right situation; French: share of reviews left out of COMMERCIAL
    errors: list[tuple[str, str, str]]  # (text, expected, found)


def bitext_rows(data_dir: Path, split: str) -> list[tuple[str, str]]:
    """(text, taxonomy situation) rows of Bitext's "dev" or "test" half."""
    path = data_dir / BITEXT_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [
            (rec["instruction"].strip(), BITEXT_TO_TAXONOMY[rec["category"]])
            for rec in csv.DictReader(fh)
            if rec["category"] in BITEXT_TO_TAXONOMY and rec["instruction"].strip()
        ]
    return [r for r in rows if in_test(r[0], TEST_SHARE) == (split == "test")]


def allocine_texts(data_dir: Path, split: str) -> list[str]:
    """French film reviews of Allociné's "dev" or "test" half."""
    path = data_dir / ALLOCINE_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [rec["text"].strip() for rec in csv.DictReader(fh) if rec["text"].strip()]
    return [t for t in texts if in_test(t, TEST_SHARE) == (split == "test")]


def score_english(taxonomy: Taxonomy, rows: list[tuple[str, str]]) -> RulesScore:
    found = [taxonomy.classify(text, "en").situation for text, _ in rows]
    errors = [(t, e, f) for (t, e), f in zip(rows, found, strict=True) if e != f]
    return RulesScore(len(rows), 1 - len(errors) / len(rows) if rows else 0.0, errors)


def score_french_reviews(taxonomy: Taxonomy, texts: list[str]) -> RulesScore:
    found = [taxonomy.classify(text, "fr").situation for text in texts]
    errors = [
        (t, "not commercial", f) for t, f in zip(texts, found, strict=True) if f in COMMERCIAL
    ]
    return RulesScore(len(texts), 1 - len(errors) / len(texts) if texts else 0.0, errors)


def rules_scores(data_dir: Path, taxonomy: Taxonomy | None = None) -> dict[str, RulesScore]:
    """{"en_dev", "en_test", "fr_dev", "fr_test"}: the rules' scores on each half."""
    taxonomy = taxonomy or Taxonomy.load()
    return {
        f"en_{split}": score_english(taxonomy, bitext_rows(data_dir, split))
        for split in ("dev", "test")
    } | {
        f"fr_{split}": score_french_reviews(taxonomy, allocine_texts(data_dir, split))
        for split in ("dev", "test")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA_DIR)
    parser.add_argument("--errors", choices=("dev",), help="print the development errors")
    args = parser.parse_args()
    taxonomy = Taxonomy.load()
    scores = rules_scores(args.data, taxonomy)
    for name, score in scores.items():
        print(f"{name}: {score.accuracy:.4f} on {score.rows} rows")
    if args.errors:
        for lang in ("en", "fr"):
            errors = scores[f"{lang}_dev"].errors
            print(f"\n{lang} dev: {len(errors)} errors, by (expected, found):")
            print(Counter((e, f) for _, e, f in errors).most_common(20))
            for text, expected, found in errors[:60]:
                result = taxonomy.classify(text, lang)
                print(f"  {expected} -> {found} {result.scores}: {text[:160]}")


if __name__ == "__main__":
    main()
