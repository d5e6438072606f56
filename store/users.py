"""Users of the dashboard: password hashing, creation, sign-in, account management and the audit log.

Demo accounts (their passwords are published in the README) and disabled accounts never sign in,
unless demo mode is on for the demo ones. The sign-in throttle is store.sign_in's; the password
policy store.passwords'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from store.models import AuditEntry, Role, User, WebSession, utcnow
from store.passwords import check_password

LEVELS = (1, 2, 3)
LANGUAGES = ("en", "fr")  # of the interface, and of the customers an account serves
LANGUAGE_NAMES = {"en": "English", "fr": "French"}  # as the store's messages name them

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
    work_languages: tuple[str, ...] = ()

    @property
    def practice_languages(self) -> tuple[str, ...]:
        """The languages of the customers this person serves (their practice scenarios are in
        them): the account's own list, else the interface language."""
        return served_languages(self.work_languages, self.language)


def served_languages(work_languages: Iterable[str] | None, language: str) -> tuple[str, ...]:
    """The languages of the customers an account serves: its own list, else its interface's."""
    return tuple(work_languages or ()) or (language,)


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
        work_languages=tuple(user.work_languages or ()),
    )


def check_languages(languages: Iterable[str] | None) -> list[str] | None:
    """`languages` as an account keeps them (known codes, each once, in order); None or empty:
    none of its own. Raises ValueError on an unknown code."""
    kept = list(dict.fromkeys(code.strip().lower() for code in languages or () if code.strip()))
    unknown = [code for code in kept if code not in LANGUAGES]
    if unknown:
        raise ValueError(f"languages are en and fr, not {', '.join(unknown)}")
    return kept or None


def _interface_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"the interface language is en or fr, not {language!r}")
    return language


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {role!r} (expected one of: {roles})") from None


def _level(level: int) -> int:
    if level not in LEVELS:
        raise ValueError(f"level must be 1, 2 or 3, not {level!r}")
    return level


def set_language(session: Session, *, user_id: int, language: str) -> None:
    """The account's interface language, as its reader picked it in the dashboard ("en" or "fr")."""
    _interface_language(language)
    user = session.get(User, user_id)
    if user is None:
        raise ValueError(f"user {user_id} does not exist")
    user.language = language


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
    work_languages: Iterable[str] | None = None,
    is_demo: bool = False,
    actor: str | None = None,
) -> User:
    """Add a user (audited when `actor` is given); raises ValueError on a duplicate username,
    unknown role, bad level or a password the policy refuses (store.passwords; demo accounts are
    exempt, they sign in in demo mode only)."""
    username = (username or "").strip()
    if not username:
        raise ValueError("username must not be empty")
    role_value = _role(role)
    _level(level)
    _interface_language(language)
    kept_languages = check_languages(work_languages)
    if not is_demo:
        check_password(password, username=username, display_name=display_name)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValueError(f"username {username!r} is already taken")
    user = User(
        username=username,
        display_name=(display_name or "").strip() or username,
        role=role_value,
        team=team,
        site=site,
        language=language,
        work_languages=kept_languages,
        level=level,
        password_hash=hash_password(password),
        is_demo=is_demo,
    )
    session.add(user)
    session.flush()
    if actor is not None:
        record_audit(
            session,
            actor=actor,
            action="user.create",
            entity="user",
            entity_id=user.id,
            detail={"username": user.username, "role": str(user.role)},
        )
    return user


def may_sign_in(user: User, *, demo_mode: bool) -> bool:
    """False for a disabled account, and for a demo account outside demo mode."""
    return user.disabled_at is None and (demo_mode or not user.is_demo)


def authenticate(
    session: Session, *, username: str, password: str, demo_mode: bool = False
) -> User | None:
    """The user if `password` is theirs and the account may sign in (may_sign_in), else None (a
    missing user costs one verification too)."""
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None:
        verify_password(_dummy_hash(), password or "")
        return None
    if not verify_password(user.password_hash, password or ""):
        return None
    if not may_sign_in(user, demo_mode=demo_mode):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.flush()
    return user


def user_by_username(
    session: Session, *, username: str, demo_mode: bool = False
) -> UserInfo | None:
    """The account called `username` (a sign-in the identity provider vouched for), or None; None
    too when the account may not sign in (disabled, or a demo account outside demo mode)."""
    user = session.scalar(select(User).where(User.username == username))
    return user_info(user) if user and may_sign_in(user, demo_mode=demo_mode) else None


def _account(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None:
        raise ValueError(f"no account is called {username!r}")
    return user


KEEP = object()  # update_user: leave this field as it is


def update_user(
    session: Session,
    *,
    username: str,
    actor: str,
    display_name: str | None = None,
    role: str | None = None,
    team: Any = KEEP,
    site: Any = KEEP,
    level: int | None = None,
    work_languages: Any = KEEP,
) -> dict[str, tuple[Any, Any]]:
    """Change an account's name, role, team, site, level or the languages of the customers it
    serves (None or "" clears team, site and languages), audited with what changed (before,
    after); returns it, empty when nothing did. Refuses an unknown role, level or language."""
    user = _account(session, username)
    wanted: dict[str, Any] = {}
    if display_name is not None:
        if not display_name.strip():
            raise ValueError("the display name must not be empty")
        wanted["display_name"] = display_name.strip()
    if role is not None:
        wanted["role"] = _role(role)
    for field, value in (("team", team), ("site", site)):
        if value is not KEEP:
            wanted[field] = (value or "").strip() or None
    if level is not None:
        wanted["level"] = _level(level)
    if work_languages is not KEEP:
        wanted["work_languages"] = check_languages(work_languages)
    changed = {
        field: (getattr(user, field), value)
        for field, value in wanted.items()
        if getattr(user, field) != value
    }
    for field, (_, value) in changed.items():
        setattr(user, field, value)
    if changed:
        record_audit(
            session,
            actor=actor,
            action="user.update",
            entity="user",
            entity_id=user.id,
            detail={"username": user.username}
            | {field: [_plain(old), _plain(new)] for field, (old, new) in changed.items()},
        )
        session.flush()
    return changed


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Role) else value


def set_disabled(session: Session, *, username: str, disabled: bool, actor: str) -> bool:
    """Disable (no sign-in, history kept) or enable an account, audited; returns whether it changed."""
    user = _account(session, username)
    if (user.disabled_at is not None) == disabled:
        return False
    user.disabled_at = utcnow() if disabled else None
    if disabled:  # its dashboard sessions end now (store.web_sessions)
        session.execute(
            update(WebSession)
            .where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    record_audit(
        session,
        actor=actor,
        action="user.disable" if disabled else "user.enable",
        entity="user",
        entity_id=user.id,
        detail={"username": user.username},
    )
    session.flush()
    return True


def reset_password(session: Session, *, username: str, password: str, actor: str) -> None:
    """Give an account a new password (the policy applies, demo accounts included), audited; a
    demo account that gets one is no longer a demo account."""
    user = _account(session, username)
    check_password(password, username=user.username, display_name=user.display_name)
    user.password_hash = hash_password(password)
    was_demo, user.is_demo = user.is_demo, False
    record_audit(
        session,
        actor=actor,
        action="user.reset_password",
        entity="user",
        entity_id=user.id,
        detail={"username": user.username} | ({"was_demo": True} if was_demo else {}),
    )
    session.flush()


def remove_user(session: Session, *, username: str, actor: str) -> None:
    """Delete an account (its answers, votes and comments go with it), audited."""
    user = _account(session, username)
    record_audit(
        session,
        actor=actor,
        action="user.remove",
        entity="user",
        entity_id=user.id,
        detail={"username": user.username, "role": str(user.role)},
    )
    session.execute(delete(User).where(User.id == user.id))
    session.flush()


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
