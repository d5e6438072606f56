import gc
import zipfile

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from nlp.models import (
    UntrustedClassifierError,
    collector_paused,
    compact_vocabularies,
    load_classifier,
    release_memory,
    save_classifier,
    shrink_pipeline,
)
from nlp.vectorize import accelerate

TEXTS = ["good great", "bad awful", "great fine", "awful terrible", "good fine", "bad terrible"]
LABELS = ["pos", "neg", "pos", "neg", "pos", "neg"]


def _fit():
    return Pipeline([("features", TfidfVectorizer()), ("clf", LogisticRegression())]).fit(
        TEXTS, LABELS
    )


def test_save_and_load_round_trip(tmp_path):
    pipeline = _fit()
    expected = pipeline.predict_proba(["good", "awful"])
    card = save_classifier(
        pipeline, tmp_path, {"name": "t", "trained_at": "2026-11-23T10:00:00+00:00"}
    )
    assert card["version"].startswith("2026.11-")
    loaded = load_classifier(tmp_path)
    assert loaded.card["name"] == "t"
    assert loaded.classes == ["neg", "pos"]
    assert np.allclose(loaded.pipeline.predict_proba(["good", "awful"]), expected, atol=1e-5)


def test_shrink_makes_float32_and_int_vocabulary():
    pipeline = shrink_pipeline(_fit())
    assert pipeline.named_steps["clf"].coef_.dtype == np.float32
    assert all(type(v) is int for v in pipeline.named_steps["features"].vocabulary_.values())


def test_refuses_types_outside_allow_list(tmp_path):
    import skops.io as sio

    pipeline = Pipeline([("f", FunctionTransformer(np.log1p)), ("clf", LogisticRegression())])
    pipeline.fit(np.array([[1.0], [2.0], [3.0], [4.0]]), [0, 1, 0, 1])
    sio.dump(pipeline, tmp_path / "classifier.skops", compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(UntrustedClassifierError):
        load_classifier(tmp_path)


def test_file_digest_follows_the_files_versions(tmp_path):
    import hashlib
    import os

    from nlp.models import file_digest

    path = tmp_path / "classifier.skops"
    path.write_bytes(b"first")
    assert file_digest(path) == hashlib.sha256(b"first").hexdigest()
    assert file_digest(path) == hashlib.sha256(b"first").hexdigest()  # from the cache
    path.write_bytes(b"second!")
    assert file_digest(path) == hashlib.sha256(b"second!").hexdigest()
    path.write_bytes(b"third!!")  # same size: the modification time tells
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert file_digest(path) == hashlib.sha256(b"third!!").hexdigest()


def test_compacted_vocabularies_are_new_equal_dicts_and_keep_predictions():
    union = FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 2))),
            ("char_wb", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))),
        ]
    )
    pipe = Pipeline([("features", union), ("clf", LogisticRegression())]).fit(TEXTS, LABELS)
    probe = TEXTS + ["never again", "fine but awful"]
    before = pipe.predict_proba(probe)
    old = {name: step.vocabulary_ for name, step in union.transformer_list}
    accelerate(compact_vocabularies(pipe))
    for name, step in union.transformer_list:
        assert step.vocabulary_ == old[name] and step.vocabulary_ is not old[name]
        assert all(type(v) is int for v in step.vocabulary_.values())
    assert np.array_equal(before, pipe.predict_proba(probe))
    release_memory()  # no effect on results; gives free memory back where glibc is the allocator
    release_memory()  # the allocator's function is looked up once
    assert np.array_equal(before, pipe.predict_proba(probe))


def test_collector_paused_restores_the_collector_as_it_found_it():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the outer block keeps it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failing block")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # paused by someone else: left to them
    finally:
        gc.enable()


def test_the_same_model_saved_twice_gives_the_same_file(tmp_path):
    probe = TEXTS + ["never again", "fine but awful"]
    first, second = _fit(), _fit()  # two objects, the same model
    # As if fitted in another process: scikit-learn keeps id(stop_words), a memory address.
    vectorizer = second.named_steps["features"]
    assert vectorizer._stop_words_id == id(vectorizer.stop_words)
    vectorizer._stop_words_id += 4096
    card = {"trained_at": "2026-12-05T12:00:00+00:00"}
    a = save_classifier(first, tmp_path / "a", card)
    b = save_classifier(second, tmp_path / "b", card)
    assert a["file"]["sha256"] == b["file"]["sha256"] and a["version"] == b["version"]
    with zipfile.ZipFile(tmp_path / "a" / "classifier.skops") as archive:
        names = archive.namelist()
        assert names[0] == "schema.json"
        # Numbered in the order the schema meets them, not named after memory addresses.
        assert all(len(n.split(".")[0]) <= 3 for n in names[1:]) and len(names) > 1
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    loaded = load_classifier(tmp_path / "b")
    assert np.array_equal(loaded.pipeline.predict_proba(probe), first.predict_proba(probe))
