"""Two curations of the same store give the same cases, scores and families, whenever they run
(issue 13: families differed between two identical runs, recency being measured from the clock)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casebook.steps import curate as curate_step
from casebook.steps.enrich import current_version
from store.db import transaction
from store.models import Case, Family, Thread, utcnow
from tests.helpers import twin_enriched_stores


def _outcome(engine):
    with transaction(engine) as session:
        cases = session.execute(
            select(Thread.external_id, Case.arc, Case.score, Case.family_id, Case.duplicate_count)
            .join(Thread, Thread.id == Case.thread_id)
            .order_by(Thread.external_id)
        ).all()
        families = session.execute(
            select(Family.id, Family.situation, Family.name, Family.size).order_by(Family.id)
        ).all()
    return [tuple(c) for c in cases], [tuple(f) for f in families]


@pytest.mark.slow
def test_curating_the_same_store_later_gives_the_same_cases_and_families(
    sqlite_engine, tmp_path, monkeypatch, step_settings
):
    settings = step_settings
    # Each thread twice.
    copy = twin_enriched_stores(sqlite_engine, tmp_path, settings, copies="b")
    version = current_version(settings)
    settings = settings.model_copy(update={"curate_min_score": 0.0})  # keep every case

    curate_step.curate_changed(sqlite_engine, version, settings)
    later = utcnow() + timedelta(days=40)
    monkeypatch.setattr(curate_step, "utcnow", lambda: later)
    curate_step.curate_changed(copy, version, settings)

    first, second = _outcome(sqlite_engine), _outcome(copy)
    assert first[0], "the store gave no cases"
    assert first == second
    copy.dispose()
