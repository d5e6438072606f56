import gc
import math

import pytest

from casebook_data import MODELS_DIR, TAXONOMY_FILE
from nlp import Analyzer, CommentAnalysis, PiiSpan
from nlp.analyze import analyzer_version
from nlp.emotion import EMOTIONS
from nlp.language import LANGUAGE_CODES


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer.load()


def _check_invariants(result: CommentAnalysis):
    assert result.language in LANGUAGE_CODES  # en, fr, und or another ISO 639-1 code
    assert 0.0 <= result.language_confidence <= 1.0
    assert result.sentiment in {"negative", "neutral", "positive"}
    assert -1.0 <= result.sentiment_score <= 1.0
    assert list(result.emotions) == list(EMOTIONS)
    assert math.isclose(sum(result.emotions.values()), 1.0, abs_tol=1e-3)
    assert result.emotion == max(result.emotions, key=result.emotions.get)
    assert 0.0 <= result.intensity <= 1.0
    assert 0.0 <= result.situation_confidence <= 1.0
    assert result.situation_runner_up != result.situation or result.situation == "other"
    assert set(result.risks) <= {"churn", "legal", "safety", "public_escalation"}
    assert all(isinstance(s, PiiSpan) for s in result.pii)


def test_version(analyzer):
    assert analyzer.version[:4].isdigit() and "-" in analyzer.version


def test_analyzer_version_is_read_from_the_files_without_loading(analyzer, tmp_path):
    assert analyzer_version() == analyzer.version
    assert analyzer_version(MODELS_DIR, TAXONOMY_FILE) == analyzer.version
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_bytes(TAXONOMY_FILE.read_bytes())
    assert analyzer_version(taxonomy_path=taxonomy) == analyzer.version
    taxonomy.write_bytes(TAXONOMY_FILE.read_bytes() + b"\n# edited\n")
    assert analyzer_version(taxonomy_path=taxonomy) != analyzer.version


@pytest.mark.parametrize(
    ("text", "language", "sentiment", "situation"),
    [
        (
            "Thank you so much, the advisor was amazing and solved everything!",
            "en",
            "positive",
            "praise",
        ),
        (
            "Worst company ever, I was charged twice on my bill. I'm furious",
            "en",
            "negative",
            "billing_payment",
        ),
        (
            "Merci beaucoup, livraison rapide et conseillère adorable, je suis ravie !",
            "fr",
            "positive",
            "praise",
        ),
        (
            "Colis jamais arrivé, service client nul, je suis très déçu",
            "fr",
            "negative",
            "delivery_logistics",
        ),
    ],
)
def test_analyze_examples(analyzer, text, language, sentiment, situation):
    (result,) = analyzer.analyze([text])
    _check_invariants(result)
    assert result.language == language
    assert result.sentiment == sentiment
    assert result.situation == situation


def test_redaction_and_offsets(analyzer):
    text = "Call me on 06 12 34 56 78   or mail jean@example.fr — I'll cancel my contract"
    (result,) = analyzer.analyze([text])
    assert [(p.type, text[p.start : p.end]) for p in result.pii] == [
        ("PHONE", "06 12 34 56 78"),
        ("EMAIL", "jean@example.fr"),
    ]
    assert result.redacted_text == "Call me on [PHONE] or mail [EMAIL] — I'll cancel my contract"
    assert result.risks == ["churn"]


def test_situation_runner_up(analyzer):
    both, one = analyzer.analyze(
        [
            "I was charged twice for an order that never arrived, where is my parcel?",
            "Colis jamais arrivé",
        ]
    )
    assert {both.situation, both.situation_runner_up} == {"billing_payment", "delivery_logistics"}
    assert (one.situation, one.situation_runner_up) == ("delivery_logistics", "other")


def test_emotion_and_intensity(analyzer):
    calm, angry = analyzer.analyze(
        ["My order arrived today.", "I AM SO ANGRY!!! This is UNACCEPTABLE 😡😡"]
    )
    assert angry.emotion == "anger"
    assert angry.intensity > calm.intensity + 0.3


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   \n\t ",
        "x" * 100_000,
        "é" * 50_000 + " colis " * 1000,
        "\x00\xff\ufffd\x01" * 100,
        "😡😡😡",
        "🙂",
        "!!!???",
        "1234",
        None,
        b"\xff\xfe binary \x00",
        3.14,
    ],
)
def test_bad_input_gives_defined_result(analyzer, bad):
    (result,) = analyzer.analyze([bad])
    _check_invariants(result)


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_empty_is_neutral_und(analyzer, empty):
    (result,) = analyzer.analyze([empty])
    assert (result.language, result.sentiment, result.emotion, result.situation) == (
        "und",
        "neutral",
        "neutral",
        "other",
    )
    assert result.sentiment_score == 0.0 and result.intensity == 0.0 and result.pii == []


def test_batch_order_and_empty_batch(analyzer):
    texts = ["merci beaucoup", "", "terrible service", "bonjour"] * 25
    results = analyzer.analyze(texts)
    assert len(results) == 100
    single = [analyzer.analyze([t])[0] for t in texts[:4]]
    assert results[:4] == single
    assert analyzer.analyze([]) == []


def test_analysis_pauses_the_cycle_collector_and_gives_it_back(analyzer, monkeypatch):
    seen = []
    real = analyzer.sentiment.predict

    def predict(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(analyzer.sentiment, "predict", predict)
    assert gc.isenabled()
    analyzer.analyze(["The app crashed again, fix it"])
    assert seen == [False] and gc.isenabled()


def test_results_are_frozen(analyzer):
    (result,) = analyzer.analyze(["hello"])
    with pytest.raises(AttributeError):
        result.sentiment = "positive"


def test_placeholders_do_not_make_french_english(analyzer):
    (result,) = analyzer.analyze(["Rappelez-moi au 06 12 34 56 78 ou à jean@exemple.fr"])
    assert result.language == "fr"
    assert result.redacted_text == "Rappelez-moi au [PHONE] ou à [EMAIL]"


def test_the_analyzer_reads_the_language_screen_of_its_models_folder(analyzer, tmp_path):
    import shutil

    assert analyzer.language_screen is not None  # shipped in data/models/language
    without = tmp_path / "models"
    shutil.copytree(MODELS_DIR, without, ignore=shutil.ignore_patterns("language"))
    lingua_alone = Analyzer.load(without)
    assert lingua_alone.language_screen is None
    assert lingua_alone.version != analyzer.version == analyzer_version()
    texts = [
        "Merci beaucoup pour votre aide",
        "Thanks a lot for your help",
        "Gracias por todo, el pedido llegó muy rápido y en perfecto estado",
    ]
    assert [r.language for r in analyzer.analyze(texts)] == ["fr", "en", "es"]
    assert [r.language for r in lingua_alone.analyze(texts)][:2] == ["fr", "en"]
