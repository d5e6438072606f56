"""Users: hashing, creation rules, sign-in and the audit helper."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from store.models import AuditEntry, Role, User
from store.users import (
    KEEP,
    authenticate,
    create_user,
    hash_password,
    record_audit,
    update_user,
    user_info,
    verify_password,
)


def test_hash_and_verify():
    h = hash_password("s3cret-pass")
    assert h.startswith("$argon2")
    assert verify_password(h, "s3cret-pass")
    assert not verify_password(h, "wrong")
    assert not verify_password("not-a-hash", "s3cret-pass")


def test_create_user_stores_a_hash_and_defaults(session):
    user = create_user(
        session, username="ada", password="long enough pw", role="advisor", team="blue"
    )
    assert user.id is not None
    assert user.role == Role.advisor
    assert user.display_name == "ada"
    assert user.language == "en" and user.level == 1
    assert user.password_hash != "long enough pw"
    info = user_info(user)
    assert info.role == "advisor" and not hasattr(info, "password_hash")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "boss"}, "unknown role"),
        ({"level": 0}, "level"),
        ({"level": 4}, "level"),
        ({"password": "short"}, "at least 8"),
        ({"username": "  "}, "empty"),
    ],
)
def test_create_user_rejects_bad_input(session, kwargs, message):
    args = {"username": "bob", "password": "long enough pw", "role": "coach"} | kwargs
    with pytest.raises(ValueError, match=message):
        create_user(session, **args)


def test_demo_users_may_have_short_passwords(session):
    assert create_user(
        session, username="demo", password="demo", role="leader", is_demo=True
    ).is_demo


def test_duplicate_username_is_refused(session):
    create_user(session, username="ada", password="long enough pw", role="advisor")
    with pytest.raises(ValueError, match="already taken"):
        create_user(session, username="ada", password="another long pw", role="coach")
    assert session.scalar(select(User).where(User.username == "ada")).role == Role.advisor


def test_authenticate(session):
    create_user(session, username="ada", password="long enough pw", role="advisor")
    assert authenticate(session, username="ada", password="long enough pw").username == "ada"
    assert authenticate(session, username=" ada ", password="long enough pw") is not None
    assert authenticate(session, username="ada", password="wrong password") is None
    assert authenticate(session, username="nobody", password="long enough pw") is None
    assert authenticate(session, username="ada", password="") is None


def test_record_audit(session):
    entry = record_audit(
        session,
        actor="cora",
        action="scenario.publish",
        entity="scenario",
        entity_id=7,
        detail={"level": 2},
    )
    stored = session.get(AuditEntry, entry.id)
    assert (stored.actor, stored.action, stored.entity, stored.entity_id) == (
        "cora",
        "scenario.publish",
        "scenario",
        "7",
    )
    assert stored.detail == {"level": 2}


def test_update_user_changes_what_differs_and_audits_it(session):
    create_user(session, username="ada", password="long enough pw", role="advisor", team="blue")
    changed = update_user(
        session,
        username="ada",
        actor="root",
        team=" green ",
        site=KEEP,
        level=3,
        work_languages=["FR", "en", "fr"],
    )
    assert changed == {
        "team": ("blue", "green"),
        "level": (1, 3),
        "work_languages": (None, ["fr", "en"]),
    }
    user = session.scalar(select(User).where(User.username == "ada"))
    assert user_info(user).practice_languages == ("fr", "en")
    [entry] = session.scalars(select(AuditEntry)).all()
    assert (entry.actor, entry.action, entry.detail["level"]) == ("root", "user.update", [1, 3])
    # the same values again: nothing changes, nothing is logged
    assert update_user(session, username="ada", actor="root", team="green", level=3) == {}
    assert len(session.scalars(select(AuditEntry)).all()) == 1
    # cleared: no team, and the interface language's customers again
    update_user(session, username="ada", actor="root", team="", work_languages=[])
    assert (user.team, user.work_languages) == (None, None)
    assert user_info(user).practice_languages == ("en",)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"role": "boss"}, "unknown role"),
        ({"level": 4}, "level must be"),
        ({"work_languages": ["de"]}, "not de"),
        ({"display_name": "  "}, "must not be empty"),
    ],
)
def test_update_user_refuses_what_an_account_cannot_hold(session, change, message):
    create_user(session, username="ada", password="long enough pw", role="advisor")
    with pytest.raises(ValueError, match=message):
        update_user(session, username="ada", actor="root", **change)
    with pytest.raises(ValueError, match="no account"):
        update_user(session, username="nobody", actor="root", level=2)
