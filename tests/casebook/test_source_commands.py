from sqlalchemy import select
from typer.testing import CliRunner

from casebook.cli import app
from casebook.settings import get_settings
from casebook.steps.ingest import ingest_source, sync_sources
from store.db import get_engine, transaction
from store.models import AuditEntry, Source
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
    assert "2 comments" in output and "@ann" not in output
    with transaction(get_engine()) as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "erase_author"))
        assert entry.actor == "dpo" and entry.detail["comments"] == 2
    failed = runner.invoke(app, ["erase", "--author", "@ann", "--source", "nope"])
    assert failed.exit_code == 1 and "error:" in failed.output
