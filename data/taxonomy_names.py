"""The names of the taxonomy's situations and what their customers want, by language, read
without the analyser: the dashboard, the exports and curation show them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from casebook_data import TAXONOMY_FILE


def situation_names(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Each situation's name by language ({"billing_payment": {"en": "Billing and payment",
    "fr": ...}}) from a taxonomy file (default data/taxonomy.yaml); {} when it cannot be read."""
    return situation_texts(path, "labels")[0]


def situation_wants(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """What a customer of each situation wants, by language ({"churn_threat": {"en": "a reason
    to stay", ...}}): the scenario's "The customer wants: ..." line; {} when it cannot be read."""
    return situation_texts(path, "wants")[0]


# A scenario's line of what its customer wants, by language: curation writes it, the editor and
# the quiz read back what follows the lead-in.
WANTS_LINES = {"en": "The customer wants: {what}", "fr": "Le client veut : {what}"}
_LEAD = re.compile(
    r"^\s*(?:"
    + "|".join(re.escape(line.split("{what}")[0].rstrip(" :")) for line in WANTS_LINES.values())
    + r")\s*:\s*",
    re.IGNORECASE,
)


def wants_line(language: str, what: str) -> str:
    """The line of what a customer wants, in `language` ("The customer wants: a refund"); ""
    when `what` says nothing."""
    what = " ".join((what or "").split())
    return WANTS_LINES.get(language, WANTS_LINES["en"]).format(what=what) if what else ""


def what_wanted(line: str) -> str:
    """What a wants_line says the customer wants, without its lead-in (of either language, in
    any case); a line without one as it is, its white space one space."""
    return " ".join(_LEAD.sub("", line or "").split())


def situation_texts(path: str | Path | None, *fields: str) -> tuple[dict[str, dict[str, str]], ...]:
    """For each of `fields` ("labels", "wants"), each situation's text by language, from one
    reading of the taxonomy file (situations without that field left out); {} for each when the
    file cannot be read."""
    try:
        tree = yaml.safe_load(Path(path or TAXONOMY_FILE).read_text(encoding="utf-8")) or {}
    except OSError:
        return tuple({} for _ in fields)
    situations = tree.get("situations", tree) if isinstance(tree, dict) else {}
    specs = {str(key): spec for key, spec in situations.items() if isinstance(spec, dict)}
    return tuple(
        {
            key: {str(k): str(v) for k, v in spec[name].items()}
            for key, spec in specs.items()
            if spec.get(name)
        }
        for name in fields
    )
