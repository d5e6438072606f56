"""Judging a batch of threads for curation, in this process or on worker processes.

`curate_thread` is pure and takes most of a large curation's CPU time (100,000 demo threads,
December 2026: about 50 s, against 27 s for reading and writing the store, which stays in this
process). With workers, a batch is judged on both cores, with the fingerprints and scenario
drafts of the threads it keeps, while this process writes the batch before it
(`casebook.steps.curate`). The drafts are the same either way: `curate_thread` depends only on its
arguments, and batches are still saved one after the other, in order.

Workers are spawned, not forked (as `nlp.parallel`'s: a fork would copy a Prefect run's
threads); each receives the run's context once, at start.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial

from curation.arcs import CUSTOMER, Turn
from curation.case_drafts import CaseDraft, curate_thread
from curation.feedback import CoachRules
from curation.grouping import Fingerprint, fingerprint
from curation.notability import SituationTrend
from curation.roles import AuthorStats
from curation.scenarios import Draft
from nlp.turns import TurnReader

KEEP_ARCS = {"recovery", "escalation"}
DROP_ARCS = {"not_service"}  # brands among themselves, marketing, contests, "not a case"

# Worker processes judge threads only from this many changed threads on: each costs a second or
# two of imports to start, and below this the store's reads and writes dominate anyway.
POOL_MIN_THREADS = 20_000


@dataclass(frozen=True)
class CurationContext:
    """What every thread of one curation run is judged against."""

    shares: Mapping[str, float]
    labels: Mapping[str, Mapping[str, str]]
    reference: datetime
    weights: Mapping[str, float] | None
    trends: Mapping[str, SituationTrend]
    rules: CoachRules | None
    min_score: float
    reader: TurnReader | None = None  # reads starts and ends no cue word reads (nlp.turns)
    wants: Mapping[str, Mapping[str, str]] | None = None  # the taxonomy's, for scenario drafts


@dataclass
class Judged:
    """A batch judged: the threads that make a case (with their fingerprints when computed where
    the threads were judged) and those that do not."""

    kept: list[tuple[int, CaseDraft]]
    dropped: list[int]
    prints: dict[int, Fingerprint]
    # Every judged thread's reading, kept or dropped: (arc, situation, language).
    readings: dict[int, tuple[str, str, str]] = field(default_factory=dict)


Batch = list[tuple[int, str, list[Turn]]]  # (thread id, channel, turns)


def judge(
    context: CurationContext,
    batch: Batch,
    stats: Mapping[str, AuthorStats],
    with_prints: bool = False,
) -> Judged:
    """Each thread's draft, kept when it makes a case: not a dropped arc, and notable enough or
    a recovery or an escalation."""
    out = Judged([], [], {})
    reader = context.reader
    if reader is not None:
        # The batch's customer turns read at once (one call a classifier, not one a turn).
        reader.prime(t.text for _, _, turns in batch for t in turns if t.role == CUSTOMER)
    for thread_id, channel, turns in batch:
        draft = curate_thread(
            turns,
            channel,
            context.shares,
            context.labels,
            # Recency is measured from the newest comment, not the clock: the same store gives
            # the same scores, kept cases and families whenever it is curated.
            context.reference,
            context.weights,
            context.trends,
            stats,
            context.rules,
            thread_id,
            reader.says if reader is not None else None,
            context.wants,
        )
        if draft is not None:
            out.readings[thread_id] = (draft.arc, draft.situation, draft.language)
        if (
            draft
            and draft.arc not in DROP_ARCS
            and (draft.score >= context.min_score or draft.arc in KEEP_ARCS)
        ):
            out.kept.append((thread_id, draft))
            if with_prints:
                out.prints[thread_id] = fingerprint(
                    draft.main_text, draft.situation, draft.language
                )
        else:
            out.dropped.append(thread_id)
    return out


_context: CurationContext | None = None


def _start(context: CurationContext) -> None:
    global _context
    _context = context


def _judge_in_worker(batch: Batch, stats: Mapping[str, AuthorStats]) -> Judged:
    assert _context is not None, "the worker was started with the run's context"
    judged = judge(_context, batch, stats, with_prints=True)
    # The scenario drafts of the kept cases are written here too (a third of them will collapse
    # into an earlier case and go unused, but the flow's process is the busier one); the draft
    # goes back instead of the function that writes it (whose cache does not pickle).
    judged.kept = [
        (t, replace(d, make_scenario=partial(_drafted, d.scenario))) for t, d in judged.kept
    ]
    return judged


def _drafted(draft: Draft) -> Draft:
    return draft


class Judge:
    """Judges batches in this process (`workers` <= 1) or on worker processes; `submit` returns
    a callable that gives the batch's `Judged` when it is done. Use as a context manager."""

    def __init__(self, context: CurationContext, workers: int = 1) -> None:
        self.context = context
        self._pool: ProcessPoolExecutor | None = None
        self.workers = workers if workers > 1 else 1
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(context,),
            )

    def submit(self, batch: Batch, stats: Mapping[str, AuthorStats]) -> Callable[[], Judged]:
        if self._pool is None:
            judged = judge(self.context, batch, stats)
            return lambda: judged
        size = -(-len(batch) // self.workers)
        futures: list[Future[Judged]] = [
            self._pool.submit(_judge_in_worker, batch[i : i + size], stats)
            for i in range(0, len(batch), size)
        ]
        return lambda: _joined([f.result() for f in futures])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> Judge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _joined(parts: list[Judged]) -> Judged:
    out = Judged([], [], {})
    for part in parts:
        out.kept.extend(part.kept)
        out.dropped.extend(part.dropped)
        out.prints.update(part.prints)
        out.readings.update(part.readings)
    return out
