"""What every flow needs: settings, logging, the store's engine."""

from __future__ import annotations

from sqlalchemy import Engine

from casebook.logs import configure_logging
from casebook.settings import Settings, get_settings
from store.db import get_engine, upgrade


def store() -> tuple[Settings, Engine]:
    """The settings and the migrated store of this process, with logging set up (flows are entry
    points: a deployment's run may be the first code of this process to run)."""
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    # No flow runs on a shared store without the shared pseudonym key (casebook.settings).
    settings.check_secret_key()
    engine = get_engine(settings.db_url)
    upgrade(engine)
    return settings, engine
