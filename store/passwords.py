"""The password policy, applied wherever a password is set (casebook users add / reset-password,
the admin's Users page): long enough, not one of the most common passwords, not built on the
account's own name, and hard enough to guess by zxcvbn's measure.

zxcvbn (Dropbox's estimator, Python port) ships the 30,000 most common passwords of leaked lists
and scores a password 0-4 from the guesses an attacker would need, seeing through common words,
names, keyboard walks, dates, repeats and l33t substitutions. Score 3 means about 10^8 guesses or
more.
"""

from __future__ import annotations

from functools import lru_cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 8
MAX_LENGTH = 256  # argon2 takes any length; this only bounds the work of a sign-in
MIN_SCORE = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable" (about 10^8 guesses or more)
MEASURED = 72  # zxcvbn's own limit: longer passwords are measured on their first 72 characters


class WeakPassword(ValueError):
    """A password the policy refuses, with the reason and a hint."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The most common passwords of leaked lists (zxcvbn's list), lower-cased."""
    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def check_password(password: str, *, username: str = "", display_name: str | None = None) -> None:
    """Raise WeakPassword unless `password` passes the policy (see the module docstring)."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"password must have at most {MAX_LENGTH} characters")
    folded = password.casefold()
    if folded in common_passwords() or folded.strip() in common_passwords():
        raise WeakPassword("password is one of the most common passwords: choose another")
    names = [n.strip() for n in (username, display_name or "") if n and len(n.strip()) >= 3]
    if any(n.casefold() in folded for n in names):
        raise WeakPassword("password must not contain the username or the name")
    result = zxcvbn(password[:MEASURED], user_inputs=names)
    if result["score"] < MIN_SCORE:
        feedback = result.get("feedback") or {}
        hint = " ".join(
            part
            for part in [feedback.get("warning") or "", *feedback.get("suggestions", [])]
            if part
        )
        raise WeakPassword(
            "password is too easy to guess"
            + (f" ({hint.strip()})" if hint.strip() else "")
            + ": use a longer phrase of unrelated words"
        )
