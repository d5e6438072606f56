"""Label corrections in the store: kept with the old value, the thread curated again, exported."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from store.corrections import correct_label, export_corrections
from store.models import Analysis, Comment, LabelCorrection, Thread
from tests.store.test_cases import LOST_EN, make_source, make_thread


def test_a_label_correction_is_kept_and_shown(session, tmp_path):
    source = make_source(session)
    tid = make_thread(session, source, "t", LOST_EN)
    comment_id = session.scalar(select(Comment.id).where(Comment.external_id == "t-0"))
    correction = correct_label(
        session, comment_id=comment_id, field="situation", new_value="Lost_Parcel ", actor="coach"
    )
    assert (correction.old_value, correction.new_value) == ("delivery", "lost_parcel")
    assert correction.classifier_version == "v1"
    analysis = session.scalar(select(Analysis).where(Analysis.comment_id == comment_id))
    assert analysis.situation == "lost_parcel"
    correct_label(
        session, comment_id=comment_id, field="sentiment", new_value="positive", actor="coach"
    )
    assert analysis.sentiment == "positive" and analysis.sentiment_score >= 0.25
    with pytest.raises(ValueError):
        correct_label(
            session, comment_id=comment_id, field="sentiment", new_value="furious", actor="coach"
        )
    with pytest.raises(ValueError):
        correct_label(session, comment_id=comment_id, field="text", new_value="x", actor="coach")
    assert session.scalar(select(func.count(LabelCorrection.id))) == 2
    out = tmp_path / "corrections.csv"
    assert export_corrections(session, path=out) == 2
    rows = list(csv.DictReader(out.open()))
    assert {(r["field"], r["label"]) for r in rows} == {
        ("situation", "lost_parcel"),
        ("sentiment", "positive"),
    }
    assert all(r["text"] == LOST_EN for r in rows)  # the redacted text
    assert session.get(Thread, tid).changed_at is not None
