"""What the trainers of the shipped classifiers share: the command that rebuilds them, the
held-out slice that chooses variants and offsets, and the card written beside each classifier."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

REBUILD = "python -m nlp.train --data ../shared/data --out data/models"


def word_char_tfidf(
    token_pattern: str, max_words: int, char_range: tuple[int, int], max_chars: int
) -> Any:
    """What the sentiment and emotion classifiers read: TF-IDF of word 1-2 grams (min_df 2)
    beside character n-grams inside word boundaries (min_df 3), both sublinear, float32, capped."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    def tfidf(**kwargs: Any) -> TfidfVectorizer:
        return TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **kwargs)

    return FeatureUnion(
        [
            (
                "word",
                tfidf(
                    ngram_range=(1, 2),
                    min_df=2,
                    max_features=max_words,
                    token_pattern=token_pattern,
                ),
            ),
            (
                "char",
                tfidf(analyzer="char_wb", ngram_range=char_range, min_df=3, max_features=max_chars),
            ),
        ]
    )


def held_out_mask(groups: np.ndarray, fractions: dict[int, float], seed: int = 0) -> np.ndarray:
    """Rows set aside from training to choose variants and decision offsets (never the dev files):
    `fractions[g]` of the rows of group g, drawn with a fixed seed."""
    rng = np.random.default_rng(seed)
    mask = np.zeros(len(groups), dtype=bool)
    for group, fraction in fractions.items():
        idx = np.flatnonzero(groups == group)
        n = int(len(idx) * fraction)
        if n:
            mask[rng.choice(idx, n, replace=False)] = True
    return mask


def _table(rows: Iterable[dict[str, Any]]) -> list[str]:
    rows = list(rows)
    if not rows:
        return []
    cols = list(dict.fromkeys(k for r in rows for k in r))  # every key, first seen first
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in rows]
    return out


def _figures_section(card: dict[str, Any]) -> list[str]:
    """Development figures, and the untouched test figures beside them when the card has them."""
    if not card.get("test"):
        return [
            "## Development figures (chosen variant)",
            "",
            *[f"- {k}: {v}" for k, v in card["dev"].items()],
            "",
        ]
    return [
        "## Figures: development (seen while designing) and untouched test",
        "",
        "Development sets were looked at while choosing the design; test splits were drawn "
        "before any modelling and never used for fitting or choosing (split rule in Data).",
        "",
        "| figure | value |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in {**card["dev"], **card["test"]}.items()],
        "",
    ]


def write_card_md(model_dir: Path, card: dict[str, Any]) -> None:
    """A human-readable card.md from the card dict."""
    lines = [
        f"# {card['name']} {card['version']}",
        "",
        card["task"],
        "",
        f"- trained at: {card['trained_at']} ({card['training_seconds']} s)",
        f"- classes: {', '.join(card['classes'])}",
        f"- pipeline: {card['pipeline']}",
        f"- input: {card['input']}",
        f"- file: {card['file']['name']}, {card['file']['bytes'] / 1e6:.1f} MB, sha256 {card['file']['sha256'][:16]}...",
        f"- rebuild: `{card['rebuild']}` (from the project root)",
        "",
        "## Data",
        "",
        "```json",
        json.dumps(card["data"], indent=2, ensure_ascii=False),
        "```",
        "",
        *_figures_section(card),
        *(
            ["## Readings of the test split", "", *[f"- {r}" for r in card["test_readings"]], ""]
            if card.get("test_readings")
            else []
        ),
        "## Variants compared",
        "",
        *_table(card["comparison"]),
        "",
        *(
            ["## Exploration (how this design was chosen)", "", *_table(card["exploration"]), ""]
            if card.get("exploration")
            else []
        ),
        *(
            [
                "## Customer-service comments: how much they weigh (chosen on development threads)",
                "",
                "Fitted with the labelled comments of half the development threads of "
                "data/eval/emotion_service.tsv, scored on the other half as the analyser reads them; "
                "the shipped classifier learns from the first half's comments only (the other half "
                "stays a development set), never from a test thread's.",
                "",
                *_table(card["customer_service_exploration"]),
                "",
            ]
            if card.get("customer_service_exploration")
            else []
        ),
        "## Limits",
        "",
        card["limits"],
        "",
    ]
    (model_dir / "card.md").write_text("\n".join(lines), encoding="utf-8")
