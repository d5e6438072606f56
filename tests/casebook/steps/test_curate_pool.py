"""A large curation judges threads on worker processes while this process writes the batch
before: the cases, duplicates, families and scenario drafts are those of curating in one process."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casebook.settings import Settings
from casebook.steps import curate as curate_step
from casebook.steps import curate_pool
from casebook.steps.enrich import current_version
from store.db import transaction
from store.models import Case, Family, Scenario, Thread
from tests.helpers import twin_enriched_stores


def _everything(engine):
    with transaction(engine) as session:
        cases = session.execute(
            select(
                Thread.external_id,
                Case.arc,
                Case.score,
                Case.family_id,
                Case.duplicate_count,
                Case.why,
                Scenario.body,
            )
            .join(Thread, Thread.id == Case.thread_id)
            .join(Scenario, Scenario.case_id == Case.id, isouter=True)
            .order_by(Thread.external_id)
        ).all()
        families = session.execute(
            select(Family.id, Family.situation, Family.name, Family.size).order_by(Family.id)
        ).all()
        curated = session.scalar(select(Thread.id).where(Thread.curated_at.is_(None)).limit(1))
        readings = session.execute(
            select(Thread.external_id, Thread.arc, Thread.situation, Thread.language).order_by(
                Thread.external_id
            )
        ).all()
    return [tuple(c) for c in cases], [tuple(f) for f in families], curated, readings


@pytest.mark.slow
def test_workers_curate_as_one_process_does(sqlite_engine, tmp_path, monkeypatch, step_settings):
    settings = step_settings
    # Near-duplicates across batches, so that saving order matters.
    copy = twin_enriched_stores(sqlite_engine, tmp_path, settings, copies="bcd")
    version = current_version(settings)
    settings = settings.model_copy(update={"curate_min_score": 0.0})

    one = curate_step.curate_changed(
        sqlite_engine, version, settings.model_copy(update={"curate_workers": 1}), batch_size=3
    )
    started = []
    monkeypatch.setattr(curate_step, "POOL_MIN_THREADS", 1)
    real_init = curate_pool.Judge.__init__

    def counting_init(self, context, workers=1):
        started.append(workers)
        real_init(self, context, workers)

    monkeypatch.setattr(curate_pool.Judge, "__init__", counting_init)
    two = curate_step.curate_changed(
        copy, version, settings.model_copy(update={"curate_workers": 2}), batch_size=3
    )

    assert started == [2], "the curation did not start workers"
    assert one == two
    first, second = _everything(sqlite_engine), _everything(copy)
    assert first[0], "the store gave no cases"
    assert first[2] is None and second[2] is None, "a thread was left uncurated"
    assert first == second
    copy.dispose()


@pytest.mark.slow
def test_small_batches_curate_as_one_batch_does(
    sqlite_engine, tmp_path, monkeypatch, step_settings
):
    """Authors speak in several batches: what the store says about them is read once a run and
    serves every later batch, as if the run were one batch."""
    settings = step_settings
    copy = twin_enriched_stores(sqlite_engine, tmp_path, settings, copies="bcd")
    version = current_version(settings)
    settings = settings.model_copy(update={"curate_min_score": 0.0, "curate_workers": 1})
    asked: list[list[str]] = []
    real_stats = curate_step.author_stats

    def counting_stats(session, *, authors):
        asked.append(list(authors))
        return real_stats(session, authors=authors)

    monkeypatch.setattr(curate_step, "author_stats", counting_stats)
    unknown: list[str] = []  # authors a batch was judged without
    real_submit = curate_pool.Judge.submit

    def checking_submit(self, batch, stats):
        unknown.extend(t.author for _, _, turns in batch for t in turns if t.author not in stats)
        return real_submit(self, batch, stats)

    monkeypatch.setattr(curate_pool.Judge, "submit", checking_submit)
    whole = curate_step.curate_changed(sqlite_engine, version, settings, batch_size=10_000)
    assert len(asked) == 1
    asked.clear()
    small = curate_step.curate_changed(copy, version, settings, batch_size=3)

    assert len(asked) > 1, "the store was curated in one batch"
    flat = [a for authors in asked for a in authors]
    assert len(flat) == len(set(flat)), "an author's statistics were read twice"
    assert unknown == []
    assert whole == small
    first, second = _everything(sqlite_engine), _everything(copy)
    assert first[0], "the store gave no cases"
    assert first == second
    copy.dispose()


def test_a_negative_number_of_workers_is_refused():
    with pytest.raises(ValueError, match="CASEBOOK_CURATE_WORKERS is -1"):
        Settings(curate_workers=-1)
