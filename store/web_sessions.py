"""Dashboard sessions that survive a page refresh, and end on the server.

Signing in starts a session: a row of `web_sessions` and a token for the browser to keep (a
cookie), `<id>.<secret>.<signature>`. The signature is an HMAC-SHA256 of `<id>.<secret>` under the
installation's key, so a forged or altered token is refused before any database read; the secret
is stored only as its SHA-256 digest, so a copy of the database does not give working tokens.

A token resumes its session while the session has not expired, has not been ended (sign-out,
`end_user_sessions`) and the account may still sign in (not disabled; a demo account only in
demo mode): disabling an account therefore ends its sessions at their next page run.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.models import User, WebSession, utcnow
from store.users import may_sign_in

DEFAULT_LIFETIME = timedelta(hours=12)
_SECRET_BYTES = 32


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _signature(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def start_session(
    session: Session,
    *,
    user_id: int,
    key: bytes,
    lifetime: timedelta = DEFAULT_LIFETIME,
    now: datetime | None = None,
) -> str:
    """Start a session for `user_id`, expiring after `lifetime`; returns the browser's token."""
    if not key:
        raise ValueError("a session needs a signing key")
    now = now or utcnow()
    secret = secrets.token_urlsafe(_SECRET_BYTES)
    row = WebSession(
        user_id=user_id, secret_digest=_digest(secret), created_at=now, expires_at=now + lifetime
    )
    session.add(row)
    session.flush()
    payload = f"{row.id}.{secret}"
    return f"{payload}.{_signature(key, payload)}"


def _find(session: Session, token: str | None, key: bytes) -> WebSession | None:
    """The session a well-signed token names, if its secret matches; None otherwise."""
    parts = (token or "").split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not key:
        return None
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_signature(key, payload), parts[2]):
        return None
    row = session.get(WebSession, int(parts[0]))
    if row is None or not hmac.compare_digest(row.secret_digest, _digest(parts[1])):
        return None
    return row


def resume_session(
    session: Session,
    *,
    token: str | None,
    key: bytes,
    demo_mode: bool = False,
    now: datetime | None = None,
) -> User | None:
    """The user of the session `token` names, while it is live and the account may sign in;
    None for a forged, expired or ended token, or a disabled account."""
    row = _find(session, token, key)
    if row is None or row.ended_at is not None or row.expires_at <= (now or utcnow()):
        return None
    user = session.get(User, row.user_id)
    if user is None or not may_sign_in(user, demo_mode=demo_mode):
        return None
    return user


def end_session(session: Session, *, token: str | None, key: bytes) -> bool:
    """End the session `token` names (sign-out); returns whether a live session was ended."""
    row = _find(session, token, key)
    if row is None or row.ended_at is not None:
        return False
    row.ended_at = utcnow()
    session.flush()
    return True


def end_user_sessions(session: Session, *, user_id: int) -> int:
    """End every live session of `user_id` (e.g. its account was disabled); returns how many."""
    result = session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def live_sessions(session: Session, *, user_id: int, now: datetime | None = None) -> int:
    """How many sessions of `user_id` are live (neither ended nor expired)."""
    rows = session.scalars(
        select(WebSession.id).where(
            WebSession.user_id == user_id,
            WebSession.ended_at.is_(None),
            WebSession.expires_at > (now or utcnow()),
        )
    ).all()
    return len(rows)
