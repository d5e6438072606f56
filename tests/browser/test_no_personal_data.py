"""No personal data reaches an advisor: a coach publishes every scenario of the demo, then two
advisors (English and French) walk every page they can see in a real headless Chromium, every
scenario of "My scenarios" with its reveal, and no page shows a person's name of the demo (its
customers' first and last names, the names of the agents who sign the replies), a phone number,
an e-mail address or a customer's handle.

A demo store and a dashboard of its own (not the session's of test_e2e.py): publishing every
scenario would take the candidates that test needs.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from casebook.demo.seeding import DEMO_ACCOUNTS, DEMO_PEERS
from casebook.demo.world import AGENTS, FIRST, LAST
from curation.review import ReviewState
from store.db import make_engine, transaction
from store.learning import submit_response
from store.models import Scenario, User
from store.scenarios import (
    edit_scenario,
    move_scenario,
    publish_scenario,
    scenarios_for_advisor,
)
from store.users import user_info
from tests.browser.conftest import (
    CASEBOOK,
    SERVER_START_TIMEOUT,
    Demo,
    _free_port,
    _healthy,
    _run,
    _stop,
)
from tests.browser.test_e2e import (
    EMAIL,
    PHONES,
    choose,
    demo_pii,
    main_text,
    screenshot,
    settle,
    sign_in,
)

pytestmark = pytest.mark.browser

TEAM = "care-paris"
DEMO_COMMENTS = 400  # about 80 scenarios, 40 per advisor
# username, password, display name, language, landing heading, pages (nav labels after the first)
ADVISORS = [
    ("walker-en", "amber-kettle-fjord-41", "Walker EN", "en", "My scenarios",
     ["My progress", "Leaderboards", "Quiz challenge"]),
    ("walker-fr", "brume-violette-quai-58", "Walker FR", "fr", "Mes scénarios",
     ["Ma progression", "Classements", "Défi quiz"]),
]  # fmt: skip
ANSWER = "Answer of the walking advisor: I am sorry, I fix it now and call you back."
MODEL_ANSWER = "I'm sorry: I have fixed it and I will call you back today to confirm."
# Generated digits that look like a phone to no one: only the demo's own formats count (PHONES),
# plus any run of 9 digits or more.
LONG_DIGITS = re.compile(r"(?<![\d#])\d{9,}(?!\d)")


def person_names() -> re.Pattern[str]:
    """Every name a demo comment may carry: customers' first and last names, agents' names."""
    names = {*FIRST["en"], *FIRST["fr"], *LAST["en"], *LAST["fr"], *AGENTS}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w@.])(?:{alternatives})(?![\w@])")


@pytest.fixture(scope="module")
def walked_demo(chromium_path, tmp_path_factory) -> Iterator[tuple[Demo, str]]:
    """A demo store in which the coach published every scenario, two level-3 advisors who have
    answered each one they can see, and `casebook dashboard` over it: (demo, url)."""
    home = tmp_path_factory.mktemp("casebook-private")
    var = home / "var"
    db_url = f"sqlite:///{var / 'casebook.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}
    env.update(
        CASEBOOK_VAR_DIR=str(var),
        CASEBOOK_DATABASE_URL=db_url,
        CASEBOOK_SOURCES_FILE=str(home / "sources.yaml"),
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_HOME=str(var / "prefect"),
    )
    _run([str(CASEBOOK), "demo", "--no-dashboard", "--comments", str(DEMO_COMMENTS)], env, home)
    for username, password, name, language, *_ in ADVISORS:
        _run(
            [str(CASEBOOK), "users", "add", username, "--role", "advisor", "--name", name,
             "--team", TEAM, "--site", "Paris", "--language", language, "--level", "3"],
            {**env, "CASEBOOK_NEW_USER_PASSWORD": password},
            home,
        )  # fmt: skip
    demo = Demo(home=home, env=env, db_url=db_url, demo_dir=var / "demo")
    publish_everything_and_answer(db_url)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = home / "dashboard.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(CASEBOOK), "dashboard", "--port", str(port)],
            cwd=home,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the dashboard did not start:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield demo, url
    finally:
        _stop(server)


def publish_everything_and_answer(db_url: str) -> None:
    """The coach publishes every scenario still to publish (level 1, the advisors' team), then
    each walking advisor answers every scenario they can see (so each page shows its reveal)."""
    engine = make_engine(db_url)
    try:
        with transaction(engine) as session:
            # Through the review workflow, one legal move at a time (store.scenarios enforces it).
            forward = {
                ReviewState.rejected: ReviewState.candidate,
                ReviewState.candidate: ReviewState.in_review,
                ReviewState.in_review: ReviewState.approved,
            }
            for scenario in session.scalars(select(Scenario)).all():
                while scenario.state in forward:
                    move_scenario(
                        session,
                        scenario_id=scenario.id,
                        target=forward[scenario.state],
                        actor="coach",
                        reason="browser test: every scenario published",
                    )
                # Titles made unique (the drafts' titles repeat), so the page's list can be walked.
                edit_scenario(
                    session,
                    scenario_id=scenario.id,
                    actor="coach",
                    title=f"{scenario.title} · n°{scenario.id}",
                    reason="browser test: a title of its own",
                )
                if scenario.state != ReviewState.published:
                    publish_scenario(
                        session,
                        scenario_id=scenario.id,
                        actor="coach",
                        model_answer=MODEL_ANSWER,
                        level=1,
                        target_teams=[TEAM],
                        reason="browser test: every scenario published",
                    )
        with transaction(engine) as session:
            states = set(session.scalars(select(Scenario.state)))
            assert states == {ReviewState.published}, states
            for username, *_ in ADVISORS:
                user = session.scalars(select(User).where(User.username == username)).one()
                for view in scenarios_for_advisor(session, user=user_info(user)):
                    submit_response(session, scenario_id=view.id, user_id=user.id, text=ANSWER)
    finally:
        engine.dispose()


def visible_scenarios(db_url: str, username: str) -> list[str]:
    """Titles of the scenarios the advisor sees, in the order of their page's list."""
    engine = make_engine(db_url)
    try:
        with transaction(engine) as session:
            user = session.scalars(select(User).where(User.username == username)).one()
            return [view.title for view in scenarios_for_advisor(session, user=user_info(user))]
    finally:
        engine.dispose()


def without_colleagues(text: str) -> str:
    """The page's text less the display names of the accounts (colleagues, not customers)."""
    colleagues = [a[3] for a in DEMO_ACCOUNTS] + [a[2] for a in ADVISORS]
    for name in colleagues + [peer[1] for peer in DEMO_PEERS]:
        text = text.replace(name, " ")
    return text


def leaks(text: str, handles: set[str]) -> list[str]:
    """Personal data of the demo's comments found in a page's text."""
    text = without_colleagues(text)
    found = [m.group() for m in person_names().finditer(text)]
    found += EMAIL.findall(text) + PHONES.findall(text) + LONG_DIGITS.findall(text)
    found += [h for h in handles if h in text]
    return found


@pytest.mark.parametrize("advisor", ADVISORS, ids=[a[0] for a in ADVISORS])
def test_an_advisor_sees_no_personal_data_on_any_page(walked_demo, new_page, output_dir, advisor):
    demo, url = walked_demo
    username, password, _, language, landing, other_pages = advisor
    # Customers' handles (authors of the raw demo comments), e-mails and phones; the check
    # means something only if the demo has them (demo_pii asserts it).
    handles = {v for v in demo_pii(demo) if not EMAIL.fullmatch(v) and not PHONES.fullmatch(v)}
    titles = visible_scenarios(demo.db_url, username)
    assert len(titles) >= 5, f"{username} sees only {len(titles)} scenarios"
    assert len(set(titles)) == len(titles)

    page = new_page()
    sign_in(page, url, username, password, landing=landing)
    box = page.get_by_role("combobox", name=re.compile(r"^Sc[ée]nario$"))
    box.wait_for()
    seen: dict[str, list[str]] = {}
    walked = 0
    pick = "Scenario" if language == "en" else "Scénario"
    for title in titles:
        choose(page, pick, title, typed=title[title.rindex(" · n°") :])
        assert box.input_value() == title
        # Answered already: the page shows the real reply, what followed and the coach's answer.
        page.get_by_text(ANSWER).first.wait_for()
        text = main_text(page)
        walked += 1
        found = leaks(text, handles)
        if found:
            seen[title] = found
    for label in other_pages:
        page.get_by_test_id("stSidebarNav").get_by_text(label, exact=True).click()
        page.get_by_role("heading", name=label, exact=True).wait_for()
        settle(page)
        found = leaks(main_text(page), handles)
        if found:
            seen[label] = found
    screenshot(page, output_dir, f"private-{username}")
    assert walked == len(titles)
    assert not seen, f"personal data on {username}'s pages: {seen}"


def test_the_check_finds_what_it_looks_for():
    """The page check is not blind: demo names, phones, e-mails and handles are caught, account
    names of colleagues are not."""
    handles = {"priya_p42"}
    assert leaks("Hi Priya, call (212) 555-0123 or priya.patel@example.com", handles)
    assert leaks("— Julie, NovaCare", set()) == ["Julie"]
    assert leaks("by @priya_p42", handles) == ["priya_p42"]
    assert leaks("9148445695", set()) == ["9148445695"]
    assert leaks("Inès (conseillère) · 2 votes · Alex (advisor)", set()) == []
    assert leaks("Hi [PERSON], your order [ACCOUNT] is on its way ^[PERSON]", set()) == []
