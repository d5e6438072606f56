"""Facts about the store as a whole (store_state), on each database."""

from __future__ import annotations

from store.state import get_state, set_state


def test_state_is_kept_and_replaced(session):
    assert get_state(session, "curation_revision") is None
    set_state(session, "curation_revision", "4")
    assert get_state(session, "curation_revision") == "4"
    set_state(session, "curation_revision", "5")
    assert get_state(session, "curation_revision") == "5"
    assert get_state(session, "other") is None
