"""A coach's corrections of a comment's labels: which fields and values are allowed."""

from __future__ import annotations

import re

from curation.arcs import NEGATIVE, POSITIVE

SENTIMENTS = ("negative", "neutral", "positive")
EMOTIONS = ("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral")
# The codes nlp/ gives (nlp.language.LANGUAGE_CODES; a test keeps both lists the same).
LANGUAGES = (
    "en",
    "fr",
    "ar",
    "de",
    "es",
    "it",
    "ja",
    "ko",
    "nl",
    "pl",
    "pt",
    "ru",
    "tr",
    "zh",
    "und",
)
LABEL_FIELDS = ("sentiment", "emotion", "situation", "language")
_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class BadCorrection(ValueError):
    """A correction of a field that cannot be corrected, or to a value it cannot take."""


def check_correction(field: str, value: str) -> str:
    """The value, normalised, if `field` can take it; raises BadCorrection otherwise."""
    value = (value or "").strip().lower()
    allowed = {"sentiment": SENTIMENTS, "emotion": EMOTIONS, "language": LANGUAGES}
    if field not in LABEL_FIELDS:
        raise BadCorrection(f"cannot correct {field!r} (one of: {', '.join(LABEL_FIELDS)})")
    if field in allowed and value not in allowed[field]:
        raise BadCorrection(f"{field} must be one of {', '.join(allowed[field])}, not {value!r}")
    if field == "situation" and not _SLUG.match(value):
        raise BadCorrection(f"a situation is a lower-case name like billing_payment, not {value!r}")
    return value


def corrected_sentiment_score(sentiment: str, score: float) -> float:
    """The score that agrees with a corrected sentiment: kept when it does, moved just inside it if not.

    Arcs read the score, so a comment corrected to "positive" must count as pleased.
    """
    if sentiment == "positive":
        return score if score >= POSITIVE else 0.5
    if sentiment == "negative":
        return score if score <= NEGATIVE else -0.5
    return score if NEGATIVE < score < POSITIVE else 0.0
