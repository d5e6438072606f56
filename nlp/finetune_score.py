"""Score the slow pass's fine-tuned members (nlp/finetune_train.py trains them) as they ship:
the blend weight with the fast reading chosen on the development set with the int8 file, then
development and test scored; `--reblend` (reblend_finetuned) does it again for a shipped model,
without torch."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from nlp.deep import DEEP_FOLDER, blend
from nlp.deep_heads import BLEND_GRID, columns, metric_score
from nlp.deep_train import METRICS, score_sets
from nlp.finetune_tasks import SPECS, base_description, evaluation_split, fast_probabilities
from nlp.finetuned import MAX_TOKENS, MODEL_FILE, FinetunedModel, finetuned_folder
from nlp.models import with_history, write_card
from nlp.training import write_card_md


def set_sizes(split: Any) -> dict[str, dict[str, int]]:
    """Rows of each development and test set of a nlp.splits.Split, for a card's data."""
    return {
        part: {k: len(v[0]) for k, v in getattr(split, part).items()} for part in ("dev", "test")
    }


def agreement(work: Path, out: Path, texts: list[str]) -> float:
    """Share of texts on which the int8 model's class is the float ONNX model's."""
    float_model = FinetunedModel(out, threads=2, model_file=work / "float.onnx")
    a = float_model.predict_proba(texts).argmax(axis=1)
    b = FinetunedModel(out, threads=2).predict_proba(texts).argmax(axis=1)
    return round(float(np.mean(a == b)), 4)


def blend_and_figures(
    task: str, split: Any, models_dir: Path, model: FinetunedModel
) -> tuple[float, list[dict[str, Any]], dict[str, dict[str, float]]]:
    """(blend weight chosen on dev, the dev score of each weight, dev and test figures) of a
    fine-tuned model against the fast classifier of models_dir, on the task's nlp.splits.Split."""
    spec = SPECS[task]
    metric = METRICS.get(task, "macro_f1")
    fast_probs = fast_probabilities(task, models_dir)
    # Chosen on the mean of every development set: the public comments and the customer-service
    # ones, which the slow pass reads for the threads that may become cases.
    chosen_on = list(split.dev.items())
    dev_sets = [
        (
            name,
            labels,
            fast_probs(texts),
            model.predict_proba(texts)[:, columns(model, spec.classes)],
        )
        for name, (texts, labels) in chosen_on
        if texts
    ]
    curve = []
    for w in BLEND_GRID:
        row: dict[str, Any] = {"blend weight": w}
        for name, labels, fast, slow in dev_sets:
            row[f"{name}_{metric}"] = round(
                metric_score(metric, labels, blend(fast, slow, w), spec.classes), 4
            )
        if len(dev_sets) > 1:
            row[f"mean {metric}"] = round(
                float(np.mean([row[f"{n}_{metric}"] for n, *_ in dev_sets])), 4
            )
        curve.append(row)
    key = f"mean {metric}" if len(dev_sets) > 1 else f"{dev_sets[0][0]}_{metric}"
    # The best development score; the smaller weight on ties (nlp.deep_heads.choose_blend).
    weight = max(curve, key=lambda r: (r[key], -r["blend weight"]))["blend weight"]
    figures = {
        part: score_sets(model, weight, sets, lambda t: t, fast_probs, spec.classes, metric)
        for part, sets in (("dev", split.dev), ("test", split.test))
    }
    return weight, curve, figures


def reading(when: str, how: str, weight: float, figures: dict[str, dict[str, float]]) -> str:
    """One reading of the test split, for the card's list."""
    test = ", ".join(f"{k} {v}" for k, v in figures["test"].items())
    return (
        f"{when[:16].replace('T', ' ')} UTC, {how}, blend weight {weight} chosen on the "
        f"development set: {test}"
    )


def pipeline(task: str, weight: float) -> str:
    return (
        f"{base_description(SPECS[task])}, fine-tuned with a linear head on mean-pooled tokens (first {MAX_TOKENS} "
        "tokens), ONNX int8; probabilities blended geometrically with the fast classifier's, "
        f"weight {weight} on this one"
    )


def reblend_finetuned(task: str, data_dir: Path, models_dir: Path) -> dict[str, Any]:
    """Keep the shipped model; choose its blend weight again on dev against the fast classifier
    of models_dir (e.g. after it changed); rescore dev and test; rewrite the card."""
    folder = finetuned_folder(models_dir / DEEP_FOLDER, task)
    if not (folder / MODEL_FILE).exists():
        raise FileNotFoundError(f"no fine-tuned model under {folder}: train it first")
    model = FinetunedModel(folder, threads=2)
    card = dict(model.card)
    split = evaluation_split(task, data_dir)
    weight, curve, figures = blend_and_figures(task, split, models_dir, model)
    old = (card.get("blend") or {}).get("weight")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    card = with_history(card, card, reading(now, "reblended", weight, figures))
    card.update(
        blend={**(card.get("blend") or {}), "weight": weight},
        data={**(card.get("data") or {}), **set_sizes(split)},
        pipeline=pipeline(task, weight),
        dev=figures["dev"],
        test=figures["test"],
        comparison=curve,
        reblended_at=now,
    )
    write_card(folder, card)
    write_card_md(folder, card)
    return {
        "dev": card["dev"],
        "test": card["test"],
        "blend_weight": weight,
        "weight": (old, weight),
    }
