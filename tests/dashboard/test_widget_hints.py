"""Streamlit's hints under text fields follow the reader's language (dashboard/widget_hints.py;
the real front end is driven in tests/browser/test_language_switch.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import streamlit

from dashboard import widget_hints


def test_the_script_carries_the_readers_language_and_the_french_words():
    french = widget_hints.script("fr")
    assert 'root.dataset.casebookLanguage="fr"' in french
    assert 'root.dataset.casebookLanguage="en"' in widget_hints.script("en")
    keys = json.loads(re.search(r"var keys=(\{.*?\}),actions", french)[1])
    assert keys == {"Enter": "Entrée", "Ctrl+Enter": "Ctrl+Entrée", "⌘+Enter": "⌘+Entrée"}
    assert '"submit form": "envoyer le formulaire"' in french


def test_streamlits_front_end_still_words_its_hints_as_the_script_expects():
    # The installed front end builds the hint as "Press Enter to ${action}" (a text area:
    # "Press ${Ctrl or ⌘}+Enter to ${action}"), the action "submit form" in a form, else "apply".
    # A new Streamlit wording fails here, not silently in a French reader's page.
    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js"
    (source,) = [
        text
        for path in bundle.glob("*.js")
        if "`InputInstructions`" in (text := path.read_text(encoding="utf-8"))
    ]
    assert "`Press Enter to ${e}`" in source
    assert "`⌘`:`Ctrl`}+Enter to ${e}`" in source
    assert "`submit form`:`apply`" in source
    assert set(widget_hints.FRENCH_ACTIONS) == {"submit form", "apply"}
