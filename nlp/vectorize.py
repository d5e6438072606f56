"""Faster word and character n-grams for fitted TF-IDF vectorizers, with the same output.

A `char_wb` vectorizer cuts each word (padded with spaces) into n-grams: a word's n-grams depend
on the word alone. Comments reuse the same few thousand words, so counting n-grams text by text
(scikit-learn's way: a Python loop over every n-gram of every text) repeats the same work. Here
each distinct word is analysed once and its n-gram counts kept as a row of a growing sparse
matrix (words x n-grams); a batch's count matrix is (texts x words) @ (words x n-grams), a
sparse product done in C.

A `word` vectorizer (no stop words, a token pattern whose tokens hold no whitespace) gets a faster
transform too: a text's tokens are those of its whitespace-separated chunks in turn, so each
distinct chunk is tokenised once and its tokens kept as numbers; the n-grams of a batch are then
looked up in the vocabulary by numpy (an n-gram is a number made of its tokens' numbers), not
one by one in Python.

Either way the count matrix is the one scikit-learn computes, array for array (same columns in
the same order, same counts; tests/nlp/test_vectorize.py checks it), so the TF-IDF weights and
everything after them are computed by scikit-learn on the same numbers. Only transform is
changed, and only for fitted vectorizers: fitting is scikit-learn's own.

Shipped classifiers stay plain scikit-learn pipelines on disk; nlp.models.load_classifier swaps
the class of their `char_wb` and `word` steps after loading (`accelerate`).
"""

from __future__ import annotations

import threading
from itertools import chain, repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

# Distinct words (or chunks) whose n-grams are kept; past this the cache starts again (bounded
# memory: a few hundred bytes a word, so some tens of MB a vectorizer at most).
WORD_CACHE_SIZE = 100_000

_LOCK = threading.Lock()
# Ends each text's chunks in a batch (whitespace: never a chunk).
_SEPARATOR_CHUNK = ["\n"]
# Token patterns whose tokens never hold whitespace (scikit-learn's default and the shipped
# classifiers'): a text's tokens are its chunks' tokens.
_CHUNKABLE_PATTERNS = frozenset(
    {r"(?u)\b\w\w+\b", r"(?u)[\w@#']+|[!?]+|[^\w\s]", r"(?u)[\w']+|[!?]+|[^\w\s]"}
)


class WordCachedTfidfVectorizer(TfidfVectorizer):
    """A TfidfVectorizer whose `char_wb` transform analyses each distinct word once, and whose
    `word` transform tokenises each distinct chunk once and looks n-grams up as numbers."""

    def _count_vocab(self, raw_documents: Any, fixed_vocab: bool) -> tuple[dict[str, int], Any]:
        if fixed_vocab and self.input == "content":
            if _fast_word(self):
                return self.vocabulary_, self._count_word_ngrams(raw_documents)
            if self.analyzer == "char_wb":
                return self.vocabulary_, self._count_char_wb_ngrams(raw_documents)
        return super()._count_vocab(raw_documents, fixed_vocab)

    def _chunks(self, raw_documents: Any) -> list[list[str]]:
        """Each text as scikit-learn preprocesses it (decoded, lower-cased...), split at
        whitespace. (scikit-learn's char_wb first makes runs of spaces one space, which
        split() ignores.)"""
        docs = raw_documents if isinstance(raw_documents, list) else list(raw_documents)
        if (
            self.preprocessor is None
            and self.strip_accents is None
            and all(type(doc) is str for doc in docs)
        ):
            # scikit-learn's preprocessing of a str without accent stripping: lower() or nothing.
            if self.lowercase:
                return [doc.lower().split() for doc in docs]
            return [doc.split() for doc in docs]
        preprocess, decode = self.build_preprocessor(), self.decode
        return [preprocess(decode(doc)).split() for doc in docs]

    def _count_char_wb_ngrams(self, raw_documents: Any) -> Any:
        """The (texts x vocabulary) counts of a `char_wb` analyzer's n-grams."""
        docs = self._chunks(raw_documents)
        words = list(chain.from_iterable(docs))
        store = self.__dict__.get("_char_store")
        if store is None or store.n_rows > WORD_CACHE_SIZE:
            with _LOCK:
                store = self.__dict__["_char_store"] = _CharStore(self)
        rows, ngram_counts = store.rows_of(words)
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, docs), dtype=np.int64, count=len(docs)), out=indptr[1:])
        word_counts = sp.csr_matrix(
            (np.ones(len(rows), dtype=self.dtype), np.asarray(rows, dtype=np.int64), indptr),
            shape=(len(docs), ngram_counts.shape[0]),
        )
        word_counts.sum_duplicates()
        X = (word_counts @ ngram_counts).astype(self.dtype, copy=False)
        # Columns sorted within rows, as scikit-learn's are: two linear passes through the
        # column-major form instead of a sort per row.
        return X.tocsc().tocsr()

    def _count_word_ngrams(self, raw_documents: Any) -> Any:
        """The (texts x vocabulary) counts of a `word` analyzer's n-grams: scikit-learn's tokens
        and n-grams ("a b" for two tokens), out-of-vocabulary ones dropped."""
        tables = self.__dict__.get("_word_tables")
        if tables is None:
            with _LOCK:
                tables = self.__dict__["_word_tables"] = _WordTables.of(self)
        chunked = self._chunks(raw_documents)
        n_docs = len(chunked)
        # Every text's chunks, each text's followed by a separator (its token number: -1).
        chunks = list(
            chain.from_iterable(chain.from_iterable(zip(chunked, repeat(_SEPARATOR_CHUNK))))
        )
        ids = tables.chunk_ids(chunks)
        token_counts = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        tokens = np.fromiter(
            chain.from_iterable(ids), dtype=np.int64, count=int(token_counts.sum())
        )
        chunks_per_doc = np.fromiter(map(len, chunked), dtype=np.int64, count=n_docs) + 1
        rows = np.repeat(np.repeat(np.arange(n_docs, dtype=np.int32), chunks_per_doc), token_counts)
        min_n, max_n = self.ngram_range
        columns = [tables.columns(tokens, n) for n in range(min_n, max_n + 1)]
        cols = np.concatenate(columns)
        doc_rows = np.concatenate([rows[: len(c)] for c in columns])
        keep = cols >= 0
        X = sp.csr_matrix(
            (np.ones(int(keep.sum()), dtype=self.dtype), (doc_rows[keep], cols[keep])),
            shape=(n_docs, len(self.vocabulary_)),
            dtype=self.dtype,
        )
        X.sum_duplicates()  # counts per n-gram, columns sorted
        return X


class _CharStore:
    """The in-vocabulary n-gram counts of every word a `char_wb` vectorizer has met, one row a
    word, in arrays that grow (by doubling) as new words come."""

    def __init__(self, vectorizer: TfidfVectorizer):
        self.vectorizer = vectorizer
        self.dtype = vectorizer.dtype
        self.n_features = len(vectorizer.vocabulary_)
        self.row_of: dict[str, int] = {}
        self.n_rows = 0
        self.nnz = 0
        self.indptr = np.zeros(1025, dtype=np.int64)
        self.indices = np.zeros(16384, dtype=np.int32)
        self.data = np.zeros(16384, dtype=self.dtype)

    def rows_of(self, words: list[str]) -> tuple[list[int], Any]:
        """Each word's row (new words analysed and added), and the (words x n-grams) matrix of
        the rows so far."""
        with _LOCK:
            rows = list(map(self.row_of.get, words))
            if None in rows:
                self._add(
                    list(dict.fromkeys(w for w, r in zip(words, rows, strict=True) if r is None))
                )
                rows = list(map(self.row_of.__getitem__, words))
            n, nnz = self.n_rows, self.nnz
            # Views of the arrays as they are now: a later _add writes past them or into new
            # arrays, never into them.
            matrix = sp.csr_matrix(
                (self.data[:nnz], self.indices[:nnz], self.indptr[: n + 1]),
                shape=(n, self.n_features),
            )
        return rows, matrix  # type: ignore[return-value]

    def _add(self, words: list[str]) -> None:
        """Rows for new distinct words: their n-grams made and looked up for the whole batch
        (a list comprehension per n-gram size, one map into the vocabulary, then numpy), not
        word by word."""
        grams, rows = padded_ngrams(words, *self.vectorizer.ngram_range)
        columns = np.fromiter(
            map(self.vectorizer.vocabulary_.get, grams, repeat(-1)),
            dtype=np.int64,
            count=len(grams),
        )
        known = columns >= 0
        block = sp.csr_matrix(
            (np.ones(int(known.sum()), dtype=self.dtype), (rows[known], columns[known])),
            shape=(len(words), self.n_features),
        )
        block.sum_duplicates()  # counts per n-gram, columns sorted
        first, start, end = self.n_rows, self.nnz, self.nnz + block.nnz
        last = first + len(words)
        if last + 1 > len(self.indptr):
            self.indptr = _grown(self.indptr, last + 1)
        if end > len(self.indices):
            self.indices, self.data = _grown(self.indices, end), _grown(self.data, end)
        self.indices[start:end] = block.indices
        self.data[start:end] = block.data
        self.indptr[first + 1 : last + 1] = start + block.indptr[1:]
        self.row_of.update(zip(words, range(first, last), strict=True))
        self.n_rows, self.nnz = last, end


def padded_ngrams(words: list[str], min_n: int, max_n: int) -> tuple[list[str], np.ndarray]:
    """The n-grams scikit-learn's char_wb analyzer makes of each word (no whitespace inside),
    all words together, and the index of the word each comes from. A word padded with a space
    either side (length L) gives every substring of each length n < L, itself at n = L, and
    itself once when L < min_n: scikit-learn's loop stops at the first n >= L."""
    padded = [f" {w} " for w in words]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    index = np.arange(len(padded), dtype=np.int64)
    grams: list[str] = []
    rows = []
    short = lengths < min_n
    if short.any():
        grams.extend(p for p, s in zip(padded, short.tolist(), strict=True) if s)
        rows.append(index[short])
    for n in range(min_n, max_n + 1):
        grams.extend([p[i : i + n] for p in padded for i in range(len(p) - n + 1)])
        rows.append(np.repeat(index, np.maximum(lengths - n + 1, 0)))
    return grams, np.concatenate(rows) if rows else index[:0]


def _grown(array: np.ndarray, needed: int) -> np.ndarray:
    """A copy of `array` at least twice as long and at least `needed` long."""
    out = np.zeros(max(needed, 2 * len(array)), dtype=array.dtype)
    out[: len(array)] = array
    return out


class _WordTables:
    """A fitted `word` vectorizer's vocabulary as numbers: each token met in its n-grams has a
    number; a unigram's column is looked up by its token's number, a longer n-gram's by its key
    (its tokens' numbers as digits in base `base`) among the sorted keys. Also the numbers of
    the tokens of each chunk met so far."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.tokenize = vectorizer.build_tokenizer()
        self.token_number: dict[str, int] = {}
        split = [(key.split(" "), column) for key, column in vectorizer.vocabulary_.items()]
        for parts, _ in split:
            for part in parts:
                self.token_number.setdefault(part, len(self.token_number))
        self.base = max(len(self.token_number), 1)
        # One more slot: token number -1 (unknown) looks up column -1.
        self.unigram_column = np.full(self.base + 1, -1, dtype=np.int32)
        longer: dict[int, tuple[list[int], list[int]]] = {}
        for parts, column in split:
            if len(parts) == 1:
                self.unigram_column[self.token_number[parts[0]]] = column
                continue
            key = 0
            for part in parts:
                key = key * self.base + self.token_number[part]
            keys, columns = longer.setdefault(len(parts), ([], []))
            keys.append(key)
            columns.append(column)
        self.keys: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n, (keys, columns) in longer.items():
            key_array = np.asarray(keys, dtype=np.int64)
            order = np.argsort(key_array)
            self.keys[n] = (key_array[order], np.asarray(columns, dtype=np.int32)[order])
        self._chunks: dict[str, tuple[int, ...]] = {"\n": (-1,)}

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer) -> _WordTables:
        return cls(vectorizer)

    def chunk_ids(self, chunks: list[str]) -> list[tuple[int, ...]]:
        """The token numbers of each chunk (-1: a token in no n-gram of the vocabulary)."""
        cache = self._chunks
        if len(cache) > WORD_CACHE_SIZE:
            with _LOCK:
                cache = self._chunks = {"\n": (-1,)}
        found = list(map(cache.get, chunks))
        if None in found:
            number, tokenize = self.token_number.get, self.tokenize
            for i, ids in enumerate(found):
                if ids is None:
                    chunk = chunks[i]
                    found[i] = cache[chunk] = tuple(map(number, tokenize(chunk), repeat(-1)))
        return found  # type: ignore[return-value]

    def columns(self, tokens: np.ndarray, n: int) -> np.ndarray:
        """The column of the n-gram that starts at each position of `tokens` (-1: none), for
        the positions where n tokens remain."""
        count = max(len(tokens) - n + 1, 0)
        if n == 1:
            return self.unigram_column[tokens]
        found = np.full(count, -1, dtype=np.int32)
        keys, columns = self.keys.get(n, (np.zeros(0, np.int64), np.zeros(0, np.int32)))
        if not len(keys) or not count:
            return found
        key = tokens[:count].copy()
        valid = key >= 0
        for k in range(1, n):
            part = tokens[k : k + count]
            valid &= part >= 0
            key = key * self.base + part
        where = np.flatnonzero(valid)
        at = np.minimum(np.searchsorted(keys, key[where]), len(keys) - 1)
        hit = keys[at] == key[where]
        found[where[hit]] = columns[at[hit]]
        return found


def _fast_word(vectorizer: TfidfVectorizer) -> bool:
    """Whether the faster `word` transform applies: a plain word analyzer (scikit-learn's
    preprocessing and tokenizer, a token pattern whose tokens hold no whitespace, no stop
    words) whose n-gram keys fit in 63 bits."""
    if not (
        vectorizer.analyzer == "word"
        and vectorizer.stop_words is None
        and vectorizer.tokenizer is None
        and vectorizer.token_pattern in _CHUNKABLE_PATTERNS
    ):
        return False
    max_n = vectorizer.ngram_range[1]
    tokens = max_n * len(getattr(vectorizer, "vocabulary_", None) or {}) + 1
    return bool(tokens**max_n < 2**62)


def accelerate(pipeline: Any) -> Any:
    """Give every fitted `char_wb` or `word` TfidfVectorizer of a pipeline (in Pipeline steps and
    FeatureUnion parts, at any depth) the word-cached transform; returns the same pipeline."""
    stack = [pipeline]
    while stack:
        est = stack.pop()
        if type(est) is TfidfVectorizer and (est.analyzer == "char_wb" or _fast_word(est)):
            est.__class__ = WordCachedTfidfVectorizer
        for attr in ("steps", "transformer_list"):
            stack.extend(sub for _, sub in getattr(est, attr, None) or [])
    return pipeline
