"""The case page shows the slow pass's reading of the customer comments beside their fast labels."""

from __future__ import annotations

from dashboard import data
from store.db import transaction
from store.refinements import save_refinements
from tests.dashboard.test_coach_pages import captions, open_case


def test_the_case_page_shows_the_slow_reading_beside_the_fast_labels(seeded, db):
    at = open_case(seeded)
    assert not at.exception
    assert not any(c.startswith("Slow pass:") for c in captions(at))  # not read yet: no line

    first, _agent, last = seeded.comment_ids
    rows = [
        {
            "comment_id": first,
            "sentiment": "negative",
            "sentiment_score": -0.8123,
            "emotion": "sadness",
            "intensity": 0.7,
        },
        {
            "comment_id": last,
            "sentiment": "positive",
            "sentiment_score": 0.62,
            "emotion": "joy",
            "intensity": 0.4,
        },
    ]
    with transaction(db) as s:
        save_refinements(s, version="2026.12-test", classifier_version="v1", rows=rows)
    data.clear_reads()  # as after a flow's run once the page's short cache has expired
    at = open_case(seeded)
    assert not at.exception
    shown = captions(at)
    fast = shown.index("Labels: English · negative · anger · delivery_delay")
    assert shown[fast + 1] == "Slow pass: negative (-0.81) · sadness · intensity 0.70"
    assert "Slow pass: positive (+0.62) · joy · intensity 0.40" in shown
    assert sum(c.startswith("Slow pass:") for c in shown) == 2  # the agent's reply: none
