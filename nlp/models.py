"""Saving and loading shipped classifiers: skops files (no unpickling) with a card beside them."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from nlp.vectorize import accelerate

# Types a shipped classifier may contain. Anything else in a file is refused at load time.
ALLOWED_TYPES: frozenset[str] = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.str",
        "builtins.int",
        "builtins.float",
        "builtins.bool",
        "builtins.slice",
        "numpy.dtype",
        "numpy.ndarray",
        "numpy.float32",
        "numpy.float64",
        "numpy.int64",
        "numpy.int32",
        "sklearn.pipeline.Pipeline",
        "sklearn.pipeline.FeatureUnion",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.naive_bayes.MultinomialNB",
        # The slow pass's small MLP heads (nlp/deep_train.py strips their training state).
        "sklearn.neural_network._multilayer_perceptron.MLPClassifier",
        "sklearn.preprocessing._label.LabelBinarizer",
    }
)

CLASSIFIER_FILE = "classifier.skops"
CARD_FILE = "card.json"


class UntrustedClassifierError(RuntimeError):
    """A classifier file holds types outside the allow-list."""


@dataclass(frozen=True, slots=True)
class LoadedClassifier:
    """A fitted pipeline with its card and a digest of the file it came from."""

    pipeline: Any
    card: dict[str, Any]
    digest: str

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.pipeline.classes_]


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, in hex. Computed once a version of the file (its path, size
    and modification time): versions are asked for every batch, the files are megabytes."""
    stat = path.stat()
    return _digest_of(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _digest_of(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def classifier_digest(model_dir: Path) -> str:
    """The digest a LoadedClassifier of `model_dir` has, read from its file without loading it."""
    return file_digest(model_dir / CLASSIFIER_FILE)


def read_card(model_dir: Path) -> dict[str, Any]:
    """The card beside a classifier ({} when there is none)."""
    card_path = model_dir / CARD_FILE
    return json.loads(card_path.read_text(encoding="utf-8")) if card_path.exists() else {}


def with_history(card: dict[str, Any], previous: dict[str, Any], reading: str) -> dict[str, Any]:
    """A rebuilt or rescored model's card: the previous card's licence and its list of the test
    split's readings are kept, and this reading is added to the list."""
    kept = {"licence": previous["licence"]} if "licence" in previous else {}
    return {**card, **kept, "test_readings": [*previous.get("test_readings", []), reading]}


def write_card(model_dir: Path, card: dict[str, Any]) -> None:
    """Write the card beside a classifier (card.json; card.md is nlp.training.write_card_md's)."""
    (model_dir / CARD_FILE).write_text(
        json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def shrink_pipeline(pipeline: Any) -> Any:
    """Make a fitted pipeline small and fast to load: int vocabularies, float32 coefficients."""
    for _, step in _walk(pipeline):
        if hasattr(step, "vocabulary_"):
            step.vocabulary_ = {str(k): int(v) for k, v in step.vocabulary_.items()}
        if hasattr(step, "stop_words_"):
            # Terms cut by min_df/max_features: only for introspection, and huge.
            step.stop_words_ = None
        if hasattr(step, "coef_"):
            step.coef_ = np.asarray(step.coef_, dtype=np.float32)
            step.intercept_ = np.asarray(step.intercept_, dtype=np.float32)
    return pipeline


def compact_vocabularies(pipeline: Any) -> Any:
    """Each fitted vectorizer's vocabulary copied into fresh memory; returns the same pipeline.

    Loading a classifier builds its terms among many more short-lived objects; once those are
    freed, the memory that holds the terms stays the process's, mostly empty (about 100 MB for
    the English sentiment classifier's 180,000 terms). A copy made in one go packs the terms
    together, and the memory of the old ones is given back (see release_memory)."""
    for _, step in _walk(pipeline):
        vocabulary = getattr(step, "vocabulary_", None)
        if isinstance(vocabulary, dict) and vocabulary:
            # A JSON round trip makes new str and int objects, one after the other.
            step.vocabulary_ = json.loads(json.dumps({k: int(v) for k, v in vocabulary.items()}))
    return pipeline


@cache
def _malloc_trim() -> Any:
    """glibc's malloc_trim, or None elsewhere (looked up once: find_library runs ldconfig)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    """Give the C allocator's free memory back to the system (glibc's malloc_trim; nothing
    elsewhere): after loading, most of what the loaders allocated is free but still resident."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for the block (nothing done when it is paused already).

    A process that holds the classifiers holds hundreds of thousands of objects, and a batch of
    analysis or curation allocates many more short-lived ones, nearly all freed by reference
    counting. With the collector's default thresholds the batch sets it off every 700
    allocations, and now and then it walks the whole heap: 18 of the 64 s of CPU of curating
    100,000 demo threads, 13% of the analysis of French tweets. Once it runs again, its next
    young collection takes what the block left (rarely any cycle)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _walk(est: Any, name: str = "") -> list[tuple[str, Any]]:
    found = [(name, est)]
    for attr in ("steps", "transformer_list"):
        for sub_name, sub in getattr(est, attr, []) or []:
            found.extend(_walk(sub, f"{name}/{sub_name}"))
    return found


def file_types(path: Path) -> set[str]:
    """Every type named in a skops file's schema ("module.Class"), including ones that skops
    trusts by default (numpy ufuncs, functions): the allow-list is checked against all of them."""
    with zipfile.ZipFile(path) as archive:
        schema = json.loads(archive.read("schema.json"))
    found: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node:
                found.add(f"{node.get('__module__', '')}.{node['__class__']}")
            if node.get("__loader__") in {"FunctionNode", "TypeNode"} and isinstance(
                node.get("content"), dict
            ):
                content = node["content"]
                if "module_path" in content:
                    found.add(
                        f"{content['module_path']}.{content.get('function', content.get('name', ''))}"
                    )
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _check_types(path: Path) -> list[str]:
    """The file's types, all of them on the allow-list, or UntrustedClassifierError.

    (Walking the schema ourselves is stricter than skops.io.get_untrusted_types, which skips
    what skops trusts by default, and much faster: that call alone takes seconds on a large
    vocabulary.) If skops finds a type we missed, its load refuses it: a safe failure."""
    types = file_types(path)
    unexpected = sorted(types - ALLOWED_TYPES)
    if unexpected:
        raise UntrustedClassifierError(f"{path} holds types outside the allow-list: {unexpected}")
    return sorted(types)


def save_classifier(pipeline: Any, out_dir: Path, card: dict[str, Any]) -> dict[str, Any]:
    """Write classifier.skops (compressed) and card.json; returns the card completed with the file facts."""
    import skops.io as sio  # on use, here and below: importing skops takes about a second

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / CLASSIFIER_FILE
    path.write_bytes(canonical_skops(sio.dumps(shrink_pipeline(pipeline))))
    _check_types(path)
    digest = file_digest(path)
    card = dict(card)
    card["version"] = f"{card['trained_at'][:7].replace('-', '.')}-{digest[:8]}"
    card["file"] = {"name": CLASSIFIER_FILE, "bytes": path.stat().st_size, "sha256": digest}
    write_card(out_dir, card)
    return card


_ADDRESS_NAME_RE = re.compile(r"(\d+)(\.\w+)")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def canonical_skops(archive: bytes) -> bytes:
    """The same skops archive, written so that the same model always gives the same bytes.

    skops names each object (`__id__`) and each array's file after the object's memory address,
    and dates the archive's entries: two saves of one model differed, and so did their digests
    and the analyser's version. Here the names are numbered in the order the schema meets them
    (the same objects share a number, as they shared an address), a vectorizer's `_stop_words_id`
    (an address too) is dropped, the entries are dated 1980-01-01 and compressed (deflate)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        schema = json.loads(source.read("schema.json"))
        files = {name: source.read(name) for name in source.namelist() if name != "schema.json"}
    numbers: dict[int, int] = {}
    renamed: dict[str, str] = {}

    def number(address: int) -> int:
        return numbers.setdefault(address, len(numbers))

    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key == "__id__" and isinstance(value, int):
                node[key] = number(value)
            elif key == "_stop_words_id" and isinstance(value, dict) and "content" in value:
                # scikit-learn's vectorizers keep id(stop_words), another memory address, only
                # to skip checking the stop words again; a loaded model checks them anyway.
                value["content"] = "null"
                stack.append(value)
            elif key == "file" and isinstance(value, str) and value in files:
                match = _ADDRESS_NAME_RE.fullmatch(value)
                if match:
                    node[key] = renamed.setdefault(value, f"{number(int(match[1]))}{match[2]}")
            else:
                stack.append(value)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        entries = [("schema.json", json.dumps(schema, indent=2).encode())]
        entries += sorted((renamed.get(name, name), data) for name, data in files.items())
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    return out.getvalue()


def load_classifier(model_dir: Path) -> LoadedClassifier:
    """Load a classifier saved by save_classifier, refusing any type outside ALLOWED_TYPES."""
    import skops.io as sio

    path = model_dir / CLASSIFIER_FILE
    # Only types on the allow-list are trusted, whether or not skops would trust them itself.
    pipeline = sio.load(path, trusted=_check_types(path))
    # Same output, faster transform for character n-grams (nlp/vectorize.py), less memory.
    accelerate(compact_vocabularies(pipeline))
    return LoadedClassifier(
        pipeline=pipeline, card=read_card(model_dir), digest=classifier_digest(model_dir)
    )
