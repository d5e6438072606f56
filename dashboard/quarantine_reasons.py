"""Why a record was quarantined, said in the reader's language.

The connectors (sources/), the store's checks (store/validation.py) and `casebook quarantine
retry` (casebook/steps/ingest.py) give the reason as a short English phrase, which the store,
the commands and the logs keep as it is. The admin's quarantine table shows it through
`localised(frame)`: each phrase below is matched whole and its French twin takes the same values
(a field's name, a number, the offending value as it was written). The messages of Python's own
parsers inside a reason (the csv and json modules', an e-mail date's) stay as they are. A reason
not listed here is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from dashboard.errors import compiled, twin_of
from dashboard.i18n import current_language

# A record's fields as the reasons name them (sources.base.Record, store/validation.py).
FIELDS = {
    "text": "texte",
    "author": "auteur",
    "channel": "canal",
    "language": "langue",
    "url": "URL",
    "external_id": "identifiant",
    "thread_id": "identifiant du fil",
    "parent_id": "identifiant du message parent",
    "body": "corps du message",
}
_THIN_SPACE = "\u202f"  # French groups thousands with a narrow no-break space


def _number(text: str) -> str:
    return text.replace(",", _THIN_SPACE)


def _field(name: str) -> str:
    return FIELDS.get(name, name)


FEMININE = frozenset({"language", "url"})  # "langue", "URL": "trop longue"


def _too_long(m: re.Match[str]) -> str:
    long = "longue" if m[1] in FEMININE else "long"
    return f"{_field(m[1])} trop {long} ({_number(m[2])} caractères, limite {_number(m[3])})"


def _unstorable(m: re.Match[str]) -> str:
    what = "un caractère NUL" if m[1] == "a NUL character" else f"un code isolé ({m[2]})"
    return f"{what} dans le champ {_field(m[3])} (la base ne peut pas le stocker)"


def _invalid_json_line(m: re.Match[str]) -> str:
    said = f"JSON invalide à la ligne {m[1]} : {_json_detail(m[2])}"
    if m[3]:
        said += f" ; la suite de la liste ({_number(m[3])} caractères) n'a pas pu être lue"
    return said


def _json_detail(detail: str) -> str:
    after = re.fullmatch(r"expected ',' or ']' after item (\d+)", detail)
    return f"« , » ou « ] » attendu après l'élément {after[1]}" if after else detail


JSON_KINDS = {
    "object": "un objet",
    "array": "un tableau",
    "string": "une chaîne",
    "number": "un nombre",
    "boolean": "un booléen",
    "null": "null",
}


def _json_kind(m: re.Match[str]) -> str:
    allowed = " ou ".join(JSON_KINDS.get(k, k) for k in m[4].split(" or "))
    return f"{_field(m[1])} ({m[2]}) est {JSON_KINDS.get(m[3], m[3])} JSON, et non {allowed}"


def _response(m: re.Match[str]) -> str:
    return f"réponse : {french(m[1])}"


# (the English reason as a pattern, its French twin: a replacement with \1 or a function).
FRENCH: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    (r"missing id", "identifiant manquant"),
    (r"missing date", "date manquante"),
    (r"missing text", "texte manquant"),
    (r"empty date", "date vide"),
    (r"empty text", "texte vide"),
    (r"empty message", "message vide"),
    (r"not a JSON object", "pas un objet JSON"),
    (r"unparseable date (.*)", r"date illisible \1"),
    (
        r"impossible date (.*) \(year outside (\d+)-(\d+)\)",
        r"date impossible \1 (année hors de \2 à \3)",
    ),
    (r"impossible date (.*)", r"date impossible \1"),
    (r"unknown author role (.*)", r"rôle d'auteur inconnu \1"),
    (r"(\w+) too long \(([\d,]+) characters, limit ([\d,]+)\)", _too_long),
    (
        r"undecodable bytes in (\w+) \(garbage left after repair\)",
        lambda m: f"octets indéchiffrables dans le champ {_field(m[1])} (même après réparation)",
    ),
    (r"text is not a string \((\w+)\)", r"le texte n'est pas une chaîne de caractères (\1)"),
    (r"(\w+) \((.*)\) is a JSON (\w+), not (.*)", _json_kind),
    (r"inbound is (.*), not True or False", r"inbound vaut \1, et non True ou False"),
    (r"(a NUL character|a lone surrogate \((U\+[0-9A-F]{4})\)) in (\w+)", _unstorable),
    (r"created_at has no time zone", "la date n'a pas de fuseau horaire"),
    (r"unreadable CSV row: (.*)", r"ligne CSV illisible : \1"),
    (r"(\d+) fields, the header has (\d+)", r"\1 champs, alors que l'en-tête en a \2"),
    (r"invalid JSON: (.*) at column (\d+)", r"JSON invalide : \1 à la colonne \2"),
    (
        r"invalid JSON at line (\d+): (.*?)"
        r"(?:; the rest of the list \(([\d,]+) characters\) could not be read)?",
        _invalid_json_line,
    ),
    (r"not an e-mail message: no headers", "pas un e-mail : aucun en-tête"),
    (r"no Date header", "pas d'en-tête Date"),
    (r"bad Date header: (.*)", r"en-tête Date illisible : \1"),
    (r"no sender address in From", "pas d'adresse d'expéditeur dans From"),
    (
        r"no text body \(neither text/plain nor text/html\)",
        "pas de texte dans le message (ni text/plain ni text/html)",
    ),
    (r"malformed message: (.*)", r"message mal formé : \1"),
    (
        r"values beyond the header's columns \(fix the sheet; it is read again\)",
        "des valeurs au-delà des colonnes de l'en-tête (corrigez la feuille : elle est relue)",
    ),
    (r"unstorable", "impossible à stocker"),
    (r"response: (.*)", _response),
]
_COMPILED = compiled(FRENCH, re.DOTALL)  # a reason may quote a value over lines


def french(reason: str) -> str:
    """`reason` in French, or as it is when no phrase of `FRENCH` matches it whole."""
    return twin_of(reason, _COMPILED)


def localised(frame: pd.DataFrame) -> pd.DataFrame:
    """A quarantine listing (store.quarantine.quarantined) with its reasons in the reader's
    language."""
    if current_language() != "fr" or frame.empty or "reason" not in frame:
        return frame
    return frame.assign(reason=[french(str(r)) if r is not None else r for r in frame["reason"]])
