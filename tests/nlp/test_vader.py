"""FastVader gives vaderSentiment's polarity scores, number for number."""

import random

import pytest
from vaderSentiment import vaderSentiment as vs

from nlp.vader import FastVader

ORIGINAL = vs.SentimentIntensityAnalyzer()
FAST = FastVader()

EXAMPLES = [
    "VADER is smart, handsome, and funny.",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "no problem, no no good",
    "never so happy... without doubt the best, the shit",
    "",
    "   ",
    "!!!???",
    "least good; very least bad; at least fine",
]


def _words() -> list[str]:
    """Words that exercise VADER's rules: lexicon words, boosters, negations, idioms' words."""
    lexicon = sorted(ORIGINAL.lexicon)
    rng = random.Random(0)
    special = [w for phrase in vs.SPECIAL_CASES for w in phrase.split()]
    boosters = [w for phrase in vs.BOOSTER_DICT for w in phrase.split()]
    return (
        rng.sample(lexicon, 300)
        + special
        + boosters
        + list(vs.NEGATE)
        + ["no", "nor", "or", "but", "BUT", "kind", "of", "least", "at", "very", "never", "so"]
        + ["this", "without", "doubt", "isn't", "don't", "n't", "the", "a", "parcel", "order"]
        + [":)", ":(", ":-D", "<3", "😁", "💔", "😡", "!", "?", "...", "I", "OK", "é", "Été"]
    )


WORDS = _words()


def _text(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(0, 25)):
        word = rng.choice(WORDS)
        roll = rng.random()
        if roll < 0.15:
            word = word.upper()
        elif roll < 0.25:
            word = word.capitalize()
        if rng.random() < 0.15:
            word += rng.choice([",", ".", "!", "?", "!!", "?!", "...", ";"])
        if rng.random() < 0.05:
            word = rng.choice(["(", "'", '"', "#", "@"]) + word
        words.append(word)
    return rng.choice([" ", "  ", " \n "]).join(words)


@pytest.mark.parametrize("seed", range(4))
def test_same_scores_as_vader_on_generated_texts(seed):
    rng = random.Random(seed)
    texts = [_text(rng) for _ in range(2500)]
    differ = [t for t in texts if FAST.polarity_scores(t) != ORIGINAL.polarity_scores(t)]
    assert differ == []
    compound = [t for t in texts if FAST.compound(t) != ORIGINAL.polarity_scores(t)["compound"]]
    assert compound == []
    # The texts do reach VADER's rules: most have a non-zero score, some are negated.
    nonzero = sum(ORIGINAL.polarity_scores(t)["compound"] != 0 for t in texts)
    assert nonzero > len(texts) // 2


@pytest.mark.parametrize("text", EXAMPLES)
def test_same_scores_as_vader_on_examples(text):
    assert FAST.polarity_scores(text) == ORIGINAL.polarity_scores(text)
    assert FAST.compound(text) == ORIGINAL.polarity_scores(text)["compound"]


def test_vader_token_uses_the_fast_analyser():
    from nlp.features import _vader

    assert isinstance(_vader(), FastVader)
