"""The word lists of data/gazetteers (package data): first names, common words, places and brand
handles, read once per process."""

from __future__ import annotations

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
    """Lower-cased known first names: first_names.txt (English and French, by hand) and
    first_names_census.txt (US census names that are not ordinary words)."""
    return frozenset(
        w.lower()
        for name in ("first_names.txt", "first_names_census.txt")
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
