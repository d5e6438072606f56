"""Helpers to run the dashboard under AppTest."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from store.db import transaction
from store.models import User
from store.users import UserInfo, user_info

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
APP = DASHBOARD / "app.py"
TIMEOUT = 30


def info(engine: Engine, user_id: int) -> UserInfo:
    """The session summary of a stored user."""
    with transaction(engine) as s:
        return user_info(s.get(User, user_id))


def app(user: UserInfo | None = None, script: Path = APP) -> AppTest:
    """An AppTest of `script` (the entry point by default), signed in as `user` when given."""
    at = AppTest.from_file(script, default_timeout=TIMEOUT)
    if user is not None:
        at.session_state["user"] = user
    return at


def page(name: str) -> Path:
    """The file of a page module."""
    return DASHBOARD / "screens" / f"{name}.py"
