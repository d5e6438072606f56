"""How charged a comment is, in [0, 1]: a transparent heuristic, not a trained classifier."""

from __future__ import annotations

import re

from nlp.situation import fold, word_runs

SWEARING = (
    "fuck",
    "fucking",
    "shit",
    "crap",
    "damn",
    "bullshit",
    "wtf",
    "bastard",
    "asshole",
    "bloody",
    "merde",
    "putain",
    "bordel",
    "connard",
    "connards",
    "conne",
    "salaud",
    "salauds",
    "chier",
    "foutu",
    "foutage de gueule",
    "enfoire",
    "enfoires",
    "pourri",
    "pourris",
    "ptn",
    "fdp",
)
STRONG_EMOJI = "😡🤬😠👿💢🤮🤢😱😭💔🤯😤🖕💩"

_SWEAR_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in SWEARING) + r")(?!\w)")
_PUNCT_RUN_RE = re.compile(r"[!?]{2,}")
_ELONGATION_RE = re.compile(r"([^\W\d_])\1{2,}")
_STRONG_EMOJI_RE = re.compile("|".join(re.escape(e) for e in STRONG_EMOJI))
# Gates (same counts, fewer regex scans): a swear word matches a whole run of word characters
# (a phrase: its first word does), and every strong emoji is one character.
_SWEAR_FIRST_WORDS = frozenset(w.split(" ")[0] for w in SWEARING)
_STRONG_EMOJI_CHARS = frozenset(STRONG_EMOJI)
_SHOUT_RE = re.compile(r"\b[A-ZÀ-Ý]{3,}\b")

# Noisy-or weights: how far each signal alone can push intensity.
WEIGHTS = {
    "shouting": 0.5,
    "punctuation": 0.45,
    "elongation": 0.3,
    "swearing": 0.6,
    "emoji": 0.45,
    "sentiment": 0.5,
}
_W_SHOUTING, _W_PUNCTUATION, _W_ELONGATION, _W_SWEARING, _W_EMOJI, _W_SENTIMENT = (
    WEIGHTS[name]
    for name in ("shouting", "punctuation", "elongation", "swearing", "emoji", "sentiment")
)
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_ASCII_UPPER = bytes(range(65, 91))


def _swear_count(folded: str) -> int:
    """Swear words in a folded text (the regex runs only when one of their words is there)."""
    if _SWEAR_FIRST_WORDS.isdisjoint(word_runs(folded)):
        return 0
    return len(_SWEAR_RE.findall(folded))


def intensity_signals(text: str, sentiment_score: float = 0.0) -> dict[str, float]:
    """Each signal in [0, 1]."""
    # map() over the characters: the same counts as a generator, a few times faster.
    letters = sum(map(str.isalpha, text))
    upper = sum(map(str.isupper, text))
    shout = 0.0
    if letters >= 8:
        shout = min(1.0, max(0.0, upper / letters - 0.25) / 0.5)
    if shout == 0.0 and len(_SHOUT_RE.findall(text)) >= 2:
        shout = 0.5
    exclamations = text.count("!")
    punctuation = min(1.0, 0.5 * len(_PUNCT_RUN_RE.findall(text)) + 0.15 * exclamations)
    return {
        "shouting": shout,
        "punctuation": punctuation,
        "elongation": min(1.0, 0.5 * len(_ELONGATION_RE.findall(text))),
        "swearing": min(1.0, 0.7 * _swear_count(fold(text))),
        "emoji": min(1.0, 0.5 * len(_STRONG_EMOJI_RE.findall(text)))
        if not _STRONG_EMOJI_CHARS.isdisjoint(text)
        else 0.0,
        "sentiment": min(1.0, abs(float(sentiment_score))),
    }


def intensity(text: str, sentiment_score: float = 0.0) -> float:
    """Combine the signals with a noisy-or: any strong signal makes a charged text.

    The noisy-or of intensity_signals, computed with the same numbers in the same order but
    fewer passes over the text: ASCII letters counted by bytes.translate, regexes skipped where
    they cannot match, signals of 0 skipped (a factor of exactly 1).
    (tests/nlp/test_intensity.py checks it against the signals.)"""
    calm = 1.0
    if text.isascii():
        raw = text.encode("ascii")
        letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
        upper = len(raw) - len(raw.translate(None, _ASCII_UPPER))
        # Two shouted words need six capitals (ASCII has no other letter of _SHOUT_RE).
        may_shout_words = upper >= 6
    else:
        letters = sum(map(str.isalpha, text))
        upper = sum(map(str.isupper, text))
        may_shout_words = True
    shout = 0.0
    if letters >= 8:
        shout = min(1.0, max(0.0, upper / letters - 0.25) / 0.5)
    if shout == 0.0 and may_shout_words and len(_SHOUT_RE.findall(text)) >= 2:
        shout = 0.5
    if shout:
        calm *= 1.0 - _W_SHOUTING * shout
    exclamations = text.count("!")
    # A run of [!?] needs two of them.
    runs = len(_PUNCT_RUN_RE.findall(text)) if exclamations + text.count("?") >= 2 else 0
    punctuation = min(1.0, 0.5 * runs + 0.15 * exclamations)
    if punctuation:
        calm *= 1.0 - _W_PUNCTUATION * punctuation
    elongation = min(1.0, 0.5 * len(_ELONGATION_RE.findall(text)))
    if elongation:
        calm *= 1.0 - _W_ELONGATION * elongation
    swearing = min(1.0, 0.7 * _swear_count(fold(text)))
    if swearing:
        calm *= 1.0 - _W_SWEARING * swearing
    if not _STRONG_EMOJI_CHARS.isdisjoint(text):
        emoji = min(1.0, 0.5 * len(_STRONG_EMOJI_RE.findall(text)))
        if emoji:
            calm *= 1.0 - _W_EMOJI * emoji
    sentiment = min(1.0, abs(float(sentiment_score)))
    if sentiment:
        calm *= 1.0 - _W_SENTIMENT * sentiment
    return round(min(1.0, max(0.0, 1.0 - calm)), 4)
