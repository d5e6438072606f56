"""Sign-in that survives a refresh, sign-out that ends it, deep links, and every role's pages
walked in a real headless Chromium: page timings recorded (not asserted: the machine is shared),
a screenshot of each page in tests/output/browser/."""

from __future__ import annotations

import time

import pytest

from dashboard.i18n import STRINGS
from dashboard.navigation import ROLE_PAGES, heading_key
from store.db import make_engine, transaction
from store.scenarios import scenarios_for_advisor
from store.users import user_by_username
from tests.browser.conftest import record_timing
from tests.browser.test_e2e import screenshot, settle

pytestmark = pytest.mark.browser

ACCOUNTS = {  # role -> (username, password, interface language)
    "coach": ("coach", "coach-demo", "fr"),
    "advisor": ("advisor", "advisor-demo", "en"),
    "leader": ("leader", "leader-demo", "en"),
    "admin": ("admin", "admin-demo", "en"),
}
ADVISOR_FR = ("conseiller", "conseiller-demo", "fr")


def heading(url: str, language: str) -> str:
    return STRINGS[language][heading_key(url)]


def wait_run_done(page) -> None:
    """The script run is over: Streamlit's status widget is gone and no stale element remains."""
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden")
    page.locator('[data-stale="true"]').first.wait_for(state="detached")


def fill_sign_in(page, username: str, password: str, language: str = "en") -> float:
    """Fill and send the sign-in form; returns the perf_counter time of the click."""
    title = {"en": "Sign in to Casebook", "fr": "Connexion à Casebook"}
    page.get_by_role("heading", name=title["en"]).wait_for()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    started = time.perf_counter()
    page.get_by_role("button", name="Sign in").click()
    return started


def sign_in_timed(page, url: str, role: str) -> float:
    """Sign in as `role` on the form and wait for its home page; the seconds it took."""
    username, password, language = ACCOUNTS[role]
    home = ROLE_PAGES[role][0][2]
    page.goto(url)
    started = fill_sign_in(page, username, password)
    page.get_by_role("heading", level=1, name=heading(home, language), exact=True).wait_for()
    wait_run_done(page)
    return time.perf_counter() - started


def session_cookie(page, timeout: float = 15.0) -> dict:
    """The session cookie, once the page's script has set it (it runs just after the first
    page shows, so a test reading cookies at once can be ahead of it)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [
            c for c in page.context.cookies() if c["name"] == "casebook_session" and c["value"]
        ]
        if found or time.monotonic() > deadline:
            assert len(found) == 1, f"expected one session cookie, found {len(found)}"
            return found[0]
        page.wait_for_timeout(100)


def signed_in_as(page, display: str) -> bool:
    sidebar = page.get_by_test_id("stSidebar")
    return sidebar.count() > 0 and display in sidebar.inner_text()


# ---------------------------------------------------------------------------- refresh


@pytest.mark.parametrize("address", ["/login", "/trends"])
def test_a_sign_in_at_a_page_s_own_address_sets_the_cookie_too(new_page, dashboard_url, address):
    # Signed in there, the address is a hidden page that switches home: the cookie's script
    # must still run (it was lost with the switch, so a refresh signed out).
    page = new_page()
    sign_in_timed(page, dashboard_url + address, "leader")
    assert session_cookie(page)
    page.reload()
    page.get_by_role("heading", name="Feedback trends", exact=True).wait_for()
    assert signed_in_as(page, "Signed in as Lee")


def test_refresh_keeps_the_sign_in_and_sign_out_ends_it(new_page, dashboard_url):
    page = new_page()
    seconds = sign_in_timed(page, dashboard_url, "leader")
    assert signed_in_as(page, "Signed in as Lee")
    cookie = session_cookie(page)
    assert cookie["sameSite"] == "Strict" and cookie["expires"] > time.time()

    page.reload()  # F5: a new Streamlit session, resumed from the cookie
    page.get_by_role("heading", name="Feedback trends", exact=True).wait_for()
    wait_run_done(page)
    assert signed_in_as(page, "Signed in as Lee")
    assert page.get_by_role("heading", name="Sign in to Casebook").count() == 0
    record_timing("first-page leader (sign-in)", seconds)

    # Sign out after a refresh (the session came from the cookie): the next refresh is signed out.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to Casebook").wait_for()
    wait_run_done(page)
    page.reload()
    page.get_by_role("heading", name="Sign in to Casebook").wait_for()
    wait_run_done(page)
    page.wait_for_timeout(500)  # nothing signs it in a moment later
    assert page.get_by_role("heading", name="Feedback trends").count() == 0
    assert not [c for c in page.context.cookies() if c["name"] == "casebook_session" and c["value"]]


def test_a_stolen_cookie_stops_working_once_its_owner_signs_out(new_page, dashboard_url):
    owner = new_page()
    sign_in_timed(owner, dashboard_url, "admin")
    cookie = session_cookie(owner)

    other = new_page()  # another browser holding a copy of the cookie
    other.context.add_cookies([cookie])
    other.goto(dashboard_url)
    other.get_by_role("heading", name="Sources & quarantine", exact=True).wait_for()

    owner.get_by_role("button", name="Sign out").click()
    owner.get_by_role("heading", name="Sign in to Casebook").wait_for()
    other.reload()
    other.get_by_role("heading", name="Sign in to Casebook").wait_for()
    wait_run_done(other)
    assert other.get_by_role("heading", name="Sources & quarantine").count() == 0


def test_a_disabled_account_is_signed_out_at_its_next_page(new_page, dashboard_url, demo):
    import subprocess

    from tests.browser.conftest import CASEBOOK, PEER

    username, password, display = PEER
    page = new_page()
    page.goto(dashboard_url)
    fill_sign_in(page, username, password)
    page.get_by_role("heading", name="My scenarios", exact=True).wait_for()
    wait_run_done(page)
    subprocess.run(
        [str(CASEBOOK), "users", "disable", username],
        cwd=demo.home,
        env=demo.env,
        check=True,
        capture_output=True,
    )
    try:
        page.reload()
        page.get_by_role("heading", name="Sign in to Casebook").wait_for()
        assert not signed_in_as(page, display)
    finally:
        subprocess.run(
            [str(CASEBOOK), "users", "enable", username],
            cwd=demo.home,
            env=demo.env,
            check=True,
            capture_output=True,
        )


# ---------------------------------------------------------------------------- deep links


def _advisor_scenario(demo, username: str) -> tuple[int, str]:
    """A scenario the advisor sees that is not the one the page opens on by default."""
    engine = make_engine(demo.db_url)
    try:
        with transaction(engine) as s:
            user = user_by_username(s, username=username, demo_mode=True)
            scenarios = scenarios_for_advisor(s, user=user)
    finally:
        engine.dispose()
    assert len(scenarios) >= 2, "the demo gives the advisor at least two scenarios"
    last = scenarios[-1]
    return last.id, last.title


def test_a_deep_link_opens_its_page_after_sign_in(new_page, dashboard_url, demo, output_dir):
    scenario_id, title = _advisor_scenario(demo, "advisor")
    page = new_page()
    page.goto(f"{dashboard_url}/my-scenarios?scenario={scenario_id}")
    fill_sign_in(page, "advisor", "advisor-demo")
    page.get_by_role("heading", name="My scenarios", exact=True).wait_for()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    wait_run_done(page)
    assert page.get_by_role("dialog").count() == 0  # no "Page not found"
    assert f"scenario={scenario_id}" in page.url
    screenshot(page, output_dir, "advisor-deep-link")

    # A page other than the home page, typed before signing in.
    other = new_page()
    other.goto(f"{dashboard_url}/leaderboards")
    fill_sign_in(other, "advisor", "advisor-demo")
    other.get_by_role("heading", name="Leaderboards", exact=True).wait_for()
    wait_run_done(other)
    assert other.get_by_role("dialog").count() == 0


def test_a_nested_address_shows_a_page_not_a_blank_one(new_page, dashboard_url, demo):
    # Streamlit served its page at /a/b with scripts read as /a/static/...: a blank page. The
    # dashboard's server sends the browser to /a, which the app answers.
    page = new_page()
    page.goto(f"{dashboard_url}/nonsense/deeper?case=1")
    fill_sign_in(page, "leader", "leader-demo")
    page.get_by_role("heading", name="Feedback trends", exact=True).wait_for()
    wait_run_done(page)
    notice = "The address /nonsense does not exist: here is your home page."
    assert page.get_by_text(notice).count() == 1
    assert page.get_by_role("dialog").count() == 0  # no "Page not found"
    # A page's own address under it opens that page, signed in.
    page.goto(f"{dashboard_url}/emerging/old")
    page.get_by_role("heading", name="Emerging issues", exact=True).wait_for()
    wait_run_done(page)
    assert page.url.rstrip("/").endswith("/emerging")
    # An item's page and id, as a link in a chat would give it: the page opened on that item.
    scenario_id, title = _advisor_scenario(demo, "advisor")
    advisor = new_page()
    advisor.goto(f"{dashboard_url}/my-scenarios/{scenario_id}")
    fill_sign_in(advisor, "advisor", "advisor-demo")
    advisor.get_by_role("heading", name=title, exact=True).wait_for()
    wait_run_done(advisor)
    assert f"scenario={scenario_id}" in advisor.url


# ---------------------------------------------------------------------------- every page


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_page_of_each_role_timed_and_captured(new_page, dashboard_url, output_dir, role):
    _, _, language = ACCOUNTS[role]
    page = new_page()
    record_timing(f"first-page {role}", sign_in_timed(page, dashboard_url, role))
    screenshot(page, output_dir, f"{role}-{ROLE_PAGES[role][0][2]}")
    nav = page.get_by_test_id("stSidebarNav")
    for _, title_key, url in ROLE_PAGES[role][1:]:
        link = nav.get_by_role("link", name=STRINGS[language][title_key], exact=True)
        started = time.perf_counter()
        link.click()
        page.get_by_role("heading", level=1, name=heading(url, language), exact=True).wait_for()
        wait_run_done(page)
        record_timing(f"page-change {role} -> {url}", time.perf_counter() - started)
        assert page.get_by_test_id("stException").count() == 0, f"an error on {url}"
        screenshot(page, output_dir, f"{role}-{url}")
    settle(page)
