"""Curation keeps every curated thread's reading (arc, situation, language), a case or not: the
leader's recovery rate counts every conversation that started unhappy, not only the notable ones
kept as cases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casebook.steps import curate as curate_step
from casebook.steps.enrich import current_version
from store.db import transaction
from store.leader import NEGATIVE_START_ARCS, recovery_rate
from store.models import Case, Thread
from tests.helpers import chat_row, twin_enriched_stores


@pytest.mark.slow
def test_every_curated_thread_keeps_its_reading_and_the_rate_counts_them(
    sqlite_engine, tmp_path, monkeypatch, step_settings
):
    settings = step_settings
    # Beside a recovery and an escalation, a customer left waiting: unresolved, no case.
    waiting = [
        chat_row(ext, "w1", parent, role, minutes, text, "en", hour=10)
        for ext, parent, role, minutes, text in (
            ("w1", None, "customer", 0, "I was charged twice for my subscription this month."),
            ("w2", "w1", "agent", 5, "Please send us a DM with your account email."),
            ("w3", "w2", "customer", 9, "Done. Still no answer from you three days later."),
        )
    ]
    twin_enriched_stores(sqlite_engine, tmp_path, settings, copies="", extra=waiting).dispose()
    version = current_version(settings)
    # Only the most notable threads become cases: the others are read all the same.
    strict = settings.model_copy(update={"curate_min_score": 0.99})
    curate_step.curate_changed(sqlite_engine, version, strict)
    with transaction(sqlite_engine) as s:
        threads = s.execute(select(Thread.id, Thread.arc, Thread.situation, Thread.language)).all()
        cases = {c.thread_id: (c.arc, c.situation, c.language) for c in s.scalars(select(Case))}
        rate = recovery_rate(s)
    read = {tid: (arc, situation, language) for tid, arc, situation, language in threads}
    for tid, reading in cases.items():
        assert read[tid] == reading  # a case's thread reads as its case
    dropped = {tid: r for tid, r in read.items() if tid not in cases and r[0] is not None}
    assert dropped  # threads that made no case have their reading too
    unhappy = [r for r in read.values() if r[0] in NEGATIVE_START_ARCS]
    unhappy_cases = [r for r in cases.values() if r[0] in NEGATIVE_START_ARCS]
    assert rate.negative_start == len(unhappy) > len(unhappy_cases)
    assert rate.recovered == sum(r[0] == "recovery" for r in unhappy)
