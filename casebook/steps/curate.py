"""Curate over the store: turn the threads changed since their last curation into cases."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml
from sqlalchemy import Engine

from casebook.progress import report
from casebook.settings import Settings
from curation.case_drafts import curate_thread
from store.cases import (
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

KEEP_ARCS = {"recovery", "escalation"}
DROP_ARCS = {"not_service"}  # brands among themselves, marketing, contests, "not a case"

log = logging.getLogger(__name__)


def situation_labels(taxonomy_file: Path) -> dict[str, dict[str, str]]:
    """Each situation's label by language, from the taxonomy."""
    data = yaml.safe_load(taxonomy_file.read_text()) if taxonomy_file.exists() else {}
    entries = data.get("situations", data) if isinstance(data, dict) else {}
    return {
        key: dict(value.get("labels", {}))
        for key, value in entries.items()
        if isinstance(value, dict)
    }


def curate_changed(
    engine: Engine,
    version: str,
    settings: Settings,
    batch_size: int = 2000,
    rebuild: bool = False,
) -> dict[str, int]:
    """Curate the threads changed since their last curation; returns counts of kept and dropped cases.

    Near-duplicate threads collapse into one case (`duplicates`) and new cases join families;
    `rebuild` forgets duplicates, families and candidate cases first, and curates every thread.
    """
    started = utcnow()
    labels = situation_labels(settings.taxonomy_file)
    with transaction(engine) as session:
        if rebuild:
            reset_similarity(session)
        reference = week_reference(session)
        trends = situation_trends(session, version=version, reference=reference)
        rules = coach_rules(session)
    shares = {situation: trend.share for situation, trend in trends.items()}
    counts = {"threads": 0, "cases": 0, "duplicates": 0, "dropped": 0, "families": 0}
    while True:
        with transaction(engine) as session:
            ids = changed_threads(session, before=started, limit=batch_size)
            if not ids:
                break
            turns_of = thread_turns(session, thread_ids=ids, version=version)
            stats = author_stats(
                session,
                authors=[t.author for _, turns in turns_of.values() for t in turns if t.author],
            )
            kept, dropped = [], []
            for thread_id in ids:
                if thread_id not in turns_of:
                    continue
                channel, turns = turns_of[thread_id]
                # Recency is measured from the newest comment, not the clock: the same store
                # gives the same scores, kept cases and families whenever it is curated.
                draft = curate_thread(
                    turns,
                    channel,
                    shares,
                    labels,
                    reference,
                    settings.notability_weights,
                    trends,
                    stats,
                    rules,
                    thread_id,
                )
                if (
                    draft
                    and draft.arc not in DROP_ARCS
                    and (draft.score >= settings.curate_min_score or draft.arc in KEEP_ARCS)
                ):
                    kept.append((thread_id, draft))
                else:
                    dropped.append(thread_id)
            saved = save_cases(session, items=kept)
            drop_cases(session, thread_ids=dropped)
            counts["cases"] += saved["cases"]
            counts["duplicates"] += saved["duplicates"]
            counts["dropped"] += len(dropped)
            mark_curated(session, thread_ids=ids, at=started)
        counts["threads"] += len(ids)
        report("curate", counts["threads"])
    with transaction(engine) as session:
        counts["families"] = refresh_families(session, reference=reference)
    log.info(
        "curated %(threads)d threads: %(cases)d cases, %(duplicates)d duplicates, "
        "%(dropped)d dropped, %(families)d families",
        counts,
        extra=counts,
    )
    return counts
