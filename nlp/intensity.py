"""How charged a comment is, in [0, 1]: a transparent heuristic, not a trained classifier."""

from __future__ import annotations

import re

from nlp.situation import fold

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
_WORD_RUN_RE = re.compile(r"\w+")
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


def _swear_count(folded: str) -> int:
    """Swear words in a folded text (the regex runs only when one of their words is there)."""
    if _SWEAR_FIRST_WORDS.isdisjoint(_WORD_RUN_RE.findall(folded)):
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
    """Combine the signals with a noisy-or: any strong signal makes a charged text."""
    calm = 1.0
    for name, value in intensity_signals(text, sentiment_score).items():
        calm *= 1.0 - WEIGHTS[name] * value
    return round(min(1.0, max(0.0, 1.0 - calm)), 4)
