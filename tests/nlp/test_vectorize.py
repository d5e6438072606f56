"""The faster char_wb and word transforms give scikit-learn's matrix, entry for entry."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlp import vectorize
from nlp.vectorize import WordCachedTfidfVectorizer, accelerate

CORPUS = [
    "The parcel never arrived!!! Worst service ever",
    "Merci beaucoup, le conseiller était génial 😀",
    "my order #12345 is late, again... @user http",
    "ÉTÉ été Été\tdouble  space\n\nnew lines",
    "a",
    "",
    "ok ok ok ok",
]
WORDS = st.sampled_from(["parcel", "arrived", "été", "ok", "a", "😀", "!!!", "Merci", "xyz", "ÉTÉ"])
SEPARATORS = st.sampled_from([" ", "  ", "\t", "\n", " \n ", "\u00a0", ""])
TEXTS = st.lists(st.tuples(WORDS | st.text(max_size=12), SEPARATORS).map("".join), max_size=15).map(
    "".join
)


def _identical(expected, got):
    """The same sparse matrix, array for array: the same columns in the same order within each
    row, the same values (so whatever is computed from it sums in the same order)."""
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


def _pair(analyzer="char_wb", **params):
    slow = TfidfVectorizer(analyzer=analyzer, dtype=np.float32, **params).fit(CORPUS)
    fast = TfidfVectorizer(analyzer=analyzer, dtype=np.float32, **params).fit(CORPUS)
    fast.__class__ = WordCachedTfidfVectorizer
    return slow, fast


@pytest.mark.parametrize(
    "params",
    [
        {"ngram_range": (3, 5), "sublinear_tf": True},
        {"ngram_range": (2, 5), "min_df": 2},
        {"ngram_range": (1, 3), "lowercase": False, "binary": True},
        {"ngram_range": (3, 5), "max_features": 40, "norm": None, "use_idf": False},
        # Padded words shorter than the smallest n-gram ("a" -> " a ") count once.
        {"ngram_range": (4, 6)},
    ],
)
@settings(max_examples=60, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=6))
def test_same_matrix_as_scikit_learn(params, texts):
    slow, fast = _pair(**params)
    expected, got = slow.transform(texts), fast.transform(texts)
    _identical(expected, got)
    # A second pass, from the cache, gives the same again.
    _identical(expected, fast.transform(texts))


# The shipped classifiers' word vectorizers use these token patterns.
SENTIMENT_TOKENS = r"(?u)[\w@#']+|[!?]+|[^\w\s]"
EMOTION_TOKENS = r"(?u)[\w']+|[!?]+|[^\w\s]"


@pytest.mark.parametrize(
    "params",
    [
        {"ngram_range": (1, 2), "sublinear_tf": True, "token_pattern": SENTIMENT_TOKENS},
        {"ngram_range": (1, 2), "sublinear_tf": True, "token_pattern": EMOTION_TOKENS},
        {"ngram_range": (1, 1)},
        {"ngram_range": (2, 3), "lowercase": False, "binary": True},
        {"ngram_range": (1, 3), "max_features": 30, "norm": None, "use_idf": False},
    ],
)
@settings(max_examples=60, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=6))
def test_word_ngrams_same_matrix_as_scikit_learn(params, texts):
    slow, fast = _pair(analyzer="word", **params)
    texts = texts + CORPUS  # n-grams of the vocabulary, repeated ones among them
    expected, got = slow.transform(texts), fast.transform(texts)
    _identical(expected, got)
    _identical(expected, fast.transform(texts))
    assert np.array_equal(np.asarray(got.sum(axis=1)), np.asarray(expected.sum(axis=1)))


def test_word_transform_with_stop_words_stays_scikit_learns():
    slow, fast = _pair(analyzer="word", stop_words=["the"], ngram_range=(1, 2))
    assert (abs(slow.transform(CORPUS) - fast.transform(CORPUS)) > 0).nnz == 0
    fast_one = TfidfVectorizer(stop_words=["the"]).fit(CORPUS)
    accelerate(fast_one)
    assert type(fast_one) is TfidfVectorizer


def test_accelerate_swaps_only_fitted_char_wb_and_word_steps_and_keeps_predictions():
    union = FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 2))),
            ("char_wb", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))),
            ("char", TfidfVectorizer(analyzer="char", ngram_range=(2, 3))),
            ("stop", TfidfVectorizer(stop_words=["the"])),
        ]
    )
    labels = ["neg", "pos", "neu", "neu", "neu", "neu", "neu"]
    pipe = Pipeline([("features", union), ("clf", LogisticRegression())]).fit(CORPUS, labels)
    before = pipe.predict_proba(CORPUS + ["never again"])
    accelerate(pipe)
    kinds = {name: type(step) for name, step in pipe.named_steps["features"].transformer_list}
    assert kinds == {
        "word": WordCachedTfidfVectorizer,
        "char_wb": WordCachedTfidfVectorizer,
        "char": TfidfVectorizer,
        "stop": TfidfVectorizer,
    }
    assert np.array_equal(before, pipe.predict_proba(CORPUS + ["never again"]))


def test_word_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(vectorize, "WORD_CACHE_SIZE", 3)
    _, fast = _pair(ngram_range=(2, 3))
    expected = fast.transform(["one two three four five"])
    assert list(fast.__dict__["_char_store"].row_of) == ["one", "two", "three", "four", "five"]
    fast.transform(["six"])  # over the bound: the cache starts again
    assert list(fast.__dict__["_char_store"].row_of) == ["six"]
    _identical(expected, fast.transform(["one two three four five"]))


def test_chunk_cache_of_word_vectorizers_is_bounded(monkeypatch):
    monkeypatch.setattr(vectorize, "WORD_CACHE_SIZE", 3)
    slow, fast = _pair(analyzer="word", ngram_range=(1, 2))
    fast.transform(["the parcel never arrived"])
    assert set(fast.__dict__["_word_tables"]._chunks) == {"\n", "the", "parcel", "never", "arrived"}
    fast.transform(["ok"])  # over the bound: the cache starts again
    assert set(fast.__dict__["_word_tables"]._chunks) == {"\n", "ok"}
    _identical(slow.transform(CORPUS), fast.transform(CORPUS))


@pytest.mark.parametrize("analyzer", ["char_wb", "word"])
def test_bytes_and_generators_read_as_scikit_learn_reads_them(analyzer):
    slow, fast = _pair(analyzer=analyzer, ngram_range=(1, 3))
    raw = [t.encode() for t in CORPUS]
    _identical(slow.transform(raw), fast.transform(raw))
    _identical(slow.transform(iter(CORPUS)), fast.transform(t for t in CORPUS))


def test_shipped_classifiers_load_accelerated():
    from casebook_data import MODELS_DIR
    from nlp.models import load_classifier

    pipeline = load_classifier(MODELS_DIR / "sentiment").pipeline
    steps = dict(pipeline.named_steps["features"].transformer_list)
    assert type(steps["char"]) is WordCachedTfidfVectorizer
    assert type(steps["word"]) is WordCachedTfidfVectorizer
