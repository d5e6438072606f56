"""The one entry point other layers use: Analyzer.load().analyze(texts) -> CommentAnalysis per text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from casebook_data import GAZETTEERS_DIR, MODELS_DIR, TAXONOMY_FILE
from nlp.emotion import EMOTIONS, EmotionClassifier
from nlp.features import MAX_CLASSIFIER_CHARS, prepare_for_classifier
from nlp.intensity import intensity
from nlp.language import SCREEN_FOLDER, LanguageScreen, detect_languages
from nlp.models import (
    CLASSIFIER_FILE,
    classifier_digest,
    collector_paused,
    read_card,
    release_memory,
)
from nlp.normalize import coerce_text, normalize_text
from nlp.other_languages import OtherLanguages, heads_digest
from nlp.redact import (
    PiiSpan,
    apply_redaction,
    find_pii_batch,
    resolve,
    structured_candidates,
    warm_up,
)
from nlp.sentiment import LABELS as SENTIMENT_LABELS
from nlp.sentiment import SentimentClassifier, SentimentResult, sentiment_result
from nlp.situation import SituationResult, Taxonomy
from nlp.situation_model import SituationModel, SituationPrediction

# Bump when a rule in nlp/ changes results (lexicons, heuristics, thresholds): it enters the version.
# 4: [ACCOUNT], [ADDRESS], [HANDLE], [PERSON]; 5: sentiment gets the language; 6: names said to
# someone without a cue (vocatives, reply openings, sign-offs), more signatures, IBANs with letters;
# 7: the French NER reads windows around possible names and skips the names the rules found;
# 8: the situation's runner-up is part of the result; 9: names opening a sentence, after an
# apology or "Oh no", no name before a hyphenated pronoun, phones without separators, references
# in digit groups, one handle policy, census first names (issue 13). The word lists of
# data/gazetteers enter the version by their content as well (_gazetteers_digest); 10: the
# French NER only for capitalised words that are no French words, more name cues, initials
# that spell a word, brand names (issue 15); 11: lower-case first names after a cue or before a
# staff slot, places named after persons, first names of more regions (issue 15, round 3);
# 12: the French NER's windows are 4 words either side of a possible name, not 5; 13: the French
# emotion lexicon's weight 0.4 -> 0.2 (nlp/emotion.py, with the written French rows); 14: the
# French NER's windows open only around words that may be a name (the gate's own test: an ordinary
# French word such as "Dommage" or "Scénario" opens none); 15: a situation's keywords do not count
# inside its `except` phrases ("thanks in advance" is no praise); 16: booking codes and ids a
# word or two from their cue, CMD-522103 and #770617 without one, "Order ID" in any case
# (nlp/references.py); "merci de nous contacter" is no praise; 17: names that their context
# says are no persons (nlp/non_persons.py): organisations ("Bonjour Voltéo Énergie"), places
# whose names are first names after a preposition ("flying to Austin"), adjectives ("Ravi(e)
# d'avoir pu aider"); a discourse word or a reference's cue alone is no name for the French NER
# ("Oh non", "Réf CMD-..."); a greeting's name before "d'" ("Merci Ravi d'avoir..."); 18: a text
# the language screen decides while leaning faintly to English or French may be named another
# language (nlp/language.py MIN_DECIDED_LOG_ODDS_PER_NGRAM); 19: comments in another language
# than English and French are read by the multilingual heads (nlp/other_languages.py; the heads'
# files and weights enter the version too); 20: another language is confirmed by lingua in
# high-accuracy mode at 0.9 (was low-accuracy at 0.9999), asked for every text the screen finds
# foreign and for those it decides leaning below 0.5 per n-gram (was 0.3; nlp/language.py);
# 21: the language screen leaves out accented names inside a sentence ("Hey Voltéo Énergie, my
# bill doubled" read French; nlp/language.py accented_names).
RULES_REVISION = "21"
# Keyword rules read at most this much of a comment: bounded cost on pathological inputs.
MAX_RULES_CHARS = 20_000

_PLACEHOLDER = re.compile(r"\[(?:EMAIL|PHONE|CARD|IBAN|ACCOUNT|ADDRESS|HANDLE|PERSON)\]")

__all__ = ["Analyzer", "CommentAnalysis", "PiiSpan", "analyzer_version"]


@dataclass(frozen=True, slots=True)
class CommentAnalysis:
    """Everything nlp/ says about one comment."""

    language: str
    language_confidence: float
    redacted_text: str
    pii: list[PiiSpan]
    sentiment: str
    sentiment_score: float
    emotions: dict[str, float]
    emotion: str
    intensity: float
    situation: str
    situation_confidence: float
    situation_runner_up: str  # the next most likely situation ("other" when none is)
    risks: list[str]


class Analyzer:
    """Loaded classifiers and rules; analyze() works on batches."""

    def __init__(
        self,
        sentiment: SentimentClassifier,
        emotion: EmotionClassifier,
        taxonomy: Taxonomy,
        version: str,
        situation_model: SituationModel | None = None,
        language_screen: LanguageScreen | None = None,
        other_languages: OtherLanguages | None = None,
    ):
        self.sentiment = sentiment
        self.emotion = emotion
        self.taxonomy = taxonomy
        self.version = version
        # A custom situation classifier replaces the taxonomy's keyword rules for the situation
        # (risk flags still come from the taxonomy).
        self.situation_model = situation_model
        # Without a screen, lingua alone identifies the language (English and French).
        self.language_screen = language_screen
        # Comments in other languages than English and French, read by the multilingual heads
        # (none without them: their fast reading stays).
        self.other_languages = other_languages or OtherLanguages(None)
        # The slow pass's classifiers (refine), loaded on first use; False when not shipped.
        self._deep: Any = None
        self._deep_version: str | None = None

    @classmethod
    def load(
        cls,
        models_dir: Path | None = None,
        taxonomy_path: Path | None = None,
        situation_model: Path | None = None,
    ) -> Analyzer:
        """Load the shipped classifiers (default data/models) and the taxonomy (default
        data/taxonomy.yaml); with `situation_model` (a folder written by
        nlp.situation_model.train_situation_model), situations come from that classifier."""
        models_dir = Path(models_dir) if models_dir else MODELS_DIR
        taxonomy_path = Path(taxonomy_path) if taxonomy_path else TAXONOMY_FILE
        sentiment = SentimentClassifier.load(models_dir / "sentiment")
        emotion = EmotionClassifier.load(models_dir / "emotion")
        taxonomy = Taxonomy.load(taxonomy_path)
        custom = SituationModel.load(Path(situation_model)) if situation_model else None
        screen = LanguageScreen.of_models(models_dir)
        other = OtherLanguages(models_dir)
        version = _version(sentiment, emotion, taxonomy_path, custom, screen, other.digest)
        warm_up()  # redaction's word lists and French NER, once
        release_memory()  # what the loaders freed goes back to the system
        return cls(sentiment, emotion, taxonomy, version, custom, screen, other)

    @collector_paused()  # a batch's many short-lived objects would set it off (nlp/models.py)
    def analyze(
        self, texts: list[str], brand_handles: set[str] | None = None
    ) -> list[CommentAnalysis]:
        """Analyse a batch; results in the same order; bad input gives defined results, never raises.

        `brand_handles`: @handles (without '@') of brand or agent accounts, e.g. those that reply
        in the same threads: never redacted, like those of data/gazetteers/brands.txt."""
        originals = [coerce_text(t) for t in texts]
        # Language first, on the text without its structured personal data (placeholders are
        # English words: kept away from language identification); then names, which the French
        # NER finds on French texts only.
        # The structured search runs once: its candidates serve both the language step and the
        # full redaction (find_pii_batch adds handles and names to them).
        candidates = [structured_candidates(t) for t in originals]
        structured = [resolve(list(c)) for c in candidates]
        partly = [
            normalize_text(apply_redaction(t, s))
            for t, s in zip(originals, structured, strict=True)
        ]
        languages = detect_languages(
            [_PLACEHOLDER.sub(" ", t) if "[" in t else t for t in partly],
            screen=self.language_screen or False,
        )
        codes = [lang for lang, _ in languages]
        spans = find_pii_batch(originals, codes, brand_handles, structured=candidates)
        redacted = [
            p if s == s0 else normalize_text(apply_redaction(t, s))
            for t, s, s0, p in zip(originals, spans, structured, partly, strict=True)
        ]
        prepared = [prepare_for_classifier(t) for t in redacted]
        # The language is known: the sentiment classifier need not detect it again.
        sentiments, emotion_probs = self._feelings(redacted, prepared, codes)
        custom = self.situation_model.predict(prepared) if self.situation_model else None

        results = []
        emotion_rows = emotion_probs.tolist()  # Python floats: the same numbers, rounded faster
        for i, text in enumerate(redacted):
            lang, lang_conf = languages[i]
            senti = sentiments[i]
            emotions = {e: round(p, 4) for e, p in zip(EMOTIONS, emotion_rows[i], strict=True)}
            rules_text = text[:MAX_RULES_CHARS]
            # Both kinds of result have situation, confidence and runner_up.
            situation: SituationResult | SituationPrediction
            if custom is None:
                situation, risks = self.taxonomy.classify_and_risks(rules_text, lang)
            else:
                situation, risks = custom[i], self.taxonomy.risks(rules_text)
            results.append(
                CommentAnalysis(
                    language=lang,
                    language_confidence=lang_conf,
                    redacted_text=text,
                    pii=spans[i],
                    sentiment=senti.label,
                    sentiment_score=senti.score,
                    emotions=emotions,
                    emotion=max(emotions, key=emotions.__getitem__),
                    intensity=intensity(text[:MAX_CLASSIFIER_CHARS], senti.score),
                    situation=situation.situation,
                    situation_confidence=situation.confidence,
                    situation_runner_up=situation.runner_up,
                    risks=risks,
                )
            )
        return results

    def _feelings(
        self, texts: list[str], prepared: list[str], languages: list[str]
    ) -> tuple[list[SentimentResult], np.ndarray]:
        """The fast sentiment of each comment (redacted `texts`, `prepared` for the classifiers,
        languages known) and the emotion probabilities, which the sentiment damps
        (nlp/emotion.py): the one reading of analyze() and refine_redacted()."""
        sentiments = self.sentiment.predict(prepared, languages)
        sentiment_probs = np.array(
            [[r.probabilities[label] for label in SENTIMENT_LABELS] for r in sentiments]
        ).reshape(len(sentiments), len(SENTIMENT_LABELS))
        emotion_probs = self.emotion.probabilities(texts, prepared, languages, sentiment_probs)
        # Comments in another language: the multilingual heads read them (nlp/other_languages.py).
        rows = self.other_languages.rows(prepared, languages)
        if rows:
            sentiment_other, emotion_other = self.other_languages.read(
                [texts[i] for i in rows], sentiment_probs[rows], emotion_probs[rows]
            )
            emotion_probs[rows] = emotion_other
            for i, row in zip(rows, sentiment_other.tolist(), strict=True):
                sentiments[i] = sentiment_result(row)
        return sentiments, emotion_probs

    def refine(
        self, analyses: list[CommentAnalysis], models_dir: Path | None = None
    ) -> list[CommentAnalysis]:
        """The slow pass (nlp/deep.py): sentiment, emotion and intensity of analysed comments
        read again (English by the fine-tuned English encoders, French by the multilingual
        sentence encoder's heads), blended with the fast reading; for the few comments where
        they matter (threads that may become cases), about a hundred a second on one core.
        Reads the redacted text only. Without the slow classifiers in `models_dir` (default
        data/models), the analyses come back unchanged."""
        from dataclasses import replace

        from nlp.deep import DeepScorer, slow_pass_version

        folder = Path(models_dir) if models_dir else MODELS_DIR
        # Loaded again when its files changed (a long-lived process must not store an old
        # reading under the new version).
        version = slow_pass_version(folder)
        if self._deep is None or version != self._deep_version:
            self._deep = DeepScorer.load(folder) or False
            self._deep_version = version
        if not self._deep or not analyses:
            return list(analyses)
        texts = [a.redacted_text for a in analyses]
        codes = [a.language for a in analyses]
        prepared = [prepare_for_classifier(t) for t in texts]
        # Comments in other languages were read by the multilingual heads already: the slow pass
        # has nothing better for them (nlp/other_languages.py).
        keep = set(self.other_languages.rows(prepared, codes))
        todo = [i for i in range(len(analyses)) if i not in keep]
        sentiment_fast = self.sentiment.probabilities(
            [prepared[i] for i in todo], [codes[i] for i in todo]
        )
        emotion_fast = np.array(
            [[analyses[i].emotions[e] for e in EMOTIONS] for i in todo]
        ).reshape(len(todo), len(EMOTIONS))
        sentiment, emotion = self._deep.refine(
            [texts[i] for i in todo], [codes[i] for i in todo], sentiment_fast, emotion_fast
        )
        out = list(analyses)
        for k, i in enumerate(todo):
            a = analyses[i]
            if not prepared[i].strip():
                continue
            score = round(float(np.clip(sentiment[k][2] - sentiment[k][0], -1.0, 1.0)), 4)
            emotions = {e: round(float(p), 4) for e, p in zip(EMOTIONS, emotion[k], strict=True)}
            out[i] = replace(
                a,
                sentiment=SENTIMENT_LABELS[int(np.argmax(sentiment[k]))],
                sentiment_score=score,
                emotions=emotions,
                emotion=max(emotions, key=emotions.__getitem__),
                intensity=intensity(texts[i][:MAX_CLASSIFIER_CHARS], score),
            )
        return out

    def refine_redacted(
        self, texts: list[str], languages: list[str], models_dir: Path | None = None
    ) -> list[CommentAnalysis]:
        """refine() of comments already analysed and stored: their redacted text and language
        (the fast classifiers read nothing else, so their reading is the stored one; the store
        keeps the emotion's label, not its probabilities, which are computed again here). The
        results carry sentiment, score, emotion(s) and intensity; the other fields are blank."""
        prepared = [prepare_for_classifier(t) for t in texts]
        sentiments, emotion_probs = self._feelings(texts, prepared, languages)
        emotion_rows = emotion_probs.tolist()
        fast = []
        for text, lang, senti, row in zip(texts, languages, sentiments, emotion_rows, strict=True):
            emotions = {e: round(p, 4) for e, p in zip(EMOTIONS, row, strict=True)}
            fast.append(
                CommentAnalysis(
                    language=lang,
                    language_confidence=1.0,
                    redacted_text=text,
                    pii=[],
                    sentiment=senti.label,
                    sentiment_score=senti.score,
                    emotions=emotions,
                    emotion=max(emotions, key=emotions.__getitem__),
                    intensity=intensity(text[:MAX_CLASSIFIER_CHARS], senti.score),
                    situation="",
                    situation_confidence=0.0,
                    situation_runner_up="other",
                    risks=[],
                )
            )
        return self.refine(fast, models_dir)


def analyzer_version(
    models_dir: Path | None = None,
    taxonomy_path: Path | None = None,
    situation_model: Path | None = None,
) -> str:
    """The version Analyzer.load(models_dir, taxonomy_path, situation_model) gives, read from the
    files alone (classifier digests, cards' training dates, taxonomy): no classifier is loaded."""
    models_dir = Path(models_dir) if models_dir else MODELS_DIR
    taxonomy_path = Path(taxonomy_path) if taxonomy_path else TAXONOMY_FILE
    sentiment_dir = models_dir / "sentiment"
    sentiment = _Facts.of(sentiment_dir)
    if (sentiment_dir / "fr" / CLASSIFIER_FILE).exists():
        # As SentimentClassifier does: one digest for the English and the French file.
        both = sentiment.digest + classifier_digest(sentiment_dir / "fr")
        sentiment = sentiment._replace(digest=hashlib.sha256(both.encode()).hexdigest())
    return _compose_version(
        sentiment,
        # As EmotionClassifier.load: without its file, the emotion is the lexicon's alone.
        _Facts.of_present(models_dir / "emotion"),
        taxonomy_path,
        _Facts.of(Path(situation_model)) if situation_model else None,
        _Facts.of_present(models_dir / SCREEN_FOLDER),
        heads_digest(models_dir),
    )


class _Facts(NamedTuple):
    """What a classifier gives the version: its file's digest and its card."""

    digest: str
    card: dict[str, Any]

    @classmethod
    def of(cls, model_dir: Path) -> _Facts:
        """The facts of a classifier folder, read from its files."""
        return cls(classifier_digest(model_dir), read_card(model_dir))

    @classmethod
    def of_present(cls, model_dir: Path) -> _Facts | None:
        """The facts of an optional classifier folder (None when it holds no classifier)."""
        return cls.of(model_dir) if (model_dir / CLASSIFIER_FILE).exists() else None


def _version(
    sentiment: SentimentClassifier,
    emotion: EmotionClassifier,
    taxonomy_path: Path,
    situation_model: SituationModel | None = None,
    language_screen: LanguageScreen | None = None,
    other_languages: str | None = None,
) -> str:
    """The version of loaded classifiers (see _compose_version)."""
    return _compose_version(
        _Facts(sentiment.loaded.digest, sentiment.loaded.card),
        _Facts(emotion.loaded.digest, emotion.loaded.card) if emotion.loaded else None,
        taxonomy_path,
        _Facts(situation_model.loaded.digest, situation_model.loaded.card)
        if situation_model is not None
        else None,
        _Facts(language_screen.digest, language_screen.card) if language_screen else None,
        other_languages,
    )


def _gazetteers_digest() -> str:
    """A digest of the word lists redaction reads (data/gazetteers/*.txt): editing one changes
    what is redacted, so it changes the version."""
    digest = hashlib.sha256()
    for path in sorted(GAZETTEERS_DIR.glob("*.txt")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _compose_version(
    sentiment: _Facts,
    emotion: _Facts | None,
    taxonomy_path: Path,
    situation: _Facts | None,
    language: _Facts | None = None,
    other_languages: str | None = None,
) -> str:
    """Version "YYYY.MM-<hash>": the month of the newest classifier, and a hash of what decides
    results (classifier files, taxonomy, rules revision, custom situation classifier, language
    screen and the heads that read other languages (their digest) if any; no emotion classifier
    counts as "lexicon")."""
    digest = hashlib.sha256()
    digest.update(sentiment.digest.encode())
    digest.update((emotion.digest if emotion else "lexicon").encode())
    digest.update(taxonomy_path.read_bytes())
    digest.update(RULES_REVISION.encode())
    digest.update(_gazetteers_digest().encode())
    dates = [sentiment.card.get("trained_at", "")]
    if emotion:
        dates.append(emotion.card.get("trained_at", ""))
    if situation is not None:
        digest.update(situation.digest.encode())
        dates.append(situation.card.get("trained_at", ""))
    if language is not None:
        digest.update(language.digest.encode())
        dates.append(language.card.get("trained_at", ""))
    if other_languages is not None:
        digest.update(other_languages.encode())
    newest = max(dates)
    month = newest[:7].replace("-", ".") if newest else "0000.00"
    return f"{month}-{digest.hexdigest()[:8]}"
