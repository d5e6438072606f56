"""Casebook's dashboard: `streamlit run dashboard/app.py`.

Signs the user in, then shows only the pages of their role. Each page also checks the role itself
(dashboard.auth.require_role), so opening a page's URL directly does not get around the navigation.
"""

from __future__ import annotations

import math
from pathlib import Path

import streamlit as st

from casebook.settings import get_settings
from dashboard import auth
from dashboard.i18n import LANGUAGE_KEY, LANGUAGES, t
from store.users import UserInfo

# Not "pages/": Streamlit treats a folder of that name as a legacy multipage app and can run its
# files directly, around this entry point (seen under AppTest and on a process's first request).
PAGES_DIR = Path(__file__).resolve().parent / "screens"

# role -> (page file, title key, url path); the first page of a role is its home.
ROLE_PAGES: dict[str, list[tuple[str, str, str]]] = {
    "coach": [
        ("case_queue.py", "nav_case_queue", "case-queue"),
        ("case.py", "nav_case", "case"),
        ("scenario.py", "nav_scenario", "scenario"),
        ("families.py", "nav_families", "families"),
        ("campaigns.py", "nav_campaigns", "campaigns"),
        ("situations.py", "nav_situations", "situations"),
    ],
    "advisor": [
        ("my_scenarios.py", "nav_my_scenarios", "my-scenarios"),
        ("progress.py", "nav_progress", "my-progress"),
        ("leaderboards.py", "nav_leaderboards", "leaderboards"),
    ],
    "leader": [
        ("trends.py", "nav_trends", "trends"),
        ("emerging.py", "nav_emerging", "emerging"),
        ("coverage.py", "nav_coverage", "coverage"),
        ("engagement.py", "nav_engagement", "engagement"),
    ],
    "admin": [
        ("source_health.py", "nav_sources", "sources"),
        ("users.py", "nav_users", "users"),
    ],
}
NAV_TITLES_KEY = "nav_titles"


def login_page() -> None:
    """Username and password form."""
    st.title(t("sign_in_title"))
    st.selectbox(
        t("language"),
        LANGUAGES,
        key=LANGUAGE_KEY,
        format_func=lambda code: {"en": "English", "fr": "Français"}[code],
    )
    if get_settings().auth == "oidc":
        oidc_login()
        return
    with st.form("login"):
        username = st.text_input(t("username"), key="login_username")
        password = st.text_input(t("password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("sign_in"), type="primary")
    if submitted:
        user, outcome, wait = auth.sign_in(username, password)
        if user is not None:
            st.rerun()
        elif outcome == "throttled":
            st.error(t("sign_in_throttled", seconds=max(1, math.ceil(wait))))
        else:
            st.error(t("bad_credentials"))


def oidc_login() -> None:
    """Sign in through the company's identity provider (Streamlit's st.login)."""
    if not st.user.get("is_logged_in", False):
        if st.button(t("sign_in_company"), type="primary"):
            st.login()
        return
    if auth.sign_in_oidc() is None:
        st.error(t("no_account", email=str(st.user.get("email") or "?")))
        if st.button(t("sign_out")):
            st.logout()
    else:
        st.rerun()


def sidebar(user: UserInfo) -> None:
    """Who is signed in, and the way out."""
    with st.sidebar:
        st.text(t("signed_in_as", name=user.display_name))
        st.caption(t("role_label", role=t(f"role_{user.role}")))
        if st.button(t("sign_out"), key="sign_out"):
            auth.sign_out(oidc=get_settings().auth == "oidc")
            st.rerun()


def main() -> None:
    st.set_page_config(page_title=t("app_title"), page_icon=":material/school:", layout="wide")
    user = auth.current_user()
    if user is None:
        st.session_state[NAV_TITLES_KEY] = []
        st.navigation(
            [st.Page(login_page, title=t("sign_in"), url_path="login")], position="hidden"
        ).run()
        return
    specs = ROLE_PAGES.get(user.role, [])
    if not specs:
        sidebar(user)
        st.error(t("forbidden", roles="coach, advisor, leader, admin", role=user.role))
        return
    pages = [
        st.Page(PAGES_DIR / file, title=t(title), url_path=url, default=(i == 0))
        for i, (file, title, url) in enumerate(specs)
    ]
    st.session_state[NAV_TITLES_KEY] = [t(title) for _, title, _ in specs]
    sidebar(user)
    st.navigation(pages).run()


main()
