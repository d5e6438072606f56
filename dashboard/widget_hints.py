"""Streamlit's own hints under a text field, in the reader's language.

While a reader types in a text field, Streamlit's front end writes "Press Enter to apply" (or
"... to submit form", "Press Ctrl+Enter ..." in a text area) under it, in English whatever the
page's language: Streamlit has no setting for it. `follow_language()` puts a small script on the
page that rewrites those hints in French for a French reader, each time the front end writes one
(a MutationObserver on the page); for an English reader it leaves them as they are. The hints are
matched whole, so a hint Streamlit words otherwise one day stays in English rather than wrong.

The same script gives a table's own words in French: its toolbar's buttons and their tooltips
("Download as CSV"), its column menu ("Sort ascending", "Pin column") and the column statistics
("Distinct", "Average length"), each matched whole (FRENCH_WORDS), in the toolbar, tooltips and
pop-overs only; the statistics' numbers as a French reader writes them ("1 234,5", "68,5 %").
A date picker's calendar is not Streamlit's: it follows the browser's language.
"""

from __future__ import annotations

import json

import streamlit as st

from dashboard.i18n import current_language

# Streamlit's hint (its key, "Enter", "Ctrl+Enter" or "⌘+Enter"; its action) -> the French one.
FRENCH_KEYS = {"Enter": "Entrée", "Ctrl+Enter": "Ctrl+Entrée", "⌘+Enter": "⌘+Entrée"}
FRENCH_ACTIONS = {"apply": "valider", "submit form": "envoyer le formulaire"}

# A table's words (st.dataframe's toolbar, column menu and statistics), whole -> French. Words
# French writes alike ("Format", "Minimum") are not in it: the script never writes a text that
# is already there, or its own writing would wake it again, without end.
FRENCH_WORDS = {
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Type to search": "Tapez pour rechercher",
    "Copy column name": "Copier le nom de la colonne",
    "Sort ascending": "Trier par ordre croissant",
    "Sort descending": "Trier par ordre décroissant",
    "Statistics": "Statistiques",
    "Autosize": "Largeur automatique",
    "Pin column": "Épingler la colonne",
    "Unpin column": "Désépingler la colonne",
    "Hide column": "Masquer la colonne",
    "Select all": "Tout sélectionner",
    "Values": "Valeurs",
    "Empty": "Vides",
    "Distinct": "Distinctes",
    "Average": "Moyenne",
    "25th percentile": "1er quartile",
    "Median": "Médiane",
    "75th percentile": "3e quartile",
    "Sum": "Somme",
    "Standard deviation": "Écart type",
    "Range": "Étendue",
    "Minimum length": "Longueur minimale",
    "Maximum length": "Longueur maximale",
    "Average length": "Longueur moyenne",
    "Based on sample": "Sur un échantillon",
    "No data": "Aucune donnée",
    "Automatic": "Automatique",
    "Localized": "Localisé",
    "Plain": "Brut",
    "Percent": "Pourcentage",
    "Scientific": "Scientifique",
}
# Where those words are: a table's toolbar (its search field too), tooltips, pop-overs (menus).
WORD_PLACES = (
    '[data-testid="stElementToolbar"]',
    '[data-testid="stTooltipContent"]',
    '[data-baseweb="popover"]',
    '[role="menu"]',
    '[data-testid="stDataFrameStatisticsMenu"]',
)

# Where a number is written as Python writes it ("1,234.5", "68.5%"): the column statistics, whose
# numbers read "1 234,5" and "68,5 %" for a French reader, as dashboard.i18n.written writes them.
# A number is rewritten once (the script keeps what it wrote): "0,125" is not read again as a
# thousand.
NUMBER_PLACES = '[data-testid="stDataFrameStatisticsMenu"]'

_SCRIPT = """<script>(function(){
var root=document.documentElement;root.dataset.casebookLanguage=%(language)s;
if(window.casebookHints){window.casebookHints();return;}
var keys=%(keys)s,actions=%(actions)s,words=%(words)s,places=%(places)s,numbered=%(numbered)s;
var mine=new WeakMap();
var hint=/^Press (Enter|Ctrl\\+Enter|\\u2318\\+Enter) to (apply|submit form)$/;
function texts(where,each){
  document.querySelectorAll(where).forEach(function(place){
    var walk=document.createTreeWalker(place,NodeFilter.SHOW_TEXT),n;
    while((n=walk.nextNode())){each(n);}
  });
}
function rewrite(){
  if(root.dataset.casebookLanguage!=="fr"){return;}
  document.querySelectorAll('[data-testid="InputInstructions"] span').forEach(function(s){
    var m=hint.exec(s.textContent);
    if(m){s.textContent="Appuyez sur "+keys[m[1]]+" pour "+actions[m[2]];}
  });
  texts(numbered,function(n){
    var v=n.nodeValue;
    if(mine.get(n)===v||!/\\d/.test(v)||!/^[\\d.,%%()\\s-]+$/.test(v)){return;}
    var fr=v.replace(/,/g,"\\u202f").replace(/\\./g,",").replace(/(\\d)%%/g,"$1\\u202f%%");
    mine.set(n,fr);
    if(fr!==v){n.nodeValue=fr;}
  });
  texts(places,function(n){
    var said=n.nodeValue.trim();
    if(words.hasOwnProperty(said)&&words[said]!==said){n.nodeValue=n.nodeValue.replace(said,words[said]);}
  });
  document.querySelectorAll(places).forEach(function(place){
    [place].concat(Array.prototype.slice.call(place.querySelectorAll("[aria-label],[title],[placeholder]"))).forEach(function(e){
      ["aria-label","title","placeholder"].forEach(function(a){
        var v=e.getAttribute(a);
        if(v&&words.hasOwnProperty(v)&&words[v]!==v){e.setAttribute(a,words[v]);}
      });
    });
  });
}
window.casebookHints=rewrite;
new MutationObserver(rewrite).observe(document.body,{subtree:true,childList:true,characterData:true,attributes:true,attributeFilter:["aria-label","title","placeholder"]});
rewrite();
})();</script>"""


def script(language: str) -> str:
    """The page's script for a reader of `language`."""
    return _SCRIPT % {
        "language": json.dumps(language),
        "keys": json.dumps(FRENCH_KEYS, ensure_ascii=False),
        "actions": json.dumps(FRENCH_ACTIONS, ensure_ascii=False),
        "words": json.dumps(FRENCH_WORDS, ensure_ascii=False),
        "places": json.dumps(",".join(WORD_PLACES)),
        "numbered": json.dumps(NUMBER_PLACES),
    }


def follow_language() -> None:
    """Put the script on the page (again when the reader's language changes)."""
    st.html(script(current_language()), unsafe_allow_javascript=True, width=1)
