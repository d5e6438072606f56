"""The generated redaction test set, the CLINC150 converter and the custom situation classifier."""

import csv
import json

import pytest

from casebook_data.eval.pii_testset import generate_pii_cases, redaction_recall
from nlp.datasets import main as datasets_main
from nlp.datasets import read_clinc150
from nlp.redact import CARD, IBAN, find_pii, iban_valid, luhn_valid
from nlp.situation_model import (
    SituationDataError,
    SituationModel,
    situation_accuracy,
    train_situation_model,
)


def test_pii_cases_are_deterministic_and_valid():
    cases = generate_pii_cases(200, seed=5)
    assert cases == generate_pii_cases(200, seed=5)
    assert cases != generate_pii_cases(200, seed=6)
    assert {c.language for c in cases} == {"en", "fr"}
    kinds = {kind for c in cases for kind, _, _ in c.expected}
    assert kinds == {"EMAIL", "PHONE", "CARD", "IBAN", "ACCOUNT", "ADDRESS", "PERSON", "HANDLE"}
    assert any(not c.expected for c in cases)  # negatives
    for case in cases:
        for kind, start, end in case.expected:
            value = case.text[start:end]
            compact = "".join(ch for ch in value if ch.isalnum())
            if kind == CARD:
                assert luhn_valid(compact), value
            if kind == IBAN:
                assert iban_valid(compact), value


def test_redaction_recall_on_the_generated_set():
    figures = redaction_recall(generate_pii_cases())
    assert figures["recall"] >= 0.95
    assert figures["precision"] >= 0.95
    assert figures["recall_structured"] >= 0.99
    assert figures["recall_person"] >= 0.90
    assert figures["recall_person_unseen"] >= 0.85
    assert all(figures[f"recall_{k}"] >= 0.9 for k in ("email", "phone", "card", "iban"))
    assert all(figures[f"recall_{k}"] >= 0.9 for k in ("account", "address", "handle"))
    assert figures["negative_cases_clean"] >= 0.95


def test_generator_names_are_not_the_detector_gazetteer():
    from casebook_data.eval.pii_testset import _GEN_FIRST_EN, _GEN_FIRST_FR
    from nlp.gazetteers import first_names

    generated = {n.lower() for n in _GEN_FIRST_EN + _GEN_FIRST_FR}
    unseen = generated - first_names()
    assert len(unseen) >= 0.4 * len(generated)


def test_redaction_recall_counts_misses():
    case = generate_pii_cases(1)[0]
    broken = type(case)(case.text, case.language, [*case.expected, ("CARD", 0, 1)])
    assert redaction_recall([broken])["recall"] < 1.0


def test_international_phone_prefix_is_not_a_card():
    # 13 digits that happen to pass Luhn: a phone number, not a card.
    assert [s.type for s in find_pii("mon numéro : 0033 4 61 32 49 65 svp")] == ["PHONE"]


def test_clinc150_converter(tmp_path):
    spec = {
        "train": [["what is my balance", "balance"], ["book a flight", "book_flight"]],
        "val": [["balance please", "balance"]],
        "oos_train": [["sing me a song", "oos"]],
        "oos_val": [],
    }
    (tmp_path / "intent" / "clinc150").mkdir(parents=True)
    (tmp_path / "intent" / "clinc150" / "data_full_train_val.json").write_text(json.dumps(spec))
    assert read_clinc150(tmp_path, "val") == [("balance please", "balance")]
    assert len(read_clinc150(tmp_path, "train", with_oos=True)) == 3
    out = tmp_path / "train.csv"
    assert (
        datasets_main(["clinc150-csv", str(out), "--split", "train", "--data", str(tmp_path)]) == 0
    )
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows == [
        {"text": "what is my balance", "label": "balance"},
        {"text": "book a flight", "label": "book_flight"},
    ]
    with pytest.raises(ValueError):
        read_clinc150(tmp_path, "test")


def test_situation_model_trains_saves_and_predicts(tmp_path):
    data = tmp_path / "labelled.csv"
    rows = [("where is my parcel", "delivery"), ("parcel is late", "delivery")] * 6
    rows += [("refund my money", "billing"), ("charged twice, refund", "billing")] * 6
    with data.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    card = train_situation_model(data, tmp_path / "model", c_grid=(1.0, 10.0))
    assert card["classes"] == ["billing", "delivery"]
    assert len(card["comparison"]) == 2 and card["dev"]
    model = SituationModel.load(tmp_path / "model")
    predictions = model.predict(["my parcel is late", "", "refund please"])
    assert [p.situation for p in predictions] == ["delivery", "other", "billing"]
    assert predictions[0].confidence > 0.5 and predictions[1].confidence == 0.0
    assert situation_accuracy(model, [("parcel late", "delivery"), ("refund", "delivery")]) == 0.5


def test_situation_model_refuses_bad_data(tmp_path):
    data = tmp_path / "one_label.csv"
    data.write_text("text,label\na,x\nb,x\n", encoding="utf-8")
    with pytest.raises(SituationDataError, match="two labels"):
        train_situation_model(data, tmp_path / "m")
    with pytest.raises(SituationDataError, match="no column 'body'"):
        train_situation_model(data, tmp_path / "m", text_column="body")


def _french_data(root):
    """A shared-data folder of two UMSAB tweets and two Allociné reviews."""
    umsab = root / "sentiment_fr" / "umsab_tweets"
    umsab.mkdir(parents=True)
    (umsab / "train_text.txt").write_text("Quel bonheur ce matin\n", encoding="utf-8")
    (umsab / "train_labels.txt").write_text("2\n", encoding="utf-8")
    (umsab / "val_text.txt").write_text("Encore une panne, j'en ai marre\n", encoding="utf-8")
    (umsab / "val_labels.txt").write_text("0\n", encoding="utf-8")
    allocine = root / "sentiment_fr" / "allocine"
    allocine.mkdir(parents=True)
    with (allocine / "train.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerow(["Un navet, deux heures perdues.", "0"])
        writer.writerow(["Un film magnifique.", "1"])


def test_french_emotion_sets_are_read_by_id_from_either_file(tmp_path):
    from nlp.evaluate_splits import read_emotion_fr
    from tests.nlp.test_train import write_labelled_french

    _french_data(tmp_path)
    rows = [
        ("umsab", "Encore une panne, j'en ai marre", "anger"),
        ("allocine", "Un film magnifique.", "joy"),
    ]
    path = write_labelled_french(tmp_path / "emotion_fr_dev.tsv", rows)
    texts, labels = read_emotion_fr(tmp_path, path)
    assert texts == [t for _, t, _ in rows] and labels == ["anger", "joy"]
    # An id the shared data does not hold is a clear error, not a silent skip.
    path.write_text("source\tid\tlabel\numsab\t000000000000\tjoy\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no umsab text with id 000000000000"):
        read_emotion_fr(tmp_path, path)


def test_shipped_french_emotion_files_share_no_comment():
    """The French emotion test, development and training files name each comment once: a comment
    labelled twice (e.g. a test comment appended to the training file) would train on test."""
    from nlp.emotion import EMOTIONS
    from nlp.evaluate_splits import EMOTION_FR, EMOTION_FR_DEV, EMOTION_FR_TEST_B, EMOTION_FR_TRAIN

    seen: dict[str, str] = {}
    for path in (EMOTION_FR, EMOTION_FR_TEST_B, EMOTION_FR_DEV, EMOTION_FR_TRAIN):
        header, *lines = path.read_text(encoding="utf-8").splitlines()
        assert header.split("\t")[:3] == ["source", "id", "label"]
        for line in lines:
            source, row_id, label = line.split("\t")[:3]
            assert source in ("umsab", "allocine") and label in EMOTIONS, line
            assert row_id not in seen, f"{row_id} is in {seen.get(row_id)} and {path.name}"
            seen[row_id] = path.name
    batches = [line.split("\t")[5] for line in EMOTION_FR_TRAIN.read_text().splitlines()[1:]]
    assert {b: batches.count(b) for b in set(batches)} == {"1": 1725, "2": 1164}


def test_second_french_emotion_test_set_is_french_sentiment_test_comments_only():
    """Test set B holds only comments of the French sentiment test quarters (nlp/splits.py),
    which no French model trains on, and each of them that the first test set does not."""
    from casebook_data.eval.conversations import shared_data_dir
    from nlp.datasets import read_umsab
    from nlp.evaluate_splits import EMOTION_FR_TEST_B, read_emotion_fr, read_emotion_fr_test_b
    from nlp.splits import key_id, sentiment_fr_split, text_key

    data = shared_data_dir()
    if not (data / "sentiment_fr").is_dir():
        pytest.skip(f"shared data absent: {data}")
    split = sentiment_fr_split(data)
    umsab_test = {key_id(text_key(t)) for t in split.test["fr_umsab_test"][0]}
    allocine_test = {key_id(text_key(t)) for t in split.test["fr_allocine_test"][0]}
    rows = [line.split("\t")[:2] for line in EMOTION_FR_TEST_B.read_text().splitlines()[1:]]
    assert len(rows) == 451
    assert {i for s, i in rows if s == "umsab"} | set(
        key_id(text_key(t)) for t in read_emotion_fr(data)[0] if t in read_umsab(data, "train")[0]
    ) == umsab_test
    assert {i for s, i in rows if s == "allocine"} <= allocine_test
    texts, labels = read_emotion_fr_test_b(data)
    assert len(texts) == len(labels) == 451
