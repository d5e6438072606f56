import random
import unicodedata

import pytest

from nlp import normalize
from nlp.normalize import coerce_text, fix_mojibake, normalize_text, strip_accents


def _every_step(text: str) -> str:
    """normalize_text's steps, each run whatever the text (normalize_text skips those that
    cannot change it)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", fix_mojibake(text))
    text = normalize._CONTROL.sub("", text).replace("\ufffd", "")
    text = normalize._SPACES.sub(" ", text)
    return normalize._NEWLINES.sub("\n", text).strip()


@pytest.mark.parametrize("seed", range(3))
def test_skipped_steps_change_nothing(seed):
    rng = random.Random(seed)
    pieces = [chr(c) for c in range(128)] + ["Ã©", "â€™", "é", "e\u0301", "\u00a0", "\u2003"]
    pieces += ["\u200b", "\ufeff", "\ufffd", "\u2028", "\uffff", "😡", "  ", " \n ", "ok"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    assert [t for t in texts if normalize_text(t) != _every_step(t)] == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  hello   world  ", "hello world"),
        ("a\tb\u00a0c", "a b c"),
        ("line one\r\n\r\n\n  line two", "line one\nline two"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("nul\x00byte\x07", "nulbyte"),
        ("Ã©tÃ© trÃ¨s chaud", "été très chaud"),
        ("Itâ€™s fine", "It’s fine"),
        ("déjà vu", "déjà vu"),  # correct text is left alone
        ("e\u0301te\u0301", "été"),  # NFC
        ("see https://ex.com/a?b=1 @SNCF #fail 😡", "see https://ex.com/a?b=1 @SNCF #fail 😡"),
        ("", ""),
        ("   \n\t ", ""),
        (None, ""),
        (b"caf\xc3\xa9 \xff", "café"),
        (42, "42"),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("text", ["naïve café", "Ça coûte 5 €", "Â bientôt"])
def test_fix_mojibake_leaves_clean_text(text):
    assert fix_mojibake(text) == text


def test_coerce_text_survives_broken_str():
    class Bad:
        def __str__(self):
            raise RuntimeError("no")

    assert coerce_text(Bad()) == ""


def test_long_text_is_kept_whole():
    text = "word " * 20_000
    assert len(normalize_text(text)) == len(text) - 1


def _accentless_reference(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def test_strip_accents_is_the_decomposition_without_marks():
    # Every character of the Basic Multilingual Plane (surrogates aside) and some beyond it.
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    chars += ["😡", "𝐀", "🇫🇷", "\U000e0001"]
    assert [c for c in chars if strip_accents(c) != _accentless_reference(c)] == []
    # Texts: combining marks out of canonical order, Hangul, ligatures, French accents.
    rng = random.Random(7)
    pieces = ["é", "e\u0301", "\u0327\u0301", "c\u0327", "한", "ﬁ", "Œ", "À", "ŉ", "ǅ", "x", " "]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(2000)]
    texts += ["Très déçu", "ÇA NE VA PAS", "naïve café"]
    assert [t for t in texts if strip_accents(t) != _accentless_reference(t)] == []
    assert strip_accents("Très déçu, ﬁn") == "Tres decu, fin"
