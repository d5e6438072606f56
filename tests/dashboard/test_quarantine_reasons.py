"""Quarantine reasons reach a French admin in French (dashboard/quarantine_reasons.py)."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

# AppTest puts the page's folder first on sys.path, where screens/sources.py would shadow the
# `sources` package: import the package before any page runs.
import sources.base  # noqa: F401
from dashboard import quarantine_reasons
from dashboard.quarantine_reasons import FRENCH, french
from sources import FileConnector
from sources.base import CUSTOMER, Record
from store.db import transaction
from store.models import QuarantinedRecord, Source
from store.users import UserInfo
from store.validation import MAX_LENGTHS, check_record
from tests.dashboard.harness import app, page
from tests.sources.test_files import MAPPING, read_all, write_csv

ROOT = Path(__file__).resolve().parents[2]
RETRY = ROOT / "casebook" / "steps" / "ingest.py"  # `casebook quarantine retry` parses again
SAYING = [*(ROOT / "sources").glob("*.py"), ROOT / "store" / "validation.py", RETRY]


def _source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in SAYING)


def _samples_of_bad_values() -> list[str]:
    """Every BadValue message the connectors and the retry raise, its values filled with "12"."""
    found = []
    for path in [*(ROOT / "sources").glob("*.py"), RETRY]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "BadValue"
                and node.args
            ):
                message = node.args[0]
                if isinstance(message, ast.Constant):
                    found.append(str(message.value))
                elif isinstance(message, ast.JoinedStr):
                    found.append(
                        "".join(
                            str(part.value) if isinstance(part, ast.Constant) else "12"
                            for part in message.values
                        )
                    )
    return sorted(set(found))


def _translated(reason: str) -> bool:
    return french(reason) != reason


@pytest.mark.parametrize("english", [english for english, _ in FRENCH])
def test_every_translated_reason_is_one_the_product_gives(english):
    # The pattern's fixed words (values and regex syntax removed) appear in a connector or check.
    fixed = re.sub(r"\(\?:.*\)\?", "", english)  # an optional tail: its words checked below
    words = [w for w in re.split(r"\(.*?\)|\\.|[.*+?]|\[.*?\]", fixed) if w.strip()]
    source = re.sub(r'"\s*\n\s*f?"', "", _source())  # literals split over lines
    assert all(w.strip(" :;") in source for w in words), english


def test_every_bad_value_of_the_connectors_has_a_french_twin():
    samples = _samples_of_bad_values()
    assert len(samples) >= 20  # the scan found the connectors' messages
    assert [s for s in samples if not _translated(s)] == []


def test_the_stores_own_refusals_have_french_twins():
    good = Record(
        external_id="1",
        thread_id="1",
        parent_id=None,
        channel="email",
        author="jane",
        author_role=CUSTOMER,
        text="hello",
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    limit = MAX_LENGTHS["url"]
    assert limit is not None
    bad = [
        replace(good, text="a\x00b"),
        replace(good, author="\ud800"),
        replace(good, url="u" * (limit + 1)),
        replace(good, author_role="robot"),
        replace(good, created_at=datetime(2024, 1, 1)),
    ]
    reasons = [check_record(record)[1] for record in bad]
    assert all(reasons)
    assert [french(str(r)) for r in reasons] == [
        "un caractère NUL dans le champ texte (la base ne peut pas le stocker)",
        "un code isolé (U+D800) dans le champ auteur (la base ne peut pas le stocker)",
        f"URL trop longue ({limit + 1} caractères, limite {limit})",
        "rôle d'auteur inconnu 'robot'",
        "la date n'a pas de fuseau horaire",
    ]


def test_a_damaged_file_is_quarantined_with_reasons_in_french(tmp_path):
    csv_path = write_csv(
        tmp_path / "export.csv",
        [
            ["T-1", "Colis perdu", "2024-03-14 12:00", "jane", "client"],
            ["T-2", "", "2024-03-14 12:00", "jane", "client"],
            ["T-3", "Trop de champs", "2024-03-14", "jane", "client", "extra", "more"],
            ["T-4", "Date folle", "hier soir", "jane", "client"],
            ["", "Sans id", "2024-03-14", "jane", "client"],
            ["T-6", "Robot", "2024-03-14", "jane", "robot"],
        ],
    )
    lines = [
        '{"ticket_id": "1", "body": "ok", "date": "2024-01-01"',
        "[1, 2]",
        '{"ticket_id": "2", "body": {"a": 1}, "date": "2024-01-01", "customer": "c"}',
    ]
    jsonl_path = tmp_path / "feed.jsonl"
    jsonl_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rejected = read_all(FileConnector(csv_path, "csv", MAPPING))[2]
    rejected += read_all(FileConnector(jsonl_path, "jsonl", MAPPING))[2]
    reasons = [r.reason for r in rejected]
    assert len(reasons) == 8
    assert [r for r in reasons if not _translated(r)] == []
    assert french(reasons[0]) == "texte vide"
    assert french(reasons[1]) == "7 champs, alors que l'en-tête en a 5"
    assert french(reasons[2]) == "date illisible 'hier soir'"
    assert french(reasons[5]).startswith("JSON invalide : ")
    assert french(reasons[7]) == "texte ('body') est un objet JSON, et non une chaîne"


def test_numbers_are_grouped_the_french_way():
    said = french("text too long (12,345 characters, limit 10,000)")
    assert said == "texte trop long (12\u202f345 caractères, limite 10\u202f000)"
    cut = french(
        "invalid JSON at line 4: Expecting value; the rest of the list (1,234 characters) could not be read"
    )
    assert cut.endswith("la suite de la liste (1\u202f234 caractères) n'a pas pu être lue")
    assert "the rest of the list" in _source()


def test_a_reason_not_listed_is_shown_as_it_is():
    assert french("the feed said no") == "the feed said no"
    assert french("response: the feed said no") == "réponse : the feed said no"


def test_the_admins_french_quarantine_table_says_why_in_french(db):
    with transaction(db) as s:
        source = Source(name="tickets", kind="csv", channel="email")
        s.add(source)
        s.flush()
        for position, reason in (("a.csv:2", "missing date"), ("a.csv:3", "bad json")):
            s.add(
                QuarantinedRecord(
                    source_id=source.id, position=position, reason=reason, raw=json.dumps({})
                )
            )
    admin = UserInfo(id=999, username="ali", display_name="Ali", role="admin", language="fr")
    at = app(admin, script=page("source_health")).run()
    assert not at.exception and not at.error
    shown = at.dataframe[-1].value
    assert sorted(shown["reason"]) == ["bad json", "date manquante"]


def test_english_readers_keep_the_reason_as_stored(monkeypatch):
    import pandas as pd

    monkeypatch.setattr(quarantine_reasons, "current_language", lambda: "en")
    frame = pd.DataFrame({"reason": ["missing date"]})
    assert list(quarantine_reasons.localised(frame)["reason"]) == ["missing date"]
