"""Who is signed in, and the guard every page calls first."""

from __future__ import annotations

import streamlit as st

from casebook.settings import get_settings
from dashboard import data
from dashboard.i18n import t
from store.users import UserInfo

USER_KEY = "user"


def current_user() -> UserInfo | None:
    """The signed-in user of this browser session, if any."""
    user = st.session_state.get(USER_KEY)
    # Duck-typed: a module reload in `streamlit run` makes a new UserInfo class.
    return user if hasattr(user, "role") and hasattr(user, "id") else None


def client_address() -> str | None:
    """The address the browser connects from, as far as Streamlit knows it: None on localhost.
    Behind a reverse proxy (CASEBOOK_TRUST_FORWARDED_FOR), the first X-Forwarded-For address."""
    if get_settings().trust_forwarded_for:
        forwarded = st.context.headers.get("X-Forwarded-For")
        if isinstance(forwarded, str) and forwarded.split(",")[0].strip():
            return forwarded.split(",")[0].strip()
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def sign_in(username: str, password: str) -> tuple[UserInfo | None, str, float]:
    """Check the credentials (throttled per account and address, audited) and remember the user in
    the session: (user, "ok"), or (None, "refused" or "throttled", seconds to wait)."""
    user, outcome, wait = data.authenticate(username, password, client_address())
    if user is not None:
        st.session_state[USER_KEY] = user
    return user, outcome, wait


def sign_in_oidc() -> UserInfo | None:
    """The Casebook account of the person the identity provider signed in (by e-mail), if any."""
    if not st.user.get("is_logged_in", False):
        return None
    email = str(st.user.get("email") or "")
    user = data.user_by_username(email) if email else None
    if user is not None:
        st.session_state[USER_KEY] = user
    return user


def sign_out(oidc: bool = False) -> None:
    """Forget the signed-in user and everything the session kept about them."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if oidc:
        st.logout()


def require_role(*roles: str) -> UserInfo:
    """The signed-in user if their role is one of `roles`; otherwise show an error and stop the page."""
    user = current_user()
    if user is None:
        st.error(t("sign_in_required"))
        st.stop()
    if user.role not in roles:
        st.error(
            t(
                "forbidden",
                roles=", ".join(t(f"role_{r}") for r in roles),
                role=t(f"role_{user.role}"),
            )
        )
        st.stop()
    return user
