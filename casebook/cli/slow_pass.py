"""`casebook train slow-pass` and `casebook train finetuned`: the slow pass's classifiers
(nlp/deep_train.py: heads on the multilingual sentence encoder; nlp/finetune_train.py: the
fine-tuned English encoders), checkout tools on the shared data sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from casebook.cli.common import UserError, console, err, friendly
from casebook.cli.nlp import DEFAULT_DATA, ModelsDir, SharedData, train_app
from casebook.settings import get_settings


@train_app.command("slow-pass")
@friendly
def train_slow_pass(
    data: SharedData = DEFAULT_DATA,
    models: ModelsDir = None,
    cache: Annotated[
        Path, typer.Option(help="Folder of cached sentence embeddings (kept between runs).")
    ] = Path(".cache/embeddings"),
    only: Annotated[
        list[str] | None,
        typer.Option(help="sentiment_en, sentiment_fr or emotion (repeatable; default: all)."),
    ] = None,
    reblend: Annotated[
        bool,
        typer.Option(
            help="Keep the shipped heads; choose their blend weights again on the development "
            "sets against the fast classifiers of --models (after those changed), rescore."
        ),
    ] = False,
) -> None:
    """Train the slow pass's classifiers (sentence encoder + small classifier heads, blended
    with the fast classifiers of --models) into MODELS/deep, with their cards. Encoding the data
    takes a few minutes (about 900 comments a second on one core); the cache keeps it."""
    if not data.is_dir():
        raise UserError(f"{data} is not a folder: pass --data (the shared data sets of a checkout)")
    from nlp.deep_train import reblend as reblend_deep
    from nlp.deep_train import train_deep

    models = models or get_settings().models_dir
    tasks = tuple(only) if only else ("sentiment_en", "sentiment_fr", "emotion")
    unknown = set(tasks) - {"sentiment_en", "sentiment_fr", "emotion"}
    if unknown:
        raise UserError(f"--only takes sentiment_en, sentiment_fr or emotion, not {unknown}")
    if reblend:
        with err.status("choosing the blend weights again (cached in --cache)"):
            figures = reblend_deep(data, models, cache, tasks)
        if not figures:
            raise UserError(f"no slow-pass heads under {models / 'deep'}: train them first")
    else:
        with err.status("training the slow pass (encoding takes long; cached in --cache)"):
            figures = train_deep(data, models, cache, tasks)
    for name, parts in figures.items():
        if "weight" in parts:
            console.print(f"{name}: blend weight {parts['weight'][0]} -> {parts['weight'][1]}")
        console.print(
            f"{name}: dev "
            + ", ".join(f"{k} {v}" for k, v in parts["dev"].items())
            + "; test "
            + ", ".join(f"{k} {v}" for k, v in parts["test"].items())
        )


@train_app.command("finetuned")
@friendly
def train_finetuned(
    task: Annotated[str, typer.Argument(help="sentiment_en, emotion, sentiment_fr or emotion_fr.")],
    data: SharedData = DEFAULT_DATA,
    models: ModelsDir = None,
    reblend: Annotated[
        bool,
        typer.Option(
            help="Keep the shipped model; choose its blend weight again on the development set "
            "against the fast classifiers of --models, rescore (no torch needed)."
        ),
    ] = False,
) -> None:
    """Fine-tune a slow-pass encoder for TASK on its training rows (all-MiniLM-L6-v2 for the
    English tasks, multilingual-e5-small for the French ones) into MODELS/deep/TASK_finetuned as
    an int8 ONNX model, its blend weight chosen on the development set, development and test
    scored. Tens of minutes on two cores; needs the training extra:
    pip install torch==2.13.0 && pip install -e '.[train-encoder]'."""
    if task not in ("sentiment_en", "emotion", "sentiment_fr", "emotion_fr"):
        raise UserError(f"TASK is sentiment_en, emotion, sentiment_fr or emotion_fr, not {task!r}")
    if not data.is_dir():
        raise UserError(f"{data} is not a folder: pass --data (the shared data sets of a checkout)")
    from nlp.finetune_score import reblend_finetuned
    from nlp.finetune_train import train_finetuned

    models = models or get_settings().models_dir
    if reblend:
        with err.status("choosing the blend weight again"):
            figures = reblend_finetuned(task, data, models)
    else:
        try:
            import torch  # noqa: F401
            import transformers  # noqa: F401
        except ImportError as exc:
            raise UserError(
                "fine-tuning needs torch and transformers, a training-only extra: "
                "pip install torch==2.13.0 && pip install -e '.[train-encoder]'"
            ) from exc
        import logging

        # The trainer logs its steps (and the time left) to stderr.
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
        logging.getLogger("nlp.finetune_train").setLevel(logging.INFO)
        figures = train_finetuned(task, data, models)
    console.print(
        f"{task}: blend weight {figures['blend_weight']}; dev "
        + ", ".join(f"{k} {v}" for k, v in figures["dev"].items())
        + "; test "
        + ", ".join(f"{k} {v}" for k, v in figures["test"].items())
    )


def register(app: typer.Typer) -> None:
    """Nothing to add to `app`: `train slow-pass` and `train finetuned` are on `casebook train`
    (casebook.cli.nlp's train_app) once this module is imported."""
