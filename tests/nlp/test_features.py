import pytest

from nlp.features import MAX_CLASSIFIER_CHARS, decode_literal_escapes, prepare_for_classifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@SNCF soooo late!!!", "@user soo late!!!"),
        ("see https://t.co/AbC and www.example.com", "see http and http"),
        ("mail a@b.fr", "mail a@b.fr"),  # an email is not a mention
        ("cooool 1000000", "cool 1000000"),  # digits are not squashed
        ("", ""),
    ],
)
def test_prepare_for_classifier(text, expected):
    assert prepare_for_classifier(text) == expected


def test_prepare_bounds_length():
    assert len(prepare_for_classifier("ab " * 100_000)) == MAX_CLASSIFIER_CHARS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\\u002c b", "a, b"),
        ("it\\u2019s", "it’s"),
        ("\\ud83d\\ude0a", "😊"),
        ("no escapes", "no escapes"),
    ],
)
def test_decode_literal_escapes(text, expected):
    assert decode_literal_escapes(text) == expected
