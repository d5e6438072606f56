"""Serve the deployments declared in prefect.yaml, with their schedules, from this process."""

from __future__ import annotations

import importlib
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml
from prefect import Flow, serve

# flows/prefect.yaml links to the top-level prefect.yaml (where `prefect deploy --all` reads it);
# an installed wheel holds the file itself.
PREFECT_YAML = files("flows") / "prefect.yaml"


def load_flow(entrypoint: str) -> Flow[Any, Any]:
    """The flow named by an entrypoint like `flows/ingest.py:ingest_feedback`."""
    path, name = entrypoint.split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return getattr(module, name)


def deployments(path: Traversable = PREFECT_YAML) -> list[Any]:
    """Runner deployments for the entries of prefect.yaml, with their cron schedules."""
    spec = yaml.safe_load(path.read_text())
    out = []
    for entry in spec["deployments"]:
        crons = [s["cron"] for s in entry.get("schedules") or [] if "cron" in s]
        out.append(
            load_flow(entry["entrypoint"]).to_deployment(
                name=entry["name"],
                cron=crons[0] if crons else None,
                description=entry.get("description"),
                tags=entry.get("tags"),
                parameters=entry.get("parameters") or {},
            )
        )
    return out


if __name__ == "__main__":
    from casebook.logs import configure_logging
    from casebook.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    serve(*deployments())
