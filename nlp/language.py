"""Language identification: "en", "fr", another ISO 639-1 code, or "und".

Three steps, cheapest first:

1. A screen (data/models/language: character 1-4 grams inside words, multinomial naive Bayes,
   English against French) scores each word once and keeps the score, so a text costs a few
   dictionary look-ups. Where it is sure (|log-odds| at least the card's threshold) and the text
   looks like English or French (enough of its n-grams known, likely enough under the winning
   language), its answer stands.
2. The rest, short or mixed texts mostly, go to lingua restricted to English and French, which
   says "und" below MIN_CONFIDENCE.
3. Texts that the screen found unlike English or French (by the n-grams it does not know, or by
   their likelihood), and texts it decided while leaning only faintly to either (per n-gram), go
   to lingua with more languages (OTHER_LANGUAGES, low-accuracy mode); the language it proposes
   is kept if lingua with only it, English and French (high-accuracy mode) is sure of it:
   Spanish, German, Arabic...

Without the screen's folder every text takes step 2 (the analysis of earlier releases).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache, reduce
from itertools import repeat
from operator import add
from pathlib import Path
from typing import Any

import numpy as np
from lingua import Language, LanguageDetectorBuilder

from casebook_data import MODELS_DIR
from nlp.models import CLASSIFIER_FILE, load_classifier
from nlp.vectorize import padded_ngrams

UNDETERMINED = "und"
# With two candidate languages the top confidence is at least 0.5: below this it is a coin toss.
MIN_CONFIDENCE = 0.6
# Lingua needs no more than this to decide; bounds the cost of huge texts.
MAX_DETECTION_CHARS = 1000
# Languages named besides English and French, for texts that look like neither: lingua's name
# of each and its ISO 639-1 code.
OTHER_LANGUAGES = {
    "ARABIC": "ar",
    "CHINESE": "zh",
    "DUTCH": "nl",
    "GERMAN": "de",
    "ITALIAN": "it",
    "JAPANESE": "ja",
    "KOREAN": "ko",
    "POLISH": "pl",
    "PORTUGUESE": "pt",
    "RUSSIAN": "ru",
    "SPANISH": "es",
    "TURKISH": "tr",
}
# Every code detect_languages can give.
LANGUAGE_CODES = ("en", "fr", *sorted(OTHER_LANGUAGES.values()), UNDETERMINED)
_CODES = {"ENGLISH": "en", "FRENCH": "fr", **OTHER_LANGUAGES}  # lingua's name -> code
# Another language is asked for when the screen finds a text foreign (by its unknown n-grams, or
# by its likelihood) or decides it while leaning faintly (MIN_DECIDED_LOG_ODDS_PER_NGRAM); it is
# named when lingua with OTHER_LANGUAGES (low-accuracy mode: trigrams only, a few MB for all)
# proposes it and lingua with it, English and French in high-accuracy mode (about 13 MB of models
# per language met, loaded when first met) gives it at least MIN_OTHER_CONFIDENCE. Chosen on 7
# December 2026 on the 5,838 development tweets and the 186 development comments in other
# languages (data/language/other_languages.txt, data/eval/other_languages_feelings_dev.tsv): the
# low-accuracy confirmation at 0.9999 named 34 of 36 and 129 of 150 (the tweets then misnamed:
# 6); in high-accuracy mode at 0.9, 35 and 146, and no development tweet more misnamed (at 0.99:
# 35 and 141).
MIN_OTHER_CONFIDENCE = 0.9
# ...unless the screen's log-odds per n-gram say English or French this clearly: lingua's
# trigrams alone can be sure that "des éoliennes en altitude" is Portuguese. (On the development
# tweets, 0.6 to 0.8 leave 6 errors instead of 7, and name 33 of the 36 other-language sentences
# instead of 34: a Dutch one leans that much to English.)
MAX_OTHER_LOG_ODDS_PER_NGRAM = 0.7
SCREEN_FOLDER = "language"  # the screen's folder in a models folder
SCREEN_CACHE_SIZE = 200_000  # words whose scores are kept (about 40 MB at most)
# Below this many n-grams (about three words) a text is too short to judge by its likelihood:
# only a text whose n-grams the screen mostly does not know (another script) counts as foreign.
MIN_GATE_NGRAMS = 60
MIN_SHORT_KNOWN_SHARE = 0.5
# A text the screen decides (sure, and like English or French by its n-grams) may still be
# another language whose n-grams it knows ("Das ist eine Katastrophe, ich warte seit drei
# Wochen" read English at 0.9999): when its log-odds per n-gram are below this, lingua with
# more languages is asked too, as for the texts above, and names another language only when it
# is as sure (MIN_OTHER_CONFIDENCE). Of the 5,838 development tweets, 0.5 sends 183 (3%) that
# way (0.3: 61, 0.8: 1,121) and names none another language; of the 150 development comments
# in other languages, 0.3 names 133, 0.5 146, 0.8 148 (7 December 2026).
MIN_DECIDED_LOG_ODDS_PER_NGRAM = 0.5

_URL_OR_MENTION = re.compile(r"(?:https?://|www\.)\S+|@\w+")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# ASCII bytes: letters and apostrophes as they are, any other byte a space.
_ASCII_LETTERS_APOSTROPHES = bytes(
    b if chr(b).isalpha() or b == ord("'") else 32 for b in range(128)
) + bytes(range(128, 256))


# A capitalised Latin word with an accented letter somewhere in a text (a quick test first),
# and a word in Latin capitals after a space.
_ACCENTED_CAPITALISED = re.compile(r"[À-ÖØ-ÞŒ]|[A-Z][a-z]*[à-öø-ÿœ]")
_CAPITALISED = re.compile(r"\s([A-ZÀ-ÖØ-ÞŒ][^\W\d_]*)")
# A text keeps at least this many words when its accented names are left out (else all of them).
MIN_WORDS_WITHOUT_NAMES = 3


def accented_names(text: str) -> set[str]:
    """The lower-cased capitalised words with an accented letter that stand inside a sentence,
    after another word (a comma or a semicolon may stand between): names ("Hey Voltéo Énergie",
    "at Société Générale", "in Montréal"). A name keeps the language it comes from, not the
    text's, and accented n-grams are nearly decisive for French: "Hey Voltéo Énergie, my bill
    doubled this month" read French, sure."""
    if not _ACCENTED_CAPITALISED.search(text):
        return set()
    names = set()
    for match in _CAPITALISED.finditer(text):
        word = match.group(1)
        if word.isascii() or not word[1:].islower():
            continue
        before = text[max(0, match.start() - 8) : match.start()].rstrip()
        if before[-1:] in (",", ";"):
            before = before[:-1]
        if before[-1:].isalpha():
            names.add(word.lower())
    return names


def screen_words(text: str) -> list[str]:
    """The lower-cased words the screen reads: letters (with inner apostrophes), without URLs,
    @mentions, digits or symbols, nor the accented names inside a sentence (`accented_names`)
    while MIN_WORDS_WITHOUT_NAMES words remain."""
    low = text.lower()
    if "@" in low or "http" in low or "www." in low:  # else _URL_OR_MENTION finds nothing
        low = _URL_OR_MENTION.sub(" ", low)
    if not low.isascii():
        found: list[str] = _WORD.findall(low)
        names = accented_names(text)
        if names:
            kept = [w for w in found if w not in names]
            if len(kept) >= MIN_WORDS_WITHOUT_NAMES:
                return kept
        return found
    # ASCII: words are runs of letters and apostrophes, cut by bytes.translate and split();
    # only runs with an apostrophe need the regex (which drops apostrophes at their ends).
    runs = low.encode("ascii").translate(_ASCII_LETTERS_APOSTROPHES).decode("ascii").split()
    if "'" not in low:
        return runs
    words: list[str] = []
    for run in runs:
        if "'" in run:
            words.extend(_WORD.findall(run))
        else:
            words.append(run)
    return words


@dataclass(frozen=True, slots=True)
class Screening:
    """What the screen says of one text: log-odds French against English (positive: French),
    the share of its n-grams that the screen knows, their mean log-likelihood under the winning
    language, and how many n-grams it has."""

    log_odds: float
    known_share: float
    mean_log_likelihood: float
    ngrams: int


class LanguageScreen:
    """English-or-French naive Bayes on character n-grams, scored word by word with a cache."""

    def __init__(self, pipeline: Any, card: dict[str, Any], digest: str = ""):
        vectorizer, nb = pipeline.steps[0][1], pipeline.steps[-1][1]
        classes = [str(c) for c in nb.classes_]
        en, fr = classes.index("en"), classes.index("fr")
        log_prob = np.asarray(nb.feature_log_prob_, dtype=np.float64)
        self._vocabulary: dict[str, int] = vectorizer.vocabulary_
        self._ngrams = vectorizer.build_analyzer()
        # Words of a batch scored together (prime) when the analyzer is a plain char_wb one,
        # whose n-grams of a word are padded_ngrams'.
        self._ngram_range: tuple[int, int] | None = (
            tuple(vectorizer.ngram_range)
            if vectorizer.analyzer == "char_wb"
            and vectorizer.preprocessor is None
            and vectorizer.strip_accents is None
            and not vectorizer.lowercase
            else None
        )
        self._log_prob_en = log_prob[en]
        self._log_prob_fr = log_prob[fr]
        self._prior = float(nb.class_log_prior_[fr] - nb.class_log_prior_[en])
        gate = card.get("gate", {})
        self.threshold = float(gate.get("log_odds", 10.0))
        self.min_known_share = float(gate.get("known_share", 0.5))
        self.min_log_likelihood = float(gate.get("mean_log_likelihood", -1e9))
        self.card = card
        self.digest = digest
        self._cache: dict[str, tuple[float, float, int, int]] = {}

    @classmethod
    def load(cls, model_dir: Path = MODELS_DIR / SCREEN_FOLDER) -> LanguageScreen:
        loaded = load_classifier(Path(model_dir))
        return cls(loaded.pipeline, loaded.card, loaded.digest)

    @classmethod
    def of_models(cls, models_dir: Path) -> LanguageScreen | None:
        """The screen of a models folder (its SCREEN_FOLDER), or None when it has none."""
        screen_dir = Path(models_dir) / SCREEN_FOLDER
        return cls.load(screen_dir) if (screen_dir / CLASSIFIER_FILE).exists() else None

    def _word(self, word: str) -> tuple[float, float, int, int]:
        """(log P(word | en), log P(word | fr), known n-grams, all n-grams), kept in the cache."""
        entry = self._cache.get(word)
        if entry is None:
            ngrams = self._ngrams(word)
            columns = [c for c in map(self._vocabulary.get, ngrams) if c is not None]
            total = len(ngrams)
            entry = (
                float(self._log_prob_en[columns].sum()),
                float(self._log_prob_fr[columns].sum()),
                len(columns),
                total,
            )
            if len(self._cache) >= SCREEN_CACHE_SIZE:
                self._cache.clear()
            self._cache[word] = entry
        return entry

    def prime(self, texts: list[str]) -> list[list[str]]:
        """Score at once the words of `texts` not yet in the cache (the same numbers as _word
        gives them one by one: the same n-grams in the same order, summed by numpy alike);
        returns each text's screen_words, for screen()."""
        words = [screen_words(t) for t in texts]
        if self._ngram_range is None:
            return words
        new = list(dict.fromkeys(w for ws in words for w in ws if w not in self._cache))
        if not new:
            return words
        if len(self._cache) + len(new) > SCREEN_CACHE_SIZE:
            self._cache.clear()
        grams, rows = padded_ngrams(new, *self._ngram_range)
        columns = np.fromiter(
            map(self._vocabulary.get, grams, repeat(-1)), dtype=np.int64, count=len(grams)
        )
        # Each word's n-grams together, in the order the analyzer makes them.
        order = np.argsort(rows, kind="stable")
        rows, columns = rows[order], columns[order]
        totals = np.bincount(rows, minlength=len(new))
        known = columns >= 0
        rows, columns = rows[known], columns[known]
        ends = np.cumsum(np.bincount(rows, minlength=len(new))).tolist()
        en, fr = self._log_prob_en[columns], self._log_prob_fr[columns]
        start = 0
        for word, end, total in zip(new, ends, totals.tolist(), strict=True):
            self._cache[word] = (
                float(en[start:end].sum()),
                float(fr[start:end].sum()),
                end - start,
                total,
            )
            start = end
        return words

    def screen(self, text: str, words: list[str] | None = None) -> Screening | None:
        """The screening of a text, or None when it has no word. `words`: its screen_words
        when the caller has them (prime returns them)."""
        if words is None:
            words = screen_words(text)
        if not words:
            return None
        entries = list(map(self._cache.get, words))
        if None in entries:
            entries = [
                self._word(w) if e is None else e for w, e in zip(words, entries, strict=True)
            ]
        en_parts, fr_parts, known_parts, total_parts = zip(*entries, strict=True)
        # Added one by one from 0.0, in the words' order (as a loop adds them; sum() of floats
        # may compensate rounding on newer Pythons).
        en = reduce(add, en_parts, 0.0)
        fr = reduce(add, fr_parts, 0.0)
        known, total = sum(known_parts), sum(total_parts)
        if not known:
            return Screening(0.0, 0.0, -math.inf, total)
        return Screening(self._prior + fr - en, known / total, max(en, fr) / known, total)

    def looks_en_or_fr(self, s: Screening) -> bool:
        """Whether a text could be English or French (else: another language, by the gate)."""
        if s.ngrams < MIN_GATE_NGRAMS:
            return s.known_share >= MIN_SHORT_KNOWN_SHARE
        return (
            s.known_share >= self.min_known_share
            and s.mean_log_likelihood >= self.min_log_likelihood
        )

    def decide(self, s: Screening | None) -> tuple[str, float] | None:
        """(code, confidence) when the screen is sure and the text looks English or French."""
        if s is None or not self.looks_en_or_fr(s) or abs(s.log_odds) < self.threshold:
            return None
        # The posterior of naive Bayes, capped below 1: it is an estimate, not a certainty.
        confidence = min(0.9999, 1.0 / (1.0 + math.exp(-min(abs(s.log_odds), 50.0))))
        return ("fr" if s.log_odds > 0 else "en", round(confidence, 4))


@lru_cache(maxsize=1)
def get_screen() -> LanguageScreen | None:
    """The shipped screen, loaded once per process (None without data/models/language)."""
    return LanguageScreen.of_models(MODELS_DIR)


@cache
def _lingua(names: tuple[str, ...], low_accuracy: bool = False) -> Any:
    """A lingua detector for these languages (lingua's names), built once per process; lingua
    loads each language's models when it first needs them."""
    builder = LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in names))
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


_ENGLISH_FRENCH = ("ENGLISH", "FRENCH")


def _letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


def _other_languages(texts: list[str]) -> list[tuple[str, float] | None]:
    """(ISO code, confidence) where lingua names a language other than English or French: lingua
    with OTHER_LANGUAGES proposes it, lingua with that language, English and French confirms it
    in high-accuracy mode (against those two alone, it is sure only of a real third language)."""
    # Low-accuracy mode (trigram models only: a few MB for all these languages).
    proposer = _lingua((*_ENGLISH_FRENCH, *OTHER_LANGUAGES), low_accuracy=True)
    values = proposer.compute_language_confidence_values_in_parallel(texts)
    found: list[tuple[str, float] | None] = []
    for text, confidences in zip(texts, values, strict=True):
        top = max(confidences, key=lambda c: c.value) if confidences else None
        if top is None or top.language.name not in OTHER_LANGUAGES:
            found.append(None)
            continue
        confirmer = _lingua((*_ENGLISH_FRENCH, top.language.name))
        confirmed = confirmer.compute_language_confidence(text, top.language)
        if confirmed >= MIN_OTHER_CONFIDENCE:
            found.append((_CODES[top.language.name], round(float(confirmed), 4)))
        else:
            found.append(None)
    return found


def _english_or_french(texts: list[str]) -> list[tuple[str, float]]:
    """Lingua restricted to English and French: "und" below MIN_CONFIDENCE."""
    values = _lingua(_ENGLISH_FRENCH).compute_language_confidence_values_in_parallel(texts)
    found = []
    for confidences in values:
        top = max(confidences, key=lambda c: c.value) if confidences else None
        if top is not None and top.value >= MIN_CONFIDENCE:
            found.append((_CODES[top.language.name], round(float(top.value), 4)))
        else:
            found.append((UNDETERMINED, 0.0))
    return found


def _leans_clearly(screening: Screening | None) -> bool:
    """Whether the screen finds a text clearly English or clearly French, n-gram by n-gram
    (rare words and names aside): then it is not another language."""
    return _lean(screening) >= MAX_OTHER_LOG_ODDS_PER_NGRAM


def _lean(screening: Screening | None) -> float:
    """The screen's log-odds per n-gram, English or French (0 without n-grams)."""
    if screening is None or not screening.ngrams:
        return 0.0
    return abs(screening.log_odds) / screening.ngrams


def detect_languages(
    texts: list[str], screen: LanguageScreen | None | bool = True
) -> list[tuple[str, float]]:
    """(language code, confidence) per text: "en", "fr", another ISO 639-1 code, or "und" with
    confidence 0. `screen`: True for the shipped screen, a LanguageScreen, or False/None for
    lingua alone (English and French)."""
    results: list[tuple[str, float]] = [(UNDETERMINED, 0.0)] * len(texts)
    clipped = {
        i: t[:MAX_DETECTION_CHARS]
        for i, t in enumerate(texts)
        if t and _letter_count(t[:MAX_DETECTION_CHARS]) >= 2
    }
    if not clipped:
        return results
    screener = get_screen() if screen is True else (screen or None)
    undecided: list[int] = []
    # Texts unlike English and French (by their unknown n-grams or their likelihood).
    foreign: list[int] = []
    # Decided by the screen, but leaning only faintly: another language is asked for too.
    faint: list[int] = []
    if screener is None:
        undecided = list(clipped)
    else:
        words = screener.prime(list(clipped.values()))
        for (i, text), text_words in zip(clipped.items(), words, strict=True):
            screening = screener.screen(text, text_words)
            if screening is not None and screener.looks_en_or_fr(screening):
                decided = screener.decide(screening)
                if decided is not None:
                    results[i] = decided
                    if _lean(screening) < MIN_DECIDED_LOG_ODDS_PER_NGRAM:
                        faint.append(i)
                else:
                    undecided.append(i)
            elif _leans_clearly(screening):
                undecided.append(i)
            else:
                foreign.append(i)
    if undecided or foreign:
        asked = sorted(undecided + foreign)
        found = _english_or_french([clipped[i] for i in asked])
        for i, result in zip(asked, found, strict=True):
            results[i] = result
    # What looks like neither English nor French, or leans only faintly to either: does lingua
    # with more languages name another one? (Lingua's English/French confidence is relative: it
    # can be sure a Spanish text is English rather than French.)
    doubtful = faint + foreign
    if doubtful:
        for i, other in zip(
            doubtful, _other_languages([clipped[i] for i in doubtful]), strict=True
        ):
            if other is not None:
                results[i] = other
    return results


def detect_language(text: str) -> tuple[str, float]:
    """detect_languages for one text."""
    return detect_languages([text])[0]
