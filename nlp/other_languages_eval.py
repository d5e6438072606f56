"""Sentiment and emotion of comments in other languages than English and French, scored on
customer comments written and labelled for it (data/eval/other_languages_feelings_{dev,test}.tsv:
Spanish, German, Italian, Portuguese and Dutch): the fast classifiers' reading against the
multilingual heads' (nlp/other_languages.py), and the blend curve its WEIGHTS were chosen on.

    .venv/bin/python -m nlp.other_languages_eval   # the development curve (choosing WEIGHTS)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sklearn.metrics import f1_score

from casebook_data import EVAL_DIR
from nlp.deep import blend
from nlp.deep_heads import BLEND_GRID
from nlp.emotion import EMOTIONS
from nlp.features import prepare_for_classifier
from nlp.figures import Figure
from nlp.other_languages import WEIGHTS
from nlp.sentiment import LABELS

if TYPE_CHECKING:
    from nlp.analyze import Analyzer

FEELINGS = {
    "dev": EVAL_DIR / "other_languages_feelings_dev.tsv",
    "test": EVAL_DIR / "other_languages_feelings_test.tsv",
}
NOTES = {
    "dev": "WEIGHTS were chosen on them",
    "test": "written apart, no choice made on them",
}
# No target in the issue for other languages: its French sentiment and emotion targets.
TARGETS = {
    f"{reading}_other_languages_{part}_macro_f1{kind}": target
    for reading, target in (("sentiment", 0.70), ("emotion", 0.62))
    for part in ("dev", "test")
    for kind in ("", "_fast")
}


def read_feelings(path: Path) -> list[tuple[str, str, str, str]]:
    """(language, sentiment, emotion, text) of each line; '#' lines are comments."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, sentiment, emotion, text = line.split("\t", 3)
            rows.append((language, sentiment, emotion, text))
    return rows


def macro_f1(gold: Sequence[str], said: Sequence[str]) -> float:
    """Macro F1 over the labels of the truth (as `casebook evaluate` counts its figures)."""
    labels = sorted(set(gold))
    return float(f1_score(gold, said, labels=labels, average="macro", zero_division=0))


@dataclass
class Readings:
    """What the analyser reads of labelled comments: the fast probabilities (as if no heads were
    shipped), the rows the heads read (a language they read) and their own probabilities."""

    gold: dict[str, list[str]]
    fast: dict[str, np.ndarray]
    rows: list[int]
    heads: dict[str, np.ndarray]

    def said(self, reading: str, weight: float) -> list[str]:
        """The labels at a blend weight (the comments the heads do not read keep the fast one)."""
        probs = self.fast[reading].copy()
        if self.rows:
            probs[self.rows] = blend(probs[self.rows], self.heads[reading], weight)
        classes = LABELS if reading == "sentiment" else EMOTIONS
        return [classes[k] for k in np.argmax(probs, axis=1)]

    def score(self, reading: str, weight: float) -> float:
        return macro_f1(self.gold[reading], self.said(reading, weight))


def readings(rows: Sequence[tuple[str, str, str, str]], analyzer: Analyzer) -> Readings:
    """`analyzer` (nlp.analyze.Analyzer) names each comment's language and redacts it; its fast
    classifiers and its heads read the redacted text."""
    analyses = analyzer.analyze([text for *_, text in rows])
    texts = [a.redacted_text for a in analyses]
    languages = [a.language for a in analyses]
    prepared = [prepare_for_classifier(t) for t in texts]
    # The fast classifiers' own reading, as Analyzer._feelings has it before the heads.
    sentiment = analyzer.sentiment.probabilities(prepared, languages)
    emotion = analyzer.emotion.probabilities(texts, prepared, languages, sentiment)
    other = analyzer.other_languages
    named = other.rows(prepared, languages)
    empty = (np.zeros((0, len(LABELS))), np.zeros((0, len(EMOTIONS))))
    deep_s, deep_e = other.heads([texts[i] for i in named]) if named else empty
    return Readings(
        {"sentiment": [r[1] for r in rows], "emotion": [r[2] for r in rows]},
        {"sentiment": sentiment, "emotion": emotion},
        named,
        {"sentiment": deep_s, "emotion": deep_e},
    )


def feelings_figures(models_dir: Path | None = None) -> list[Figure]:
    """Macro F1 of sentiment and emotion on the development and test comments: as the analyser
    reads them (heads at WEIGHTS) and by the fast classifiers alone (`_fast`)."""
    if not all(path.exists() for path in FEELINGS.values()):  # a checkout's sets, not installed
        missing = "missing data/eval/other_languages_feelings_*.tsv"
        return [Figure(name, None, target, 0, missing) for name, target in TARGETS.items()]
    from nlp.analyze import Analyzer

    analyzer = Analyzer.load(models_dir)
    out = []
    for part, path in FEELINGS.items():
        rows = read_feelings(path)
        read = readings(rows, analyzer)
        note = f"{path.name}, {len(read.rows)} named a language the heads read; {NOTES[part]}"
        for reading in ("sentiment", "emotion"):
            for kind, weight in (("", WEIGHTS[reading]), ("_fast", 0.0)):
                name = f"{reading}_other_languages_{part}_macro_f1{kind}"
                out.append(
                    Figure(name, read.score(reading, weight), TARGETS[name], len(rows), note)
                )
    return out


def main() -> None:
    """The development curve: macro F1 of each reading at each blend weight."""
    from nlp.analyze import Analyzer

    read = readings(read_feelings(FEELINGS["dev"]), Analyzer.load())
    print(f"{len(read.rows)} of {len(read.gold['sentiment'])} named a language the heads read")
    for weight in BLEND_GRID:
        row = {r: round(read.score(r, weight), 4) for r in ("sentiment", "emotion")}
        print(json.dumps({"weight": weight, **row}))


if __name__ == "__main__":
    main()
