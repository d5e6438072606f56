"""The slow pass's readings in the store (store.refinements), on each supported database: what
waits for it, one row per comment, versions, the case page's columns, erasure."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from store.models import Refinement
from store.queue import REFINED_COLUMNS, case_detail
from store.refinements import (
    comments_to_refine,
    count_refinements,
    refined_readings,
    save_refinements,
    top_case_threads,
)
from tests.dashboard.seed import SCRIPT_TEXT, seed


def reading(comment_id, sentiment="positive", score=0.5, emotion="joy", intensity=0.3):
    return {
        "comment_id": comment_id,
        "sentiment": sentiment,
        "sentiment_score": score,
        "emotion": emotion,
        "intensity": intensity,
    }


def waiting(session, s, version="s1", classifier_version="v1"):
    return comments_to_refine(
        session,
        thread_ids=[s.thread_id],
        version=version,
        classifier_version=classifier_version,
    )


def test_the_top_cases_come_first_up_to_the_limit(session):
    s = seed(session, users=False)
    threads = top_case_threads(session, limit=5)
    assert threads[0] == s.thread_id and len(threads) == 2  # scores 0.8, then 0.4
    assert top_case_threads(session, limit=1) == [s.thread_id]
    assert top_case_threads(session, limit=0) == []


def test_only_customer_comments_of_the_analysis_wait_and_only_redacted(session):
    s = seed(session, users=False)
    todo = waiting(session, s)
    customer = [s.comment_ids[0], s.comment_ids[2]]  # the agent's reply is left out
    assert [cid for cid, *_ in todo] == customer
    assert todo[0] == (s.comment_ids[0], s.thread_id, SCRIPT_TEXT, "en")  # not the raw text
    assert all("raw" not in text for _, _, text, _ in todo)
    assert waiting(session, s, classifier_version="v9") == []  # analysed by another version


def test_a_reading_is_stored_once_and_read_again_by_a_new_version(session):
    s = seed(session, users=False)
    first = [reading(cid) for cid, *_ in waiting(session, s)]
    assert save_refinements(session, version="s1", classifier_version="v1", rows=first) == 2
    assert waiting(session, s) == []  # nothing left for this version
    assert count_refinements(session, version="s1") == 2

    # A new slow pass, or a new analysis under it, reads them again: the row is replaced.
    assert len(waiting(session, s, version="s2")) == 2
    second = [reading(cid, "negative", -0.7, "anger", 0.9) for cid, *_ in waiting(session, s, "s2")]
    save_refinements(session, version="s2", classifier_version="v1", rows=second)
    assert session.scalar(select(func.count(Refinement.id))) == 2
    assert count_refinements(session, version="s1") == 0
    got = refined_readings(session, comment_ids=s.comment_ids)
    assert set(got) == {s.comment_ids[0], s.comment_ids[2]}
    assert got[s.comment_ids[0]] == {
        "sentiment": "negative",
        "sentiment_score": -0.7,
        "emotion": "anger",
        "intensity": 0.9,
        "version": "s2",
    }
    assert waiting(session, s, version="s1") != []  # back to s1 (a rollback) would read again


def test_case_detail_shows_the_refined_reading_beside_the_fast_one(session):
    s = seed(session, users=False)
    save_refinements(
        session, version="s1", classifier_version="v1", rows=[reading(s.comment_ids[0])]
    )
    comments = case_detail(session, case_id=s.case_id).comments
    assert set(REFINED_COLUMNS) <= set(comments.columns)
    first, agent, last = (row for row in comments.itertuples(index=False))
    assert (first.sentiment, first.refined_sentiment) == ("negative", "positive")
    assert (first.refined_emotion, first.refined_intensity) == ("joy", 0.3)
    assert pd.isna(agent.refined_sentiment) and pd.isna(last.refined_sentiment)
