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


def test_a_tables_words_are_carried_whole_for_a_french_reader():
    french = widget_hints.script("fr")
    words = json.loads(re.search(r"words=(\{.*?\}),places", french)[1])
    assert words == widget_hints.FRENCH_WORDS
    assert words["Sort ascending"] == "Trier par ordre croissant"
    assert words["Download as CSV"] == "Télécharger en CSV"
    # No word is written as itself: the script would wake itself up again and again, without end
    # (the page froze on a number column's menu, whose "Format" read "Format").
    assert all(english != french for english, french in words.items())


def test_streamlits_front_end_still_has_every_table_word_the_script_rewrites():
    # Each English word is a whole string of the installed front end (`...` in its bundle): a
    # Streamlit that words one otherwise fails here, and that word would stay in English.
    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js"
    source = "".join(path.read_text(encoding="utf-8") for path in bundle.glob("*.js"))
    missing = [w for w in widget_hints.FRENCH_WORDS if f"`{w}`" not in source]
    assert not missing
    for place in widget_hints.WORD_PLACES:
        testid = re.fullmatch(r'\[data-testid="(\w+)"\]', place)
        if testid:
            assert testid[1] in source, place
