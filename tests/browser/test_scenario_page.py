"""The coach's scenario page in Chromium: after a move or a save the page stays on the tab it was
made in, its reason is not kept for the next one, and the picker names the scenario as it is now
(it showed the old state and title: the browser keeps a selectbox's label as its value)."""

from __future__ import annotations

import pytest

from store.db import make_engine, transaction
from store.scenarios import list_scenarios
from tests.browser.test_e2e import settle
from tests.browser.test_sessions import fill_sign_in

pytestmark = pytest.mark.browser


def a_candidate(demo) -> int:
    """A candidate scenario of the demo (the one listed last: test_e2e publishes the first)."""
    engine = make_engine(demo.db_url)
    try:
        with transaction(engine) as s:
            scenarios = list_scenarios(s)
    finally:
        engine.dispose()
    candidates = scenarios[scenarios["state"] == "candidate"]
    assert not candidates.empty, "the demo has candidate scenarios"
    return int(candidates["scenario_id"].iloc[-1])


def visible(page, label: str):
    """The field labelled `label` on the open tab (each tab's form has its own "Motif")."""
    return page.get_by_label(label, exact=True).filter(visible=True)


def selected_tab(page) -> str:
    return page.get_by_role("tab", selected=True).inner_text().strip()


def test_a_move_stays_on_the_workflow_tab_and_forgets_its_reason(new_page, dashboard_url, demo):
    scenario_id = a_candidate(demo)
    page = new_page()
    page.goto(f"{dashboard_url}/scenario?scenario={scenario_id}")
    fill_sign_in(page, "coach", "coach-demo")
    page.get_by_role("heading", name="Scénario", exact=True).wait_for()
    settle(page)
    assert selected_tab(page) == "Vu par les conseillers"
    page.get_by_role("tab", name="Circuit de validation").click()
    settle(page)
    visible(page, "Motif").fill("browser test: review it")
    page.get_by_role("button", name="Valider le passage").click()
    page.get_by_text("Passé à l'état en relecture.").wait_for()
    settle(page)
    assert selected_tab(page) == "Circuit de validation"
    assert visible(page, "Motif").input_value() == ""
    # The picker names the scenario's new state.
    picked = page.get_by_role("combobox", name="Scénario", exact=True).input_value()
    assert picked.startswith(f"#{scenario_id} ·") and picked.endswith("en relecture"), picked
    # Now in review, the scenario can be edited: a save also stays on its tab.
    page.get_by_role("tab", name="Modifier").click()
    settle(page)
    visible(page, "Titre").fill("Browser test title")
    visible(page, "Motif").fill("browser test: clearer title")
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    page.get_by_text("Nouvelle version enregistrée.").wait_for()
    settle(page)
    assert selected_tab(page) == "Modifier"
    picked = page.get_by_role("combobox", name="Scénario", exact=True).input_value()
    assert picked == f"#{scenario_id} · Browser test title · en relecture", picked
