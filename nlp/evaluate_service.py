"""Sentiment and emotion of customer-service comments (data/eval/emotion_service.tsv), as the
analyser reads them: the domain Casebook reads every day, where the public sets (tweets about
politics, film reviews, Reddit) are only a proxy. The development half of the development threads
(the other half trains the fast classifiers) beside the test threads, by language (the
analyser's), for the fast pass and, with `slow`, the slow pass (Analyzer.refine). Also the
one reader of its labelled rows for the trainers (service_rows)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from sklearn.metrics import f1_score, recall_score

from casebook_data import EVAL_DIR
from nlp.figures import TARGETS, Figure

log = logging.getLogger(__name__)

SERVICE_FILE = EVAL_DIR / "emotion_service.tsv"
SPLITS = ("dev", "test")
LANGUAGES = ("en", "fr")
# The metric for each language's sentiment (English: macro recall, as TweetEval; French:
# macro F1, as UMSAB).
SENTIMENT_METRIC = {"en": "macro_recall", "fr": "macro_f1"}


def figure_names(slow: bool = False) -> list[str]:
    suffix = "_slow" if slow else ""
    names = []
    for language in LANGUAGES:
        for split in SPLITS:
            names.append(f"emotion_service_{language}_{split}_macro_f1{suffix}")
            metric = SENTIMENT_METRIC[language]
            names.append(f"sentiment_service_{language}_{split}_{metric}{suffix}")
    return names


def service_rows(
    data_dir: Path, part: str, label: str, language: str | None = None
) -> tuple[list[tuple[str, str]], str]:
    """(text, `label`) of the labelled comments of a part ("train", "dev" or "test") of
    data/eval/emotion_service.tsv, `label` "emotion" or "sentiment"; with `language`, only the
    comments in it as the analyser identifies it ("fr"; "en": every other). Empty, with why,
    without the file or the shared data's TWCS texts."""
    if not SERVICE_FILE.exists():
        return [], f"missing {SERVICE_FILE}"
    from casebook_data.eval.emotion_service import service_comments
    from nlp.language import detect_languages

    try:
        comments = service_comments(data_dir, part)
    except (FileNotFoundError, ValueError) as exc:
        log.warning(f"no customer-service comments ({exc})")
        return [], str(exc)
    if language is not None:
        codes = [code for code, _ in detect_languages([c.text for c in comments])]
        comments = [
            c
            for c, code in zip(comments, codes, strict=True)
            if (code == "fr") == (language == "fr")
        ]
    return [(c.text, getattr(c, label)) for c in comments], ""


def _score(metric: str, truth: Sequence[str], pred: Sequence[str]) -> float:
    present = sorted(set(truth))
    score = recall_score if metric == "macro_recall" else f1_score
    return float(score(truth, pred, labels=present, average="macro", zero_division=0))


def service_figures(
    data_dir: Path, models_dir: Path | None = None, slow: bool = False, path: Path = SERVICE_FILE
) -> list[Figure]:
    """Emotion macro F1 and sentiment (macro recall in English, macro F1 in French) of the
    labelled customer-service comments, development (part "dev") and test threads apart; the
    training half's comments are not scored."""
    if not path.exists():
        return [Figure(n, None, TARGETS[n], 0, f"missing {path}") for n in figure_names()]
    from casebook_data.eval.emotion_service import service_comments
    from nlp.analyze import Analyzer

    try:
        comments = [c for c in service_comments(data_dir, path=path) if c.part in SPLITS]
    except (FileNotFoundError, ValueError) as exc:
        return [Figure(n, None, TARGETS[n], 0, str(exc)) for n in figure_names()]
    analyzer = Analyzer.load(models_dir)
    fast = analyzer.analyze([c.text for c in comments])
    passes = {"": fast}
    if slow:
        passes["_slow"] = analyzer.refine(fast, models_dir)
    out = []
    for suffix, analyses in passes.items():
        for language in LANGUAGES:
            for split in SPLITS:
                rows = [
                    i
                    for i, c in enumerate(comments)
                    if c.part == split and (fast[i].language == "fr") == (language == "fr")
                ]
                sources = sorted({comments[i].source for i in rows})
                which = "development half of the dev" if split == "dev" else "test"
                what = (
                    f"{which} threads, {'+'.join(sources) or 'no rows'}; as the analyser reads them"
                )
                metric = SENTIMENT_METRIC[language]
                for task, label, measure in (
                    ("emotion", "emotion", "macro_f1"),
                    ("sentiment", "sentiment", metric),
                ):
                    name = f"{task}_service_{language}_{split}_{measure}{suffix}"
                    truth = [getattr(comments[i], label) for i in rows]
                    pred = [getattr(analyses[i], label) for i in rows]
                    value = _score(measure, truth, pred) if rows else None
                    out.append(Figure(name, value, TARGETS[name], len(rows), what))
    return out
