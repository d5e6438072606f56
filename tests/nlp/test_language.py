import pytest

from nlp.language import detect_language, detect_languages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My parcel never arrived and nobody answers the phone", "en"),
        ("Thanks a lot, the advisor was really helpful", "en"),
        ("Mon colis n'est jamais arrivé et personne ne répond", "fr"),
        ("Merci beaucoup, la conseillère a été très efficace", "fr"),
        ("Je suis vraiment déçu par votre service client", "fr"),
        ("", "und"),
        ("    ", "und"),
        ("😡😡😡", "und"),
        ("12345 678 !!!", "und"),
        ("\x00\x01\x02", "und"),
    ],
)
def test_detect_language(text, expected):
    language, confidence = detect_language(text)
    assert language == expected
    assert 0.0 <= confidence <= 1.0
    if expected == "und":
        assert confidence == 0.0
    else:
        assert confidence >= 0.6


def test_batch_keeps_order_and_length():
    texts = ["Bonjour, ma facture est fausse", "", "Hello, my bill is wrong"] * 3
    results = detect_languages(texts)
    assert [lang for lang, _ in results] == ["fr", "und", "en"] * 3


def test_huge_text():
    assert detect_language("the delivery is late again " * 10_000)[0] == "en"
