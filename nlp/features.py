"""Text preparation shared by training and inference, so a classifier sees the same input in both."""

from __future__ import annotations

import re

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
