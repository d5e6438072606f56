"""The printable handout: the case and the question first, the answers on a page of their own,
in the scenario's language, hostile text escaped; Chromium prints it to PDF."""

from __future__ import annotations

import re

import pytest
from lxml import html

from delivery.handout import handout, handout_html
from tests.delivery.sample import COACH, HOSTILE, REAL_REPLY, english, french, pack


def test_the_handout_holds_the_case_then_the_answers_in_its_language():
    page = handout_html(pack(english(12), french(13)))
    doc = html.fromstring(page)
    assert not doc.xpath("//script")  # the hostile turn stays text
    articles = doc.xpath("//article")
    assert [a.get("lang") for a in articles] == ["en", "fr"]
    en, fr = (a.text_content() for a in articles)
    assert HOSTILE in en and REAL_REPLY in en and COACH in en and "We are on it, sorry." in en
    assert en.index("What would you reply?") < en.index(REAL_REPLY)  # the answers come after
    assert "Que répondriez-vous ?" in fr and "Ce que le conseiller a vraiment répondu" in fr
    assert "relationnelle" not in fr and "opérationnelle" in fr  # the skill axis, in French
    # the answers start a new page, and so does each scenario after the first
    assert articles[0].xpath(".//div[contains(@class, 'page-break')]")
    assert "page-break" in articles[1].get("class") and "page-break" not in articles[0].get("class")
    assert "@media print" in page


def test_the_situation_and_channel_read_as_the_scenarios_language_names_them():
    from dataclasses import replace

    named = replace(french(13), situation_name="Facturation et paiement", channel="review")
    fr = html.fromstring(handout_html(pack(named))).xpath("//article")[0].text_content()
    assert "Facturation et paiement" in fr and "avis" in fr
    assert "billing" not in fr and "review" not in fr
    # Without the taxonomy's name, the stored situation is shown rather than nothing.
    assert "billing" in html.fromstring(handout_html(pack(french(13)))).text_content()


def test_an_empty_pack_is_refused():
    with pytest.raises(ValueError, match="no scenario"):
        handout(pack().__class__(id="x", title="x", bundles=()))


@pytest.mark.browser
def test_chromium_prints_the_handout(browser, tmp_path):
    file = tmp_path / "handout.html"
    file.write_bytes(handout(pack(english(12), french(13))))
    page = browser.new_page()
    page.goto(file.as_uri())
    pdf = page.pdf(format="A4")
    page.close()
    assert pdf.startswith(b"%PDF")
    # two scenarios, each with its answers on a page of their own: at least four pages
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 4
