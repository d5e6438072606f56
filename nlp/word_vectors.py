"""Static word vectors of an installed spaCy pipeline package (fr_core_news_md's 300-dimension
table), read without loading the pipeline: the vectors file mapped from disk and its key -> row
map kept as two sorted numpy arrays (about 0.13 s to load, 6 MB kept, 18 MB at the peak of
loading; the table's pages come into memory as its words are met, 24 MB at most).

mean_vectors(texts) is the mean vector of each text's known words, a feature of the fast French
sentiment classifier (nlp/sentiment.py, when its card has a `word_vectors` entry)."""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from importlib.metadata import version as installed_version
from pathlib import Path

import numpy as np
from scipy import sparse

# Lower-cased words, an elided article or pronoun keeping its apostrophe ("l'", "qu'") as the
# French tokenizer that keyed the vectors splits them; digits and punctuation are not words here.
_WORD = re.compile(r"[^\W\d_]+'?")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'"})
CACHE_LIMIT = 200_000  # words remembered; past it the cache starts again


class WordVectorsError(RuntimeError):
    """The package a classifier's card names is missing, another version, or has no vectors."""


def words(text: str) -> list[str]:
    """The lower-cased words of a text, as the vectors are looked up."""
    return _WORD.findall(text.lower().translate(_APOSTROPHES))


def vocab_folder(package: str, version: str | None = None) -> Path:
    """The vocab folder of an installed spaCy pipeline package (checked against `version`)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise WordVectorsError(f"{package} is not installed (pip install it: see pyproject.toml)")
    found = installed_version(package)
    if version is not None and found != version:
        raise WordVectorsError(f"{package} {found} is installed; the classifier needs {version}")
    root = Path(next(iter(spec.submodule_search_locations)))
    folder = root / f"{package}-{found}" / "vocab"
    if not (folder / "vectors").is_file() or not (folder / "key2row").is_file():
        raise WordVectorsError(f"{folder} holds no word vectors")
    return folder


class WordVectors:
    """A vectors table (rows, dims) and the sorted 64-bit keys (spaCy's string hashes) of its
    words with their rows; words are looked up once each (a cache of rows)."""

    def __init__(self, table: np.ndarray, keys: np.ndarray, rows: np.ndarray):
        from spacy.strings import get_string_id  # the key spaCy gives a string (the vectors' keys)

        order = np.argsort(keys, kind="stable")
        self.table = table
        self.keys = np.ascontiguousarray(keys[order], dtype=np.uint64)
        self.rows = np.ascontiguousarray(rows[order], dtype=np.int32)
        self._hash = get_string_id
        self._row_of: dict[str, int] = {}

    @property
    def dims(self) -> int:
        return int(self.table.shape[1])

    @classmethod
    def from_folder(cls, folder: Path) -> WordVectors:
        """Read a spaCy vocab folder's `vectors` (numpy, mapped) and `key2row` (msgpack map)."""
        # srsly is spaCy's serialisation library; key2row is a msgpack map written by it. Read
        # one number at a time into arrays: a dict of half a million Python ints first would
        # triple the memory this takes at its peak (about 60 MB instead of 9).
        from srsly.msgpack import Unpacker

        with (folder / "key2row").open("rb") as fh:
            unpacker = Unpacker(fh, use_list=False, raw=False)
            n = unpacker.read_map_header()
            keys = np.empty(n, dtype=np.uint64)
            rows = np.empty(n, dtype=np.int32)
            unpack = unpacker.unpack
            for i in range(n):
                keys[i] = unpack()
                rows[i] = unpack()
        table = np.load(folder / "vectors", mmap_mode="r")
        return cls(table, keys, rows)

    def row_ids(self, tokens: list[str]) -> list[int]:
        """The row of each word, -1 for a word without a vector."""
        row_of = self._row_of
        new = [w for w in dict.fromkeys(tokens) if w not in row_of]
        if new:
            if len(row_of) + len(new) > CACHE_LIMIT:
                row_of.clear()
            hashes = np.array([self._hash(w) for w in new], dtype=np.uint64)
            at = np.minimum(np.searchsorted(self.keys, hashes), len(self.keys) - 1)
            found = np.where(self.keys[at] == hashes, self.rows[at], -1).tolist()
            row_of.update(zip(new, found, strict=True))
        return [row_of[w] for w in tokens]

    def mean_vectors(self, texts: list[str]) -> np.ndarray:
        """(n, dims) float32: the mean vector of each text's known words, zeros without any."""
        token_lists = [words(t) for t in texts]
        flat = self.row_ids([w for tokens in token_lists for w in tokens])
        text_of = np.repeat(np.arange(len(texts)), [len(tokens) for tokens in token_lists])
        rows = np.array(flat, dtype=np.int64)
        known = rows >= 0
        text_of, rows = text_of[known], rows[known]
        counts = np.bincount(text_of, minlength=len(texts)).astype(np.float32)
        weights = 1.0 / counts[text_of]
        averaging = sparse.csr_matrix(
            (weights, (text_of, rows)), shape=(len(texts), self.table.shape[0]), dtype=np.float32
        )
        return np.asarray(averaging @ self.table, dtype=np.float32)


@lru_cache(maxsize=4)
def load_word_vectors(package: str, version: str | None = None) -> WordVectors:
    """The word vectors of an installed package, read once a process."""
    return WordVectors.from_folder(vocab_folder(package, version))
