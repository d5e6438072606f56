"""Sign-in, role-based navigation and the page guard."""

from __future__ import annotations

import pytest

from store.users import UserInfo
from tests.dashboard.harness import app, page
from tests.dashboard.seed import PASSWORD

ROLE_TITLES = {
    "coach": ["Case queue", "Case", "Scenario", "Families", "Campaigns", "Teach situations"],
    "advisor": ["My scenarios", "My progress", "Leaderboards", "Quiz challenge"],
    "leader": ["Trends", "Emerging issues", "Training coverage", "Learning engagement"],
    "admin": ["Sources & quarantine", "Users"],
}
PAGE_ROLES = {
    "case_queue": "coach",
    "scenario": "coach",
    "my_scenarios": "advisor",
    "trends": "leader",
    "source_health": "admin",
    "users": "admin",
}


def sign_in(at, username, password):
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click()  # the form's submit button
    return at.run()


def someone(role: str, language: str = "en") -> UserInfo:
    return UserInfo(id=999, username=role, display_name=role.title(), role=role, language=language)


def test_login_form_on_an_empty_store(db):
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "Sign in to Casebook"
    assert at.session_state["nav_titles"] == []


def test_good_password_signs_in(seeded):
    at = sign_in(app().run(), "coach", PASSWORD)
    assert not at.exception
    assert at.session_state["user"].username == "coach"
    assert at.session_state["nav_titles"] == ROLE_TITLES["coach"]
    assert at.title[0].value == "Case queue"
    assert any("Cora Coach" in t.value for t in at.sidebar.text)


@pytest.mark.parametrize(
    ("username", "password"), [("coach", "wrong password"), ("nobody", PASSWORD)]
)
def test_bad_credentials_are_refused(seeded, username, password):
    at = sign_in(app().run(), username, password)
    assert not at.exception
    assert "user" not in at.session_state
    assert at.error[0].value == "Unknown username or wrong password."


def test_sign_out(seeded):
    at = sign_in(app().run(), "leader", PASSWORD)
    at.sidebar.button(key="sign_out").click().run()
    assert "user" not in at.session_state
    assert at.title[0].value == "Sign in to Casebook"


def test_the_language_picked_at_sign_in_wins_over_the_account_s(seeded):
    at = app().run()
    at.selectbox(key="ui_language").set_value("fr").run()
    assert at.title[0].value == "Connexion à Casebook"
    at = sign_in(at, "leader", PASSWORD)  # an English account
    assert not at.exception
    assert at.title[0].value == "Tendances des retours"


def test_the_language_the_sign_in_page_shows_is_the_one_signed_into(seeded, db):
    at = app()
    at.session_state["ui_language_last"] = "fr"  # a French session signed out here
    at.run()
    assert at.selectbox(key="ui_language").value == "fr"
    at = sign_in(at, "leader", PASSWORD)  # an English account, the picker left as shown
    assert at.title[0].value == "Tendances des retours"
    # Read in this session only: the last session's language is no choice of this account's.
    from sqlalchemy import select

    from store.db import transaction
    from store.models import User

    with transaction(db) as s:
        assert s.scalar(select(User.language).where(User.username == "leader")) == "en"


def test_signed_out_the_sign_in_page_stays_in_the_session_s_language(seeded):
    at = app().run()
    at.selectbox(key="ui_language").set_value("fr").run()
    at = sign_in(at, "advisor", PASSWORD)
    assert at.title[0].value == "Mes scénarios"
    at.sidebar.button(key="sign_out").click().run()
    assert "user" not in at.session_state
    assert at.title[0].value == "Connexion à Casebook"
    assert at.selectbox(key="ui_language").value == "fr"


def test_the_sidebar_switches_the_language_and_an_untouched_sign_in_keeps_the_account_s(seeded):
    at = sign_in(app().run(), "leader", PASSWORD)
    assert at.title[0].value == "Feedback trends"  # the picker left alone: the account's language
    assert at.sidebar.selectbox(key="sidebar_language").value == "en"
    at.sidebar.selectbox(key="sidebar_language").set_value("fr").run()
    assert not at.exception
    assert at.title[0].value == "Tendances des retours"
    assert at.sidebar.selectbox(key="sidebar_language").value == "fr"


def test_a_picked_language_is_kept_on_the_account_for_a_refresh_and_other_tabs(seeded, db):
    from sqlalchemy import select

    from store.db import transaction
    from store.models import User

    at = sign_in(app().run(), "leader", PASSWORD)  # an English account
    at.sidebar.selectbox(key="sidebar_language").set_value("fr").run()
    with transaction(db) as s:
        assert s.scalar(select(User.language).where(User.username == "leader")) == "fr"
    # A refresh or another tab: a new session, signed in again, reads French without a pick.
    again = sign_in(app().run(), "leader", PASSWORD)
    assert again.title[0].value == "Tendances des retours"
    assert again.sidebar.selectbox(key="sidebar_language").value == "fr"


@pytest.mark.parametrize("role", list(ROLE_TITLES))
def test_each_role_sees_only_its_pages(seeded, role):
    at = sign_in(app().run(), role, PASSWORD)
    assert not at.exception
    assert at.session_state["nav_titles"] == ROLE_TITLES[role]
    assert at.title[0].value in ROLE_TITLES[role] + ["Feedback trends"]
    others = [p for p, r in PAGE_ROLES.items() if r != role]
    for other in others:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"screens/{other}.py")


@pytest.mark.parametrize(("name", "role"), list(PAGE_ROLES.items()))
def test_page_opened_by_the_wrong_role_stops(db, name, role):
    wrong = next(r for r in ROLE_TITLES if r != role)
    at = app(someone(wrong), script=page(name)).run()
    assert not at.exception
    assert len(at.error) == 1 and "role" in at.error[0].value
    assert not at.title  # stopped before the page drew anything


@pytest.mark.parametrize("name", list(PAGE_ROLES))
def test_page_without_sign_in_stops(db, name):
    at = app(script=page(name)).run()
    assert at.error[0].value == "Please sign in first."


def test_french_user_gets_french_navigation(db):
    at = app(someone("admin", language="fr")).run()
    assert not at.exception
    assert at.session_state["nav_titles"] == ["Sources et quarantaine", "Utilisateurs"]


def test_oidc_mode_offers_the_company_sign_in_and_no_password_form(db, monkeypatch):
    from casebook.settings import get_settings

    monkeypatch.setenv("CASEBOOK_AUTH", "oidc")
    get_settings.cache_clear()
    try:
        at = app().run()
        assert not at.exception
        assert [b.label for b in at.button] == ["Sign in with your company account"]
        assert len(at.text_input) == 0  # no password to type
    finally:
        get_settings.cache_clear()


URL = "http://localhost:8501"


def test_an_unknown_address_opens_the_home_page_with_a_notice(seeded):
    at = app(someone("coach"))
    at.context = {"url": f"{URL}/nonsense"}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Case queue"
    assert [w.value for w in at.warning] == [
        "The address /nonsense does not exist: here is your home page."
    ]
    at.context = {"url": f"{URL}/case-queue"}  # the home page's address, as the browser shows it
    at.run()
    assert not at.warning and at.title[0].value == "Case queue"


def test_an_unknown_address_survives_the_sign_in(seeded):
    at = app()
    at.context = {"url": f"{URL}/nowhere"}
    at.run()
    assert not at.exception and not at.warning  # the sign-in form, no notice yet
    at = sign_in(at, "leader", PASSWORD)
    assert not at.exception
    assert at.session_state["nav_titles"] == ROLE_TITLES["leader"]
    assert [w.value for w in at.warning] == [
        "The address /nowhere does not exist: here is your home page."
    ]


def test_the_unknown_address_notice_in_french(seeded):
    at = app(someone("advisor", "fr"))
    at.context = {"url": f"{URL}/nulle-part"}
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "L'adresse /nulle-part n'existe pas : voici votre page d'accueil."
    ]


@pytest.mark.parametrize("url", [f"{URL}/", f"{URL}/trends", f"{URL}/case-queue", None])
def test_known_addresses_get_no_notice(seeded, url):
    at = app(someone("leader"))
    at.context = {"url": url}
    at.run()
    assert not at.exception and not at.warning  # another role's page: its refusal, no notice


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        (f"{URL}/nonsense", "", "nonsense"),
        (f"{URL}/nonsense/", "", "nonsense"),
        (f"{URL}/caf%C3%A9", "", "café"),
        (f"{URL}/casebook/nonsense", "casebook", "nonsense"),
        (f"{URL}/casebook", "/casebook/", None),
        (f"{URL}/casebook/trends", "casebook", None),
        (f"{URL}/a/b", "", None),  # nested: Streamlit's pages cannot answer there
        (f"{URL}/login", "", None),
        (f"{URL}/", "", None),
        ("", "", None),
    ],
)
def test_unknown_address(url, base, expected):
    from dashboard.navigation import unknown_address

    assert unknown_address(url, base) == expected


HTML = "text/html,application/xhtml+xml,*/*;q=0.8"


@pytest.mark.parametrize(
    ("path", "accept", "base", "expected"),
    [
        ("/a/b", HTML, "", "/a"),
        ("/case-queue/old/", HTML, "", "/case-queue"),
        ("/casebook/a/b", HTML, "/casebook/", "/casebook/a"),
        ("/a", HTML, "", None),  # one segment: the app answers it
        ("/", HTML, "", None),
        ("/casebook/a", HTML, "casebook", None),
        ("/other/a/b", HTML, "casebook", None),  # not under the base path
        ("/a/b", "*/*", "", None),  # a script's or a program's request, not a page's
        ("/_stcore/health/x", HTML, "", None),  # Streamlit's own addresses
        ("/static/js/index.js", HTML, "", None),
        ("/media/abc/x.png", HTML, "", None),
        ("/app/static/x.html", HTML, "", None),
    ],
)
def test_nested_address_target(path, accept, base, expected):
    from dashboard.navigation import nested_address_target

    assert nested_address_target(path, accept, base) == expected


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/case/12", "", "/case?case=12"),  # an item's page and id: the page opened on it
        ("/scenario/7/", "", "/scenario?scenario=7"),
        ("/my-scenarios/7", "lang=fr", "/my-scenarios?scenario=7&lang=fr"),
        ("/case/abc", "", "/case"),  # no id: the page
        ("/case/12/more", "", "/case"),
        ("/trends/12", "", "/trends"),  # a page that opens no item
        ("/a/b", "x=1", "/a?x=1"),  # the query goes along
        ("/café/b", "", "/caf%C3%A9"),  # written as an address
    ],
)
def test_nested_address_target_opens_an_item_s_page(path, query, expected):
    from dashboard.navigation import nested_address_target

    assert nested_address_target(path, HTML, query=query) == expected
