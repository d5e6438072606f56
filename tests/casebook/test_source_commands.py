import json
import os
import re
import uuid

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from casebook.cli import app
from casebook.settings import get_settings
from casebook.steps.ingest import ingest_source, sync_sources
from store.db import close_engines, get_engine, make_engine, transaction
from store.models import AuditEntry, Comment, Source
from tests.helpers import use_store

runner = CliRunner()
DATE = "2026-11-01T10:00:00+00:00"


def csv_export(folder, rows):
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["external_id,author,created_at,text"] + [",".join(r) for r in rows]
    (folder / "export.csv").write_text("\n".join(lines) + "\n")
    return folder


def declare(tmp_path, folder):
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        "  - name: crm\n"
        "    kind: csv\n"
        "    channel: ticket\n"
        "    schedule: '*/15 * * * *'\n"
        "    settings:\n"
        f"      path: {folder}\n"
        "  - name: later\n"
        "    kind: jsonl\n"
        "    enabled: false\n"
        "    settings: {path: /nowhere}\n"
    )


def invoke(*args):
    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_sources_lists_declared_and_stored_sources_with_schedule_and_counts(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    folder = csv_export(
        tmp_path / "drop", [("1", "@ann", DATE, "hello"), ("2", "@bob", "", "no date")]
    )
    declare(tmp_path, folder)
    listing = invoke("sources")
    assert "crm" in listing and "*/15 * * * *" in listing and "not stored yet" in listing
    assert "later" in listing
    settings = get_settings()
    assert sync_sources(get_engine(), settings) == ["crm"]  # what `casebook ingest` runs first
    ingest_source(get_engine(), "crm", settings.pseudonym_key())
    listing = invoke("sources")
    crm = next(line for line in listing.splitlines() if "crm" in line)
    assert "succeeded" in crm and " 1 " in crm  # one comment, one quarantined
    with transaction(get_engine()) as s:
        assert s.scalar(select(Source.schedule).where(Source.name == "crm")) == "*/15 * * * *"


def test_quarantine_list_and_retry(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    folder = csv_export(
        tmp_path / "drop", [("1", "@ann", DATE, "hello"), ("2", "@bob", "", "no date")]
    )
    invoke("import", str(folder), "--format", "csv", "--source", "crm", "--channel", "ticket")
    invoke(
        "import",
        str(csv_export(tmp_path / "other", [("9", "@cy", "", "x")])),
        "--format",
        "csv",
        "--source",
        "other",
    )
    listing = invoke("quarantine", "list", "--source", "crm")
    assert "export.csv:3" in listing and "missing date" in listing and "other" not in listing
    assert "other" in invoke("quarantine", "list")
    assert "1 of 1 quarantined record" in listing
    assert "2 of 2 quarantined records" in invoke("quarantine", "list")
    cut = invoke("quarantine", "list", "--limit", "1")
    assert "1 of 2 quarantined records: 1 more not shown (--limit 2" in " ".join(cut.split())
    assert "crm: 1 retried, 0 ingested, 1 still quarantined" in invoke(
        "quarantine", "retry", "--source", "crm"
    )
    assert "is empty for nobody" in invoke("quarantine", "list", "--source", "nobody")


def test_erase_prints_counts_and_never_the_handle(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    folder = csv_export(
        tmp_path / "drop",
        [
            ("1", "@ann", DATE, "hello"),
            ("2", "@ann", DATE, "again"),
            ("3", "@bob", DATE, "bob here"),
        ],
    )
    invoke("import", str(folder), "--format", "csv", "--source", "crm", "--channel", "ticket")
    output = invoke("erase", "--author", "@ann", "--source", "crm", "--actor", "dpo")
    assert "2 comments" in output and "0 slow-pass readings" in output and "@ann" not in output
    with transaction(get_engine()) as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "erase_author"))
        assert entry.actor == "dpo" and entry.detail["comments"] == 2
    failed = runner.invoke(app, ["erase", "--author", "@ann", "--source", "nope"])
    assert failed.exit_code == 1 and "error:" in failed.output


def test_ingest_reads_a_declared_source_on_its_own_the_first_time(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    folder = csv_export(
        tmp_path / "drop", [("1", "@ann", DATE, "hello"), ("2", "@bob", "", "no date")]
    )
    declare(tmp_path, folder)  # never ingested: the store does not know crm yet
    result = runner.invoke(app, ["ingest", "--source", "crm"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    # One tidy line per source, its counts and nouns in agreement.
    assert result.stdout.strip() == "crm: 2 records read, 1 new comment, 1 quarantined"
    again = runner.invoke(app, ["ingest", "--source", "crm", "--format", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == [
        {"source": "crm", "read": 0, "new": 0, "quarantined": 0, "edited": 0, "linked": 0}
    ]


def test_ingest_of_an_unknown_source_is_one_error_line_naming_the_known_ones(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    declare(tmp_path, csv_export(tmp_path / "drop", [("1", "@ann", DATE, "hello")]))
    result = runner.invoke(app, ["ingest", "--source", "nope"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no source is called 'nope'")
    assert "crm, later" in result.output and "Traceback" not in result.output
    with transaction(get_engine()) as s:
        assert s.scalar(select(Comment.id)) is None  # nothing was read


def test_ingest_where_every_source_failed_is_one_error_line(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    declare(tmp_path, tmp_path / "gone")
    result = runner.invoke(app, ["ingest", "--source", "crm"])
    assert result.exit_code == 1
    assert "error: every source failed: crm:" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output
    bad = runner.invoke(app, ["ingest", "--format", "xml"])
    assert bad.exit_code == 1 and "text or json" in bad.output


def test_ingest_where_one_source_failed_reads_the_others_and_exits_1(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    folder = csv_export(tmp_path / "drop", [("1", "@ann", DATE, "hello")])
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{name: crm, kind: csv, settings: {{path: {folder}}}}}\n"
        f"  - {{name: mail, kind: csv, settings: {{path: {tmp_path / 'gone'}}}}}\n"
    )
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 1, result.output  # a scheduler or a script sees the failure
    lines = result.stdout.splitlines()
    assert lines[0] == "crm: 1 record read, 1 new comment, 0 quarantined"
    assert lines[1].startswith("mail: failed:") and "does not exist" in lines[1]
    said = result.stderr.strip().splitlines()[-1]  # after the step's log line and progress
    assert said == "error: 1 of 2 sources failed (mail); the other was ingested"
    with transaction(get_engine()) as s:
        assert s.scalars(select(Comment.text)).all() == ["hello"]  # crm's comment is kept
    run = runner.invoke(app, ["run", "--format", "json"])
    assert run.exit_code == 1
    assert [r["source"] for r in json.loads(run.stdout)["ingest"]] == ["crm", "mail"]
    assert "the other was ingested and the other steps ran" in run.stderr


@pytest.mark.postgres
def test_ingest_reads_a_declared_source_on_its_own_on_postgresql(monkeypatch, tmp_path):
    url = os.environ.get("CASEBOOK_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("CASEBOOK_TEST_POSTGRES_URL is not set")
    use_store(monkeypatch, tmp_path)
    schema = f"cb_cli_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        monkeypatch.setenv("CASEBOOK_DATABASE_URL", f"{url}?options=-csearch_path%3D{schema}")
        monkeypatch.delenv("CASEBOOK_SECRET_KEY", raising=False)
        get_settings.cache_clear()
        close_engines()
        declare(tmp_path, csv_export(tmp_path / "drop", [("1", "@ann", DATE, "hello")]))
        refused = runner.invoke(app, ["ingest", "--source", "crm"])
        assert refused.exit_code == 1 and "Traceback" not in refused.output
        assert refused.stderr.startswith("error: CASEBOOK_SECRET_KEY is not set")
        monkeypatch.setenv("CASEBOOK_SECRET_KEY", "cli-test-" + "k" * 32)
        get_settings.cache_clear()
        result = runner.invoke(app, ["ingest", "--source", "crm"])
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == "crm: 1 record read, 1 new comment, 0 quarantined"
    finally:
        close_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_sources_is_readable_at_80_columns(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    folder = csv_export(tmp_path / "drop", [("1", "@ann", DATE, "hello")])
    declare(tmp_path, folder)
    invoke("import", str(folder), "--format", "csv", "--source", "zendesk-export")
    invoke("ingest", "--source", "crm")
    result = runner.invoke(app, ["sources"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "…" not in result.output and max(len(line) for line in lines) <= 80
    crm = next(i for i, line in enumerate(lines) if line.split()[:1] == ["crm"])
    assert "csv, ticket" in lines[crm] and "succeeded" in lines[crm]
    assert "*/15 * * * *" in lines[crm + 1] and re.search(
        r"\d{4}-\d\d-\d\d \d\d:\d\d", lines[crm + 1]
    )
    assert "zendesk-export *" in result.output and "(disabled)" in result.output  # later
    assert "* not declared in" in result.output
