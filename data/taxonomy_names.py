"""The names of the taxonomy's situations and what their customers want, by language, read
without the analyser: the dashboard, the exports and curation show them."""

from __future__ import annotations

from pathlib import Path

import yaml

from casebook_data import TAXONOMY_FILE


def situation_names(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Each situation's name by language ({"billing_payment": {"en": "Billing and payment",
    "fr": ...}}) from a taxonomy file (default data/taxonomy.yaml); {} when it cannot be read."""
    return _situation_field(path, "labels")


def situation_wants(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """What a customer of each situation wants, by language ({"churn_threat": {"en": "a reason
    to stay", ...}}): the scenario's "The customer wants: ..." line; {} when it cannot be read."""
    return _situation_field(path, "wants")


def _situation_field(path: str | Path | None, name: str) -> dict[str, dict[str, str]]:
    try:
        tree = yaml.safe_load(Path(path or TAXONOMY_FILE).read_text(encoding="utf-8")) or {}
    except OSError:
        return {}
    situations = tree.get("situations", tree) if isinstance(tree, dict) else {}
    return {
        str(key): {str(k): str(v) for k, v in (spec.get(name) or {}).items()}
        for key, spec in situations.items()
        if isinstance(spec, dict) and spec.get(name)
    }
