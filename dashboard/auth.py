"""Who is signed in, and the guard every page calls first.

A sign-in survives a page refresh: it starts a server-side session (store.web_sessions) whose
signed token the browser keeps in a cookie (COOKIE, SameSite=Strict, expiring with the session).
A refresh opens a new Streamlit session, which finds the cookie in `st.context.cookies` and
resumes the session while it is live. Every page run checks the token again, so a sign-out (which
ends the session on the server) or a disabled account ends it at once, in every tab.
"""

from __future__ import annotations

import dataclasses
import json

import streamlit as st

from casebook.settings import get_settings
from dashboard import data
from dashboard.i18n import CHOSEN_LANGUAGE_KEY, LAST_LANGUAGE_KEY, current_language, t
from store.users import UserInfo, set_language

USER_KEY = "user"
TOKEN_KEY = "session_token"
COOKIE = "casebook_session"
COOKIE_TO_SET_KEY = "session_cookie_to_set"
FORGET_COOKIE_KEY = "session_cookie_forget"
REFUSED_KEY = "session_token_refused"


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # no browser connection (a bare script run)
        return None
    return token if isinstance(token, str) and token else None


def current_user() -> UserInfo | None:
    """The signed-in user of this browser session, if any: the session's own sign-in, else the
    one the browser's session cookie resumes. Checked against the store at every run."""
    token = st.session_state.get(TOKEN_KEY)
    if token is None:
        cookie = _cookie_token()
        if cookie is not None and cookie != st.session_state.get(REFUSED_KEY):
            token = cookie
    if token is not None:
        user = data.resume_session(token)
        if user is None:  # expired, signed out elsewhere, account disabled, or forged
            st.session_state.pop(USER_KEY, None)
            st.session_state.pop(TOKEN_KEY, None)
            st.session_state[REFUSED_KEY] = token
            st.session_state[FORGET_COOKIE_KEY] = True
            return None
        st.session_state[TOKEN_KEY] = token
        st.session_state[USER_KEY] = user
        return user
    user = st.session_state.get(USER_KEY)
    # Duck-typed: a module reload in `streamlit run` makes a new UserInfo class.
    return user if hasattr(user, "role") and hasattr(user, "id") else None


def keep_language(user: UserInfo) -> UserInfo:
    """`user` with the language its reader picked (on the sign-in page or in the sidebar), kept on
    the account: a refresh, another tab or the next sign-in read in it too."""
    chosen = st.session_state.get(CHOSEN_LANGUAGE_KEY)
    if not chosen or chosen == user.language:
        return user
    data.write(set_language, user_id=user.id, language=chosen)
    kept = dataclasses.replace(user, language=chosen)
    st.session_state[USER_KEY] = kept
    return kept


def _cookie_script(value: str, max_age: int) -> str:
    # json.dumps quotes the value for JavaScript; the token is [A-Za-z0-9._-] anyway.
    return (
        "<script>(function(){var secure=location.protocol==='https:'?';Secure':'';"
        f"document.cookie={json.dumps(COOKIE + '=')}+{json.dumps(value)}"
        f"+';Path=/;Max-Age={int(max_age)};SameSite=Strict'+secure;}})();</script>"
    )


def sync_cookie() -> None:
    """Write (after a sign-in) or clear (after a sign-out or a refused token) the browser's session
    cookie. Streamlit cannot send a Set-Cookie header from a script, so a tiny script does it."""
    token = st.session_state.pop(COOKIE_TO_SET_KEY, None)
    if token:
        max_age = int(get_settings().session_hours * 3600)
        st.html(_cookie_script(token, max_age), unsafe_allow_javascript=True, width=1)
    elif st.session_state.pop(FORGET_COOKIE_KEY, False):
        st.html(_cookie_script("", 0), unsafe_allow_javascript=True, width=1)


def _remember(user: UserInfo) -> None:
    token = data.start_session(user.id)
    st.session_state[USER_KEY] = user
    st.session_state[TOKEN_KEY] = token
    st.session_state[COOKIE_TO_SET_KEY] = token


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
        _remember(user)
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
    """End the session on the server, forget the signed-in user and everything the session kept
    about them, and have the browser drop its session cookie."""
    token = st.session_state.get(TOKEN_KEY)
    data.end_session(token)
    language = current_language()
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[LAST_LANGUAGE_KEY] = language  # the sign-in page stays in it
    st.session_state[FORGET_COOKIE_KEY] = True
    if token:
        st.session_state[REFUSED_KEY] = token
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
