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
