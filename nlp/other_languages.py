"""Sentiment and emotion of comments in a language other than English and French.

The fast classifiers learnt English and French only: a Spanish or German comment is read as
English, its words mostly unknown, its polarity close to a guess. The multilingual sentence
encoder (nlp/encoder.py, USE multilingual v3) places a sentence of any of its 16 languages near
its meaning in the others, so the slow pass's multilingual heads (nlp/deep.py: data/models/deep/
sentiment_en and emotion, trained on English and French comments) read the languages
nlp/language.py names besides English and French. Their reading is blended with the fast one at
WEIGHTS, chosen on development comments (data/eval/other_languages_feelings_dev.tsv).

The encoder costs about 1.3 s and 350 MB to load, then a few milliseconds a comment: it is loaded
on the first comment in another language, so a store of English and French comments never pays
it.
Without the heads' files, comments keep their fast reading.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import numpy as np

from nlp.deep import DEEP_FOLDER, Head, blend, load_head
from nlp.language import OTHER_LANGUAGES
from nlp.models import CLASSIFIER_FILE, classifier_digest

# The languages read here: every one nlp/language.py names besides English and French (all are
# among the encoder's 16).
READ = frozenset(OTHER_LANGUAGES.values())
# The heads' share of the geometric blend with the fast reading (0: the fast reading alone, 1: the
# head alone), the best macro F1 on data/eval/other_languages_feelings_dev.tsv (150 comments;
# `python -m nlp.other_languages_eval` prints the curve). First chosen with 130 of them named a
# language read here: sentiment 0.5583 fast alone, 0.8149 at 0.8 (0.7825 with the head alone);
# emotion 0.3133 fast alone, 0.4062 at 0.6 (0.3704 with the head alone). With 147 named (the
# surer naming of nlp/language.py) sentiment 0.8175 at 0.8 still; with the emotion head that
# learns customer-service and French comments too (nlp/deep_rows.py EXTRA_ROWS), emotion 0.5511
# at 0.7 (0.4855 with the head alone). 7 December 2026.
WEIGHTS = {"sentiment": 0.8, "emotion": 0.7}
HEADS = {"sentiment": "sentiment_en", "emotion": "emotion"}  # tasks of nlp/deep.py


def heads_digest(models_dir: Path) -> str | None:
    """A digest of the heads' files and WEIGHTS (it enters the analyser's version); None when a
    head is missing (comments in other languages keep their fast reading)."""
    folders = [models_dir / DEEP_FOLDER / HEADS[r] for r in sorted(HEADS)]
    if not all((f / CLASSIFIER_FILE).exists() for f in folders):
        return None
    digest = hashlib.sha256(repr(sorted(WEIGHTS.items())).encode())
    for folder in folders:
        digest.update(classifier_digest(folder).encode())
    return digest.hexdigest()


class OtherLanguages:
    """Reads again the comments in another language; the heads load on first use."""

    def __init__(self, models_dir: Path | None):
        """`models_dir` None: comments in other languages keep their fast reading."""
        self.models_dir = models_dir
        self.digest = heads_digest(models_dir) if models_dir is not None else None
        self._heads: dict[str, Head] | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> dict[str, Head]:
        assert self.models_dir is not None, "no heads without a models folder"
        with self._lock:
            if self._heads is None:
                self._heads = {r: load_head(self.models_dir, task) for r, task in HEADS.items()}
            return self._heads

    def rows(self, texts: list[str], languages: list[str]) -> list[int]:
        """The rows read here: a language of READ, some text, and the heads shipped."""
        if self.digest is None:
            return []
        pairs = enumerate(zip(texts, languages, strict=True))
        return [i for i, (text, lang) in pairs if lang in READ and text.strip()]

    def heads(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The heads' own (sentiment (n, 3), emotion (n, 7)) probabilities of `texts`."""
        from nlp.encoder import encode

        heads = self._loaded()
        embeddings = encode(texts)
        sentiment = heads["sentiment"].probabilities(embeddings)
        return sentiment, heads["emotion"].probabilities(embeddings)

    def read(
        self, texts: list[str], sentiment: np.ndarray, emotion: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(sentiment (n, 3), emotion (n, 7)) probabilities of `texts` (redacted), the fast ones
        blended with the heads' at WEIGHTS."""
        if not texts:
            return sentiment, emotion
        deep_sentiment, deep_emotion = self.heads(texts)
        return (
            blend(np.asarray(sentiment, dtype=np.float64), deep_sentiment, WEIGHTS["sentiment"]),
            blend(np.asarray(emotion, dtype=np.float64), deep_emotion, WEIGHTS["emotion"]),
        )
