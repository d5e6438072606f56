"""VADER's polarity scores (vaderSentiment 3.3.2), the same numbers computed faster.

vaderSentiment's SentimentIntensityAnalyzer walks the characters of every text in Python to find
emoji, and for every lexicon word lower-cases the whole text's words again (up to five times) and
scans its 60 negation words as a list. FastVader keeps its lexicons, rules and arithmetic, in the
same order, and only removes that repeated work: emoji are looked for only in texts that hold one,
the words are lower-cased once per text, negation words are a set. tests/nlp/test_vader.py checks
that every score equals the original's on generated texts built from VADER's own word lists.

(VADER: C.J. Hutto and E.E. Gilbert, ICWSM 2014; MIT licence.)
"""

from __future__ import annotations

import string
from typing import Any

from vaderSentiment import vaderSentiment as _vs

_PUNCTUATION = string.punctuation
_NEGATE = frozenset(_vs.NEGATE)
_BOOSTERS = _vs.BOOSTER_DICT
_SPECIAL_CASES = _vs.SPECIAL_CASES
_N_SCALAR = _vs.N_SCALAR
_C_INCR = _vs.C_INCR
_scalar_inc_dec = _vs.scalar_inc_dec
_normalize = _vs.normalize


def _negated(word: str) -> bool:
    """vaderSentiment.negated([word]) for one word."""
    word = word.lower()
    return word in _NEGATE or "n't" in word


class FastVader(_vs.SentimentIntensityAnalyzer):  # type: ignore[misc]
    """SentimentIntensityAnalyzer with the same polarity_scores, faster."""

    def __init__(self) -> None:
        super().__init__()
        # The original looks emoji up one character at a time: only 1-character keys can match.
        self._emoji_chars = frozenset(k for k in self.emojis if len(k) == 1)

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)  # emoji to their descriptions: the original
        text = text.strip()
        return self.score_valence(self._sentiments(text), text)

    def compound(self, text: str) -> float:
        """polarity_scores(text)["compound"], without the other scores."""
        if not self._emoji_chars.isdisjoint(text):
            return float(super().polarity_scores(text)["compound"])
        text = text.strip()
        sentiments = self._sentiments(text)
        if not sentiments:
            return 0.0
        # score_valence's compound (without its positive, negative and neutral shares).
        sum_s = float(sum(sentiments))
        punct_emph_amplifier = self._punctuation_emphasis(text)
        if sum_s > 0:
            sum_s += punct_emph_amplifier
        elif sum_s < 0:
            sum_s -= punct_emph_amplifier
        return round(_normalize(sum_s), 4)

    def _sentiments(self, text: str) -> list[Any]:
        """The valence of each word of a stripped text without emoji, after the "but" rule."""
        words = [
            w if len(stripped := w.strip(_PUNCTUATION)) <= 2 else stripped for w in text.split()
        ]
        n = len(words)
        lower = [w.lower() for w in words]
        lexicon = self.lexicon
        if lexicon.keys().isdisjoint(lower):
            # No lexicon word: every valence is 0 (the "but" rule scales zeros).
            return [0] * n
        upper = sum(1 for w in words if w.isupper())
        is_cap_diff = 0 < n - upper < n
        sentiments: list[Any] = []
        for i, low in enumerate(lower):
            if low in _BOOSTERS or (i < n - 1 and low == "kind" and lower[i + 1] == "of"):
                sentiments.append(0)
            elif low in lexicon:
                sentiments.append(self._valence(words, lower, i, is_cap_diff))
            else:
                sentiments.append(0)
        if "but" in lower:
            sentiments = self._but_check(words, sentiments)
        return sentiments

    def _valence(self, words: list[str], lower: list[str], i: int, is_cap_diff: bool) -> Any:
        """sentiment_valence of a lexicon word (words[i]), as vaderSentiment computes it."""
        lexicon = self.lexicon
        item, low = words[i], lower[i]
        valence = lexicon[low]
        if low == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ["or", "nor"])
        ):
            valence = lexicon[low] * _N_SCALAR
        if item.isupper() and is_cap_diff:
            if valence > 0:
                valence += _C_INCR
            else:
                valence -= _C_INCR
        for start_i in range(0, 3):
            if i > start_i and lower[i - (start_i + 1)] not in lexicon:
                s = _scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lower, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, lower, i)
        return self._least_check_lower(valence, lower, i)

    def _least_check_lower(self, valence: Any, lower: list[str], i: int) -> Any:
        """_least_check on lower-cased words."""
        lexicon = self.lexicon
        if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
            if lower[i - 2] != "at" and lower[i - 2] != "very":
                valence = valence * _N_SCALAR
        elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
            valence = valence * _N_SCALAR
        return valence


def _negation_check(valence: Any, lower: list[str], start_i: int, i: int) -> Any:
    """SentimentIntensityAnalyzer._negation_check on lower-cased words."""
    if start_i == 0 and _negated(lower[i - (start_i + 1)]):
        valence = valence * _N_SCALAR
    if start_i == 1:
        if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            valence = valence
        elif _negated(lower[i - (start_i + 1)]):
            valence = valence * _N_SCALAR
    if start_i == 2:
        if (
            lower[i - 3] == "never"
            and (lower[i - 2] == "so" or lower[i - 2] == "this")
            or (lower[i - 1] == "so" or lower[i - 1] == "this")
        ):
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            valence = valence
        elif _negated(lower[i - (start_i + 1)]):
            valence = valence * _N_SCALAR
    return valence


def _special_idioms_check(valence: Any, lower: list[str], i: int) -> Any:
    """SentimentIntensityAnalyzer._special_idioms_check on lower-cased words."""
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[seq]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in _BOOSTERS:
            valence = valence + _BOOSTERS[n_gram]
    return valence
