"""Faster word and character n-grams for fitted TF-IDF vectorizers, with the same output.

A `char_wb` vectorizer cuts each word (padded with spaces) into n-grams: a word's n-grams depend
on the word alone. Comments reuse the same few thousand words, so counting n-grams text by text
(scikit-learn's way: a Python loop over every n-gram of every text) repeats the same work. Here
each distinct word is analysed once, its n-gram counts are kept, and a batch's count matrix is
(texts x words) @ (words x n-grams), a sparse product done in C. The result is the matrix
scikit-learn computes, entry for entry (tests/nlp/test_vectorize.py checks it); only transform is
changed, and only for fitted `char_wb` vectorizers: fitting is scikit-learn's own.

A `word` vectorizer (no stop words) gets a faster transform too: the same tokens and n-grams,
looked up in the vocabulary by C-level map() over each text's n-grams, and the counts summed by
scipy (scikit-learn's loop counts feature by feature in Python, with a try/except per n-gram).

Shipped classifiers stay plain scikit-learn pipelines on disk; nlp.models.load_classifier swaps
the class of their `char_wb` and `word` steps after loading (`accelerate`).
"""

from __future__ import annotations

import threading
from itertools import chain, count, repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

# Distinct words whose n-gram counts are kept; past this the cache starts again (bounded memory:
# about 500 bytes a word, so at most about 50 MB a vectorizer).
WORD_CACHE_SIZE = 100_000


class WordCachedTfidfVectorizer(TfidfVectorizer):
    """A TfidfVectorizer whose `char_wb` transform analyses each distinct word once, and whose
    `word` transform counts n-grams without a Python loop per n-gram."""

    def _count_vocab(self, raw_documents: Any, fixed_vocab: bool) -> tuple[dict[str, int], Any]:
        if fixed_vocab and self.input == "content" and _fast_word(self):
            return self.vocabulary_, self._count_word_ngrams(raw_documents)
        if not fixed_vocab or self.analyzer != "char_wb" or self.input != "content":
            return super()._count_vocab(raw_documents, fixed_vocab)
        cache = self.__dict__.get("_word_ngram_counts")
        if cache is None or len(cache) > WORD_CACHE_SIZE:
            with _LOCK:
                cache = self.__dict__["_word_ngram_counts"] = {}
        preprocess, decode = self.build_preprocessor(), self.decode
        # scikit-learn's words: split() after `_white_spaces` made runs of spaces one space.
        docs = [preprocess(decode(doc)).split() for doc in raw_documents]
        words = list(chain.from_iterable(docs))
        # word -> its column in the (texts x words) matrix, in order of first occurrence.
        batch_words = dict(zip(dict.fromkeys(words), count()))
        word_columns = list(map(batch_words.__getitem__, words))
        indptr = np.concatenate([[0], np.cumsum(list(map(len, docs)))]).astype(np.int64)
        n_features = len(self.vocabulary_)
        per_word = [cache.get(w) or self._word_counts(w, cache) for w in batch_words]
        lengths = [len(cols) for cols, _ in per_word]
        ngram_counts = sp.csr_matrix(
            (
                np.concatenate([v for _, v in per_word]) if per_word else np.zeros(0, self.dtype),
                np.concatenate([c for c, _ in per_word]) if per_word else np.zeros(0, np.int32),
                np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            ),
            shape=(len(batch_words), n_features),
            dtype=self.dtype,
        )
        word_counts = sp.csr_matrix(
            (np.ones(len(word_columns), dtype=self.dtype), word_columns, indptr),
            shape=(len(indptr) - 1, len(batch_words)),
        )
        word_counts.sum_duplicates()
        X = (word_counts @ ngram_counts).tocsr().astype(self.dtype, copy=False)
        X.sort_indices()
        return self.vocabulary_, X

    def _count_word_ngrams(self, raw_documents: Any) -> Any:
        """The (texts x vocabulary) counts of a `word` analyzer's n-grams: scikit-learn's tokens
        and n-grams ("a b" for two tokens), out-of-vocabulary ones dropped."""
        preprocess, tokenize, decode = (
            self.build_preprocessor(),
            self.build_tokenizer(),
            self.decode,
        )
        get = self.vocabulary_.get
        min_n, max_n = self.ngram_range
        columns: list[int] = []
        indptr = [0]
        for doc in raw_documents:
            tokens = tokenize(preprocess(decode(doc)))
            for n in range(min_n, min(max_n, len(tokens)) + 1):
                grams = (
                    tokens
                    if n == 1
                    else map(" ".join, zip(*(tokens[k:] for k in range(n)), strict=False))
                )
                columns.extend(map(get, grams, repeat(-1)))
            indptr.append(len(columns))
        cols = np.asarray(columns, dtype=np.int32)
        keep = cols >= 0
        # Texts' n-gram counts before dropping unknown n-grams, then the kept ones per text.
        kept_before = np.concatenate([[0], np.cumsum(keep)])
        X = sp.csr_matrix(
            (np.ones(int(keep.sum()), dtype=self.dtype), cols[keep], kept_before[indptr]),
            shape=(len(indptr) - 1, len(self.vocabulary_)),
            dtype=self.dtype,
        )
        X.sum_duplicates()  # counts per n-gram, columns sorted
        return X

    def _word_counts(self, word: str, cache: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
        """In-vocabulary n-gram columns of one word and how often each occurs; kept in cache."""
        vocabulary = self.vocabulary_
        counts: dict[int, int] = {}
        for ngram in self._char_wb_ngrams(word):
            column = vocabulary.get(ngram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        entry = (
            np.fromiter(counts.keys(), dtype=np.int32, count=len(counts)),
            np.fromiter(counts.values(), dtype=self.dtype, count=len(counts)),
        )
        cache[word] = entry
        return entry


_LOCK = threading.Lock()


def _fast_word(vectorizer: TfidfVectorizer) -> bool:
    """Whether the faster `word` transform applies (a plain word analyzer, no stop words)."""
    return vectorizer.analyzer == "word" and vectorizer.stop_words is None


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
