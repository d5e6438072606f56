"""Helpers shared by tests: a project-like environment in a temporary folder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from casebook.settings import get_settings
from store.db import close_engines

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def use_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the settings at a fresh var/ folder and sources file in `tmp_path`."""
    monkeypatch.setenv("CASEBOOK_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("CASEBOOK_DATABASE_URL", f"sqlite:///{tmp_path / 'var' / 'casebook.db'}")
    monkeypatch.setenv("CASEBOOK_SOURCES_FILE", str(tmp_path / "sources.yaml"))
    get_settings.cache_clear()
    close_engines()
    return tmp_path


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    """Write rows as JSON lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return path


def chat_row(ext, thread, parent, role, minutes, text, language, hour: int = 9) -> dict:
    """One comment of a hand-written thread, as the jsonl connector reads it (10 November 2026,
    `hour`:`minutes`)."""
    return {
        "external_id": ext,
        "thread_id": thread,
        "parent_id": parent,
        "author": f"user-{role}-{thread}",
        "author_role": role,
        "channel": "twitter",
        "created_at": f"2026-11-10T{hour:02d}:{minutes:02d}:00+00:00",
        "text": text,
        "language": language,
    }


def conversation_rows() -> list[dict]:
    """Two hand-written threads: an English recovery and a French escalation."""
    return [
        chat_row(
            "e1",
            "e1",
            None,
            "customer",
            0,
            "My parcel is LOST and nobody answers!!! Terrible service, call me at 06 12 34 56 78",
            "en",
        ),
        chat_row(
            "e2",
            "e1",
            "e1",
            "agent",
            5,
            "I'm so sorry about this. I found your parcel and it ships today by express, free of charge.",
            "en",
        ),
        chat_row(
            "e3",
            "e1",
            "e2",
            "customer",
            9,
            "Wow thank you so much, you saved my day! Amazing service",
            "en",
        ),
        chat_row(
            "f1",
            "f1",
            None,
            "customer",
            10,
            "Mon vol est annulé et personne ne répond, c'est nul",
            "fr",
        ),
        chat_row("f2", "f1", "f1", "agent", 15, "Veuillez consulter notre FAQ.", "fr"),
        chat_row(
            "f3",
            "f1",
            "f2",
            "customer",
            20,
            "C'est une honte !!! Service horrible, je vais porter plainte et tout le monde saura",
            "fr",
        ),
    ]


def publish(
    session: Any,
    *,
    scenario_id: int,
    actor: str = "coach",
    model_answer: str | None = "Model",
    reason: str = "ready for the advisors",
    **kwargs: Any,
) -> Any:
    """Publish a candidate scenario the way a coach does: in review, approved, then published, each
    move with a reason (the review workflow of store.scenarios)."""
    from store.scenarios import move_scenario, publish_scenario

    for target in ("in_review", "approved"):
        move_scenario(
            session, scenario_id=scenario_id, target=target, actor=actor, reason=f"test: {target}"
        )
    return publish_scenario(
        session,
        scenario_id=scenario_id,
        actor=actor,
        model_answer=model_answer,
        reason=reason,
        **kwargs,
    )


def twin_enriched_stores(
    engine: Any, tmp_path: Path, settings: Any, copies: str, extra: Sequence[dict] = ()
) -> Any:
    """Fill `engine`'s SQLite store with `conversation_rows()` and one renamed copy of them per
    letter of `copies` (and the rows of `extra`), ingest and enrich it, and return an engine on an
    identical copy."""
    import sqlite3

    from casebook.steps.enrich import enrich_store
    from casebook.steps.ingest import ingest_source, register_source
    from store.db import make_engine

    rows = conversation_rows()
    for copy in copies:
        rows += [
            {
                **r,
                "external_id": f"{copy}{r['external_id']}",
                "thread_id": f"{copy}{r['thread_id']}",
                "parent_id": r["parent_id"] and f"{copy}{r['parent_id']}",
            }
            for r in conversation_rows()
        ]
    path = write_jsonl(tmp_path / "chat.jsonl", [*rows, *extra])
    register_source(engine, "chat", "jsonl", "chat", {"path": str(path)})
    ingest_source(engine, "chat", b"k" * 32)
    enrich_store(engine, settings)
    copy_path = tmp_path / "copy.db"
    with sqlite3.connect(engine.url.database) as src, sqlite3.connect(copy_path) as dst:
        src.backup(dst)  # the WAL's pages too
    return make_engine(f"sqlite:///{copy_path}")
