"""A store curated under other curation rules is curated again, once, when the rules change
(curation.CURATION_REVISION): an upgrade brings the new rules to every thread, not only to new
comments; reviewed cases stay."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

import curation
from casebook.steps import curate as curate_step
from casebook.steps.enrich import current_version
from curation.review import ReviewState
from nlp.turns import shipped_reader
from store.db import transaction
from store.models import Case, StoreState
from store.state import CURATION_REVISION_KEY, get_state
from tests.helpers import twin_enriched_stores


@pytest.mark.slow
def test_new_rules_curate_every_thread_again_once(
    sqlite_engine, tmp_path, monkeypatch, step_settings
):
    settings = step_settings
    copy = twin_enriched_stores(sqlite_engine, tmp_path, settings, copies="")
    copy.dispose()
    version = current_version(settings)
    settings = settings.model_copy(update={"curate_min_score": 0.0})

    def curate() -> int:
        return curate_step.curate_changed(sqlite_engine, version, settings)["threads"]

    every = curate()
    assert every > 0
    with transaction(sqlite_engine) as s:
        assert get_state(s, CURATION_REVISION_KEY) == curate_step.rules_revision(
            shipped_reader(settings.models_dir)
        )
        reviewed = s.scalars(select(Case.id).order_by(Case.id).limit(1)).one()
        s.execute(update(Case).where(Case.id == reviewed).values(state=ReviewState.published))
        cases = s.scalar(select(func.count(Case.id)))
    assert curate() == 0  # same rules, nothing changed

    monkeypatch.setattr(curation, "CURATION_REVISION", "next")
    assert curate() == every  # new rules: every thread again
    with transaction(sqlite_engine) as s:
        assert get_state(s, CURATION_REVISION_KEY).startswith("next")
        assert s.get(Case, reviewed).state == ReviewState.published  # reviewed cases stay
        assert s.scalar(select(func.count(Case.id))) == cases  # candidates made again, once
    assert curate() == 0

    # A store curated before the revision was kept (an upgrade from an older release).
    with transaction(sqlite_engine) as s:
        s.execute(delete(StoreState))
    assert curate() == every
    assert curate() == 0


def test_a_new_store_is_not_curated_twice(sqlite_engine, tmp_path, monkeypatch, step_settings):
    settings = step_settings
    counts = curate_step.curate_changed(sqlite_engine, current_version(settings), settings)
    assert counts["threads"] == 0
    with transaction(sqlite_engine) as s:
        assert get_state(s, CURATION_REVISION_KEY).startswith(curation.CURATION_REVISION)
