"""Accounts: demo accounts outside demo mode, disabled accounts, the password policy, account
management (audited) and the sign-in throttle, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import store.users as users_module
from store.models import AuditEntry, Response, Scenario, User
from store.passwords import WeakPassword, check_password
from store.sign_in import ACCOUNT_FREE_FAILURES, ADDRESS_FREE_FAILURES, sign_in
from store.users import (
    authenticate,
    create_user,
    remove_user,
    reset_password,
    set_disabled,
    user_by_username,
)
from tests.dashboard.seed import seed

GOOD = "violet kettle harbour"
T0 = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


def audit(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# ------------------------------------------------------------------ demo and disabled accounts


def test_demo_account_signs_in_only_in_demo_mode(session):
    create_user(session, username="coach", password="coach-demo", role="coach", is_demo=True)
    assert authenticate(session, username="coach", password="coach-demo") is None
    assert authenticate(session, username="coach", password="coach-demo", demo_mode=True)
    assert user_by_username(session, username="coach") is None  # nor through the identity provider
    assert user_by_username(session, username="coach", demo_mode=True) is not None
    result = sign_in(session, username="coach", password="coach-demo")
    assert result.user is None and result.outcome == "refused"
    (failed,) = audit(session, "sign_in.failed")
    assert failed.detail["reason"] == "demo account outside demo mode"


def test_disabled_account_cannot_sign_in_until_enabled(session):
    create_user(session, username="ada", password=GOOD, role="advisor")
    assert set_disabled(session, username="ada", disabled=True, actor="root")
    assert not set_disabled(session, username="ada", disabled=True, actor="root")  # already
    assert authenticate(session, username="ada", password=GOOD) is None
    assert user_by_username(session, username="ada") is None
    assert set_disabled(session, username="ada", disabled=False, actor="root")
    assert authenticate(session, username="ada", password=GOOD) is not None
    assert [(e.actor, e.detail["username"]) for e in audit(session, "user.disable")] == [
        ("root", "ada")
    ]
    assert len(audit(session, "user.enable")) == 1
    with pytest.raises(ValueError, match="no account"):
        set_disabled(session, username="ghost", disabled=True, actor="root")


def test_reset_password_applies_the_policy_ends_demo_status_and_is_audited(session):
    create_user(session, username="admin", password="admin-demo", role="admin", is_demo=True)
    with pytest.raises(WeakPassword):
        reset_password(session, username="admin", password="password1", actor="root")
    reset_password(session, username="admin", password=GOOD, actor="root")
    user = session.scalar(select(User).where(User.username == "admin"))
    assert not user.is_demo and GOOD not in user.password_hash
    assert authenticate(session, username="admin", password=GOOD) is not None  # no demo mode
    assert authenticate(session, username="admin", password="admin-demo") is None
    (entry,) = audit(session, "user.reset_password")
    assert entry.detail == {"username": "admin", "was_demo": True}
    assert GOOD not in str(entry.detail)


def test_remove_user_deletes_the_account_and_its_answers_audited(session):
    seeded = seed(session)
    session.get(Scenario, seeded.scenario_id).state = "published"
    session.add(Response(scenario_id=seeded.scenario_id, user_id=seeded.advisor_id, text="hi"))
    session.flush()
    remove_user(session, username="advisor", actor="root")
    session.expire_all()
    assert session.get(User, seeded.advisor_id) is None
    assert session.scalar(select(Response).where(Response.user_id == seeded.advisor_id)) is None
    (entry,) = audit(session, "user.remove")
    assert entry.detail == {"username": "advisor", "role": "advisor"}


# ------------------------------------------------------------------ password policy


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short1!", "at least 8"),
        ("password1", "most common"),
        ("12345678", "most common"),
        ("Qwertyuiop", "most common"),
        ("azertyuiop", "most common"),
        ("iloveyou2", "most common"),
        ("Password123!", "easy to guess"),
        ("P@ssw0rd2024", "easy to guess"),
        ("aaaaaaaaaaaa", "easy to guess"),
        ("abcdefgh1234", "easy to guess"),
        ("marie-dupont-1", "username or the name"),
        ("x" * 300, "at most"),
    ],
)
def test_password_policy_refuses_common_and_weak_passwords(password, why):
    with pytest.raises(WeakPassword, match=why):
        check_password(password, username="marie", display_name="Marie Dupont")


@pytest.mark.parametrize(
    "password", [GOOD, "correct horse battery", "Tr0ub4dor&3-lamp", "ma tante a un vélo bleu"]
)
def test_password_policy_accepts_strong_passwords(password):
    check_password(password, username="marie", display_name="Marie Dupont")


def test_create_user_applies_the_policy(session):
    with pytest.raises(ValueError, match="easy to guess"):
        create_user(session, username="bob", password="Password123!", role="coach")
    assert session.scalar(select(User).where(User.username == "bob")) is None


# ------------------------------------------------------------------ sign-in throttle


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The passwords actually verified (each verification is one guess the attacker gets)."""
    seen: list[str] = []
    original = users_module.verify_password

    def counting(password_hash: str, password: str) -> bool:
        seen.append(password)
        return original(password_hash, password)

    monkeypatch.setattr(users_module, "verify_password", counting)
    return seen


def test_twenty_wrong_passwords_in_twenty_seconds_are_not_all_checked(session, checks):
    create_user(session, username="ada", password=GOOD, role="advisor")
    outcomes = [
        sign_in(
            session, username="ada", password=f"guess {i}", now=T0 + timedelta(seconds=i)
        ).outcome
        for i in range(20)
    ]
    checked = len(checks)
    assert checked <= 8, outcomes  # the delay doubles: 3 free, then 1, 2, 4, 8 s...
    assert outcomes.count("throttled") == 20 - checked
    assert "ok" not in outcomes
    # even the right password waits out the lockout, then works and clears the count
    locked = sign_in(session, username="ada", password=GOOD, now=T0 + timedelta(seconds=20))
    assert locked.outcome == "throttled" and locked.retry_after > 0
    later = T0 + timedelta(seconds=20 + locked.retry_after + 0.1)
    assert sign_in(session, username="ada", password=GOOD, now=later).outcome == "ok"
    again = sign_in(session, username="ada", password="wrong", now=later + timedelta(seconds=1))
    assert again.outcome == "refused"  # the count started again from zero
    assert len(audit(session, "sign_in.throttled")) == outcomes.count("throttled") + 1
    assert len(audit(session, "sign_in.failed")) == checked + 1
    assert len(audit(session, "sign_in")) == 1


def test_an_unknown_name_is_throttled_like_a_known_one(session, checks):
    for i in range(ACCOUNT_FREE_FAILURES + 1):
        sign_in(session, username="nobody", password="x", now=T0 + timedelta(milliseconds=i))
    assert sign_in(session, username="nobody", password="x", now=T0).outcome == "throttled"


def test_one_address_guessing_at_many_accounts_is_throttled(session, checks):
    create_user(session, username="ada", password=GOOD, role="advisor")
    for i in range(ADDRESS_FREE_FAILURES):
        result = sign_in(
            session, username=f"user{i}", password="guess", address="203.0.113.9", now=T0
        )
        assert result.outcome == "refused"
    blocked = sign_in(session, username="ada", password=GOOD, address="203.0.113.9", now=T0)
    assert blocked.outcome == "throttled"
    # another address is not held back, and success there does not unlock the first address
    assert sign_in(session, username="ada", password=GOOD, address="198.51.100.4", now=T0).user
    assert (
        sign_in(session, username="ada", password=GOOD, address="203.0.113.9", now=T0).outcome
        == "throttled"
    )
    (entry, *_) = audit(session, "sign_in.throttled")
    assert entry.detail["address"] == "203.0.113.9" and entry.detail["retry_after"] > 0


def test_failures_are_forgotten_after_an_hour(session, checks):
    create_user(session, username="ada", password=GOOD, role="advisor")
    for i in range(ACCOUNT_FREE_FAILURES - 1):
        sign_in(session, username="ada", password="nope", now=T0 + timedelta(seconds=i))
    later = T0 + timedelta(hours=2)
    assert sign_in(session, username="ada", password="nope", now=later).outcome == "refused"
    assert sign_in(session, username="ada", password="nope", now=later).outcome == "refused"
