"""Streamlit's own hints under a text field, in the reader's language.

While a reader types in a text field, Streamlit's front end writes "Press Enter to apply" (or
"... to submit form", "Press Ctrl+Enter ..." in a text area) under it, in English whatever the
page's language: Streamlit has no setting for it. `follow_language()` puts a small script on the
page that rewrites those hints in French for a French reader, each time the front end writes one
(a MutationObserver on the page); for an English reader it leaves them as they are. The hints are
matched whole, so a hint Streamlit words otherwise one day stays in English rather than wrong.
"""

from __future__ import annotations

import json

import streamlit as st

from dashboard.i18n import current_language

# Streamlit's hint (its key, "Enter", "Ctrl+Enter" or "⌘+Enter"; its action) -> the French one.
FRENCH_KEYS = {"Enter": "Entrée", "Ctrl+Enter": "Ctrl+Entrée", "⌘+Enter": "⌘+Entrée"}
FRENCH_ACTIONS = {"apply": "valider", "submit form": "envoyer le formulaire"}

_SCRIPT = """<script>(function(){
var root=document.documentElement;root.dataset.casebookLanguage=%(language)s;
if(window.casebookHints){window.casebookHints();return;}
var keys=%(keys)s,actions=%(actions)s;
var hint=/^Press (Enter|Ctrl\\+Enter|\\u2318\\+Enter) to (apply|submit form)$/;
function rewrite(){
  if(root.dataset.casebookLanguage!=="fr"){return;}
  document.querySelectorAll('[data-testid="InputInstructions"] span').forEach(function(s){
    var m=hint.exec(s.textContent);
    if(m){s.textContent="Appuyez sur "+keys[m[1]]+" pour "+actions[m[2]];}
  });
}
window.casebookHints=rewrite;
new MutationObserver(rewrite).observe(document.body,{subtree:true,childList:true,characterData:true});
rewrite();
})();</script>"""


def script(language: str) -> str:
    """The page's script for a reader of `language`."""
    return _SCRIPT % {
        "language": json.dumps(language),
        "keys": json.dumps(FRENCH_KEYS, ensure_ascii=False),
        "actions": json.dumps(FRENCH_ACTIONS, ensure_ascii=False),
    }


def follow_language() -> None:
    """Put the script on the page (again when the reader's language changes)."""
    st.html(script(current_language()), unsafe_allow_javascript=True, width=1)
