"""Every page of every role, in French and in English, shows no word of the other language
(tests/dashboard/language_check.py says how the words are found)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import ROLE_PAGES
from store.campaigns import create_campaign
from store.db import transaction
from store.learning import submit_response
from store.summaries import ensure_daily_feedback
from tests.dashboard.harness import app, cells, column_formats, info
from tests.dashboard.harness import page as page_path
from tests.dashboard.language_check import foreign_on_page, foreign_words, store_strings
from tests.dashboard.seed import seed
from tests.dashboard.test_leader_pages import add_history, add_training
from tests.helpers import publish

PAGES = [
    (role, file.removesuffix(".py")) for role, specs in ROLE_PAGES.items() for file, _, _ in specs
]


@pytest.fixture
def store(db):
    """A store with something on every page: cases, scenarios, answers, history, users."""
    now = datetime.now(UTC)
    with transaction(db) as s:
        seeded = seed(s, now=now)
        ensure_daily_feedback(s, version="v1")
        add_history(s, now)
        add_training(s, seeded.case_id)
        # The advisor's own answer (their progress page's table).
        publish(s, scenario_id=seeded.scenario_id, actor="coach", model_answer="Model", level=2)
        submit_response(
            s, scenario_id=seeded.scenario_id, user_id=seeded.advisor_id, text="Sorry, fixed."
        )
        # A running campaign of the advisor's team (the campaigns table and its leaderboard).
        create_campaign(
            s,
            name="Recovery fortnight",
            starts_at=now - timedelta(days=3),
            ends_at=now + timedelta(days=11),
            teams=["blue"],  # the seeded advisor's team
            scenario_ids=[seeded.scenario_id],
            actor="coach",
        )
    return db, seeded


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("role", "name"), PAGES)
def test_no_word_of_the_other_language(store, role, name, language):
    engine, seeded = store
    user = dataclasses.replace(info(engine, getattr(seeded, f"{role}_id")), language=language)
    at = app(user, script=page_path(name)).run()
    assert not at.exception, at.exception
    hits = foreign_on_page(at, language, store_strings(engine))
    assert not hits, f"{name} in {language} shows words of the other language: {hits}"


def test_the_check_finds_english_on_a_french_page():
    at = AppTest.from_string(
        'import streamlit as st\nst.session_state["ui_language"] = "fr"\n'
        'st.button("Save and move")\nst.selectbox("Niveau", ["published"])\n'
        'st.caption("Le coach_pick du 2026-12-05, voir https://example.org/a_b")'
    ).run()
    hits = foreign_on_page(at, "fr", [])
    assert {"save", "move", "published"} <= set(hits)
    assert "coach_pick" in hits and "a_b" not in hits  # a stored name shown as it is
    assert "niveau" not in hits
    assert "publié" in foreign_words("en") and "published" in foreign_words("fr")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_table_decimals_read_as_the_reader_writes_them(seeded, db, language):
    coach = dataclasses.replace(info(db, seeded.coach_id), language=language)
    queue = app(coach, script=page_path("case_queue")).run()
    case = app(coach, script=page_path("case"))
    case.session_state["open_case_id"] = seeded.case_id
    case.run()
    assert not queue.exception and not case.exception
    [queue_table, *_] = queue.dataframe
    [parts] = [d for d in case.dataframe if "recovery" in d.value.columns]  # the score's parts
    assert queue_table.value["score"].tolist() == [0.8, 0.4]  # numbers: a column sorts by value
    if language == "fr":  # pandas' Styler writes the cells; a column's format would win over it
        assert cells(queue_table)["score"].tolist() == ["0,80", "0,40"]
        assert cells(parts)[["reach", "recovery"]].values.tolist() == [["0,30", "0,50"]]
        assert column_formats(queue_table)["score"] is None
    else:
        assert cells(queue_table) is None and cells(parts) is None
        assert column_formats(queue_table)["score"] == column_formats(parts)["reach"] == "%.2f"
