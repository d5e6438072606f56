"""Curate over the store: turn the threads changed since their last curation into cases."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

import curation
from casebook.progress import report
from casebook.settings import Settings
from casebook.steps.curate_pool import POOL_MIN_THREADS, CurationContext, Judge, Judged
from casebook_data.taxonomy_names import situation_texts
from curation.roles import AuthorStats
from nlp.models import collector_paused
from nlp.turns import TurnReader, shipped_reader
from store.bulk import chunks
from store.cases import (
    any_curated,
    author_stats,
    changed_threads,
    drop_cases,
    mark_curated,
    save_cases,
    situation_trends,
    thread_turns,
)
from store.db import transaction
from store.families import refresh_families, reset_similarity, week_reference
from store.feedback import coach_rules
from store.models import utcnow
from store.state import CURATION_REVISION_KEY, get_state, set_state

log = logging.getLogger(__name__)


def curate_changed(
    engine: Engine,
    version: str,
    settings: Settings,
    batch_size: int = 2000,
    rebuild: bool = False,
) -> dict[str, int]:
    """Curate the threads changed since their last curation; returns counts of kept and dropped cases.

    Near-duplicate threads collapse into one case (`duplicates`) and new cases join families;
    `rebuild` forgets duplicates, families and candidate cases first, and curates every thread;
    so does a store last curated under other curation rules (curation.CURATION_REVISION).
    """
    started = utcnow()
    labels, wants = situation_texts(settings.taxonomy_file, "labels", "wants")
    reader = shipped_reader(settings.models_dir)
    revision = rules_revision(reader)
    with transaction(engine) as session:
        if _rules_changed(session, revision) and not rebuild:
            log.info(
                "curation rules changed since this store was curated: every thread is curated"
                " again (candidate cases made again; reviewed cases stay)"
            )
            rebuild = True
        if rebuild:
            reset_similarity(session)
        # Written with the reset: a run stopped half-way goes on from where it was.
        set_state(session, CURATION_REVISION_KEY, revision)
        reference = week_reference(session)
        trends = situation_trends(session, version=version, reference=reference)
        rules = coach_rules(session)
        # Every thread changed before this run started, oldest change first.
        ids = changed_threads(session, before=started, limit=None)
    context = CurationContext(
        reader=reader,
        shares={situation: trend.share for situation, trend in trends.items()},
        labels=labels,
        wants=wants,
        reference=reference,
        weights=settings.notability_weights,
        trends=trends,
        rules=rules,
        min_score=settings.curate_min_score,
    )
    workers = curate_workers(settings) if len(ids) >= POOL_MIN_THREADS else 1
    counts = {"threads": 0, "cases": 0, "duplicates": 0, "dropped": 0, "families": 0}
    # What the store says about each author, asked once a run: the brand accounts speak in
    # most batches (curation changes no comment).
    known: dict[str, AuthorStats] = {}
    with Judge(context, workers) as judge, collector_paused():
        # Batch k is judged (on the workers, if any) while batch k-1 is written here.
        waiting: tuple[list[int], Callable[[], Judged]] | None = None
        for batch in chunks(ids, batch_size):
            with transaction(engine) as session:
                turns_of = thread_turns(session, thread_ids=list(batch), version=version)
                authors = {t.author for _, turns in turns_of.values() for t in turns if t.author}
                known.update(author_stats(session, authors=sorted(authors - known.keys())))
            stats = {a: known[a] for a in authors if a in known}
            judged = judge.submit(
                [(tid, *turns_of[tid]) for tid in batch if tid in turns_of], stats
            )
            if waiting is not None:
                _save(engine, *waiting, started, counts)
            waiting = (list(batch), judged)
        if waiting is not None:
            _save(engine, *waiting, started, counts)
    with transaction(engine) as session:
        counts["families"] = refresh_families(session, reference=reference)
    log.info(
        "curated %(threads)d threads: %(cases)d cases, %(duplicates)d duplicates, "
        "%(dropped)d dropped, %(families)d families",
        counts,
        extra=counts,
    )
    return counts


def rules_revision(reader: TurnReader | None) -> str:
    """The revision of the rules a curation applies: curation's own, and the turn reader's
    version when one is shipped (a retrained reader judges threads differently too)."""
    return curation.CURATION_REVISION + (f"+{reader.version}" if reader is not None else "")


def _rules_changed(session: Session, revision: str) -> bool:
    """Whether the store holds threads curated under other rules than `revision`."""
    kept = get_state(session, CURATION_REVISION_KEY)
    if kept == revision:
        return False
    # A store from before the revision was kept, or kept under another: only if any thread has
    # been curated (a new store has nothing to curate again).
    return any_curated(session)


def _save(
    engine: Engine,
    ids: list[int],
    judged: Callable[[], Judged],
    started: datetime,
    counts: dict[str, int],
) -> None:
    """Write one judged batch: its cases, the cases it no longer makes, and that it is curated."""
    result = judged()
    with transaction(engine) as session:
        saved = save_cases(session, items=result.kept, prints=result.prints)
        drop_cases(session, thread_ids=result.dropped)
        mark_curated(session, thread_ids=ids, at=started, readings=result.readings)
    counts["cases"] += saved["cases"]
    counts["duplicates"] += saved["duplicates"]
    counts["dropped"] += len(result.dropped)
    counts["threads"] += len(ids)
    gc.collect(0)  # the batch's cyclic garbage (the collector is paused: `collector_paused`)
    report("curate", counts["threads"])


def curate_workers(settings: Settings) -> int:
    """How many processes CASEBOOK_CURATE_WORKERS asks for (0: one per core, at most 2)."""
    from nlp.parallel import default_workers

    return settings.curate_workers or default_workers()
