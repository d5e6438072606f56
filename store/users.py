"""Users of the dashboard: password hashing, creation, sign-in and the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AuditEntry, Role, User

MIN_PASSWORD_LENGTH = 8
LEVELS = (1, 2, 3)

_hasher = PasswordHasher()


@dataclass(frozen=True)
class UserInfo:
    """What the dashboard keeps about the signed-in user (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    team: str | None = None
    site: str | None = None
    language: str = "en"
    level: int = 1


def user_info(user: User) -> UserInfo:
    """The session-safe summary of `user`."""
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=str(user.role),
        team=user.team,
        site=user.site,
        language=user.language,
        level=user.level,
    )


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if `password` matches `password_hash`; False on a mismatch or a malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verifying against this when the user is missing keeps sign-in time about the same.
    return _hasher.hash("casebook-dummy-password")


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    team: str | None = None,
    site: str | None = None,
    language: str = "en",
    level: int = 1,
    is_demo: bool = False,
) -> User:
    """Add a user; raises ValueError on a duplicate username, unknown role, bad level or short password."""
    username = (username or "").strip()
    if not username:
        raise ValueError("username must not be empty")
    try:
        role_value = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {role!r} (expected one of: {roles})") from None
    if level not in LEVELS:
        raise ValueError(f"level must be 1, 2 or 3, not {level!r}")
    if not is_demo and len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValueError(f"username {username!r} is already taken")
    user = User(
        username=username,
        display_name=(display_name or "").strip() or username,
        role=role_value,
        team=team,
        site=site,
        language=language,
        level=level,
        password_hash=hash_password(password),
        is_demo=is_demo,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """The user if `password` is theirs, else None (a missing user costs one verification too)."""
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None:
        verify_password(_dummy_hash(), password or "")
        return None
    if not verify_password(user.password_hash, password or ""):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.flush()
    return user


def user_by_username(session: Session, *, username: str) -> UserInfo | None:
    """The account called `username` (a sign-in the identity provider vouched for), or None."""
    user = session.scalar(select(User).where(User.username == username))
    return user_info(user) if user else None


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: Any,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one line to the audit log."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        detail=dict(detail or {}),
    )
    session.add(entry)
    session.flush()
    return entry
