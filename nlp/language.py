"""Language identification restricted to English and French (lingua), with "und" for the rest."""

from __future__ import annotations

import threading
from typing import Any

UNDETERMINED = "und"
# With two candidate languages the top confidence is at least 0.5: below this it is a coin toss.
MIN_CONFIDENCE = 0.6
# Lingua needs no more than this to decide; bounds the cost of huge texts.
MAX_DETECTION_CHARS = 1000

_detector: Any = None
_codes: dict[Any, str] = {}
_lock = threading.Lock()


def _get_detector() -> Any:
    """Build the lingua detector once per process (it loads its models lazily too)."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import Language, LanguageDetectorBuilder

                _codes.update({Language.ENGLISH: "en", Language.FRENCH: "fr"})
                _detector = LanguageDetectorBuilder.from_languages(
                    Language.ENGLISH, Language.FRENCH
                ).build()
    return _detector


def _letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


def detect_languages(texts: list[str]) -> list[tuple[str, float]]:
    """(language code, confidence) per text: "en", "fr", or "und" with confidence 0."""
    results: list[tuple[str, float]] = [(UNDETERMINED, 0.0)] * len(texts)
    todo = [i for i, t in enumerate(texts) if t and _letter_count(t[:MAX_DETECTION_CHARS]) >= 2]
    if not todo:
        return results
    detector = _get_detector()
    values = detector.compute_language_confidence_values_in_parallel(
        [texts[i][:MAX_DETECTION_CHARS] for i in todo]
    )
    for i, confidences in zip(todo, values, strict=True):
        if not confidences:
            continue
        top = max(confidences, key=lambda c: c.value)
        if top.value >= MIN_CONFIDENCE:
            results[i] = (_codes[top.language], round(float(top.value), 4))
    return results


def detect_language(text: str) -> tuple[str, float]:
    """detect_languages for one text."""
    return detect_languages([text])[0]
