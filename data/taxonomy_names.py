"""The names of the taxonomy's situations and what their customers want, by language, read
without the analyser: the dashboard, the exports and curation show them."""

from __future__ import annotations

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
