"""What the steps' tests share."""

from __future__ import annotations

import pytest

from casebook.settings import Settings


@pytest.fixture
def step_settings(tmp_path, monkeypatch) -> Settings:
    """The settings of a step run in a test: its own secret key and var folder."""
    monkeypatch.setenv("CASEBOOK_SECRET_KEY", "steps-" + "k" * 32)
    monkeypatch.setenv("CASEBOOK_VAR_DIR", str(tmp_path / "var"))
    return Settings()
