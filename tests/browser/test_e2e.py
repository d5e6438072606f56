"""End to end in a real headless Chromium against `casebook dashboard` on 127.0.0.1.

A coach publishes a scenario, a peer advisor and the demo advisor answer it, the advisor votes
on the peer's answer, a leader sees the trends. Each role's main page is saved as a screenshot
under tests/output/browser/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from curation.review import ReviewState
from store.db import make_engine, transaction
from store.queue import case_queue
from store.scenarios import get_scenario
from tests.browser.conftest import PEER, Demo

pytestmark = pytest.mark.browser

MODEL_ANSWER = (
    "Browser test model answer: I am sorry, I have fixed it and I will call you back today."
)
PEER_ANSWER = "Peer answer from the browser test: I apologise and I sort it out right away."
ADVISOR_ANSWER = "Advisor answer from the browser test: I understand, here is what I do now."
TEAM = "care-paris"  # the team of the demo advisor and of the peer
LEVEL = "2"  # the demo advisor's level (the peer has 3): both see the scenario

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# The demo generator's phone formats (casebook/demo/writer.py: Writer._phone).
PHONES = re.compile(
    r"\(\d{3}\) 555-0\d{3}|\+1 \d{3}-555-0\d{3}|\+33 [67](?: \d{2}){4}|0[67](?: \d{2}){4}"
)


# ---------------------------------------------------------------------------- helpers


def settle(page) -> None:
    """Wait until Streamlit has finished running the script (its status widget is gone)."""
    page.get_by_test_id("stApp").wait_for()
    status = page.get_by_test_id("stStatusWidget")
    stale = page.locator('[data-stale="true"]')
    for _ in range(2):  # the widget shows up a moment after a rerun starts
        page.wait_for_timeout(250)
        status.wait_for(state="hidden")
        # Elements of the previous run linger (marked stale) until the new run replaces them.
        stale.first.wait_for(state="detached")


def sign_in(page, url: str, username: str, password: str, landing: str) -> None:
    """Sign in on the login form and wait for the role's first page (heading `landing`)."""
    page.goto(url)
    page.get_by_role("heading", name="Sign in to Casebook").wait_for()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=landing, exact=True).wait_for()
    settle(page)


def choose(page, label: str, option: str | re.Pattern[str], typed: str | None = None) -> None:
    """Pick `option` in the selectbox labelled `label` (typing `typed` first to filter long lists)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    if typed is not None:
        box.fill(typed)
    exact = isinstance(option, str)
    choice = page.get_by_role("option", name=option, exact=exact).first
    try:
        choice.wait_for(timeout=5_000)
    except PlaywrightTimeoutError:
        # A box still focused from the previous run of the page closes on the first click.
        box.click()
    choice.click()
    settle(page)


# Streamlit scrolls its main area inside the window, so a "full page" screenshot would show only
# the viewport: the window is made as tall as the content for the screenshot instead.
CONTENT_HEIGHT_JS = """() => Math.max(document.documentElement.scrollHeight, ...Array.from(
    document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]'),
    (el) => el.scrollHeight))"""


def screenshot(page, output_dir: Path, name: str) -> Path:
    """A full-page screenshot once the page has settled."""
    settle(page)
    viewport = page.viewport_size
    height = min(int(page.evaluate(CONTENT_HEIGHT_JS)), 12_000)
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    settle(page)
    path = output_dir / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path


def main_text(page) -> str:
    """The text of the page's main area and sidebar."""
    return page.get_by_test_id("stApp").inner_text()


def english_candidate(demo: Demo) -> tuple[int, str]:
    """The most notable English case whose scenario is still a candidate: (case id, title)."""
    engine = make_engine(demo.db_url)
    try:
        with transaction(engine) as s:
            queue = case_queue(s, language="en")
            for row in queue.itertuples(index=False):
                if row.scenario_id is None or row.scenario_state != ReviewState.candidate:
                    continue
                scenario = get_scenario(s, scenario_id=int(row.scenario_id))
                if scenario is not None and scenario.language == "en":
                    return int(row.case_id), scenario.title
    finally:
        engine.dispose()
    raise AssertionError("the demo has no English candidate scenario")


def demo_pii(demo: Demo) -> set[str]:
    """Customer handles, e-mail addresses and phone numbers of the raw demo comments."""
    found: set[str] = set()
    for path in demo.demo_dir.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["author_role"] == "customer":
                found.add(str(row["author"]))
            found.update(EMAIL.findall(row["text"]))
            found.update(PHONES.findall(row["text"]))
    found = {value for value in found if len(value) >= 5}
    # The check means something only if the demo has such data to leak.
    assert any(EMAIL.fullmatch(v) for v in found) and any(PHONES.fullmatch(v) for v in found)
    return found


def assert_no_pii(text: str, pii: set[str]) -> None:
    leaked = sorted(value for value in pii if value in text)
    assert not leaked, f"unredacted demo data on an advisor page: {leaked[:10]}"
    assert not EMAIL.search(text), f"an e-mail address on an advisor page: {EMAIL.search(text)}"


# ---------------------------------------------------------------------------- tests


def test_coach_publishes_advisors_answer_and_vote(new_page, dashboard_url, demo, output_dir):
    case_id, title = english_candidate(demo)

    # The coach (French interface) publishes the scenario of an English case.
    coach = new_page()
    sign_in(coach, dashboard_url, "coach", "coach-demo", landing="File des cas")
    choose(coach, "Langue", "anglais")
    choose(coach, "Cas", re.compile(rf"^n°{case_id} ·"), typed=f"n°{case_id} ")
    coach.get_by_role("heading", name=title, exact=True).wait_for()
    settle(coach)
    coach.get_by_label("Réponse modèle « WoW »").fill(MODEL_ANSWER)
    choose(coach, "Niveau", LEVEL)
    coach.get_by_label("Équipes visées", exact=False).fill(TEAM)
    # Through the review workflow: one legal move at a time, each with a reason.
    for state, then in (("en relecture", "approuvé"), ("approuvé", "publié"), ("publié", None)):
        choose(coach, "Passer à", state)
        coach.get_by_label("Motif", exact=True).fill(f"browser test: {state}")
        coach.get_by_role("button", name="Enregistrer et passer").click()
        coach.get_by_text(f"Passé à l'état {state}.").wait_for()
        settle(coach)
        # The next move starts afresh: no reason typed (a second click moved a step further
        # with the same reason), the new state's step forward offered first.
        assert coach.get_by_label("Motif", exact=True).input_value() == ""
        if then is not None:
            offered = coach.get_by_role("combobox", name="Passer à", exact=True).input_value()
            assert offered == then, offered
    coach.get_by_text(f"État : publié · Niveau {LEVEL} · anglais · {TEAM}").wait_for()
    screenshot(coach, output_dir, "coach-case-queue")

    # The peer advisor (team care-paris, English, level 3) answers it first.
    peer_name, peer_password, peer_display = PEER
    peer = new_page()
    sign_in(peer, dashboard_url, peer_name, peer_password, landing="My scenarios")
    open_scenario(peer, title)
    peer.get_by_label("Your answer").fill(PEER_ANSWER)
    peer.get_by_role("button", name="Submit my answer").click()
    peer.get_by_text("Answer saved.").wait_for()
    peer.get_by_text("No peer has answered yet.").wait_for()

    # The demo advisor answers, then sees the real reply, the coach's and the peer's answers.
    advisor = new_page()
    sign_in(advisor, dashboard_url, "advisor", "advisor-demo", landing="My scenarios")
    open_scenario(advisor, title)
    advisor.get_by_label("Your answer").fill(ADVISOR_ANSWER)
    advisor.get_by_role("button", name="Submit my answer").click()
    advisor.get_by_text("Answer saved.").wait_for()
    advisor.get_by_role("heading", name="The real reply").wait_for()
    advisor.get_by_role("heading", name="The coach's model answer").wait_for()
    # The coach's answer, under its heading (the branching simulation may offer it again).
    advisor.get_by_text(MODEL_ANSWER).first.wait_for()
    advisor.get_by_text(ADVISOR_ANSWER).wait_for()
    advisor.get_by_text(PEER_ANSWER).wait_for()
    advisor.get_by_text(f"{peer_display} · 0 votes").wait_for()

    advisor.get_by_role("button", name="Vote", exact=True).click()
    advisor.get_by_text(f"{peer_display} · 1 vote").wait_for()
    assert advisor.get_by_role("button", name="Voted", exact=True).is_disabled()
    screenshot(advisor, output_dir, "advisor-my-scenarios")
    pii = demo_pii(demo)
    assert_no_pii(main_text(advisor), pii)

    # The peer sees the advisor's answer among their peers'. A page load is a new Streamlit
    # session, still signed in by the session cookie.
    peer.goto(dashboard_url)
    peer.get_by_role("heading", name="My scenarios", exact=True).wait_for()
    settle(peer)
    open_scenario(peer, title)
    peer.get_by_text(ADVISOR_ANSWER).wait_for()
    peer.get_by_text(f"{peer_display} · 1 vote").wait_for()
    assert_no_pii(main_text(peer), pii)


def open_scenario(page, title: str) -> None:
    """Select the scenario titled `title` on the advisor's page (the newest is preselected)."""
    box = page.get_by_role("combobox", name="Scenario", exact=True)
    box.wait_for()
    if box.input_value() != title:
        choose(page, "Scenario", title)
    page.get_by_role("heading", name=title, exact=True).wait_for()
    settle(page)


def test_advisor_cannot_open_a_coach_page_by_its_url(new_page, dashboard_url, demo, output_dir):
    page = new_page()
    sign_in(page, dashboard_url, "advisor", "advisor-demo", landing="My scenarios")
    assert_no_pii(main_text(page), demo_pii(demo))

    # Opening the URL starts a new session (signed in again by its cookie): the coach's address
    # answers with a plain refusal, never the coach's content, nor Streamlit's "Page not found".
    page.goto(f"{dashboard_url}/case-queue")
    page.get_by_text("This page is for the coach role; you are signed in as advisor.").wait_for()
    settle(page)
    assert page.get_by_role("dialog").count() == 0
    assert_no_coach_content(page)
    nav = page.get_by_test_id("stSidebarNav")
    assert "Case queue" not in (nav.inner_text() if nav.count() else "")
    assert "My scenarios" in nav.inner_text()
    screenshot(page, output_dir, "advisor-at-coach-url")


def assert_no_coach_content(page) -> None:
    for heading in ("Case queue", "File des cas", "Scenario draft", "Brouillon de scénario"):
        assert page.get_by_role("heading", name=heading, exact=True).count() == 0, heading
    for button in ("Save and move", "Enregistrer et passer"):
        assert page.get_by_role("button", name=button, exact=True).count() == 0, button
    assert page.get_by_role("combobox", name="Case", exact=True).count() == 0


def test_leader_sees_the_trends(new_page, dashboard_url, output_dir):
    page = new_page()
    sign_in(page, dashboard_url, "leader", "leader-demo", landing="Feedback trends")
    page.get_by_text("90 days").click()
    settle(page)
    chart = page.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]')
    chart.first.wait_for()
    chart.first.locator("canvas, svg").first.wait_for()
    metric = page.get_by_test_id("stMetric")
    assert "Recovery rate" in metric.inner_text()
    assert re.fullmatch(r"\d+%", page.get_by_test_id("stMetricValue").inner_text().strip())
    page.get_by_role("button", name="Download the data (CSV)").wait_for()
    screenshot(page, output_dir, "leader-trends")


def test_admin_sees_sources_runs_and_users(new_page, dashboard_url, output_dir):
    page = new_page()
    sign_in(page, dashboard_url, "admin", "admin-demo", landing="Sources & quarantine")
    page.get_by_test_id("stDataFrame").first.wait_for()  # the sources with their last runs
    assert "Quarantine" in main_text(page)
    settle(page)
    screenshot(page, output_dir, "admin-sources")
    page.get_by_text("Users", exact=True).first.click()
    settle(page)
    page.get_by_test_id("stDataFrame").first.wait_for()
    text = main_text(page)
    assert "10 accounts" in text and "argon2" not in text  # 5 demo accounts, 4 demo peers, the peer
