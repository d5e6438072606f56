"""Casebook's dashboard: `streamlit run dashboard/serve.py` (its server around this app).

Signs the user in, then shows only the pages of their role. Each page also checks the role itself
(dashboard.auth.require_role), so opening a page's URL directly does not get around the navigation.

Deep links: before sign-in, every page's URL (e.g. /case-queue, /my-scenarios?scenario=12) shows
the sign-in form under its own address, so a bookmarked or typed URL is still there once signed
in and opens its page (with `?scenario=ID` or `?case=ID` opening that scenario or case) instead
of Streamlit's "Page not found"; an address no page has (e.g. /nonsense) opens the role's home
page with a short notice (a nested address, /a/b, is sent to its first segment by the server,
dashboard/serve.py: Streamlit's pages cannot answer there).
A refresh keeps the user signed in (dashboard.auth).
"""

from __future__ import annotations

import math
from pathlib import Path

import streamlit as st

from casebook.settings import get_settings
from dashboard import auth, widget_hints
from dashboard import components as c
from dashboard.i18n import (
    CHOSEN_LANGUAGE_KEY,
    LANGUAGE_KEY,
    SHOWN_LANGUAGE_KEY,
    language_picker,
    t,
)
from dashboard.navigation import ROLE_PAGES, all_url_paths, unknown_address
from store.users import UserInfo

# Not "pages/": Streamlit treats a folder of that name as a legacy multipage app and can run its
# files directly, around this entry point (seen under AppTest and on a process's first request).
PAGES_DIR = Path(__file__).resolve().parent / "screens"

NAV_TITLES_KEY = "nav_titles"
SIDEBAR_LANGUAGE_KEY = "sidebar_language"
UNKNOWN_KEY = "unknown_address"  # the address no page has, for the home page's notice
# The tab's icon: an emoji, which the browser draws itself. A Material icon (":material/school:")
# is fetched by every browser from a font host on the internet at each page load: a request that
# leaves the site, and a broken icon where the internet is out of reach.
PAGE_ICON = "🎓"
# ?scenario=ID and ?case=ID open that scenario or case: query parameter -> (session key the
# pages open on, the pages' own selection keys to reset so the link wins once).
DEEP_LINKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "scenario": ("open_scenario_id", ("coach_scenario_id", "advisor_scenario_id")),
    "case": ("open_case_id", ("case_page_id",)),
}


def follow_deep_links() -> None:
    """Open the scenario or case a URL's query parameters name (once per value: the user's own
    choice afterwards wins)."""
    seen = st.session_state.setdefault(c.DEEP_LINK_SEEN_KEY, {})
    for param, (open_key, selection_keys) in DEEP_LINKS.items():
        value = st.query_params.get(param)
        if not value or not value.isdigit() or seen.get(param) == value:
            continue
        seen[param] = value
        st.session_state[open_key] = int(value)
        for key in selection_keys:
            st.session_state.pop(key, None)


def login_page() -> None:
    """Username and password form."""
    st.title(t("sign_in_title"))
    language_picker(LANGUAGE_KEY)
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
            # The language the sign-in page showed, if not the plain default (the browser's, the
            # last session's): the reader signed in reading it, so the session reads in it; it is
            # kept on the account only when picked (the next person at a shared screen did not
            # choose the last one's language).
            shown = st.session_state.get(LANGUAGE_KEY)
            if shown and shown != "en" and CHOSEN_LANGUAGE_KEY not in st.session_state:
                st.session_state[SHOWN_LANGUAGE_KEY] = shown
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
        language_picker(SIDEBAR_LANGUAGE_KEY)
        if st.button(t("sign_out"), key="sign_out"):
            auth.sign_out(oidc=get_settings().auth == "oidc")
            st.rerun()
        widget_hints.follow_language()  # Streamlit's hints under text fields


def main() -> None:
    st.set_page_config(page_title=t("app_title"), page_icon=PAGE_ICON, layout="wide")
    user = auth.current_user()
    # An address no page has (e.g. /nonsense) answers too, hidden, instead of Streamlit's
    # "Page not found" dialog: it leads to the role's home page with a short notice.
    unknown = unknown_address(st.context.url, str(st.get_option("server.baseUrlPath") or ""))
    if user is None:
        auth.sync_cookie()  # after a sign-out: the browser forgets its cookie
        st.session_state[NAV_TITLES_KEY] = []
        # The sign-in form answers at every page's address (the default one at the root), so
        # the address typed or bookmarked survives the sign-in and opens that page afterwards.
        # (Streamlit serves the default page at the root only: /login is a page of its own.)
        login = [st.Page(login_page, title=t("sign_in"), url_path="home", default=True)]
        login += [
            st.Page(login_page, title=t("sign_in"), url_path=url)
            for url in ["login", *all_url_paths()]
        ]
        if unknown is not None:  # after sign-in: the role's home page, with the notice
            st.session_state[UNKNOWN_KEY] = unknown
            login.append(st.Page(login_page, title=t("sign_in"), url_path=unknown))
        widget_hints.follow_language()  # Streamlit's hints under text fields
        st.navigation(login, position="hidden").run()
        return
    user = auth.keep_language(user)
    follow_deep_links()
    specs = ROLE_PAGES.get(user.role, [])
    if not specs:
        sidebar(user)
        st.error(t("forbidden", roles="coach, advisor, leader, admin", role=user.role))
        return
    home_file, home_title, home_url = specs[0]
    # The home page answers at the root; its own address (e.g. /case-queue, a bookmark taken
    # before sign-in) is a hidden page leading to it: Streamlit gives a default page the root
    # only, so that address would otherwise get "Page not found".
    home = st.Page(PAGES_DIR / home_file, title=t(home_title), url_path="home", default=True)
    pages = [home] + [
        st.Page(PAGES_DIR / file, title=t(title), url_path=url) for file, title, url in specs[1:]
    ]
    # ... and so is the sign-in page's (a bookmark of /login): signed in, it leads home.
    pages += [
        st.Page(_to_home(home), title=t(home_title), url_path=url, visibility="hidden")
        for url in (home_url, "login")
    ]
    # Other roles' addresses answer too, hidden from the menu, with a plain refusal (not
    # Streamlit's "Page not found"): a link shared between roles says why it does not open.
    own = {url for _, _, url in specs}
    pages += [
        st.Page(_not_for_role(role), title=t(title), url_path=url, visibility="hidden")
        for role, role_specs in ROLE_PAGES.items()
        if role != user.role
        for _, title, url in role_specs
        if url not in own
    ]
    if unknown is not None:
        st.session_state[UNKNOWN_KEY] = unknown
        pages.append(
            st.Page(_to_home(home), title=t(home_title), url_path=unknown, visibility="hidden")
        )
    st.session_state[NAV_TITLES_KEY] = [t(title) for _, title, _ in specs]
    sidebar(user)
    page = st.navigation(pages)
    leading_home = page.url_path in {unknown, home_url, "login"}  # hidden, about to switch home
    if not leading_home:
        # After a sign-in, the cookie is written by the page that stays: a hidden page switching
        # home (signed in at /login or /case-queue) would take the cookie's script with it.
        auth.sync_cookie()
    if not leading_home and (address := st.session_state.pop(UNKNOWN_KEY, None)):
        st.warning(t("unknown_address", address=address), icon=":material/link_off:")
    page.run()


def _to_home(home: st.Page):  # noqa: ANN202 (a page callable)
    def page() -> None:
        # The address bar shows the home page's, with the query (?scenario=ID) kept; the
        # notice (if any) is kept in the session for the home page's run.
        st.switch_page(home, query_params=st.query_params.to_dict())

    page.__name__ = "unknown_address"
    return page


def _not_for_role(role: str):  # noqa: ANN202 (a page callable)
    def page() -> None:
        auth.require_role(role)  # shows the refusal and stops (the user's role is another)

    page.__name__ = f"not_for_{role}"
    return page


main()
