"""Every list the dashboard cuts says so ("Showing N of M"); the coach picks how long the case
queue is (50, 200, 1000 or all)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from store.corrections import count_situation_queue, situation_queue
from store.db import transaction
from store.models import Analysis, Case, Family, QuarantinedRecord, Source, Thread
from store.users import UserInfo
from tests.dashboard.harness import app, page
from tests.dashboard.test_leader_pages import (
    leader,
    rich,  # noqa: F401 (a fixture)
    seeded_at,  # noqa: F401 (a fixture rich needs)
)


def someone(role: str, language: str = "en") -> UserInfo:
    return UserInfo(id=997, username=role, display_name=role.title(), role=role, language=language)


def captions(at) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]


@pytest.fixture
def many_cases(db):
    """55 cases, one per conversation, scores 0.01 to 0.55."""
    now = datetime.now(UTC)
    with transaction(db) as s:
        source = Source(name="care", kind="csv", channel="email")
        s.add(source)
        s.flush()
        for i in range(55):
            thread = Thread(source_id=source.id, external_id=f"t{i}", channel="email")
            s.add(thread)
            s.flush()
            thread.last_comment_at = now - timedelta(days=1)
            s.add(
                Case(
                    thread_id=thread.id,
                    score=(i + 1) / 100,
                    arc="escalation",
                    situation="billing",
                    emotion="anger",
                    channel="email",
                    language="en",
                )
            )
    return db


def test_the_coach_picks_how_long_the_queue_is_and_it_says_when_it_is_cut(many_cases):
    at = app(someone("coach"), script=page("case_queue")).run()
    assert not at.exception
    assert at.radio(key="queue_limit").value == 200  # the default
    assert len(at.dataframe[0].value) == 55
    assert "55 cases." in captions(at)

    at.radio(key="queue_limit").set_value(50).run()
    assert not at.exception
    queue = at.dataframe[0].value
    assert len(queue) == 50 and queue["score"].min() == pytest.approx(0.06)  # the most notable
    assert any("Showing the 50 most notable of 55 cases" in c for c in captions(at))

    at.radio(key="queue_limit").set_value("all").run()
    assert len(at.dataframe[0].value) == 55
    assert "55 cases." in captions(at)


def test_the_queue_size_picker_in_french(many_cases):
    at = app(someone("coach", "fr"), script=page("case_queue"))
    at.session_state["queue_limit"] = 50  # (AppTest formats options in English: no set_value)
    at.run()
    assert not at.exception
    assert at.radio(key="queue_limit").label == "Afficher"
    assert any("Les 50 cas les plus notables sur 55" in c for c in captions(at))


@pytest.fixture
def families(db):
    with transaction(db) as s:
        s.add_all(
            Family(name=f"family {i}", situation="billing", size=10 + i, size_this_week=i % 7)
            for i in range(51)
        )
        s.add(Family(name="empty", situation="billing", size=0, size_this_week=0))
    return db


def test_the_coach_families_page_says_it_shows_50_of_51(families):
    at = app(someone("coach"), script=page("families")).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 50
    assert "Showing 50 of 51." in captions(at)  # the empty family is none


def test_the_emerging_families_say_50_of_51(families):
    at = app(leader(), script=page("emerging")).run()
    assert not at.exception
    shown = at.dataframe[-1].value
    assert len(shown) == 50 and "empty" not in set(shown["family"])  # none of size 0
    assert "Showing 50 of 51." in captions(at)


def test_the_situations_to_teach_say_how_many_are_left(rich):  # noqa: F811
    with transaction(rich) as s:
        # The history's comments all read "x": one text, shown once (near-copies are left out).
        for analysis in s.scalars(select(Analysis).where(Analysis.redacted_text == "x")):
            analysis.redacted_text = f"comment {analysis.comment_id}"
    with transaction(rich) as s:
        left = count_situation_queue(s)
        assert left == len(situation_queue(s, limit=1000)) > 10
    at = app(someone("coach"), script=page("situations")).run()
    assert not at.exception
    assert (
        f"Showing the 10 comments the classifier is least sure of, of {left} still to label."
        in captions(at)
    )


def test_the_quarantine_says_when_it_is_cut(db):
    with transaction(db) as s:
        source = Source(name="care", kind="csv", channel="email")
        s.add(source)
        s.flush()
        s.add_all(
            QuarantinedRecord(source_id=source.id, position=f"f.csv:{i}", reason="no text", raw="")
            for i in range(203)
        )
    at = app(someone("admin"), script=page("source_health")).run()
    assert not at.exception
    assert len(at.dataframe[-1].value) == 200
    assert "Showing the 200 newest of 203 quarantined records." in captions(at)
    at = app(someone("admin", "fr"), script=page("source_health")).run()
    assert any("Les 200 enregistrements les plus récents sur 203" in c for c in captions(at))
