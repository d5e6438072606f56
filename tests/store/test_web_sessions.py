"""Dashboard sessions: a signed token resumes its session until it expires, is ended (sign-out)
or its account is disabled; forged or altered tokens are refused. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from store.models import WebSession
from store.users import create_user, set_disabled
from store.web_sessions import (
    end_session,
    end_user_sessions,
    live_sessions,
    resume_session,
    start_session,
)

KEY = b"k" * 32
GOOD = "violet kettle harbour"
T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def _user(session, username="ada", **kwargs):
    return create_user(session, username=username, password=GOOD, role="advisor", **kwargs)


def test_token_resumes_its_session_until_it_expires(session):
    ada = _user(session)
    token = start_session(session, user_id=ada.id, key=KEY, lifetime=timedelta(hours=1), now=T0)
    assert (
        resume_session(session, token=token, key=KEY, now=T0 + timedelta(minutes=59)).id == ada.id
    )
    assert resume_session(session, token=token, key=KEY, now=T0 + timedelta(hours=1)) is None


def test_secret_is_stored_only_as_a_digest(session):
    ada = _user(session)
    token = start_session(session, user_id=ada.id, key=KEY)
    row = session.scalars(select(WebSession)).one()
    secret = token.split(".")[1]
    assert secret not in row.secret_digest and len(row.secret_digest) == 64


def test_forged_altered_or_foreign_key_tokens_are_refused(session):
    ada = _user(session)
    token = start_session(session, user_id=ada.id, key=KEY)
    sid, secret, signature = token.split(".")
    assert resume_session(session, token=token, key=b"other-key" * 4) is None
    assert resume_session(session, token=f"{sid}.{secret}x.{signature}", key=KEY) is None
    assert resume_session(session, token=f"{sid}.{secret}.{'0' * 64}", key=KEY) is None
    assert resume_session(session, token="garbage", key=KEY) is None
    assert resume_session(session, token=None, key=KEY) is None
    # A well-signed token for a secret the store does not hold (e.g. the key leaked, not the DB).
    import hashlib
    import hmac

    payload = f"{sid}.guessed"
    forged = f"{payload}.{hmac.new(KEY, payload.encode(), hashlib.sha256).hexdigest()}"
    assert resume_session(session, token=forged, key=KEY) is None
    assert resume_session(session, token=token, key=KEY) is not None


def test_sign_out_ends_that_session_only(session):
    ada = _user(session)
    first = start_session(session, user_id=ada.id, key=KEY)
    second = start_session(session, user_id=ada.id, key=KEY)
    assert end_session(session, token=first, key=KEY)
    assert not end_session(session, token=first, key=KEY)  # already ended
    assert resume_session(session, token=first, key=KEY) is None
    assert resume_session(session, token=second, key=KEY) is not None
    assert live_sessions(session, user_id=ada.id) == 1


def test_disabling_an_account_ends_its_sessions(session):
    ada = _user(session)
    token = start_session(session, user_id=ada.id, key=KEY)
    set_disabled(session, username="ada", disabled=True, actor="root")
    assert resume_session(session, token=token, key=KEY) is None
    assert live_sessions(session, user_id=ada.id) == 0
    set_disabled(session, username="ada", disabled=False, actor="root")
    assert resume_session(session, token=token, key=KEY) is None  # re-enabling does not revive it


def test_demo_account_sessions_resume_in_demo_mode_only(session):
    demo = _user(session, username="demo", is_demo=True)
    token = start_session(session, user_id=demo.id, key=KEY)
    assert resume_session(session, token=token, key=KEY) is None
    assert resume_session(session, token=token, key=KEY, demo_mode=True) is not None


def test_end_user_sessions_counts_what_it_ended(session):
    ada = _user(session)
    for _ in range(3):
        start_session(session, user_id=ada.id, key=KEY)
    assert end_user_sessions(session, user_id=ada.id) == 3
    assert end_user_sessions(session, user_id=ada.id) == 0
