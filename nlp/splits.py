"""Untouched test splits of the shared data sets (issue 15), fixed before any modelling.

The official test splits of SemEval/TweetEval, UMSAB and GoEmotions are not in ../shared/data,
and the validation files there (TweetEval val, UMSAB val, GoEmotions Ekman dev) were looked at
while designing the shipped models: they stay *development* sets. The test splits are carved
out of the training files by a rule that depends on the text alone, so that every trainer, the
evaluation and anyone re-running them draws the same rows:

- a row's key is its text normalised (`text_key`: URLs and user names masked, case and
  punctuation ignored, first 60 characters): near-duplicates share a key, across files too;
- a key is in the test split when sha256(salt + key), read as a number in [0, 1), is below the
  set's share (`in_test`); the salt differs per data set;
- training drops every row whose key is a test key or a development key, in any file it reads;
  a test row whose key is also a development key is dropped from the test split (it was seen).

| data set | development (seen while designing) | test (never used for fitting or choosing) |
|---|---|---|
| English sentiment | TweetEval sentiment val (2,000) | 25% of `twitter-2016test-A.tsv` (salt `semeval2016`) |
| French sentiment | UMSAB val (323) | 25% of UMSAB train (salt `umsab`); 25% of Allociné (salt `allocine`), two classes |
| emotion (English) | GoEmotions Ekman dev (5,426) | 10% of GoEmotions Ekman train (salt `goemotions`) |
| emotion (French) | data/eval/emotion_fr_dev.tsv: UMSAB val and Allociné training rows labelled by hand (200) | data/eval/emotion_fr.tsv: UMSAB/Allociné test rows labelled by hand |
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nlp.datasets import (
    read_allocine,
    read_goemotions,
    read_lines,
    read_semeval,
    read_tweeteval_emotion_polar,
    read_tweeteval_val,
    read_umsab,
)
from nlp.features import decode_literal_escapes, prepare_for_classifier

_KEY_STRIP = re.compile(r"\W+")
_URL_ANY = re.compile(r"(?:https?://|www\.)\S*|\bhttp\b")

# (salt, share of keys in the test split) per data set.
SEMEVAL_TEST = ("semeval2016", 0.25)
SEMEVAL_TEST_FILE = "twitter-2016test-A.tsv"
UMSAB_TEST = ("umsab", 0.25)
ALLOCINE_TEST = ("allocine", 0.25)
GOEMOTIONS_TEST = ("goemotions", 0.10)

SPLIT_RULE = (
    "key = text with URLs and user names masked, lower case, letters and digits only, first 60 "
    "characters (nlp.splits.text_key); test when sha256(salt + key) / 2**256 < share "
    "(nlp.splits.in_test); rows sharing a key with a test or development row never train"
)


def text_key(text: str) -> str:
    """A loose identity for a text: user names and URLs masked, case and punctuation ignored."""
    text = _URL_ANY.sub("", decode_literal_escapes(text))
    return _KEY_STRIP.sub("", prepare_for_classifier(text).lower())[:60]


def key_id(key: str) -> str:
    """A short stable id of a key (12 hex digits), for files that name rows without text."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def in_test(key: str, rule: tuple[str, float]) -> bool:
    """Whether a key belongs to the test split of the data set whose (salt, share) is `rule`."""
    salt, share = rule
    digest = hashlib.sha256((salt + "\0" + key).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


# ---------------------------------------------------------------- the splits of each data set


@dataclass
class Split:
    """Rows of one task: training rows (with the name of their source), development and test
    sets (texts and labels; a test set per source), and what was dropped."""

    train: list[tuple[str, str, str]] = field(default_factory=list)  # text, label, source
    dev: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    test: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)

    def count(self, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1


def _dedupe_test(
    rows: list[tuple[str, str]], seen: set[str], split: Split
) -> tuple[list[str], list[str]]:
    """Test rows once per key, none that shares a key with a development row (`seen`)."""
    texts, labels = [], []
    for text, label in rows:
        key = text_key(text)
        if key in seen:
            split.count("test rows that are development rows or duplicates")
            continue
        seen.add(key)
        texts.append(text)
        labels.append(label)
    return texts, labels


def _add_training(
    split: Split, sources: Iterable[tuple[str, Iterable[tuple[str, str]]]], held: set[str]
) -> None:
    """The rows of `sources` as training rows, but for development or test rows (`held`) and
    repeated texts, which are counted."""
    seen: set[str] = set()
    for source, rows in sources:
        for text, label in rows:
            key = text_key(text)
            if key in held:
                split.count("training rows that are development or test rows")
            elif key in seen:
                split.count("duplicates")
            else:
                seen.add(key)
                split.train.append((text, label, source))


def sentiment_en_split(data_dir: Path) -> Split:
    """English sentiment: SemEval 2013-2016 + TweetEval emotion tweets (polar) train, TweetEval
    val dev, a hashed quarter of SemEval 2016 test as test."""
    split = Split()
    dev_texts, dev_labels = read_tweeteval_val(data_dir)
    split.dev["en_tweeteval_val"] = (dev_texts, dev_labels)
    dev_keys = {text_key(t) for t in dev_texts}
    files = sorted((data_dir / "sentiment_en" / "semeval").glob("*.tsv"))
    test_rows = [
        (t, lab)
        for f in files
        if f.name == SEMEVAL_TEST_FILE
        for t, lab in read_semeval(f)
        if in_test(text_key(t), SEMEVAL_TEST)
    ]
    split.test["en_semeval2016_test"] = _dedupe_test(test_rows, set(dev_keys), split)
    held = dev_keys | {text_key(t) for t in split.test["en_semeval2016_test"][0]}
    sources = [(f.name, read_semeval(f)) for f in files]
    sources.append(("tweeteval_emotion", read_tweeteval_emotion_polar(data_dir)))
    _add_training(split, sources, held)
    return split


def sentiment_fr_split(data_dir: Path) -> Split:
    """French sentiment: UMSAB train + Allociné train, UMSAB val dev, hashed quarters of UMSAB
    train (3 classes) and of Allociné (2 classes) as test."""
    split = Split()
    dev_texts, dev_labels = read_umsab(data_dir, "val")
    split.dev["fr_umsab_val"] = (dev_texts, dev_labels)
    dev_keys = {text_key(t) for t in dev_texts}
    umsab = list(zip(*read_umsab(data_dir, "train"), strict=True))
    allocine = read_allocine(data_dir)
    seen = set(dev_keys)
    for name, rows, rule in (
        ("fr_umsab_test", umsab, UMSAB_TEST),
        ("fr_allocine_test", allocine, ALLOCINE_TEST),
    ):
        split.test[name] = _dedupe_test(
            [(t, lab) for t, lab in rows if in_test(text_key(t), rule)], seen, split
        )
    _add_training(split, [("umsab", umsab), ("allocine", allocine)], held=seen)
    return split


def emotion_split(data_dir: Path) -> Split:
    """GoEmotions Ekman (first label of each row): train minus a hashed tenth (test), dev file
    as development."""
    split = Split()
    base = data_dir / "emotion" / "goemotions"
    names = [n.strip() for n in read_lines(base / "ekman_labels.txt") if n.strip()]
    dev_texts, dev_labels = read_goemotions(base / "ekman_dev.tsv", names)
    split.dev["goemotions_ekman_dev"] = (dev_texts, dev_labels)
    dev_keys = {text_key(t) for t in dev_texts}
    rows = list(zip(*read_goemotions(base / "ekman_train.tsv", names), strict=True))
    split.test["goemotions_ekman_test"] = _dedupe_test(
        [(t, lab) for t, lab in rows if in_test(text_key(t), GOEMOTIONS_TEST)],
        set(dev_keys),
        split,
    )
    held = dev_keys | {text_key(t) for t in split.test["goemotions_ekman_test"][0]}
    for text, label in rows:
        key = text_key(text)
        if key in held:
            split.count("training rows that are development or test rows")
        else:
            # GoEmotions repeats few texts, each with its own annotation: kept.
            split.train.append((text, label, "goemotions"))
    return split
