"""The rows a slow-pass head learns from besides its task's training split (nlp/deep_train.py
adds them, EXTRA_REPEATS times over, to the rows of nlp.embedding_cache.deep_train_rows)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

# The emotion head reads the comments no fine-tuned member reads: since English and French emotion
# have theirs (data/models/deep/emotion_finetuned, emotion_fr_finetuned), the comments in other
# languages (nlp/other_languages.py). It also learns the labelled customer-service comments of the
# training half (data/eval/emotion_service.tsv, English and French) and the hand-labelled French
# training rows (data/eval/emotion_fr_train.tsv), each EXTRA_REPEATS times over, and its head is
# fixed (nlp/deep_train.py TASK_HEADS). Chosen on 7 December 2026 on the 150 development comments
# in other languages (data/eval/other_languages_feelings_dev.tsv, macro F1 at the best blend
# weight, nlp/other_languages.py WEIGHTS; the rule, set before: keep it if 0.02 over the head
# shipped before, which read 0.4173; then read the test set once): GoEmotions rows
# alone (all of them, no longer 15%) 0.4718 with LogisticRegression C=1, 0.4747 with C=3; with
# the extra rows 0.5511 and 0.5211; the head shipped before, 0.4173.
EXTRA_ROWS = {"emotion": ("customer_service", "emotion_fr_train")}
EXTRA_REPEATS = 3


def deep_extra_rows(task: str, data_dir: Path) -> list[tuple[str, str, str]]:
    """The task's EXTRA_ROWS as (text, label, source): none where a file or the shared data's
    texts are missing (the card's row count says what was learnt)."""
    from nlp.emotion_train import french_rows
    from nlp.evaluate_service import service_rows

    rows: list[tuple[str, str, str]] = []
    for source in EXTRA_ROWS.get(task, ()):
        found = (
            service_rows(data_dir, "train", "emotion")[0]
            if source == "customer_service"
            else french_rows(data_dir)[0]
        )
        rows += [(text, label, source) for text, label in found]
    return rows


def extra_rows_facts(task: str, sources: Mapping[str, int]) -> dict[str, dict[str, str]]:
    """For a card's data: each extra source's rows and repeats, from the training rows' count per
    source ({} for a task without extra rows)."""
    if task not in EXTRA_ROWS:
        return {}
    return {
        "extra_rows": {
            source: f"{sources.get(source, 0) // EXTRA_REPEATS} x {EXTRA_REPEATS}"
            for source in EXTRA_ROWS[task]
        }
    }
