"""What every flow needs: settings, the store's engine, a logger."""

from __future__ import annotations

from sqlalchemy import Engine

from casebook.settings import Settings, get_settings
from store.db import get_engine, upgrade


def store() -> tuple[Settings, Engine]:
    """The settings and the migrated store of this process."""
    settings = get_settings()
    engine = get_engine(settings.db_url)
    upgrade(engine)
    return settings, engine
