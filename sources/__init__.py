"""Connectors: one per channel, all yielding the same records (see sources.base)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sources.base import AGENT, CUSTOMER, Batch, Connector, Record, Rejected, SourceError
from sources.files import FileConnector
from sources.http import network_kind
from sources.twcs import TwcsConnector

__all__ = [
    "AGENT",
    "CUSTOMER",
    "KINDS",
    "Batch",
    "Connector",
    "FileConnector",
    "Record",
    "Rejected",
    "SourceError",
    "TwcsConnector",
    "make_connector",
]


def _path(config: Mapping[str, Any], kind: str) -> Path:
    if not config.get("path"):
        raise SourceError(f"A {kind} source needs a 'path' in its config.")
    return Path(config["path"])


def _file_connector(kind: str) -> Callable[[Mapping[str, Any]], Connector]:
    def make(config: Mapping[str, Any]) -> Connector:
        return FileConnector(
            _path(config, kind),
            format=kind,  # type: ignore[arg-type]
            mapping=config.get("mapping"),
            channel=config.get("channel") or "unknown",
            defaults=config.get("defaults"),
        )

    return make


KINDS: dict[str, Callable[[Mapping[str, Any]], Connector]] = {
    "csv": _file_connector("csv"),
    "jsonl": _file_connector("jsonl"),
    "twcs": lambda config: TwcsConnector(_path(config, "twcs")),
    # Drop folders and exports (sources/files.py, cfpb.py, mail.py): read from files, no network.
    "json": lambda config: FileConnector.from_config(config, "json"),
    "xlsx": lambda config: FileConnector.from_config(config, "xlsx"),
    "cfpb": network_kind("sources.cfpb", "CfpbConnector"),
    "email": network_kind("sources.mail", "MailFolderConnector"),
    "imap": network_kind("sources.mail", "ImapConnector"),
    # Network sources (sources/http.py): secrets come from the environment, never the config.
    "x": network_kind("sources.x", "XConnector"),
    "facebook": network_kind("sources.facebook", "FacebookConnector"),
    "trustpilot": network_kind("sources.trustpilot", "TrustpilotConnector"),
    "appstore": network_kind("sources.appstore", "FeedConnector"),
    "zendesk": network_kind("sources.zendesk", "ZendeskConnector"),
}


def make_connector(kind: str, config: Mapping[str, Any]) -> Connector:
    """The connector of `kind` configured by `config` (a source's stored config)."""
    try:
        make = KINDS[kind]
    except KeyError:
        raise SourceError(
            f"Unknown source kind {kind!r}; known kinds are {', '.join(sorted(KINDS))}."
        ) from None
    return make(config)
