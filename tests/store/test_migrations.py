from sqlalchemy import inspect

from store.db import downgrade, upgrade
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
