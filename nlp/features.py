"""Text preparation shared by training and inference, so a classifier sees the same input in both."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

from nlp import lexicon_polarity as lex
from nlp.keywords import trie_alternation
from nlp.normalize import strip_accents
from nlp.vader import FastVader

# Classifiers see at most this many characters: enough for a comment, bounded cost on huge texts.
MAX_CLASSIFIER_CHARS = 2000

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w{1,30}")
# Three or more of the same letter ("soooo") become two: fewer rare variants of one word.
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def decode_literal_escapes(text: str) -> str:
    """Turn literal `\\u002c` escapes (as in some SemEval exports) into the characters they stand for."""
    if "\\u" not in text:
        return text
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    # Escaped emoji come as surrogate pairs: join them back.
    return decoded.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def prepare_for_classifier(text: str) -> str:
    """Mask what carries no sentiment but varies a lot (URLs, user names, letter elongation);
    bound the length."""
    text = text[:MAX_CLASSIFIER_CHARS]
    if "http" in text or "www." in text:
        text = _URL.sub("http", text)
    if "@" in text:
        text = _MENTION.sub("@user", text)
    return _ELONGATION.sub(r"\1\1", text)


# ---------------------------------------------------------------- sentiment input

# Words that open a negation scope (folded); the scope ends at punctuation.
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "nowhere",
        "nor",
        "neither",
        "without",
        "cannot",
        "cant",
        "dont",
        "wont",
        "isnt",
        "aint",
        "doesnt",
        "didnt",
        "wasnt",
        "werent",
        "havent",
        "hasnt",
        "couldnt",
        "shouldnt",
        "wouldnt",
        "ne",
        "pas",
        "jamais",
        "rien",
        "aucun",
        "aucune",
        "sans",
        "ni",
        "personne",
    ]
)
_SCOPE_TOKEN = re.compile(r"[\w@#'\u2019]+|[.,!?;:()\"]")
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
_PSEUDO_CAP = 3  # at most this many copies of a pseudo-token


def _polarity_patterns() -> tuple[re.Pattern[str], ...]:
    def words(entries: tuple[str, ...]) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(?:" + trie_alternation(entries) + ")")

    def symbols(entries: tuple[str, ...] | str) -> re.Pattern[str]:
        body = "|".join(re.escape(w) for w in sorted(set(entries), key=len, reverse=True))
        return re.compile("(?:" + body + ")")

    return (
        words(lex.POSITIVE),
        words(lex.NEGATIVE),
        symbols(lex.EMOTICONS_POSITIVE + tuple(lex.EMOJI_POSITIVE)),
        symbols(lex.EMOTICONS_NEGATIVE + tuple(lex.EMOJI_NEGATIVE)),
    )


_POLARITY = _polarity_patterns()
_POLARITY_TOKENS = ("zzlexpos", "zzlexneg", "zzemopos", "zzemoneg")


class _SymbolGate:
    """A cheap test that a text may hold one of the entries: each entry's first character that
    is not a letter or digit (':' of ':)', an emoji), or the whole entry when it has none ('xd').
    False means the entries' pattern finds nothing in the text."""

    def __init__(self, entries: tuple[str, ...] | str):
        keys = [next((ch for ch in e if not ch.isalnum()), e) for e in entries]
        self.chars = frozenset(k for k in keys if len(k) == 1)
        self.words = tuple(sorted({k for k in keys if len(k) > 1}))

    def __call__(self, text: str) -> bool:
        return not self.chars.isdisjoint(text) or any(w in text for w in self.words)


# No gate for the word lists (most texts hold one of their words).
_POLARITY_GATES = (
    None,
    None,
    _SymbolGate(lex.EMOTICONS_POSITIVE + tuple(lex.EMOJI_POSITIVE)),
    _SymbolGate(lex.EMOTICONS_NEGATIVE + tuple(lex.EMOJI_NEGATIVE)),
)


def _fold(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    return strip_accents(text)


# A text where this finds nothing holds no negator (see _may_negate).
_NEGATOR_RE = re.compile(r"(?<![\w@#])(?:" + trie_alternation(_NEGATORS) + r")(?![\w@#])")


def _may_negate(text: str) -> bool:
    """False when no token of the text opens a negation scope (mark_negation leaves it as it
    is). A token is a negator when, lower-cased with its apostrophes removed, it is one of
    _NEGATORS (searched in the text lower-cased without apostrophes, where the token stands
    alone), or when it holds "n'" ("don't", "n'est")."""
    low = text.lower().replace("\u2019", "'")
    return "n'" in low or _NEGATOR_RE.search(low.replace("'", "")) is not None


def mark_negation(text: str) -> str:
    """Words after a negator (not, never, n't, ne/n', pas, jamais...) up to the next punctuation
    get a `_NEG` suffix: "not good at all." -> "not good_NEG at_NEG all_NEG."."""
    return _mark_scopes(text) if _may_negate(text) else text


def _mark_scopes(text: str) -> str:
    """mark_negation's work, token by token (on any text; mark_negation skips the texts
    without a negator, which this returns unchanged)."""
    out: list[str] = []
    last = 0
    negated = False
    for match in _SCOPE_TOKEN.finditer(text):
        token = match.group()
        if len(token) == 1 and token in '.,!?;:()"':
            negated = False
            continue
        low = token.lower().replace("\u2019", "'")
        if negated:
            out.append(text[last : match.end()] + "_NEG")
            last = match.end()
        if (
            low in _NEGATORS
            or low.endswith("n't")
            or low.startswith("n'")
            or low.replace("'", "") in _NEGATORS
        ):
            negated = True
    out.append(text[last:])
    return "".join(out)


# VADER's compound score (in [-1, 1]) cut into bands, each band a pseudo-token: the classifier
# learns how far to trust the rule-based reading beside its own n-grams.
_VADER_BANDS = (-0.75, -0.4, -0.05, 0.05, 0.4, 0.75)


@lru_cache(maxsize=1)
def _vader() -> Any:
    # vaderSentiment's scores, computed faster (nlp/vader.py).
    return FastVader()


def vader_token(prepared: str) -> str:
    """`zzvader0` (very negative) to `zzvader6` (very positive): the band of VADER's compound
    score of an English text (VADER's lexicon and rules: boosters, "but", caps, emoji)."""
    compound = _vader().compound(prepared)
    return f"zzvader{bisect.bisect_right(_VADER_BANDS, compound)}"


def sentiment_input(
    prepared: str, negation: bool = True, polarity: bool = True, vader: bool = False
) -> str:
    """What the sentiment classifier sees: prepared text with negation scopes marked, then
    pseudo-tokens for polarity-lexicon words, emoticons/emoji and shouting (capped counts),
    and (English, `vader`) the band of VADER's compound score."""
    text = mark_negation(prepared) if negation else prepared
    if vader:
        text = text + " " + vader_token(prepared)
    if not polarity:
        return text
    folded = _fold(prepared) + " "
    extra: list[str] = []
    for pattern, token, gate in zip(_POLARITY, _POLARITY_TOKENS, _POLARITY_GATES, strict=True):
        if gate is not None and not gate(folded):
            continue
        n = min(len(pattern.findall(folded)), _PSEUDO_CAP)
        extra.extend([token] * n)
    if _CAPS_WORD.search(prepared):
        extra.append("zzcaps")
    return text + " " + " ".join(extra) if extra else text
