"""How curation's rules search cue words: the cues coaches muted are not read, every cue matched
can be recorded (an evaluation holds out the cues only one thread shows), and a reader of single
turns answers when no cue word does. Kept apart from the rules (curation.outcome) that use it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from curation.cues import Cues

# Cues coaches said misled curation (curation.feedback), ignored while an outcome is computed.
_MUTED: ContextVar[frozenset[str]] = ContextVar("muted_cues", default=frozenset())


# While `recording_cues` runs: every cue word the rules' searches match, lower case.
_SEEN: ContextVar[set[str] | None] = ContextVar("seen_cues", default=None)
# A reader of single turns (nlp.turns.TurnReader.says: task, text -> yes or no), the back-off when
# the cue words say nothing; None: cue words only.
Reader = Callable[[str, str], bool]
_READER: ContextVar[Reader | None] = ContextVar("turn_reader", default=None)


def reads(task: str, text: str) -> bool:
    """The reader's answer to `task` about `text`; no without a reader."""
    reader = _READER.get()
    return reader is not None and reader(task, text)


@contextmanager
def recording_cues() -> Iterator[set[str]]:
    """Collect every cue word (lower case) that the outcome's searches match inside the block,
    muted or not: what an evaluation needs to hold out the cues only one thread shows."""
    seen: set[str] = set()
    token = _SEEN.set(seen)
    try:
        yield seen
    finally:
        _SEEN.reset(token)


def counts(cue: str) -> bool:
    """Record the cue (lower case) while `recording_cues` runs; True unless coaches muted it."""
    seen = _SEEN.get()
    if seen is not None:
        seen.add(cue)
    return cue not in _MUTED.get()


def find(pattern: Cues | re.Pattern[str], text: str) -> str:
    """The first cue of `pattern` in `text` that coaches have not muted, or ""."""
    first = ""
    for m in pattern.finditer(text):
        cue = m.group(0).strip()
        # Every match is recorded, even after the first cue that counts.
        if counts(cue.lower()) and not first:
            first = cue
            if _SEEN.get() is None:
                break
    return first


def first_cue(pattern: Cues, text: str, skip: Callable[[re.Match[str]], object]) -> str:
    """The first cue of `pattern` in `text` that `skip` does not set aside and coaches have not
    muted, or ""."""
    for m in pattern.finditer(text):
        if skip(m):
            continue
        cue = m.group(0).strip()
        if counts(cue.lower()):
            return cue
    return ""


@contextmanager
def reading(muted: frozenset[str], reader: Reader | None) -> Iterator[None]:
    """Inside the block, `muted` cues (any case) are not read and `reader` backs the cues off."""
    token = _MUTED.set(frozenset(c.lower() for c in muted))
    read = _READER.set(reader)
    try:
        yield
    finally:
        _READER.reset(read)
        _MUTED.reset(token)
