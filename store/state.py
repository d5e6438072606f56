"""Facts about the store as a whole, by name: `store_state` rows."""

from __future__ import annotations

from sqlalchemy.orm import Session

from store.models import StoreState, utcnow

CURATION_REVISION_KEY = "curation_revision"


def get_state(session: Session, key: str) -> str | None:
    """The value kept under `key`, or None."""
    row = session.get(StoreState, key)
    return None if row is None else row.value


def set_state(session: Session, key: str, value: str) -> None:
    """Keep `value` under `key` (replacing what was there)."""
    row = session.get(StoreState, key)
    if row is None:
        session.add(StoreState(key=key, value=value))
    else:
        row.value = value
        row.updated_at = utcnow()
    session.flush()
