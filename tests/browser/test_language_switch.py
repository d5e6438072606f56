"""Switching the interface language in the sidebar redraws every widget in the new language: the
browser keeps a picker's label as its value ("(toutes)" in the English interface) and a radio lost
its dot, until every widget's value was set again."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from store.db import make_engine, transaction
from store.models import User
from tests.browser.test_e2e import settle, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def coach_language(demo):
    """The demo coach's account language, put back after the test: a switch is kept on the
    account, and the other browser tests read the coach in French."""
    engine = make_engine(demo.db_url)
    coach = select(User).where(User.username == "coach")
    with transaction(engine) as s:
        before = s.scalar(coach).language
    yield
    with transaction(engine) as s:
        s.scalar(coach).language = before
    engine.dispose()


def test_the_queue_s_filters_follow_a_switch_of_language(new_page, dashboard_url, coach_language):
    page = new_page()
    sign_in(page, dashboard_url, "coach", "coach-demo", landing="File des cas")
    situation = page.get_by_role("combobox", name="Situation", exact=True)
    assert situation.input_value() == "(toutes)"  # la situation; le canal: "(tous)"
    assert page.get_by_role("combobox", name="Canal", exact=True).input_value() == "(tous)"
    language = page.get_by_role("combobox", name="Langue de l'interface", exact=True)
    language.click()
    page.get_by_role("option", name="English", exact=True).click()
    page.get_by_role("heading", name="Case queue", exact=True).wait_for()
    settle(page)
    assert situation.input_value() == "(any)"
    period = page.get_by_role("radiogroup", name="Period")
    assert period.get_by_role("radio", checked=True).count() == 1


def test_streamlit_s_hint_under_a_text_field_follows_the_language(
    new_page, dashboard_url, coach_language
):
    # Streamlit writes "Press Enter to submit form" under a field being typed in, in English
    # whatever the page's language; dashboard/widget_hints.py rewrites it for a French reader.
    page = new_page()
    sign_in(page, dashboard_url, "coach", "coach-demo", landing="File des cas")
    page.get_by_role("link", name="Campagnes", exact=True).click()
    page.get_by_role("heading", name="Nouvelle campagne", exact=True).wait_for()
    settle(page)
    hint = page.get_by_test_id("InputInstructions").locator("span").first
    page.get_by_label("Nom", exact=True).fill("Défi de décembre")
    hint.wait_for()
    assert hint.inner_text() == "Appuyez sur Entrée pour envoyer le formulaire"
    page.get_by_label("Nom", exact=True).fill("")
    language = page.get_by_role("combobox", name="Langue de l'interface", exact=True)
    language.click()
    page.get_by_role("option", name="English", exact=True).click()
    page.get_by_role("heading", name="New campaign", exact=True).wait_for()
    settle(page)
    page.get_by_label("Name", exact=True).fill("December challenge")
    hint.wait_for()
    assert hint.inner_text() == "Press Enter to submit form"


def column_menu(page):
    """The queue table's first column menu. The table is drawn on a canvas: its header's menu
    button shows on the column's right edge, so the header row is clicked from the left until
    the menu opens (a click elsewhere on the header sorts the column, which changes nothing here)."""
    box = page.get_by_test_id("stDataFrame").first.bounding_box()
    menu = page.get_by_role("menu")
    for x in range(int(box["x"]) + 8, int(box["x"]) + 200, 6):
        page.mouse.move(x, box["y"] + 18)
        page.mouse.click(x, box["y"] + 18)
        page.wait_for_timeout(150)
        if menu.count():
            return menu
    raise AssertionError("no column menu opened on the first column's header")


def test_a_table_s_own_words_follow_the_language(new_page, dashboard_url, coach_language):
    # Streamlit's table words its toolbar and column menu in English whatever the page's
    # language; dashboard/widget_hints.py rewrites them for a French reader.
    page = new_page()
    sign_in(page, dashboard_url, "coach", "coach-demo", landing="File des cas")
    page.get_by_test_id("stDataFrame").first.hover()
    assert page.get_by_role("button", name="Télécharger en CSV").count() == 1
    assert page.get_by_role("button", name="Download as CSV").count() == 0
    menu = column_menu(page)
    assert menu.get_by_role("menuitem", name="Trier par ordre croissant").count() == 1
    menu.get_by_role("menuitem", name="Statistiques").hover()
    statistics = page.get_by_test_id("stDataFrameStatisticsMenu")
    statistics.get_by_text("Distinctes", exact=True).wait_for()
    said = statistics.inner_text()
    assert "Distinctes" in said and "Distinct\n" not in said
    # its numbers as a French reader writes them: "0 (0 %)", no decimal point, no thousands comma
    assert "0 (0\u202f%)" in said
    assert not re.search(r"\d\.\d|\d%", said), said
    page.keyboard.press("Escape")
    language = page.get_by_role("combobox", name="Langue de l'interface", exact=True)
    language.click()
    page.get_by_role("option", name="English", exact=True).click()
    page.get_by_role("heading", name="Case queue", exact=True).wait_for()
    settle(page)
    page.get_by_test_id("stDataFrame").first.hover()
    assert page.get_by_role("button", name="Download as CSV").count() == 1
    menu = column_menu(page)
    assert menu.get_by_role("menuitem", name="Sort ascending").count() == 1
