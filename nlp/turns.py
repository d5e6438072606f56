"""Single customer turns read by three small learnt classifiers, a back-off for curation's cue words.

Curation (curation/outcome.py) reads how a customer starts and ends a conversation from cue words.
Cue words written on one set of threads miss the many other ways people say the same thing (a
turnaround ends in "Received, both", "je passe à 4 étoiles", "HE'S HERE"). Two classifiers,
trained on the turns of the annotated development threads (`casebook train turns`), read a turn
when the cue words say nothing:

- `end_better`: the raiser's last turn after a reply says they are better off (satisfied,
  relieved or delighted in the rubric of data/eval/conversations);
- `start_complaint`: the raiser's first turn complains (unhappy about something that happened);
- `end_worse`: the raiser's last turn after a reply says they are worse off (angrier or
  threatening in the rubric), in words no cue list holds.

Each is TF-IDF word and character n-grams and a logistic regression, on the redacted text curation
reads; each says yes at or above the threshold chosen on the development threads (its card).
`TurnReader.prime` reads a whole batch of turns at once (curation's workers do, a batch of threads
at a time); a turn read before is read from a bounded cache.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from casebook_data import MODELS_DIR

FOLDER = "turns"
TASKS = ("end_better", "start_complaint", "end_worse")
# Curation's questions and the classifier that answers each: "unhappy" (is a complaint clearly
# unhappy?) reads the start classifier at its own threshold.
QUESTIONS = {
    "end_better": "end_better",
    "start_complaint": "start_complaint",
    "unhappy": "start_complaint",
    "end_worse": "end_worse",
}
MAX_CHARS = 600  # a turn's first characters: long e-mails say how they feel early and late
CACHE_SIZE = 200_000
_LOCK = threading.Lock()
log = logging.getLogger(__name__)


def make_pipeline(c: float = 1.0) -> Any:
    """Word 1-2 grams and character 2-5 grams (within words), then a balanced logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    # Plain scikit-learn on disk; nlp.models.load_classifier makes their transform faster.
    words = TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=1,
        sublinear_tf=True,
        dtype=np.float32,
        token_pattern=r"(?u)[\w']+|[!?]+|[^\w\s]",
    )
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, dtype=np.float32
    )
    return Pipeline(
        [
            ("features", FeatureUnion([("word", words), ("char", chars)])),
            ("model", LogisticRegression(C=c, class_weight="balanced", max_iter=2000)),
        ]
    )


def clip(text: str) -> str:
    """What the classifiers read of a turn: its first MAX_CHARS characters."""
    return text[:MAX_CHARS]


class TurnReader:
    """The classifiers with their thresholds; `says(task, text)` is curation's question."""

    def __init__(
        self,
        pipelines: dict[str, Any],
        thresholds: dict[str, float],
        version: str = "",
        analyser: str = "",
    ) -> None:
        self.pipelines = pipelines
        self.thresholds = thresholds
        self.version = version
        # The version of the analyser (nlp.analyze.analyzer_version) whose readings of the
        # development threads chose the thresholds; "" when the cards do not say.
        self.analyser = analyser
        self._cache: dict[str, dict[str, float]] = {task: {} for task in pipelines}

    @classmethod
    def load(cls, models_dir: Path | None = None) -> TurnReader | None:
        """The shipped reader (data/models/turns/<task>), or None when it is not there; a warning
        when it was fitted under another analyser than the folder's (analyser_note). A folder
        fitted before a task existed (end_worse) loads without it: its questions are not asked."""
        from nlp.models import load_classifier

        root = Path(models_dir or MODELS_DIR) / FOLDER
        present = [task for task in TASKS if (root / task / "classifier.skops").exists()]
        if not present:
            return None
        loaded = {task: load_classifier(root / task) for task in present}
        thresholds = {q: float(t) for c in loaded.values() for q, t in c.card["thresholds"].items()}
        reader = cls(
            {task: c.pipeline for task, c in loaded.items()},
            thresholds,
            "+".join(c.card.get("version", "") for c in loaded.values()),
            next((str(c.card["analyser"]) for c in loaded.values() if c.card.get("analyser")), ""),
        )
        note = reader.analyser_note(models_dir)
        if note:
            log.warning(note)
        return reader

    def analyser_note(self, models_dir: Path | None = None) -> str | None:
        """What to do when the thresholds were chosen under another analyser than the one of
        models_dir (its classifiers, taxonomy, rules: retrained or edited since), else None."""
        from nlp.analyze import analyzer_version

        if not self.analyser:
            return None
        try:
            now = analyzer_version(models_dir)
        except FileNotFoundError:  # a folder without the analyser's classifiers
            return None
        if self.analyser == now:
            return None
        return (
            f"the turn reader was fitted under analyser {self.analyser}, the analyser is now "
            f"{now}: its thresholds were chosen on other readings; fit it again with "
            "`casebook train turns --data ../shared/data` (checkout)"
        )

    def probabilities(self, task: str, texts: Sequence[str]) -> np.ndarray:
        """P(yes) of each text for `task`, computed now (no cache)."""
        pipeline = self.pipelines[task]
        yes = list(pipeline.classes_).index(True)
        return pipeline.predict_proba([clip(t) for t in texts])[:, yes]

    def prime(self, texts: Iterable[str]) -> None:
        """Read every text not read yet, for every task, in one call a task."""
        distinct = list(dict.fromkeys(texts))
        with _LOCK:
            for task, cache in self._cache.items():
                new = [t for t in distinct if t not in cache]
                if not new:
                    continue
                if len(cache) + len(new) > CACHE_SIZE:
                    cache.clear()
                cache.update(zip(new, map(float, self.probabilities(task, new)), strict=True))

    def probability(self, task: str, text: str) -> float:
        """P(yes) of one text for `task` (from the cache when primed)."""
        found = self._cache[task].get(text)
        if found is None:
            self.prime([text])
            found = self._cache[task][text]
        return found

    def says(self, question: str, text: str) -> bool:
        """Curation's `question` (QUESTIONS) about this turn: its classifier's P(yes) at or above
        the question's threshold (a question without one is never asked)."""
        threshold = self.thresholds.get(question)
        if threshold is None:
            return False
        return self.probability(QUESTIONS[question], text) >= threshold

    def __getstate__(self) -> dict[str, Any]:
        # Sent to curation's worker processes without what this process has read.
        return {**self.__dict__, "_cache": {task: {} for task in self.pipelines}}


@lru_cache(maxsize=4)
def shipped_reader(models_dir: Path | None = None) -> TurnReader | None:
    """The reader of a models folder (default data/models), loaded once a process; None when
    the folder has none (curation then reads cue words only)."""
    return TurnReader.load(models_dir)
