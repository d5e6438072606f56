"""Signing in with a password, throttled and audited.

Failed sign-ins are counted per account name and per address (store.models.SignInThrottle). After
a few free failures each further one locks that name (or address) for a delay that doubles, up to
MAX_DELAY; while it is locked, a sign-in is refused without checking the password, so guessing
costs time whatever the attacker's speed. A success clears the account's count (not the
address's: signing into one's own account must not reset guessing at others'). A count is
forgotten FORGET_AFTER its last failure. Every outcome is written to the audit log, never with
the password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import SignInThrottle, User, utcnow
from store.users import authenticate, record_audit

ACCOUNT_FREE_FAILURES = 3
ADDRESS_FREE_FAILURES = 10  # an address may be a whole office behind one proxy
BASE_DELAY = timedelta(seconds=1)
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)
KEY_LENGTH = 200


@dataclass(frozen=True)
class SignInResult:
    """What a sign-in attempt gave: the user, or why not (and for how long, when throttled)."""

    user: User | None
    outcome: str  # "ok", "refused" (wrong or unusable credentials) or "throttled"
    retry_after: float = 0.0  # seconds, when throttled


def delay_after(failures: int, free: int) -> timedelta:
    """How long a name or address is locked after its `failures`-th failure in a row."""
    if failures < free:
        return timedelta(0)
    return min(BASE_DELAY * 2 ** min(failures - free, 20), MAX_DELAY)


def _keys(username: str, address: str | None) -> list[tuple[str, str, int]]:
    keys = [("account", (username or "").strip().casefold()[:KEY_LENGTH], ACCOUNT_FREE_FAILURES)]
    if address:
        keys.append(("address", address[:KEY_LENGTH], ADDRESS_FREE_FAILURES))
    return keys


def _row(session: Session, scope: str, key: str) -> SignInThrottle | None:
    return session.get(SignInThrottle, (scope, key))


def locked_until(
    session: Session, *, username: str, address: str | None = None, now: datetime | None = None
) -> datetime | None:
    """The end of the lockout of this name or address (the later one), or None if neither is locked."""
    now = now or utcnow()
    ends = [
        row.locked_until
        for scope, key, _ in _keys(username, address)
        if (row := _row(session, scope, key)) is not None
        and row.locked_until is not None
        and row.locked_until > now
    ]
    return max(ends) if ends else None


def _count_failure(session: Session, scope: str, key: str, free: int, now: datetime) -> int:
    row = _row(session, scope, key)
    if row is None:
        try:
            with session.begin_nested():
                row = SignInThrottle(scope=scope, key=key, failures=0, last_failure_at=now)
                session.add(row)
        except IntegrityError:  # a simultaneous failed sign-in made the row first
            row = _row(session, scope, key)
            assert row is not None
    if now - row.last_failure_at > FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    delay = delay_after(row.failures, free)
    row.locked_until = now + delay if delay else None
    return row.failures


def sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    address: str | None = None,
    demo_mode: bool = False,
    now: datetime | None = None,
) -> SignInResult:
    """Check a password sign-in unless the name or address is locked out; count and audit it."""
    now = now or utcnow()
    name = (username or "").strip()[:100]
    detail = {"address": address} if address else {}
    until = locked_until(session, username=name, address=address, now=now)
    if until is not None:
        wait = (until - now).total_seconds()
        record_audit(
            session,
            actor=name or "?",
            action="sign_in.throttled",
            entity="user",
            entity_id=None,
            detail=detail | {"retry_after": round(wait, 1)},
        )
        session.flush()
        return SignInResult(None, "throttled", wait)
    user = authenticate(session, username=name, password=password, demo_mode=demo_mode)
    if user is not None:
        row = _row(session, *_keys(name, None)[0][:2])
        if row is not None:
            session.delete(row)
        record_audit(
            session,
            actor=user.username,
            action="sign_in",
            entity="user",
            entity_id=user.id,
            detail=detail,
        )
        session.flush()
        return SignInResult(user, "ok")
    failures = {
        scope: _count_failure(session, scope, key, free, now)
        for scope, key, free in _keys(name, address)
    }
    known = session.scalar(select(User).where(User.username == name))
    reason = "wrong password or unknown account"
    if known is not None and known.disabled_at is not None:
        reason = "account disabled"
    elif known is not None and known.is_demo and not demo_mode:
        reason = "demo account outside demo mode"
    record_audit(
        session,
        actor=name or "?",
        action="sign_in.failed",
        entity="user",
        entity_id=known.id if known else None,
        detail=detail | {"reason": reason, "failures": failures},
    )
    session.flush()
    return SignInResult(None, "refused")
