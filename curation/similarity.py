"""Near-duplicate cases and families of similar cases, from MinHash signatures of redacted text.

Two signatures per case, both over the lower-cased, redacted main customer text:

- a *duplicate* signature over word 3-shingles (64 permutations, LSH tuned for Jaccard ~0.8):
  copy-pasted complaints and cross-posts collapse into one case;
- a *family* signature over the content words (stop words and placeholders left out;
  32 permutations, LSH tuned for Jaccard ~0.4), within one situation: similar cases group.

Band keys are plain 64-bit integers, so the store can keep them in an indexed column and find
candidates with one query per batch; the functions here need no database. What a new case does
with its candidates (collapse, join a family) is decided in `curation.grouping`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from curation.stop_words import STOP_WORDS

DUP_THRESHOLD = 0.8
DUP_PERMS = 64
# The signature's estimate has a standard error of ~0.05 at 64 permutations: verify a little
# below the threshold so true near-duplicates are not missed half the time.
DUP_VERIFY = 0.75
FAMILY_THRESHOLD = 0.4
FAMILY_PERMS = 32
SHINGLE = 3
MIN_TOKENS = 5  # shorter texts ("help!!", "thanks") are never collapsed: too many look alike
MIN_TERMS = 2
SCHEME = "affine32"

_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?<![\w@])@\w+")
_TOKEN = re.compile(r"\[[a-z_]+\]|[^\W\d_][\w'’-]*|\d+", re.UNICODE)
# French elision: "d'avance", "m'aider", "l'appli" are about "avance", "aider", "appli".
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'(?=\w)")


def tokens(text: str) -> list[str]:
    """The lower-cased words of a redacted text; handles and links dropped, placeholders kept."""
    text = _HANDLE.sub(" ", _URL.sub(" ", (text or "").lower())).replace("’", "'")
    return [t.rstrip("'-") for t in _TOKEN.findall(text)]


def content_terms(text: str) -> list[str]:
    """The words that say what a text is about: no stop words, redaction's placeholders (any
    "[kind]"), numbers or short words; a French word without its elided article or pronoun."""
    # A stop word as written ("n'arrive", "d'accord") stays one without its elision.
    words = (_ELISION.sub("", t) for t in tokens(text) if t not in STOP_WORDS)
    return [
        t for t in words if len(t) >= 3 and t not in STOP_WORDS and t[0] != "[" and not t.isdigit()
    ]


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Word k-shingles of a text (the words themselves when it is shorter than k)."""
    words = tokens(text)
    if len(words) < k:
        return set(words)
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    return MinHash(num_perm=num_perm, seed=1, scheme=SCHEME).permutations


@lru_cache(maxsize=8)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's LSH picks for this threshold and signature size."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def signature(items: Iterable[str], num_perm: int) -> np.ndarray:
    """The MinHash signature (uint32 values) of a set of strings."""
    sketch = MinHash(num_perm=num_perm, permutations=_permutations(num_perm), scheme=SCHEME)
    sketch.update_batch([s.encode("utf-8") for s in items])
    return sketch.hashvalues


def dup_signature(text: str) -> np.ndarray | None:
    """The near-duplicate signature of a main customer text, or None when it is too short to tell."""
    if len(tokens(text)) < MIN_TOKENS:
        return None
    return signature(shingles(text), DUP_PERMS)


def family_signature(terms: Sequence[str]) -> np.ndarray | None:
    """The family signature of a text's content words, or None when it has too few."""
    distinct = set(terms)
    if len(distinct) < MIN_TERMS:
        return None
    return signature(distinct, FAMILY_PERMS)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity two signatures estimate."""
    return float(np.count_nonzero(a == b)) / len(a) if len(a) == len(b) and len(a) else 0.0


def band_keys(sig: np.ndarray, threshold: float, salt: str) -> list[int]:
    """One signed 64-bit key per LSH band of `sig`; two texts share a key when a band matches."""
    bands, rows = lsh_params(threshold, len(sig))
    prefix = salt.encode("utf-8")
    keys = []
    for band in range(bands):
        chunk = sig[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(prefix + bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def dup_keys(sig: np.ndarray) -> list[int]:
    """The band keys of a near-duplicate signature."""
    return band_keys(sig, DUP_THRESHOLD, "dup:")


def family_keys(sig: np.ndarray, situation: str, language: str = "") -> list[int]:
    """The band keys of a family signature, within its situation and language (families never
    mix situations, nor French and English cases: a family's name is in its cases' words)."""
    return band_keys(sig, FAMILY_THRESHOLD, f"fam:{situation}:{language}:")


def encode(sig: np.ndarray) -> str:
    """A signature as text, to keep in the store."""
    return np.asarray(sig, dtype="<u4").tobytes().hex()


def decode(text: str) -> np.ndarray:
    """A signature kept as text."""
    return np.frombuffer(bytes.fromhex(text), dtype="<u4")
