"""The sign-in page: demo accounts only in demo mode, throttled guessing (audited)."""

from __future__ import annotations

from sqlalchemy import select

from casebook.settings import get_settings
from store.db import transaction
from store.models import AuditEntry
from store.sign_in import ACCOUNT_FREE_FAILURES
from store.users import create_user
from tests.dashboard.harness import app
from tests.dashboard.seed import PASSWORD


def sign_in(at, username, password):
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click()
    return at.run()


def test_demo_account_is_refused_unless_demo_mode_is_on(db, monkeypatch):
    with transaction(db) as s:
        create_user(s, username="coach", password="coach-demo", role="coach", is_demo=True)
    at = sign_in(app().run(), "coach", "coach-demo")
    assert "user" not in at.session_state and at.error
    monkeypatch.setenv("CASEBOOK_DEMO_MODE", "1")
    get_settings.cache_clear()
    at = sign_in(app().run(), "coach", "coach-demo")
    assert not at.exception and at.session_state["user"].username == "coach"


def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(seeded, db):
    at = app().run()
    for _ in range(ACCOUNT_FREE_FAILURES):
        at = sign_in(at, "coach", "not the password")
        assert at.error[0].value == "Unknown username or wrong password."
    at = sign_in(at, "coach", PASSWORD)
    assert "user" not in at.session_state
    assert at.error[0].value.startswith("Too many failed sign-ins: try again in")
    with transaction(db) as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["sign_in.failed"] * ACCOUNT_FREE_FAILURES + ["sign_in.throttled"]
