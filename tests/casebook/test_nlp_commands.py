"""casebook analyze / train / evaluate on small files (the shipped classifiers, tiny data)."""

import json

import pytest
from typer.testing import CliRunner

import nlp
from casebook.cli import app
from nlp.evaluate_heldout import TARGETS as HELDOUT_TARGETS
from nlp.figures import TARGETS
from tests.nlp.test_train import _write_data

runner = CliRunner()

FIELDS = {
    "language",
    "language_confidence",
    "redacted_text",
    "pii",
    "sentiment",
    "sentiment_score",
    "emotions",
    "emotion",
    "intensity",
    "situation",
    "situation_confidence",
    "situation_runner_up",
    "risks",
}
TEXTS = [
    "My parcel never arrived, call me on (555) 123-4567",
    "Mon colis n'est jamais arrivé !!! écrivez à marie.dupont@example.fr",
    "Great service, thank you so much",
    "",
    "Je vais résilier mon abonnement, c'est inadmissible",
]

_real_load = nlp.Analyzer.load.__func__
_loaded: dict[tuple, nlp.Analyzer] = {}


@pytest.fixture(autouse=True)
def load_once(monkeypatch):
    """Each invocation asks Analyzer.load as the command does; identical loads are shared."""

    def cached(cls, models_dir=None, taxonomy_path=None, situation_model=None):
        key = (str(models_dir), str(taxonomy_path), str(situation_model))
        if key not in _loaded:
            _loaded[key] = _real_load(cls, models_dir, taxonomy_path, situation_model)
        return _loaded[key]

    monkeypatch.setattr(nlp.Analyzer, "load", classmethod(cached))


def _flat(output):
    """The output with rich's line wrapping undone."""
    return " ".join(output.split())


def _read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _check(rows, texts=TEXTS):
    assert len(rows) == len(texts)
    for row, _ in zip(rows, texts, strict=True):
        assert set(row) == FIELDS
    # Order kept: the personal data of row 0 and 1 is where it was, redacted.
    assert rows[0]["redacted_text"].endswith("call me on [PHONE]")
    assert rows[0]["pii"] == [{"type": "PHONE", "start": 36, "end": 50}]
    assert rows[1]["redacted_text"].endswith("écrivez à [EMAIL]")
    assert rows[1]["pii"][0]["type"] == "EMAIL"
    assert [r["language"] for r in rows] == ["en", "fr", "en", "und", "fr"]
    assert rows[2]["sentiment"] == "positive" and rows[3]["sentiment"] == "neutral"
    assert rows[0]["situation"] == "delivery_logistics"
    assert "churn" in rows[4]["risks"]
    assert abs(sum(rows[2]["emotions"].values()) - 1.0) < 1e-3


def test_analyze_csv_with_small_batches(tmp_path):
    import csv

    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "body"])
        writer.writerows([i, t] for i, t in enumerate(TEXTS))
    out = tmp_path / "out" / "analysed.jsonl"
    result = runner.invoke(
        app, ["analyze", str(path), "-o", str(out), "--text-column", "body", "--batch-size", "2"]
    )
    assert result.exit_code == 0, result.output
    _check(_read(out))
    assert "5 rows analysed" in _flat(result.output)
    assert not (out.parent / "analysed.jsonl.partial").exists()


def test_analyze_jsonl_and_text(tmp_path):
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(
        "".join(
            json.dumps({"msg": t, "n": i}, ensure_ascii=False) + "\n" for i, t in enumerate(TEXTS)
        )
        + "\n",  # a trailing blank line is not a row
        encoding="utf-8",
    )
    out = tmp_path / "a.jsonl"
    result = runner.invoke(app, ["analyze", str(jsonl), "-o", str(out), "--text-field", "msg"])
    assert result.exit_code == 0, result.output
    _check(_read(out))

    text = tmp_path / "comments.dat"  # no known extension: --format says what it is
    text.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    out = tmp_path / "b.jsonl"
    result = runner.invoke(app, ["analyze", str(text), "-o", str(out), "--format", "text"])
    assert result.exit_code == 0, result.output
    _check(_read(out))


@pytest.mark.slow
def test_analyze_on_two_worker_processes_writes_the_same_file(tmp_path):
    text = tmp_path / "comments.txt"
    text.write_text("\n".join(TEXTS * 20) + "\n", encoding="utf-8")  # enough to be split
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.jsonl"
        result = runner.invoke(app, ["analyze", str(text), "-o", str(out), "--workers", workers])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    _check(_read(tmp_path / "w2.jsonl")[:5])


@pytest.mark.parametrize(
    ("name", "content", "extra", "message"),
    [
        (None, None, [], "does not exist"),
        ("in.csv", "id,body\n1,hello\n", [], "no column 'text'"),
        ("in.jsonl", '{"body": "hello"}\n', [], "line 1 has no field 'text'"),
        ("in.jsonl", "not json\n", [], "line 1 is not JSON"),
        ("in.xlsx", "x", [], "--format"),
        ("in.txt", "hello\n", ["--situation-model", "nowhere"], "no situation classifier"),
    ],
)
def test_analyze_user_mistakes(tmp_path, name, content, extra, message):
    path = tmp_path / (name or "missing.csv")
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["analyze", str(path), "-o", str(out), *extra])
    assert result.exit_code == 1
    assert "error:" in result.output and message in _flat(result.output)
    assert "Traceback" not in result.output
    assert not out.exists()


SITUATIONS = {
    "refund": ["I want my money back", "please refund me", "refund my order now", "money back"],
    "delivery": ["where is my parcel", "the parcel is late", "parcel not delivered", "late parcel"],
    "login": ["cannot log in", "password reset fails", "my login is blocked", "reset my password"],
}


def _labelled_csv(path, repeat=3):
    lines = ["intent,utterance"]
    for label, texts in SITUATIONS.items():
        lines += [f"{label},{t} {i}" for i in range(repeat) for t in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def situation_model(tmp_path_factory):
    root = tmp_path_factory.mktemp("situation")
    data = _labelled_csv(root / "labelled.csv")
    out = root / "model"
    args = ["train", "situation", "--data", str(data), "--out", str(out)]
    result = runner.invoke(app, [*args, "--text-column", "utterance", "--label-column", "intent"])
    assert result.exit_code == 0, result.output
    assert "3 labels, 36 rows" in result.output
    return out


def test_train_situation_writes_a_card_and_analyze_uses_it(situation_model, tmp_path):
    card = json.loads((situation_model / "card.json").read_text(encoding="utf-8"))
    assert card["classes"] == ["delivery", "login", "refund"]
    assert (situation_model / "card.md").read_text(encoding="utf-8").startswith("# casebook-")
    path = tmp_path / "in.txt"
    path.write_text("where is my parcel??\nI cannot log in, reset my password\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["analyze", str(path), "-o", str(out), "--situation-model", str(situation_model)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = _read(out)
    assert [r["situation"] for r in rows] == ["delivery", "login"]
    assert all(1 / 3 < r["situation_confidence"] <= 1.0 for r in rows)
    # The runner-up is another of the classifier's own labels.
    assert all(r["situation_runner_up"] in {"delivery", "login", "refund"} for r in rows)
    assert all(r["situation_runner_up"] != r["situation"] for r in rows)
    assert "churn" not in rows[0]["risks"]


def test_train_situation_user_mistakes(tmp_path):
    data = _labelled_csv(tmp_path / "labelled.csv")
    result = runner.invoke(
        app, ["train", "situation", "--data", str(data), "--out", str(tmp_path / "m")]
    )
    assert result.exit_code == 1
    assert "error:" in result.output and "no column 'text'" in _flat(result.output)
    result = runner.invoke(
        app, ["train", "situation", "--data", str(tmp_path / "no.csv"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 1 and "does not exist" in _flat(result.output)


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    _write_data(root)
    return root


def _figures(output):
    """figure name -> (value, met) from the printed table."""
    found = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) > 5 and cells[1].startswith(
            ("sentiment_", "emotion_", "language_", "redaction_", "situation_")
        ):
            found[cells[1]] = (cells[2], cells[4], cells[5])
    return found


def test_evaluate_on_tiny_data_with_a_situation_model(tiny_data, situation_model, tmp_path):
    held = tmp_path / "held.csv"
    held.write_text(
        "text,label\nrefund me please,refund\nthe parcel is late again,delivery\n"
        "password reset please,login\nwhere is my parcel,refund\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "evaluate",
            "--data",
            str(tiny_data),
            "--situation-model",
            str(situation_model),
            "--situation-data",
            str(held),
        ],
    )
    assert result.exit_code == 0, result.output
    figures = _figures(result.output)
    # Every figure, each with its target (the slow pass only with --slow-pass).
    assert set(figures) == {n for n in TARGETS if not n.endswith("_slow")} | set(HELDOUT_TARGETS)
    # 3 of the 4 held-out rows carry the label the classifier must find; the last one lies.
    assert figures["situation_clinc150_val_accuracy"] == ("0.7500", "NO", "4")
    # Test: 4 TweetEval emotion tweets + 3 UMSAB val tweets, none in a source of the screen.
    assert figures["language_id_accuracy_test"][2] == "7"
    assert figures["redaction_person_recall_set1"][2] == "34"  # data/eval/pii_test_annotated.txt
    assert figures["redaction_person_recall_test3"][2] == "134"  # data/eval/pii_test3_annotated.txt
    assert figures["redaction_person_recall_test4"][2] == "122"  # data/eval/pii_test4_annotated.txt
    assert figures["situation_rules_accuracy_en_test"][0] == "n/a"  # no Bitext in the tiny data
    assert figures["redaction_recall_generated"][1] == "yes"


def test_train_all_then_evaluate_those_models(tiny_data, tmp_path):
    out = tmp_path / "models"
    result = runner.invoke(app, ["train", "--data", str(tiny_data), "--out", str(out), "--quick"])
    assert result.exit_code == 0, result.output
    assert (out / "sentiment" / "classifier.skops").exists()
    assert (out / "emotion" / "card.md").exists()
    result = runner.invoke(
        app, ["evaluate", "--data", str(tiny_data), "--models", str(out), "--strict"]
    )
    figures = _figures(result.output)
    # The tiny validation tweets are easy: the tiny classifiers get them right.
    assert figures["sentiment_fr_umsab_val_macro_f1"][0] == "1.0000"
    assert result.exit_code in (0, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["evaluate", "--data", "nowhere"], "not a folder"),
        (["evaluate", "--data", "tests", "--situation-model", "x"], "go together"),
        (["train", "--data", "nowhere"], "not a folder"),
        (["train", "finetuned", "sentiment_de", "--data", "tests"], "sentiment_fr or emotion_fr"),
        (["train", "finetuned", "emotion", "--data", "nowhere"], "not a folder"),
    ],
)
def test_evaluate_and_train_user_mistakes(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "error:" in result.output and message in result.output


def test_train_finetuned_without_its_training_extra_says_how_to_install_it(tmp_path):
    pytest.importorskip("onnxruntime")
    try:
        import torch  # noqa: F401

        pytest.skip("torch is installed here: the message is for those without it")
    except ImportError:
        pass
    result = runner.invoke(app, ["train", "finetuned", "emotion", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "pip install torch==2.13.0" in result.output and "train-encoder" in result.output
    # --reblend needs no torch, only a model to reblend.
    models = ["--models", str(tmp_path / "models")]
    result = runner.invoke(
        app, ["train", "finetuned", "emotion", "--data", str(tmp_path), "--reblend", *models]
    )
    assert result.exit_code == 1 and "train it first" in result.output


def test_a_lone_carriage_return_does_not_shift_the_rows_of_a_text_file(tmp_path):
    text = tmp_path / "comments.txt"
    lines = [
        "My parcel never came, I am furious",
        "Old Mac line\rstill the same comment",  # a lone CR is not a line break
        "Thank you so much, problem solved!",
        "Windows line ending",
    ]
    text.write_bytes(("\n".join(lines[:3]) + "\n" + lines[3] + "\r\n").encode())
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["analyze", str(text), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = _read(out)
    assert len(rows) == 4
    assert "still the same comment" in rows[1]["redacted_text"]
    assert rows[2]["sentiment"] == "positive"
    assert rows[3]["redacted_text"] == "Windows line ending"
