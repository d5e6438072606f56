"""Security in a real browser against `casebook dashboard`: CSV exports are never served to a
client without a session, and guessing passwords is throttled."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from sqlalchemy import select

from store.db import make_engine, transaction
from store.models import AuditEntry
from store.sign_in import ACCOUNT_FREE_FAILURES
from store.users import create_user
from tests.browser.conftest import EXPORT_LINK_SECONDS
from tests.browser.test_e2e import settle, sign_in

pytestmark = pytest.mark.browser


def fetch_without_a_session(url: str) -> tuple[int, bytes]:
    """GET `url` as a client that never signed in (no cookie, no websocket session)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_an_export_is_never_served_to_a_client_without_a_session(new_page, dashboard_url):
    page = new_page()
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda f: frames.append(f if isinstance(f, bytes) else f.encode())
        ),
    )
    sign_in(page, dashboard_url, "admin", "admin-demo", landing="Sources & quarantine")
    page.get_by_text("Users", exact=True).first.click()
    settle(page)
    page.get_by_test_id("stDataFrame").first.wait_for()
    # Shown, not clicked: no export exists under /media, so there is no link to steal.
    assert not [f for f in frames if b"/media/" in f and b".csv" in f]
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the data (CSV)").first.click()
    url = download.value.url
    assert "/media/" in url
    assert b"Username" in download.value.path().read_bytes()  # the signed-in admin got it
    # The link dies within seconds, while the admin's page is still open.
    time.sleep(2 * EXPORT_LINK_SECONDS + 2)
    status, body = fetch_without_a_session(url)
    assert status == 404 and b"Username" not in body


def test_guessing_a_password_is_throttled_and_audited(new_page, dashboard_url, demo):
    engine = make_engine(demo.db_url)
    try:
        with transaction(engine) as s:
            create_user(s, username="target", password="violet kettle harbour", role="leader")
        page = new_page()
        page.goto(dashboard_url)
        page.get_by_role("heading", name="Sign in to Casebook").wait_for()
        attempts = ACCOUNT_FREE_FAILURES + 5
        messages = []
        for i in range(attempts):
            page.get_by_label("Username").fill("target")
            page.get_by_label("Password", exact=True).fill(f"guess number {i}")
            page.get_by_role("button", name="Sign in").click()
            settle(page)
            messages.append(page.get_by_test_id("stAlert").first.inner_text())
        wrong = "Unknown username or wrong password."
        assert messages[:ACCOUNT_FREE_FAILURES] == [wrong] * ACCOUNT_FREE_FAILURES
        throttled = [m for m in messages if m.startswith("Too many failed sign-ins: try again in")]
        assert len(throttled) >= 2, messages  # the delay doubles faster than a person types
        with transaction(engine) as s:
            actions = [
                e.action
                for e in s.scalars(
                    select(AuditEntry).where(AuditEntry.actor == "target").order_by(AuditEntry.id)
                )
            ]
        # every attempt is audited; the throttled ones were refused without a password check
        assert len(actions) == attempts and "sign_in" not in actions
        assert actions.count("sign_in.throttled") >= 2
        assert actions.count("sign_in.failed") <= attempts - 2
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("username", "password", "landing", "pages"),
    [
        ("leader", "leader-demo", "Feedback trends", ["Emerging issues", "Training coverage"]),
        ("coach", "coach-demo", "File des cas", ["Familles"]),
    ],
)
def test_no_request_leaves_the_site(new_page, dashboard_url, username, password, landing, pages):
    # The dashboard serves its pages, scripts, fonts and icons itself: a browser that shows it
    # asks nothing of another host (a Material tab icon was fetched from a font host on the
    # internet at each load: seen leaving, and broken where the internet is out of reach).
    page = new_page()
    elsewhere: list[str] = []
    own = dashboard_url.rstrip("/")
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((own, own.replace("http", "ws"), "data:", "blob:"))
            else elsewhere.append(r.url)
        ),
    )
    sign_in(page, dashboard_url, username, password, landing=landing)
    for name in pages:
        page.get_by_role("link", name=name, exact=True).click()
        page.get_by_role("heading", name=name, exact=True).first.wait_for()
        settle(page)
    assert elsewhere == []
