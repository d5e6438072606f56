"""`casebook situations next | label` and `casebook train situation --from-store`: a coach
teaches a new domain's situations, and a classifier trained on those labels takes over."""

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from casebook.cli import app
from casebook.settings import get_settings
from store.db import get_engine, transaction
from store.models import Analysis, Comment, LabelCorrection, Source
from tests.helpers import use_store
from tests.store.test_cases import make_thread

runner = CliRunner()
COMPLAINTS = {
    "bill": ("I was charged twice on my last invoice", "billing_payment"),
    "fee": ("Why is there an extra fee on my statement", "billing_payment"),
    "parcel": ("My parcel never arrived, tracking is stuck", "delivery_logistics"),
    "courier": ("The courier left the package at the wrong address", "delivery_logistics"),
}


@pytest.fixture
def project(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    assert runner.invoke(app, ["init"]).exit_code == 0
    with transaction(get_engine()) as session:
        source = Source(name="tw", kind="jsonl", channel="twitter")
        session.add(source)
        session.flush()
        for i, (ext, (text, _)) in enumerate(COMPLAINTS.items()):
            make_thread(session, source, ext, text, situation="other")
            comment_id = session.scalar(select(Comment.id).where(Comment.external_id == f"{ext}-0"))
            analysis = session.scalar(select(Analysis).where(Analysis.comment_id == comment_id))
            analysis.situation_confidence = 0.1 * i
    return tmp_path


def comment_id(ext):
    with transaction(get_engine()) as session:
        return session.scalar(select(Comment.id).where(Comment.external_id == f"{ext}-0"))


def test_next_label_and_train_from_the_store(project, monkeypatch):
    shown = runner.invoke(app, ["situations", "next", "--limit", "3"])
    assert shown.exit_code == 0, shown.output
    assert "billing_payment 0" in shown.output  # labels so far, per taxonomy situation
    # Least sure first: the first complaint (confidence 0.0) is in the table, the fourth is not.
    assert "charged twice" in shown.output and "wrong address" not in shown.output

    bad = runner.invoke(app, ["situations", "label", str(comment_id("bill")), "lost_parcel"])
    assert bad.exit_code == 1 and "not a situation of the taxonomy" in bad.output
    one = runner.invoke(app, ["train", "situation", "--from-store", "--out", str(project / "m")])
    assert one.exit_code == 1 and "label at least two situations" in one.output

    for ext, (_, situation) in COMPLAINTS.items():
        done = runner.invoke(
            app, ["situations", "label", str(comment_id(ext)), situation, "--actor", "cora"]
        )
        assert done.exit_code == 0, done.output
        assert f"other -> {situation}" in done.output
    with transaction(get_engine()) as session:
        actors = set(session.scalars(select(LabelCorrection.actor)))
    assert actors == {"cora"}
    after = runner.invoke(app, ["situations", "next"])
    assert "billing_payment 2" in after.output and "delivery_logistics 2" in after.output
    assert "charged twice" not in after.output  # labelled: out of the queue

    out = project / "model"
    trained = runner.invoke(app, ["train", "situation", "--from-store", "--out", str(out)])
    assert trained.exit_code == 0, trained.output
    card = json.loads((out / "card.json").read_text(encoding="utf-8"))
    assert card["classes"] == ["billing_payment", "delivery_logistics"]
    assert card["data"]["train"] == {"coaches' situation labels (store)": 4}
    assert "--from-store" in card["rebuild"]

    # The setting makes enrichment use it: the analyser's version changes with it.
    from casebook.steps.enrich import current_version

    before = current_version(get_settings())
    monkeypatch.setenv("CASEBOOK_SITUATION_MODEL", str(out))
    get_settings.cache_clear()
    assert get_settings().situation_model == out
    assert current_version(get_settings()) != before


def test_train_situation_needs_one_source_of_labels(project):
    neither = runner.invoke(app, ["train", "situation", "--out", str(project / "m")])
    assert neither.exit_code == 1 and "--from-store" in neither.output


def test_train_situation_on_clinc150_tests_on_its_val_split(tmp_path):
    intents = {
        "card_lost": ["i lost my card", "my card is gone", "card missing", "where is my card"],
        "balance": ["what is my balance", "how much money do i have", "show my balance", "funds?"],
    }
    train = [[t, label] for label, texts in intents.items() for t in texts * 3]
    val = [["lost card", "card_lost"], ["my balance please", "balance"]]
    folder = tmp_path / "intent" / "clinc150"
    folder.mkdir(parents=True)
    (folder / "data_full_train_val.json").write_text(
        json.dumps({"train": train, "val": val, "oos_train": [], "oos_val": []})
    )
    out = tmp_path / "m"
    args = ["train", "situation", "--data", "clinc150", "--shared-data", str(tmp_path)]
    result = runner.invoke(app, [*args, "--out", str(out), "--c-grid", "1,10"])
    assert result.exit_code == 0, result.output
    card = json.loads((out / "card.json").read_text(encoding="utf-8"))
    assert card["data"]["train"] == {"CLINC150 train (in scope)": 24}
    assert card["data"]["test"] == {"CLINC150 val (in scope): no fit, no choice": 2}
    assert "test accuracy" in result.output and card["test"]["accuracy"] in (0.0, 0.5, 1.0)
    bad = runner.invoke(app, [*args, "--out", str(out), "--c-grid", "x"])
    assert bad.exit_code == 1 and "--c-grid" in bad.output
