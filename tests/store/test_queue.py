"""The coach's queue in the store (store.queue), on each supported database."""

from __future__ import annotations

import pytest

from store.queue import case_detail, case_queue, queue_filter_options
from tests.dashboard.seed import REAL_REPLY, SCRIPT_TEXT, seed


def test_the_queue_of_an_empty_store_is_empty(session):
    assert case_queue(session).empty
    assert "score" in case_queue(session).columns
    assert case_detail(session, case_id=1) is None
    assert queue_filter_options(session) == {
        "situation": [],
        "channel": [],
        "language": [],
        "arc": [],
        "emotion": [],
    }


def test_case_queue_sorts_by_score_and_expands_parts(session):
    s = seed(session, users=False)
    queue = case_queue(session)
    assert list(queue["case_id"]) == [s.case_id, s.other_case_id]
    assert {"score_recovery", "score_reach"} <= set(queue.columns)
    first = queue.iloc[0]
    assert first["score_recovery"] == 0.5
    assert first["scenario_id"] == s.scenario_id
    assert first["scenario_state"] == "candidate"
    assert (
        queue.iloc[1]["scenario_title"] is None
        or queue.iloc[1]["scenario_title"] != queue.iloc[1]["scenario_title"]
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"channel": "email"}, "other"),
        ({"situation": "delivery_delay"}, "case"),
        ({"language": "fr"}, "other"),
        ({"arc": "recovery"}, "case"),
        ({"arc": "recovery", "channel": "email"}, None),
    ],
)
def test_case_queue_filters(session, filters, expected):
    s = seed(session, users=False)
    ids = list(case_queue(session, **filters)["case_id"])
    want = {"case": [s.case_id], "other": [s.other_case_id], None: []}[expected]
    assert ids == want


def test_case_queue_limit(session):
    seed(session, users=False)
    assert len(case_queue(session, limit=1)) == 1


def test_filter_options(session):
    seed(session, users=False)
    options = queue_filter_options(session)
    assert options["channel"] == ["email", "twitter"]
    assert options["arc"] == ["escalation", "recovery"]


def test_case_detail_shows_latest_redaction_never_raw(session):
    s = seed(session, users=False)
    detail = case_detail(session, case_id=s.case_id)
    assert detail.arc == "recovery"
    texts = list(detail.comments["text"])
    assert texts[0] == SCRIPT_TEXT  # the newest analysis, not "OLD REDACTION"
    assert texts[1] == REAL_REPLY
    assert "original_text" not in detail.comments.columns
    assert not any("raw" in t for t in texts)
    assert list(detail.comments["author_role"]) == ["customer", "agent", "customer"]
    assert list(detail.comments["is_pivotal"]) == [False, True, False]
    assert detail.scenario.id == s.scenario_id
    with_raw = case_detail(session, case_id=s.case_id, include_original=True)
    assert with_raw.comments["original_text"].iloc[0].startswith("raw angry")


def test_case_detail_without_analysis_hides_text(session):
    s = seed(session, users=False)
    detail = case_detail(session, case_id=s.other_case_id)
    assert detail.comments.empty and detail.scenario is None


def test_the_queue_mixes_arcs_and_reads_only_what_can_reach_its_top(session):
    from store.models import Case, Thread
    from store.queue import top_case_rows

    s = seed(session, users=False)
    source_id = session.get(Thread, session.get(Case, s.case_id).thread_id).source_id
    scores = [("recovery", 0.9), ("recovery", 0.88), ("recovery", 0.87), ("recovery", 0.86)]
    scores += [("escalation", 0.82), ("escalation", 0.6), ("question", 0.1)]
    ids = {}
    for n, (arc, score) in enumerate(scores):
        thread = Thread(source_id=source_id, external_id=f"mix-{n}", channel="twitter")
        session.add(thread)
        session.flush()
        case = Case(
            thread_id=thread.id,
            arc=arc,
            score=score,
            score_parts={},
            situation="billing",
            emotion="anger",
            language="en",
            channel="twitter",
        )
        session.add(case)
        session.flush()
        ids[case.id] = (arc, score)
    session.query(Case).filter(Case.id.in_([s.case_id, s.other_case_id])).delete()
    session.flush()
    said = [(r["arc"], r["score"]) for r in top_case_rows(session, limit=3)]
    # The escalation at 0.82 passes the recoveries at 0.88 and 0.87 (within the spread of 0.1).
    assert said == [("recovery", 0.9), ("escalation", 0.82), ("recovery", 0.88)]
    full = [(r["arc"], r["score"]) for r in top_case_rows(session, limit=100)]
    assert full[:3] == said and len(full) == len(scores)
    queue = case_queue(session, limit=3)
    assert list(zip(queue["arc"], queue["score"], strict=True)) == said
