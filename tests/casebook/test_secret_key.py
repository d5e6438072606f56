"""The pseudonym key: a shared store (PostgreSQL) never runs on a key each machine made itself."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from casebook.cli import app
from casebook.settings import MissingSecretKey, Settings, get_settings
from tests.helpers import use_store

SHARED = "postgresql+psycopg://casebook@db.invalid:5432/casebook"
KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def shared_store(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    monkeypatch.setenv("CASEBOOK_DATABASE_URL", SHARED)
    monkeypatch.delenv("CASEBOOK_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_a_shared_store_without_a_key_is_refused(shared_store):
    settings = Settings()
    with pytest.raises(MissingSecretKey, match="CASEBOOK_SECRET_KEY is not set"):
        settings.pseudonym_key()
    assert not (shared_store / "var" / "secret_key").exists()  # no machine-local key made


def test_every_machine_with_the_configured_key_gets_the_same_pseudonym_key(
    shared_store, monkeypatch, tmp_path
):
    monkeypatch.setenv("CASEBOOK_SECRET_KEY", KEY)
    first = Settings(var_dir=tmp_path / "machine-a").pseudonym_key()
    second = Settings(var_dir=tmp_path / "machine-b").pseudonym_key()
    assert first == second == KEY.encode()


def test_a_local_sqlite_store_keeps_its_own_key_beside_it(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    monkeypatch.delenv("CASEBOOK_SECRET_KEY", raising=False)
    key = Settings().pseudonym_key()
    assert key == Settings().pseudonym_key() and len(key) == 64
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("value", ["changeme", "short-key"])
def test_placeholder_and_short_keys_are_refused(monkeypatch, value):
    monkeypatch.setenv("CASEBOOK_SECRET_KEY", value)
    with pytest.raises(ValidationError, match="CASEBOOK_SECRET_KEY"):
        Settings()


def test_a_refused_setting_is_one_line_naming_its_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEBOOK_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("CASEBOOK_SECRET_KEY", "changeme")
    monkeypatch.setenv("CASEBOOK_REFINE_MAX_CASES", "many")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["sources"])
    finally:
        get_settings.cache_clear()
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("error: ")
    assert "CASEBOOK_SECRET_KEY is a placeholder" in lines[0]
    assert "CASEBOOK_REFINE_MAX_CASES: " in lines[0] and "pydantic" not in lines[0]


def test_no_flow_starts_on_a_shared_store_without_the_key(shared_store):
    from flows.common import store

    with pytest.raises(MissingSecretKey):
        store()


def test_serve_refuses_before_starting_any_worker(shared_store, monkeypatch):
    started = []
    monkeypatch.setattr("casebook.cli.store.serve_schedules", started.append)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 1 and "CASEBOOK_SECRET_KEY is not set" in result.output
    assert started == []


@pytest.mark.parametrize(
    "command",
    [["ingest"], ["ingest", "--source", "crm"], ["run"], ["enrich"], ["curate"], ["refine"]],
)
def test_pipeline_commands_refuse_with_one_error_line(shared_store, command):
    # As `import`, `serve` and `erase` do: one `error:` line, no traceback, before the store is
    # opened (db.invalid would not answer).
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: CASEBOOK_SECRET_KEY is not set")
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
