import random

import pytest

from nlp.features import (
    MAX_CLASSIFIER_CHARS,
    decode_literal_escapes,
    mark_negation,
    prepare_for_classifier,
)


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


# ---------------------------------------------------------------- faster, same output

_PIECES = [
    "not",
    "NOT",
    "Not",
    "no",
    "never",
    "don't",
    "dont",
    "DON'T",
    "didn\u2019t",
    "n'est",
    "N'importe",
    "ne",
    "pas",
    "jamais",
    "'not'",
    "no'",
    "n't",
    "cannot",
    "can't",
    "nothing",
    "nobody",
    "sans",
    "ni",
    "knot",
    "note",
    "nono",
    "#not",
    "@no",
    "good",
    "bad",
    "at",
    "all",
    "tr\u00e8s",
    "\u00e9t\u00e9",
    "I'm",
    "it's",
    "l'avion",
    "K\u212a",
    "\u0130",
    ".",
    ",",
    "!",
    "?",
    ";",
    ":",
    "(",
    ")",
    '"',
    "...",
    ":)",
    ":-(",
    ":'(",
    ">:(",
    "xd",
    "XD",
    "<3",
    "^^",
    "d:",
    ":/",
    ":@",
    "=)",
    "\U0001f60d",
    "\U0001f621",
    "\U0001f622",
    "\u2764",
    "x",
    "d",
]


def _texts(seed: int, n: int = 3000) -> list[str]:
    rng = random.Random(seed)
    return [
        rng.choice(["", " "]).join(
            rng.choice(_PIECES) + rng.choice(["", " ", " ", "  ", "\n"])
            for _ in range(rng.randint(0, 14))
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("seed", range(3))
def test_mark_negation_skips_only_texts_without_a_negator(seed):
    from nlp.features import _mark_scopes

    texts = _texts(seed)
    assert [mark_negation(t) for t in texts] == [_mark_scopes(t) for t in texts]
    # The generated texts do hold negation scopes.
    assert sum("_NEG" in _mark_scopes(t) for t in texts) > len(texts) // 4


@pytest.mark.parametrize("seed", range(3))
def test_symbol_gates_never_skip_a_match(seed):
    from nlp.features import _POLARITY, _POLARITY_GATES, _fold

    texts = [_fold(t) + " " for t in _texts(seed)]
    for pattern, gate in zip(_POLARITY, _POLARITY_GATES, strict=True):
        if gate is None:
            continue
        skipped = [t for t in texts if not gate(t)]
        assert skipped, "the gate lets every text through"
        assert [t for t in skipped if pattern.findall(t)] == []
        assert any(pattern.findall(t) for t in texts)
