"""Label corrections in the store: kept with the old value, the thread curated again, exported."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from store.corrections import correct_label, export_corrections
from store.models import Analysis, Comment, LabelCorrection, Thread
from tests.store.test_cases import LOST_EN, REPLY, make_source, make_thread


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
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["field"], r["label"]) for r in rows} == {
        ("situation", "lost_parcel"),
        ("sentiment", "positive"),
    }
    assert all(r["text"] == LOST_EN for r in rows)  # the redacted text
    assert session.get(Thread, tid).changed_at is not None


def test_the_situation_queue_puts_the_least_sure_first_and_leaves_labelled_out(session):
    from store.corrections import (
        situation_label_counts,
        situation_queue,
        situation_training_rows,
    )

    source = make_source(session)
    texts = {"a": "card never came", "b": "refund please", "c": "app keeps crashing"}
    for ext, text in texts.items():
        make_thread(session, source, ext, text)
    sure = {"a-0": 0.8, "b-0": 0.1, "c-0": 0.4}
    for ext, confidence in sure.items():
        comment_id = session.scalar(select(Comment.id).where(Comment.external_id == ext))
        analysis = session.scalar(select(Analysis).where(Analysis.comment_id == comment_id))
        analysis.situation_confidence = confidence
    # A newer analysis decides: "a" is now the least sure.
    a_id = session.scalar(select(Comment.id).where(Comment.external_id == "a-0"))
    old = session.scalar(select(Analysis).where(Analysis.comment_id == a_id))
    session.add(
        Analysis(
            comment_id=a_id,
            classifier_version="v2",
            language="en",
            language_confidence=0.9,
            redacted_text=old.redacted_text,
            sentiment="negative",
            sentiment_score=-0.5,
            emotion="anger",
            intensity=0.5,
            situation="other",
            situation_confidence=0.05,
        )
    )
    session.flush()

    queue = situation_queue(session, limit=10)
    # Customers only (agents' replies and thanks are not what the classifier labels here, but
    # the thanks are customers' too): the first three are the complaints, least sure first.
    assert [row["text"] for row in queue[:3]] == [texts["a"], texts["b"], texts["c"]]
    assert all(row["text"] != REPLY for row in queue)
    assert queue[0]["situation"] == "other" and queue[0]["confidence"] == 0.05

    b_id = session.scalar(select(Comment.id).where(Comment.external_id == "b-0"))
    correct_label(
        session, comment_id=b_id, field="situation", new_value="billing_payment", actor="coach"
    )
    correct_label(
        session, comment_id=a_id, field="situation", new_value="delivery_logistics", actor="c"
    )
    # A second label of the same comment replaces the first in the counts and the training rows.
    correct_label(
        session, comment_id=a_id, field="situation", new_value="order_booking", actor="coach"
    )
    after = situation_queue(session, limit=10)
    assert texts["a"] not in [r["text"] for r in after]
    assert texts["b"] not in [r["text"] for r in after]
    assert after[0]["text"] == texts["c"]
    assert situation_label_counts(session) == {"billing_payment": 1, "order_booking": 1}
    assert sorted(situation_training_rows(session)) == [
        (texts["a"], "order_booking"),
        (texts["b"], "billing_payment"),
    ]


def test_the_situation_queue_shows_one_of_near_copies(session):
    from store.corrections import situation_queue

    source = make_source(session)
    for ext, text in (
        ("a", "Any news? Nobody got back to me!! 😡"),
        ("b", "any news, nobody got back to me"),
        ("c", "Card never came"),
    ):
        make_thread(session, source, ext, text)
    confidence = {"a-0": 0.3, "b-0": 0.2, "c-0": 0.4}
    for ext, value in confidence.items():
        comment_id = session.scalar(select(Comment.id).where(Comment.external_id == ext))
        session.scalar(
            select(Analysis).where(Analysis.comment_id == comment_id)
        ).situation_confidence = value
    session.flush()
    texts = [row["text"] for row in situation_queue(session, limit=10)]
    # The least sure of the two copies; the three customers' identical thanks once.
    assert texts[:2] == ["any news, nobody got back to me", "Card never came"]
    assert len(texts) == 3 and len(set(texts)) == 3
    assert [row["text"] for row in situation_queue(session, limit=1)] == texts[:1]


def test_of_equally_unsure_comments_the_queue_shows_first_those_that_say_most(session):
    from store.corrections import situation_queue

    source = make_source(session)
    texts = {
        "a": "My email is [EMAIL].",
        "b": "Compte au nom de [EMAIL], tél [PHONE].",
        "c": "Day 2 and nobody has read my message",
        "d": "Why?",
    }
    for ext, text in texts.items():
        make_thread(session, source, ext, text)
    for ext in texts:
        comment_id = session.scalar(select(Comment.id).where(Comment.external_id == f"{ext}-0"))
        analysis = session.scalar(select(Analysis).where(Analysis.comment_id == comment_id))
        analysis.situation_confidence = 0.0
    session.flush()
    shown = [row["text"] for row in situation_queue(session, limit=10)][:4]
    # words outside the placeholders: 8, 5, 3, 1; the longer text in characters is not first
    assert shown == [texts["c"], texts["b"], texts["a"], texts["d"]]
    # nothing is left out: the near-empty comments come after, still there to label
    assert [row["text"] for row in situation_queue(session, limit=1)] == [texts["c"]]


def test_a_correction_to_the_same_value_is_a_confirmation_that_curates_nothing_again(session):
    source = make_source(session)
    tid = make_thread(session, source, "t", LOST_EN)
    before = session.get(Thread, tid).changed_at
    comment_id = session.scalar(select(Comment.id).where(Comment.external_id == "t-0"))
    current = session.scalar(select(Analysis).where(Analysis.comment_id == comment_id)).situation
    confirmed = correct_label(
        session, comment_id=comment_id, field="situation", new_value=current, actor="coach"
    )
    assert confirmed.old_value == confirmed.new_value == current
    assert session.get(Thread, tid).changed_at == before  # nothing to curate again
    # kept: a confirmed label teaches a classifier too
    assert session.scalar(select(func.count(LabelCorrection.id))) == 1
    correct_label(session, comment_id=comment_id, field="situation", new_value="x_y", actor="c")
    assert session.get(Thread, tid).changed_at > before
