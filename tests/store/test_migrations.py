from sqlalchemy import Engine, inspect, text

from store.db import downgrade, make_engine, upgrade
from store.models import Base


def test_migrations_match_the_models_and_go_down_and_up(sqlite_engine):
    tables = set(inspect(sqlite_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    downgrade(sqlite_engine, "base")
    assert set(inspect(sqlite_engine).get_table_names()) <= {"alembic_version"}
    upgrade(sqlite_engine)
    assert set(Base.metadata.tables) <= set(inspect(sqlite_engine).get_table_names())


def test_no_model_change_is_missing_a_migration(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def _old_store(tmp_path, revision: str, *inserts: str) -> Engine:
    """A SQLite store at `revision` holding a source (id 1) and the rows of `inserts`."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, revision)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (name, kind, channel, config, cursor, enabled, created_at) "
                "VALUES ('s', 'csv', 'ticket', '{}', '{}', 1, '2026-01-01 00:00:00')"
            )
        )
        for insert in inserts:
            conn.execute(text(insert))
    return engine


def test_upgrade_keeps_existing_rows(tmp_path):
    engine = _old_store(
        tmp_path,
        "0001",
        "INSERT INTO quarantine (source_id, position, reason, raw, created_at) "
        "VALUES (1, 'f.csv:2', 'empty text', '', '2026-01-01 00:00:00')",
    )
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT attempts FROM quarantine")).scalar_one() == 0
        assert conn.execute(text("SELECT schedule FROM sources")).scalar_one() is None


def test_the_feedback_summary_is_dropped_to_be_rebuilt_from_customers_only(tmp_path):
    engine = _old_store(
        tmp_path,
        "0011",
        "INSERT INTO daily_feedback (classifier_version, day, source_id, channel, situation,"
        " sentiment, emotion, language, comments)"
        " VALUES ('v1', '2026-01-01', 1, 'ticket', 'other', 'neutral', 'joy', 'en', 7)",
    )
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM daily_feedback")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM sources")).scalar_one() == 1
