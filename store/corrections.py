"""Coaches' corrections of a comment's labels: kept with the old value, audited, exported for retraining."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from casebook_data.redacted import words_said
from curation.corrections import check_correction, corrected_sentiment_score
from store.cases import mark_changed
from store.models import Analysis, AuthorRole, Comment, LabelCorrection
from store.users import record_audit


def correct_label(
    session: Session, *, comment_id: int, field: str, new_value: str, actor: str
) -> LabelCorrection:
    """Correct one label of a comment's latest analysis; the correction is kept (old value, classifier
    version) for retraining, audited, and the comment's thread is curated again. A correction to
    the value the comment has is a confirmation: kept and audited alike, nothing to curate again."""
    value = check_correction(field, new_value)
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise ValueError(f"comment {comment_id} does not exist")
    analysis = session.scalar(
        select(Analysis)
        .where(Analysis.comment_id == comment_id)
        .order_by(Analysis.id.desc())
        .limit(1)
    )
    if analysis is None:
        raise ValueError(f"comment {comment_id} has not been analysed yet")
    old = getattr(analysis, field)
    correction = LabelCorrection(
        comment_id=comment_id,
        field=field,
        old_value=old,
        new_value=value,
        classifier_version=analysis.classifier_version,
        actor=actor,
    )
    session.add(correction)
    setattr(analysis, field, value)
    if field == "sentiment":
        analysis.sentiment_score = corrected_sentiment_score(value, analysis.sentiment_score)
    if value != old:
        mark_changed(session, thread_id=comment.thread_id)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="comment.correct_label",
        entity="comment",
        entity_id=comment_id,
        detail={
            "field": field,
            "from": old,
            "to": value,
            "classifier_version": analysis.classifier_version,
        },
    )
    return correction


def label_corrections(session: Session) -> list[dict[str, Any]]:
    """The latest correction of each comment and field, with the comment's redacted text."""
    latest = (
        select(func.max(LabelCorrection.id))
        .group_by(LabelCorrection.comment_id, LabelCorrection.field)
        .scalar_subquery()
    )
    newest_analysis = (
        select(Analysis.comment_id, func.max(Analysis.id).label("analysis_id"))
        .group_by(Analysis.comment_id)
        .subquery()
    )
    rows = session.execute(
        select(LabelCorrection, Analysis.redacted_text)
        .outerjoin(newest_analysis, newest_analysis.c.comment_id == LabelCorrection.comment_id)
        .outerjoin(Analysis, Analysis.id == newest_analysis.c.analysis_id)
        .where(LabelCorrection.id.in_(latest))
        .order_by(LabelCorrection.id)
    )
    return [
        {
            "comment_id": c.comment_id,
            # Only ever the redacted text: a comment not analysed has no safe text to export.
            "text": text or "",
            "field": c.field,
            "old_label": c.old_value,
            "label": c.new_value,
            "classifier_version": c.classifier_version,
            "corrected_by": c.actor,
            "corrected_at": c.created_at.isoformat(),
        }
        for c, text in rows
    ]


def export_corrections(session: Session, *, path: Path) -> int:
    """Write the corrections for retraining as CSV (redacted text, field, new label); returns the rows."""
    rows = label_corrections(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [
        "comment_id",
        "text",
        "field",
        "old_label",
        "label",
        "classifier_version",
        "corrected_by",
        "corrected_at",
    ]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


# ---------------------------------------------------------------- teaching situations


def _unlabelled(query: Select[Any]) -> Select[Any]:
    """`query` over the newest analysis of each customer comment no coach labelled yet."""
    newest = (
        select(Analysis.comment_id, func.max(Analysis.id).label("analysis_id"))
        .group_by(Analysis.comment_id)
        .subquery()
    )
    labelled = select(LabelCorrection.comment_id).where(LabelCorrection.field == "situation")
    return (
        query.select_from(Analysis)
        .join(newest, newest.c.analysis_id == Analysis.id)
        .join(Comment, Comment.id == Analysis.comment_id)
        .where(Comment.author_role == AuthorRole.customer)
        .where(Comment.duplicate_of_id.is_(None))
        .where(Analysis.comment_id.not_in(labelled))
    )


def count_situation_queue(session: Session) -> int:
    """How many comments situation_queue could offer (its list stops at `limit`)."""
    return int(session.scalar(_unlabelled(select(func.count(Analysis.id)))) or 0)


# The situation queue reads this many times the comments it shows, to leave near-copies out.
DUPLICATES_READ = 5
_WORDS = re.compile(r"\w+")


def situation_queue(session: Session, *, limit: int = 20) -> list[dict[str, Any]]:
    """Customers' comments for a coach to label with a situation, the ones the current analysis
    is least sure of first (active learning: a label there teaches the classifier most); comments
    a coach already labelled are left out; of comments that differ only by case, punctuation or
    emoji ("Any news?!" and "any news"), the least sure one only. Of equally unsure comments,
    those that say most first: "Mon mail : [EMAIL]." teaches no situation. Redacted text only."""
    rows = session.execute(
        _unlabelled(select(Analysis, Comment.channel))
        .order_by(
            Analysis.situation_confidence,
            func.length(Analysis.redacted_text).desc(),
            Analysis.comment_id,
        )
        .limit(limit * DUPLICATES_READ)
    )
    read = sorted(rows, key=lambda r: (r[0].situation_confidence, -words_said(r[0].redacted_text)))
    queue: list[dict[str, Any]] = []
    seen: set[str] = set()
    for a, channel in read:
        key = " ".join(_WORDS.findall(a.redacted_text.lower()))
        if key in seen:
            continue
        seen.add(key)
        queue.append(
            {
                "comment_id": a.comment_id,
                "text": a.redacted_text,
                "language": a.language,
                "channel": channel,
                "situation": a.situation,
                "confidence": a.situation_confidence,
                "runner_up": a.situation_runner_up,
            }
        )
        if len(queue) == limit:
            break
    return queue


def situation_label_counts(session: Session) -> dict[str, int]:
    """How many comments coaches labelled with each situation (the latest label of a comment)."""
    latest = (
        select(func.max(LabelCorrection.id))
        .where(LabelCorrection.field == "situation")
        .group_by(LabelCorrection.comment_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(LabelCorrection.new_value, func.count())
        .where(LabelCorrection.id.in_(latest))
        .group_by(LabelCorrection.new_value)
        .order_by(LabelCorrection.new_value)
    )
    return {value: int(n) for value, n in rows}


def situation_training_rows(session: Session) -> list[tuple[str, str]]:
    """(redacted text, situation) of every comment a coach labelled: what `casebook train
    situation --from-store` learns from."""
    return [
        (row["text"], row["label"])
        for row in label_corrections(session)
        if row["field"] == "situation" and row["text"].strip()
    ]
