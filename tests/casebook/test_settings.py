"""Settings refuse values that cannot work, with a message naming the variable."""

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from casebook.cli import app
from casebook.settings import Settings
from casebook.steps.enrich import enrich_workers
from nlp.parallel import default_workers
from tests.helpers import use_store


def test_enrich_workers_default_to_this_process_and_zero_means_one_per_core(monkeypatch):
    monkeypatch.delenv("CASEBOOK_ENRICH_WORKERS", raising=False)
    assert Settings().enrich_workers == 1 and enrich_workers(Settings()) == 1
    monkeypatch.setenv("CASEBOOK_ENRICH_WORKERS", "0")
    assert enrich_workers(Settings()) == default_workers()
    monkeypatch.setenv("CASEBOOK_ENRICH_WORKERS", "3")
    assert enrich_workers(Settings()) == 3


def test_a_negative_number_of_enrich_workers_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEBOOK_ENRICH_WORKERS", "-1")
    with pytest.raises(ValidationError, match="CASEBOOK_ENRICH_WORKERS is -1: use 1"):
        Settings()
    use_store(monkeypatch, tmp_path)
    result = CliRunner().invoke(app, ["enrich"])
    assert result.exit_code == 1
    assert "CASEBOOK_ENRICH_WORKERS is -1" in result.output
