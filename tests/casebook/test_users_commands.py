"""`casebook users add|disable|enable|reset-password|remove`: the password policy and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from casebook.cli import app
from casebook.settings import get_settings
from store.db import get_engine, transaction
from store.models import AuditEntry, User
from store.users import authenticate
from tests.helpers import use_store

runner = CliRunner()
GOOD = "violet kettle harbour"
OTHER = "amber lantern orchard"


@pytest.fixture
def project(monkeypatch, tmp_path):
    return use_store(monkeypatch, tmp_path)


def invoke(*args: str):
    return runner.invoke(app, list(args))


def stored(username: str) -> User | None:
    with transaction(get_engine(get_settings().db_url)) as s:
        return s.scalar(select(User).where(User.username == username))


def actions() -> list[tuple[str, str, str]]:
    with transaction(get_engine(get_settings().db_url)) as s:
        return [
            (e.actor, e.action, str(e.detail.get("username")))
            for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def signs_in(username: str, password: str) -> bool:
    with transaction(get_engine(get_settings().db_url)) as s:
        return authenticate(s, username=username, password=password) is not None


@pytest.mark.parametrize("password", ["password1", "Password123!", "qwertyuiop", "marie2024!"])
def test_users_add_refuses_common_and_weak_passwords(project, password):
    result = invoke("users", "add", "marie", "--role", "coach", "--password", password)
    assert result.exit_code == 1 and "error:" in result.output, result.output
    assert "Traceback" not in result.output
    assert stored("marie") is None


def test_disable_enable_reset_and_remove_are_audited(project):
    added = invoke("users", "add", "marie", "--role", "coach", "--password", GOOD, "--actor", "hr")
    assert added.exit_code == 0, added.output
    result = invoke("users", "disable", "marie", "--actor", "dpo")
    assert result.exit_code == 0 and "marie disabled" in result.output, result.output
    assert not signs_in("marie", GOOD)
    listing = invoke("users", "list").output
    assert "1 account" in listing and "disabled 20" in listing and "active" not in listing
    assert invoke("users", "enable", "marie", "--actor", "dpo").exit_code == 0
    assert signs_in("marie", GOOD)
    weak = invoke("users", "reset-password", "marie", "--password", "password1")
    assert weak.exit_code == 1 and "most common" in weak.output
    reset = invoke("users", "reset-password", "marie", "--password", OTHER, "--actor", "dpo")
    assert reset.exit_code == 0, reset.output
    assert signs_in("marie", OTHER) and not signs_in("marie", GOOD)
    assert invoke("users", "remove", "marie", "--yes", "--actor", "dpo").exit_code == 0
    assert stored("marie") is None
    assert actions() == [
        ("hr", "user.create", "marie"),
        ("dpo", "user.disable", "marie"),
        ("dpo", "user.enable", "marie"),
        ("dpo", "user.reset_password", "marie"),
        ("dpo", "user.remove", "marie"),
    ]
    missing = invoke("users", "disable", "marie")
    assert missing.exit_code == 1 and "no account" in missing.output


def test_remove_asks_first(project):
    invoke("users", "add", "marie", "--role", "coach", "--password", GOOD)
    result = runner.invoke(app, ["users", "remove", "marie"], input="n\n")
    assert result.exit_code != 0 and stored("marie") is not None


def test_the_password_prompts_show_no_empty_default(project, monkeypatch):
    monkeypatch.delenv("CASEBOOK_NEW_USER_PASSWORD", raising=False)
    added = runner.invoke(
        app, ["users", "add", "marie", "--role", "coach"], input=f"{GOOD}\n{GOOD}\n"
    )
    assert added.exit_code == 0, added.output
    assert added.output.startswith("Password: \nRepeat for confirmation: \n")
    assert "[]" not in added.output and GOOD not in added.output
    reset = runner.invoke(app, ["users", "reset-password", "marie"], input=f"{OTHER}\n{OTHER}\n")
    assert reset.exit_code == 0, reset.output
    assert reset.output.startswith("Password: \n") and "[]" not in reset.output
    assert signs_in("marie", OTHER)


def test_users_set_changes_an_account_and_says_what_changed(project):
    added = invoke(
        "users",
        "add",
        "marie",
        "--role",
        "advisor",
        "--team",
        "blue",
        "--password",
        GOOD,
        "--language",
        "en",
        "--works-in",
        "fr",
    )
    assert added.exit_code == 0, added.output
    assert stored("marie").work_languages == ["fr"]
    result = invoke(
        "users",
        "set",
        "marie",
        "--level",
        "2",
        "--team",
        "",
        "--works-in",
        "en,fr",
        "--actor",
        "hr",
    )
    assert result.exit_code == 0, result.output
    assert "team blue -> (none)" in result.output and "serves fr -> en,fr" in result.output
    user = stored("marie")
    assert (user.level, user.team, user.work_languages) == (2, None, ["en", "fr"])
    assert actions()[1:] == [("hr", "user.update", "marie")]  # after its creation
    assert "en, fr" in invoke("users", "list").output
    again = invoke("users", "set", "marie", "--level", "2")
    assert again.exit_code == 0 and "unchanged" in again.output
    bad = invoke("users", "set", "marie", "--works-in", "de")
    assert bad.exit_code == 1 and "not de" in bad.output and "Traceback" not in bad.output
