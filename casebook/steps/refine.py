"""Refine over the store: the slow pass (nlp/deep.py) on the customer comments of the most
notable cases, stored apart from their fast analyses (store.refinements).

Curation keeps reading the fast labels, on which its rules and weights were tuned: the refined
reading is shown to coaches beside the fast one, it changes no case.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from sqlalchemy import Engine

from casebook.progress import report
from casebook.settings import Settings
from casebook.steps.enrich import current_version, load_analyzer
from store.bulk import chunks
from store.db import transaction
from store.refinements import comments_to_refine, save_refinements, top_case_threads

log = logging.getLogger(__name__)

# Comments encoded and stored together: a killed run keeps what it stored (the next one goes
# on from there), and a batch is a few seconds of the encoder.
REFINE_BATCH = 64


@dataclass
class RefineResult:
    refined: int  # comments read by the slow pass in this run
    cases: int  # cases they belong to (among the `max_cases` most notable)
    version: str | None  # the slow pass's version; None when its classifiers are not shipped
    skipped: str = ""  # why nothing was refined, when it could not be


def slow_version(settings: Settings) -> str | None:
    """The slow pass's version for the configured classifiers, read from their files."""
    from nlp.deep import slow_pass_version

    return slow_pass_version(settings.models_dir)


def refine_cases(engine: Engine, settings: Settings, max_cases: int | None = None) -> RefineResult:
    """Read again with the slow pass the customer comments of the `max_cases` most notable cases
    (default CASEBOOK_REFINE_MAX_CASES) that the current slow pass has not read on top of their
    current analysis: a second run reads nothing, a new slow pass or analysis reads them again,
    a case reaching the top is read at the next run. Without the slow classifiers, logs why and
    does nothing."""
    cap = settings.refine_max_cases if max_cases is None else max_cases
    version = slow_version(settings)
    if version is None:
        reason = f"no slow-pass classifiers in {settings.models_dir / 'deep'}"
        return _skipped(RefineResult(0, 0, None, reason))
    if cap <= 0:
        return _skipped(RefineResult(0, 0, version, "CASEBOOK_REFINE_MAX_CASES is 0"))
    classifier_version = current_version(settings)
    with transaction(engine) as session:
        threads = top_case_threads(session, limit=cap)
        todo = comments_to_refine(
            session, thread_ids=threads, version=version, classifier_version=classifier_version
        )
    if not todo:
        return _done(RefineResult(0, 0, version))  # nothing loaded for nothing
    from nlp.encoder import EncoderUnavailableError, load_encoder

    try:
        load_encoder()  # the encoder's weights, or why they are missing, before any work
    except EncoderUnavailableError as exc:
        return _skipped(RefineResult(0, 0, version, str(exc)))
    analyzer = load_analyzer(settings.models_dir, settings.taxonomy_file, settings.situation_model)
    done = 0
    for batch in chunks(todo, REFINE_BATCH):
        readings = analyzer.refine_redacted(
            [text for _, _, text, _ in batch],
            [lang for _, _, _, lang in batch],
            settings.models_dir,
        )
        rows = [
            {
                "comment_id": comment_id,
                "sentiment": r.sentiment,
                "sentiment_score": r.sentiment_score,
                "emotion": r.emotion,
                "intensity": r.intensity,
            }
            for (comment_id, _, _, _), r in zip(batch, readings, strict=True)
        ]
        with transaction(engine) as session:
            save_refinements(
                session, version=version, classifier_version=classifier_version, rows=rows
            )
        done += len(rows)
        report("refine", done, len(todo))
    cases = len({thread for _, thread, _, _ in todo})
    return _done(RefineResult(done, cases, version))


def _skipped(result: RefineResult) -> RefineResult:
    log.info("slow pass skipped: %s", result.skipped, extra=asdict(result))
    return result


def _done(result: RefineResult) -> RefineResult:
    log.info(
        "slow pass %s read %d comments of %d cases",
        result.version,
        result.refined,
        result.cases,
        extra=asdict(result),
    )
    return result
