"""Development figures of nlp/, each beside its target (what `casebook evaluate` prints).

Every figure is computed on a split that training never used for fitting or choosing:
TweetEval / UMSAB validation (sentiment), GoEmotions Ekman dev (emotion), a generated
redaction test set (data/eval/pii_testset.py), CLINC150 val (a custom situation classifier).
Language identification, the redaction test set written for issue 15 and the keyword rules are
scored by nlp/evaluate_heldout.py, development beside test.

The redaction rules were written while looking at data/eval/pii_testset.py, so redaction is also scored
on two held-out sets they were not tuned on: data/eval/pii_heldout.py's generator (its own names,
templates and formats) and the hand-annotated sentences of data/eval/pii_heldout_annotated.txt;
names of persons also on 500 real comments annotated by hand (data/eval/pii_real.py), split into a
development half (rules were changed looking at its errors) and a test half (never looked at).

Sentiment and emotion are also scored on untouched test splits (nlp/splits.py) and, with the
slow pass, beside it: nlp/evaluate_splits.py; PAIRS sets each development figure beside its test
figure for `casebook evaluate`.

A checkout tool: the evaluation sets (data/eval/) and the shared data sets (../shared/data) are
not installed with the package; a figure whose data is missing says which path it looked for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sklearn.metrics import f1_score, recall_score

from casebook_data import EVAL_DIR
from nlp.datasets import read_goemotions, read_lines, read_tweeteval_val, read_umsab
from nlp.evaluate_splits import test_split_figures
from nlp.features import prepare_for_classifier
from nlp.figures import TARGETS, Figure, missing
from nlp.models import load_classifier
from nlp.sentiment import SentimentClassifier
from nlp.situation_model import SituationModel, situation_accuracy


def _without_eval_sets(*names: str) -> list[Figure]:
    note = f"missing {EVAL_DIR}: the evaluation sets come with a checkout, not with the package"
    return [Figure(name, None, TARGETS[name], 0, note) for name in names]


def sentiment_figures(data_dir: Path, models_dir: Path) -> list[Figure]:
    clf = SentimentClassifier.load(models_dir / "sentiment")
    figures = []
    en_dir = data_dir / "sentiment_en" / "tweeteval"
    name = "sentiment_en_tweeteval_val_macro_recall"
    if (en_dir / "val_text.txt").exists():
        texts, labels = read_tweeteval_val(data_dir)
        pred = [r.label for r in clf.predict([prepare_for_classifier(t) for t in texts])]
        value = float(recall_score(labels, pred, average="macro"))
        figures.append(Figure(name, value, TARGETS[name], len(labels)))
    else:
        figures.append(missing(name, en_dir / "val_text.txt"))
    fr_dir = data_dir / "sentiment_fr" / "umsab_tweets"
    name = "sentiment_fr_umsab_val_macro_f1"
    if (fr_dir / "val_text.txt").exists():
        texts, labels = read_umsab(data_dir, "val")
        pred = [r.label for r in clf.predict([prepare_for_classifier(t) for t in texts])]
        value = float(f1_score(labels, pred, average="macro"))
        figures.append(Figure(name, value, TARGETS[name], len(labels)))
    else:
        figures.append(missing(name, fr_dir / "val_text.txt"))
    return figures


def emotion_figure(data_dir: Path, models_dir: Path) -> Figure:
    """Macro F1 of the shipped emotion classifier alone (first label of each dev row)."""
    name = "emotion_goemotions_ekman_dev_macro_f1"
    base = data_dir / "emotion" / "goemotions"
    if not (base / "ekman_dev.tsv").exists():
        return missing(name, base / "ekman_dev.tsv")
    names = [n.strip() for n in read_lines(base / "ekman_labels.txt") if n.strip()]
    texts, labels = read_goemotions(base / "ekman_dev.tsv", names)
    pipeline = load_classifier(models_dir / "emotion").pipeline
    pred = pipeline.predict([prepare_for_classifier(t) for t in texts])
    value = float(f1_score(labels, pred, average="macro"))
    return Figure(name, value, TARGETS[name], len(labels), "classifier alone, no lexicon")


def redaction_figures(n: int = 1800, seed: int = 2026) -> list[Figure]:
    """Recall of e-mails, phones, cards and IBANs (target 0.99) and of names of persons (target
    0.90) on the generated set; the notes give recall and precision per type, recall on names in
    and out of the detector's first-name gazetteer, and the share of negatives left untouched."""
    if not EVAL_DIR.is_dir():
        return _without_eval_sets("redaction_recall_generated", "redaction_person_recall_generated")
    # Here, not above: the evaluation sets are in a checkout only.
    from casebook_data.eval.pii_testset import generate_pii_cases, redaction_recall

    cases = generate_pii_cases(n, seed)
    figures = redaction_recall(cases)

    def share(key: str) -> str:
        return f"{figures[key]:.3f}" if key in figures else "n/a"

    kinds = ("email", "phone", "card", "iban", "account", "address", "handle", "person")
    name = "redaction_recall_generated"
    structured = sum(
        1 for c in cases for k, _, _ in c.expected if k in {"EMAIL", "PHONE", "CARD", "IBAN"}
    )
    note = (
        f"email/phone/card/IBAN, exact spans; all types: recall {share('recall')}, precision "
        f"{share('precision')}; per type recall/precision: "
        + ", ".join(f"{k} {share('recall_' + k)}/{share('precision_' + k)}" for k in kinds)
        + f"; negatives untouched {share('negative_cases_clean')}"
    )
    out = [Figure(name, figures.get("recall_structured"), TARGETS[name], structured, note)]
    name = "redaction_person_recall_generated"
    persons = sum(1 for c in cases for k, _, _ in c.expected if k == "PERSON")
    note = (
        f"exact spans; precision {share('precision_person')}; first name in the detector's "
        f"gazetteer {share('recall_person_gazetteer')}, unseen {share('recall_person_unseen')}"
    )
    out.append(Figure(name, figures.get("recall_person"), TARGETS[name], persons, note))
    return out


HELD_OUT_KINDS = ("redaction_recall", "redaction_person_recall", "redaction_person_precision")
ANNOTATED_PII = EVAL_DIR / "pii_heldout_annotated.txt"


def _held_out_figures(suffix: str, cases: list, source: str) -> list[Figure]:
    # Here, not above: the evaluation sets are in a checkout only (the callers check EVAL_DIR).
    from casebook_data.eval.pii_testset import redaction_recall

    figures = redaction_recall(cases)

    def share(key: str) -> str:
        return f"{figures[key]:.3f}" if key in figures else "n/a"

    def count(*kinds: str) -> int:
        return sum(1 for c in cases for k, _, _ in c.expected if k in kinds)

    structured = ("EMAIL", "PHONE", "CARD", "IBAN")
    per_type = ", ".join(
        f"{k} {share('recall_' + k)}/{share('precision_' + k)}"
        for k in ("email", "phone", "card", "iban")
    )
    name = f"redaction_recall_{suffix}"
    out = [
        Figure(
            name,
            figures.get("recall_structured"),
            TARGETS[name],
            count(*structured),
            f"{source}; email/phone/card/IBAN, exact spans; recall/precision: {per_type}; "
            f"negatives untouched {share('negative_cases_clean')}",
        )
    ]
    name = f"redaction_person_recall_{suffix}"
    persons = count("PERSON")
    note = f"{source}; exact spans; precision {share('precision_person')}"
    out.append(Figure(name, figures.get("recall_person"), TARGETS[name], persons, note))
    name = f"redaction_person_precision_{suffix}"
    found = int(figures.get("n_precision_person", 0))
    note = f"{source}; share of [PERSON] spans found that are expected, exact spans"
    out.append(Figure(name, figures.get("precision_person"), TARGETS[name], found, note))
    return out


def held_out_redaction_figures(
    n: int = 1200, seed: int | None = None, annotated: Path = ANNOTATED_PII
) -> list[Figure]:
    """Recall of e-mails, phones, cards and IBANs (target 0.99), recall and precision of names
    of persons (targets 0.90) on the held-out generator (data/eval/pii_heldout.py) and on the
    hand-annotated held-out sentences (`annotated`)."""
    if not EVAL_DIR.is_dir():
        return _without_eval_sets(
            *(f"{kind}_{suffix}" for suffix in ("heldout", "annotated") for kind in HELD_OUT_KINDS)
        )
    # Here, not above: the evaluation sets are in a checkout only.
    from casebook_data.eval.pii_heldout import SEED, generate_heldout_cases, read_annotated

    cases = generate_heldout_cases(n, SEED if seed is None else seed)
    # Both were read while the rules were corrected: development now (the test set is
    # data/eval/pii_test_annotated.txt, nlp.evaluate_heldout.redaction_test_figures).
    out = _held_out_figures("heldout", cases, "development: data/eval/pii_heldout.py")
    if annotated.exists():
        out += _held_out_figures(
            "annotated", read_annotated(annotated), f"development: {annotated.name}"
        )
    else:
        out += [
            missing(name, annotated) for name in (f"{kind}_annotated" for kind in HELD_OUT_KINDS)
        ]
    return out


DEV_NAMES = EVAL_DIR / "pii_dev_annotated.txt"


def dev_names_figures(annotated: Path = DEV_NAMES) -> list[Figure]:
    """Recall and precision of names of persons (targets 0.90) on the development sentences
    written for issue 15 (data/eval/pii_dev_annotated.txt: names EN and FR, brands, places and
    capitalised words that are no names), read while the name rules and the French NER's gate
    were chosen. (It holds no e-mail, phone, card nor IBAN: that recall is n/a.)"""
    if not annotated.exists():
        return [missing(f"{kind}_devnames", annotated) for kind in HELD_OUT_KINDS]
    # Here, not above: the evaluation sets are in a checkout only.
    from casebook_data.eval.pii_heldout import read_annotated

    return _held_out_figures(
        "devnames", read_annotated(annotated), f"development: {annotated.name}"
    )


REAL_KINDS = ("redaction_person_recall_real", "redaction_person_precision_real")


def real_name_figures(data_dir: Path) -> list[Figure]:
    """Recall and precision of names of persons on REAL comments annotated by hand
    (data/eval/pii_real.py: TWCS, SemEval, UMSAB, Allociné, GoEmotions), development half beside
    test half; the notes give the figures per source."""
    names = [f"{kind}_{split}" for split in ("dev", "test") for kind in REAL_KINDS]
    if not EVAL_DIR.is_dir():
        return _without_eval_sets(*names)
    # Here, not above: the evaluation sets are in a checkout only.
    from casebook_data.eval.pii_real import SOURCES, real_name_scores

    try:
        scores = real_name_scores(data_dir)
    except (FileNotFoundError, ValueError) as exc:
        return [
            Figure(name, None, TARGETS[name], 0, f"real comments unavailable: {exc}")
            for name in names
        ]
    out = []
    for split in ("dev", "test"):
        every = scores[split]["all"]
        per_source = "; ".join(
            f"{source} {scores[split][source].recall:.3f}/{scores[split][source].precision:.3f}"
            f" ({scores[split][source].names} names)"
            for source in SOURCES
        )
        name = f"redaction_person_recall_real_{split}"
        note = (
            f"{every.comments} comments; names inside any placeholder "
            f"{every.covered_recall:.3f}; recall/precision per source: {per_source}"
        )
        out.append(Figure(name, every.recall, TARGETS[name], every.names, note))
        name = f"redaction_person_precision_real_{split}"
        note = "share of [PERSON] spans overlapping an annotated name"
        out.append(Figure(name, every.precision, TARGETS[name], every.predicted, note))
    return out


def situation_figure(model_dir: Path, rows: list[tuple[str, str]], source: str) -> Figure:
    model = SituationModel.load(model_dir)
    name = "situation_clinc150_val_accuracy"
    return Figure(name, situation_accuracy(model, rows), TARGETS[name], len(rows), source)


def evaluate_all(
    data_dir: Path,
    models_dir: Path,
    situation_model: Path | None = None,
    situation_rows: list[tuple[str, str]] | None = None,
    situation_source: str = "",
    step: Callable[[str], None] | None = None,
    slow: bool = False,
    cache: Path | None = None,
) -> list[Figure]:
    """All the development figures; `step(name)` is called as each part starts. (Language
    identification, the redaction test set and the keyword rules, development beside test:
    nlp.evaluate_heldout.heldout_figures.)"""

    def tell(what: str) -> None:
        if step is not None:
            step(what)

    figures: list[Figure] = []
    tell("sentiment")
    figures += sentiment_figures(data_dir, models_dir)
    tell("emotion")
    figures.append(emotion_figure(data_dir, models_dir))
    tell("sentiment and emotion, untouched test splits" + (", slow pass" if slow else ""))
    figures += test_split_figures(data_dir, models_dir, slow, cache)
    tell("redaction")
    figures += redaction_figures()
    tell("redaction, held out")
    figures += held_out_redaction_figures()
    figures += dev_names_figures()
    tell("redaction, real comments")
    figures += real_name_figures(data_dir)
    if situation_model is not None and situation_rows is not None:
        tell("situation")
        figures.append(situation_figure(situation_model, situation_rows, situation_source))
    return figures
