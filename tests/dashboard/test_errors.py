"""The store's refusals reach a French reader in French (dashboard/errors.py)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from dashboard import errors
from dashboard.i18n import STRINGS
from store.db import get_engine, transaction
from tests.dashboard.harness import app, info, page
from tests.helpers import publish

ROOT = Path(__file__).resolve().parents[2]
RAISING = ["store", "curation", "dashboard", "delivery"]


def raised_sentences() -> str:
    """Every module that raises the refusals, as one text (their f-strings included)."""
    return "\n".join(
        path.read_text(encoding="utf-8")
        for folder in RAISING
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "errors.py"
    )


@pytest.mark.parametrize("english", [english for english, _ in errors.FRENCH])
def test_every_translated_sentence_is_one_the_product_says(english):
    # The pattern's fixed words (values and regex syntax removed) appear in a raise or a message.
    words = [w for w in re.split(r"\(.*?\)|\\.|[.*+?]", english) if w.strip()]
    source = re.sub(r'"\s*\n\s*f?"', "", raised_sentences())  # literals split over lines
    assert all(w.strip() in source for w in words), english


@pytest.mark.parametrize(
    ("english", "french"), [(e, f) for e, f in errors.FRENCH if isinstance(f, str)]
)
def test_each_french_twin_carries_the_values(english, french):
    assert re.compile(english).groups == len(set(re.findall(r"\\(\d)", french)))


def test_languages_are_named_in_french(monkeypatch):
    monkeypatch.setattr(errors, "current_language", lambda: "fr")
    said = ValueError(
        "a campaign's scenarios share one language (its quiz is the same for everyone): these "
        "are in English and French; make one campaign a language"
    )
    assert "ceux-ci sont en anglais et en français ;" in errors.translated(said)


def test_a_campaign_without_a_name_is_refused_in_french(seeded, db):
    with transaction(db) as s:
        publish(s, scenario_id=seeded.scenario_id, actor="coach", model_answer="Model", level=2)
    coach = replace(info(get_engine(), seeded.coach_id), language="fr")
    at = app(coach, script=page("campaigns")).run()
    [create] = [b for b in at.button if b.label == STRINGS["fr"]["create_campaign"]]
    create.click().run()
    assert at.error, "the campaign without a name was not refused"
    shown = at.error[0].value
    assert "la campagne doit avoir un nom" in shown and "needs a name" not in shown


def test_an_english_reader_reads_the_store_as_it_speaks():
    # Outside a French session the sentence is the store's own.
    assert errors.translated(ValueError("the answer is empty")) == "the answer is empty"
