"""Sentiment and emotion on the untouched test splits of issue 15 (nlp/splits.py), the
hand-labelled French emotions (data/eval/emotion_fr.tsv), and the slow pass (nlp/deep.py) beside
the fast one: the part of `casebook evaluate` that nlp/evaluate.py delegates here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, recall_score

from casebook_data import EVAL_DIR
from nlp.datasets import read_allocine, read_lines, read_umsab
from nlp.features import prepare_for_classifier
from nlp.figures import TARGETS, Figure, missing
from nlp.models import load_classifier
from nlp.sentiment import SentimentClassifier

EMOTION_FR = EVAL_DIR / "emotion_fr.tsv"
# The second French emotion test set, 451 more test comments (data/eval/emotion_fr_test_b.md).
EMOTION_FR_TEST_B = EVAL_DIR / "emotion_fr_test_b.tsv"
# The development set of the French emotions: other rows, labelled by the same rubric.
EMOTION_FR_DEV = EVAL_DIR / "emotion_fr_dev.tsv"
# French training rows labelled by the same rubric; a hashed fifth of them (salt, share) joins the
# development set, the rest trains the French emotion member (nlp/finetune_tasks.py).
EMOTION_FR_TRAIN = EVAL_DIR / "emotion_fr_train.tsv"
EMOTION_FR_TRAIN_DEV = ("emotion_fr_train", 0.2)
COMMON_EMOTION = 10  # comments of an emotion for it to count in the "common emotions" figure
# French comments written for training, each with the emotion it was written to express.
EMOTION_FR_WRITTEN = EVAL_DIR / "emotion_fr_written.tsv"


def read_emotion_fr(
    data_dir: Path, path: Path | None = None, batches: tuple[str, ...] = ()
) -> tuple[list[str], list[str]]:
    """The hand-labelled French comments (path, by default the test set data/eval/emotion_fr.tsv:
    source, id, label), their texts read from the shared data by id (nlp.splits.key_id of the
    text's key); `batches`: only the rows of these labelling batches (emotion_fr_train.tsv's
    sixth column; a file without it is batch 1), all by default."""
    path = path or EMOTION_FR
    from nlp.splits import key_id, text_key

    by_id: dict[tuple[str, str], str] = {}
    umsab_texts = read_umsab(data_dir, "train")[0] + read_umsab(data_dir, "val")[0]
    for source, texts in (
        ("umsab", umsab_texts),
        ("allocine", [t for t, _ in read_allocine(data_dir)]),
    ):
        for text in texts:
            by_id.setdefault((source, key_id(text_key(text))), text)
    texts, labels = [], []
    header, *lines = read_lines(path)
    columns = header.strip().split("\t")
    batch = columns.index("batch") if "batch" in columns else None
    for line in lines:
        if not line.strip():
            continue
        fields = line.split("\t")
        source, row_id, label = fields[:3]
        if batches and (fields[batch].strip() if batch is not None else "1") not in batches:
            continue
        if (source, row_id) not in by_id:
            raise ValueError(f"{path.name}: no {source} text with id {row_id} in {data_dir}")
        texts.append(by_id[(source, row_id)])
        labels.append(label.strip())
    return texts, labels


def read_emotion_fr_test_b(data_dir: Path) -> tuple[list[str], list[str]]:
    """The second French emotion test set (EMOTION_FR_TEST_B)."""
    return read_emotion_fr(data_dir, EMOTION_FR_TEST_B)


def french_emotion_training(
    data_dir: Path, batches: tuple[str, ...] = ()
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The hand-labelled French training rows as (text, label): (the rows that train, the hashed
    fifth that joins the development set); `batches` as in read_emotion_fr."""
    from nlp.splits import in_test, text_key

    rows = list(zip(*read_emotion_fr(data_dir, EMOTION_FR_TRAIN, batches), strict=True))
    held = [in_test(text_key(text), EMOTION_FR_TRAIN_DEV) for text, _ in rows]
    return (
        [row for row, h in zip(rows, held, strict=True) if not h],
        [row for row, h in zip(rows, held, strict=True) if h],
    )


def read_emotion_fr_written(path: Path | None = None) -> list[tuple[str, str]]:
    """The written French training comments (data/eval/emotion_fr_written.tsv: writer,
    register, label, text) as (text, label); a row that is not four fields or whose label is not
    an emotion is a ValueError that names its line."""
    from nlp.emotion import EMOTIONS

    path = path or EMOTION_FR_WRITTEN
    rows = []
    for number, line in enumerate(read_lines(path)[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[2] not in EMOTIONS or not fields[3].strip():
            raise ValueError(
                f"{path.name}, line {number}: expected writer, register, emotion, text"
            )
        rows.append((fields[3].strip(), fields[2]))
    return rows


def read_emotion_fr_dev(data_dir: Path) -> tuple[list[str], list[str]]:
    """The French emotion development set: emotion_fr_dev.tsv and the fifth of
    emotion_fr_train.tsv that never trains."""
    texts, labels = read_emotion_fr(data_dir, EMOTION_FR_DEV)
    if EMOTION_FR_TRAIN.exists():
        for text, label in french_emotion_training(data_dir)[1]:
            texts.append(text)
            labels.append(label)
    return texts, labels


def _scores(truth: list[str], probs: np.ndarray, classes: tuple[str, ...]) -> dict[str, float]:
    pred = np.array(classes)[probs.argmax(axis=1)]
    present = sorted(set(truth))
    return {
        "macro_recall": float(
            recall_score(truth, pred, labels=present, average="macro", zero_division=0)
        ),
        "macro_f1": float(f1_score(truth, pred, labels=present, average="macro", zero_division=0)),
    }


def _polar_accuracy(truth: list[str], probs: np.ndarray) -> float:
    """Negative vs positive (sentiment columns: negative, neutral, positive), neutral ignored."""
    polar = np.where(probs[:, 2] > probs[:, 0], "positive", "negative")
    return float(np.mean(polar == np.array(truth)))


def test_split_figures(
    data_dir: Path, models_dir: Path, slow: bool = False, cache: Path | None = None
) -> list[Figure]:
    """Sentiment and emotion on the untouched test splits (nlp/splits.py) and the hand-labelled
    French emotions; with `slow`, also the slow pass (nlp/deep.py) on development and test sets
    (`cache`: a folder of cached embeddings, nlp/embedding_cache.py, to save encoding again)."""
    from nlp.deep import DeepScorer
    from nlp.embedding_cache import deep_dev_sets
    from nlp.emotion import EMOTIONS, EmotionClassifier, french_emotion_reading
    from nlp.sentiment import LABELS
    from nlp.splits import emotion_split, sentiment_en_split, sentiment_fr_split

    if not (data_dir / "sentiment_en" / "semeval").is_dir():
        return [missing("sentiment_en_semeval2016_test_macro_recall", data_dir / "sentiment_en")]
    sentiment = SentimentClassifier.load(models_dir / "sentiment")
    emotion_pipeline = load_classifier(models_dir / "emotion").pipeline
    emotion_columns = [list(map(str, emotion_pipeline.classes_)).index(e) for e in EMOTIONS]
    deep = DeepScorer.load(models_dir) if slow else None

    def encode(texts: list[str], task: str) -> np.ndarray:
        from nlp.embedding_cache import cached_encode
        from nlp.encoder import encode as encode_now

        return cached_encode(texts, cache / f"{task}.npz") if cache else encode_now(texts)

    out: list[Figure] = []

    def add(name: str, value: float | None, rows: int, note: str) -> None:
        out.append(Figure(name, value, TARGETS[name], rows, note if rows else "no rows"))

    def has_head(task: str) -> bool:
        return deep is not None and (getattr(deep, task) is not None or tuned(task))

    def tuned(task: str) -> bool:
        # A fine-tuned member reads the task's rows (French ones for sentiment_fr, English ones
        # otherwise): no embeddings, and fast enough for the whole development and test sets.
        return deep is not None and deep.serves(task, "fr" if task == "sentiment_fr" else "en")

    def parts(split: Any, task: str) -> list[tuple[str, Any]]:
        # Development figures of the fast pass are emotion_figure's and sentiment_figures';
        # the slow pass is scored on the share of the development set it was chosen on.
        # "test": the fast pass on the whole test split; "dev" and "slow test": the slow pass
        # on the hashed shares it is scored on (nlp/embedding_cache.py: encoding is slow).
        if not has_head(task):
            return [("test", split.test)]
        if tuned(task):
            return [("test", split.test), ("dev", split.dev), ("slow test", split.test)]
        return [
            ("test", split.test),
            ("dev", deep_dev_sets(task, split.dev)),
            ("slow test", deep_dev_sets(task, split.test, "test")),
        ]

    def sentiment_sets(split: Any, language: str, task: str, metric: str) -> None:
        for part, sets in parts(split, task):
            for set_name, (texts, labels) in sets.items():
                if not texts:
                    suffix = "" if part == "test" else "_slow"
                    for name in (
                        f"sentiment_{set_name}_{metric}{suffix}",
                        f"sentiment_{set_name}_polar_accuracy{suffix}",
                    ):
                        if name in TARGETS:
                            add(name, None, 0, "")
                    continue
                prepared = [prepare_for_classifier(t) for t in texts]
                fast = sentiment.probabilities(prepared, [language] * len(texts))
                tables = {"": fast} if part == "test" else {}
                if part != "test" and deep is not None:
                    X = None if tuned(task) else encode(texts, task)
                    empty = np.zeros((len(texts), len(EMOTIONS))) + 1 / len(EMOTIONS)
                    tables["_slow"] = deep.refine(texts, [language] * len(texts), fast, empty, X)[0]
                for suffix, probs in tables.items():
                    if set_name == "fr_allocine_test":
                        name = f"sentiment_{set_name}_polar_accuracy{suffix}"
                        value = _polar_accuracy(labels, probs)
                    else:
                        name = f"sentiment_{set_name}_{metric}{suffix}"
                        value = _scores(labels, probs, LABELS)[metric]
                    if name in TARGETS:
                        add(name, value, len(labels), f"{part} rows, nlp/splits.py")

    sentiment_sets(sentiment_en_split(data_dir), "en", "sentiment_en", "macro_recall")
    sentiment_sets(sentiment_fr_split(data_dir), "fr", "sentiment_fr", "macro_f1")
    split = emotion_split(data_dir)
    for part, sets in parts(split, "emotion"):
        for set_name, (texts, labels) in sets.items():
            if not texts:
                name = f"emotion_{set_name}_macro_f1{'' if part == 'test' else '_slow'}"
                if name in TARGETS:
                    add(name, None, 0, "")
                continue
            fast = emotion_pipeline.predict_proba([prepare_for_classifier(t) for t in texts])
            fast = fast[:, emotion_columns]
            tables = {"": fast} if part == "test" else {}
            if part != "test" and deep is not None:
                X = None if tuned("emotion") else encode(texts, "emotion")
                neutral3 = np.tile([0.0, 1.0, 0.0], (len(texts), 1))
                tables["_slow"] = deep.refine(texts, ["en"] * len(texts), neutral3, fast, X)[1]
            for suffix, probs in tables.items():
                name = f"emotion_{set_name}_macro_f1{suffix}"
                if name in TARGETS:
                    value = _scores(labels, probs, EMOTIONS)["macro_f1"]
                    add(name, value, len(labels), f"{part} rows, classifier alone, no lexicon")
    french_emotion = EmotionClassifier.load(models_dir / "emotion")  # as the analyser runs it

    def french_figures(name: str, rows: str, labels: list[str], tables: dict[str, Any]) -> None:
        # Emotions with a handful of comments (one disgust comment is a seventh of the macro F1)
        # make the figure jumpy: the macro F1 over the common ones is printed beside it.
        common = [e for e in EMOTIONS if labels.count(e) >= COMMON_EMOTION]
        for suffix, probs in tables.items():
            pred = np.array(EMOTIONS)[probs.argmax(axis=1)]
            accuracy = float(np.mean(pred == np.array(labels)))
            common_f1 = f1_score(labels, pred, labels=common, average="macro", zero_division=0)
            add(
                f"{name}{suffix}",
                _scores(labels, probs, EMOTIONS)["macro_f1"],
                len(labels),
                f"{rows}: macro F1 over the labels present, accuracy {accuracy:.3f}, macro F1 "
                f"over the emotions with >= {COMMON_EMOTION} comments ({', '.join(common)}) "
                f"{common_f1:.4f}; as the analyser runs it (classifier + French lexicon)",
            )

    read_sets: dict[str, tuple[list[str], dict[str, Any]]] = {}  # prefix -> (labels, tables)
    for prefix, path, read, rows in (
        (
            "emotion_fr_dev_annotated",
            EMOTION_FR_DEV,
            read_emotion_fr_dev,
            f"{EMOTION_FR_DEV.name} + the held fifth of {EMOTION_FR_TRAIN.name}",
        ),
        ("emotion_fr_annotated", EMOTION_FR, read_emotion_fr, EMOTION_FR.name),
        ("emotion_fr_test_b_annotated", EMOTION_FR_TEST_B, read_emotion_fr_test_b, "test B"),
    ):
        name = f"{prefix}_macro_f1"
        if not path.exists():
            out.append(missing(name, path))
            continue
        try:
            texts, labels = read(data_dir)
        except (FileNotFoundError, ValueError) as exc:
            out.append(Figure(name, None, TARGETS[name], 0, f"French texts unavailable: {exc}"))
            continue
        fast_sent, fast = french_emotion_reading(sentiment, french_emotion, texts)
        tables = {"": fast}
        if deep is not None and has_head("emotion"):
            X = None if deep.serves("emotion_fr", "fr") else encode(texts, prefix)
            tables["_slow"] = deep.refine(texts, ["fr"] * len(texts), fast_sent, fast, X)[1]
        read_sets[prefix] = (labels, tables)
        french_figures(name, rows, labels, tables)
    # Both test sets together: the readings above, the first set's rows then the second's.
    both = [read_sets.get(p) for p in ("emotion_fr_annotated", "emotion_fr_test_b_annotated")]
    if both[0] is not None and both[1] is not None:
        (first, first_tables), (second, second_tables) = both[0], both[1]
        tables = {k: np.vstack([first_tables[k], second_tables[k]]) for k in first_tables}
        french_figures("emotion_fr_tests_annotated_macro_f1", "tests A + B", first + second, tables)
    else:
        name = "emotion_fr_tests_annotated_macro_f1"
        out.append(Figure(name, None, TARGETS[name], 0, "needs both French emotion test sets"))
    return out
