"""The word-cached char_wb transform gives scikit-learn's matrix, entry for entry."""

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


def _pair(**params):
    slow = TfidfVectorizer(analyzer="char_wb", dtype=np.float32, **params).fit(CORPUS)
    fast = TfidfVectorizer(analyzer="char_wb", dtype=np.float32, **params).fit(CORPUS)
    fast.__class__ = WordCachedTfidfVectorizer
    return slow, fast


@pytest.mark.parametrize(
    "params",
    [
        {"ngram_range": (3, 5), "sublinear_tf": True},
        {"ngram_range": (2, 5), "min_df": 2},
        {"ngram_range": (1, 3), "lowercase": False, "binary": True},
        {"ngram_range": (3, 5), "max_features": 40, "norm": None, "use_idf": False},
    ],
)
@settings(max_examples=60, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=6))
def test_same_matrix_as_scikit_learn(params, texts):
    slow, fast = _pair(**params)
    expected, got = slow.transform(texts), fast.transform(texts)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert (abs(expected - got) > 0).nnz == 0
    # A second pass, from the cache, gives the same again.
    assert (abs(expected - fast.transform(texts)) > 0).nnz == 0


def test_accelerate_swaps_only_fitted_char_wb_steps_and_keeps_predictions():
    union = FeatureUnion(
        [
            ("word", TfidfVectorizer()),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))),
        ]
    )
    labels = ["neg", "pos", "neu", "neu", "neu", "neu", "neu"]
    pipe = Pipeline([("features", union), ("clf", LogisticRegression())]).fit(CORPUS, labels)
    before = pipe.predict_proba(CORPUS + ["never again"])
    accelerate(pipe)
    word, char = (step for _, step in pipe.named_steps["features"].transformer_list)
    assert type(word) is TfidfVectorizer and type(char) is WordCachedTfidfVectorizer
    assert np.array_equal(before, pipe.predict_proba(CORPUS + ["never again"]))


def test_word_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(vectorize, "WORD_CACHE_SIZE", 3)
    _, fast = _pair(ngram_range=(2, 3))
    fast.transform(["one two three four five"])
    assert len(fast.__dict__["_word_ngram_counts"]) == 5
    fast.transform(["six"])  # over the bound: the cache starts again
    assert list(fast.__dict__["_word_ngram_counts"]) == ["six"]


def test_shipped_classifiers_load_accelerated():
    from casebook_data import MODELS_DIR
    from nlp.models import load_classifier

    pipeline = load_classifier(MODELS_DIR / "sentiment").pipeline
    steps = dict(pipeline.named_steps["features"].transformer_list)
    assert type(steps["char"]) is WordCachedTfidfVectorizer
