"""Switching the interface language in the sidebar redraws every widget in the new language: the
browser keeps a picker's label as its value ("(tous)" in the English interface) and a radio lost
its dot, until every widget's value was set again."""

from __future__ import annotations

import pytest

from tests.browser.test_e2e import settle, sign_in

pytestmark = pytest.mark.browser


def test_the_queue_s_filters_follow_a_switch_of_language(new_page, dashboard_url):
    page = new_page()
    sign_in(page, dashboard_url, "coach", "coach-demo", landing="File des cas")
    situation = page.get_by_role("combobox", name="Situation", exact=True)
    assert situation.input_value() == "(tous)"
    language = page.get_by_role("combobox", name="Langue de l'interface", exact=True)
    language.click()
    page.get_by_role("option", name="English", exact=True).click()
    page.get_by_role("heading", name="Case queue", exact=True).wait_for()
    settle(page)
    assert situation.input_value() == "(any)"
    period = page.get_by_role("radiogroup", name="Period")
    assert period.get_by_role("radio", checked=True).count() == 1
