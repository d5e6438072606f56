"""Shared fixtures: a real SQLite file per test and, where configured, a real PostgreSQL."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from store.db import make_engine, upgrade

os.environ.setdefault("DO_NOT_TRACK", "1")

# The real LRS (Ralph) of the xAPI tests: fixtures ralph_bin, ralph_lrs, lrs_port; the one
# headless Chromium of the browser and delivery tests: fixtures chromium_path, browser.
pytest_plugins = ["tests.ralph", "tests.chromium"]


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    """A migrated SQLite file of its own."""
    engine = make_engine(f"sqlite:///{tmp_path / 'casebook.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """A migrated schema of its own in the PostgreSQL of CASEBOOK_TEST_POSTGRES_URL."""
    url = os.environ.get("CASEBOOK_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CASEBOOK_TEST_POSTGRES_URL is not set in CI")
        pytest.skip("CASEBOOK_TEST_POSTGRES_URL is not set")
    schema = f"cb_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # unreachable server: a failure in CI, a skip elsewhere
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at CASEBOOK_TEST_POSTGRES_URL is unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    engine = make_engine_in_schema(url, schema)
    upgrade(engine)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def make_engine_in_schema(url: str, schema: str) -> Engine:
    """An engine whose connections work in `schema` (keeps parallel test runs apart)."""
    from sqlalchemy import create_engine

    return create_engine(url, connect_args={"options": f"-csearch_path={schema}"})


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request) -> Engine:
    """The store on each supported database."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back at the end of the test (commits become savepoints)."""
    with engine.connect() as conn:
        outer = conn.begin()
        with Session(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as s:
            yield s
        outer.rollback()


@pytest.fixture(autouse=True)
def _main_module_kept() -> Iterator[None]:
    """Put pytest's `__main__` back after each test: Streamlit's AppTest leaves the page it ran as
    `__main__`, and a process pool spawned later (nlp.parallel, curation's pool) runs that module
    again in each worker, where the page fails without a signed-in user and the pool breaks."""
    main = sys.modules.get("__main__")
    yield
    if main is not None and sys.modules.get("__main__") is not main:
        sys.modules["__main__"] = main
