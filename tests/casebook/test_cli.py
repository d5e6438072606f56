import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casebook.cli import app
from tests.helpers import SHARED_DATA, conversation_rows, use_store, write_jsonl

runner = CliRunner()
TWCS = SHARED_DATA / "channels" / "twcs" / "twcs_part1.csv"


@pytest.fixture
def project(monkeypatch, tmp_path):
    return use_store(monkeypatch, tmp_path)


def test_init_creates_the_sqlite_store_under_var(project):
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert (project / "var" / "casebook.db").exists()


@pytest.mark.skipif(not TWCS.exists(), reason="shared data not present")
def test_import_twcs_twice_adds_nothing_the_second_time(project):
    first = runner.invoke(app, ["import", str(TWCS), "--format", "twcs", "--source", "twcs"])
    assert first.exit_code == 0, first.output
    assert "2,000 new comments" in first.output
    second = runner.invoke(app, ["import", str(TWCS), "--format", "twcs", "--source", "twcs"])
    assert second.exit_code == 0
    assert "0 new comments" in second.output


def test_import_jsonl_with_quarantine_listing(project):
    rows = conversation_rows()
    rows.append({**rows[0], "external_id": "bad", "text": ""})
    path = write_jsonl(project / "in.jsonl", rows)
    result = runner.invoke(app, ["import", str(path), "--format", "jsonl", "--source", "chat"])
    assert result.exit_code == 0, result.output
    assert "6 new comments, 1 quarantined" in result.output
    listing = runner.invoke(app, ["quarantine", "list"])
    assert "chat" in listing.output and "in.jsonl" in listing.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "nope.csv", "--format", "csv", "--source", "x"], "does not exist"),
        (["users", "add", "bob", "--role", "pilot", "--password", "long-enough-pw"], "role"),
        (["users", "add", "bob", "--role", "coach", "--password", "short"], "8"),
        (["cases", "--format", "xml"], "table or json"),
    ],
)
def test_user_mistakes_are_one_line_errors(project, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "error:" in result.output and message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["cases", "--top", "-1"], "--top"),  # SQLite's LIMIT -1 listed every case
        (["cases", "--top", "0"], "--top"),
        (["families", "list", "--top", "0"], "--top"),
        (["quarantine", "list", "--limit", "-5"], "--limit"),
        (["dashboard", "--port", "99999"], "--port"),  # was a traceback from the socket
        (["demo", "--comments", "-5", "--no-dashboard"], "--comments"),
        (
            ["users", "add", "bob", "--role", "coach", "--level", "7", "--password", "x" * 12],
            "--level",
        ),
        (["users", "set", "bob", "--level", "0"], "--level"),
    ],
)
def test_numbers_out_of_range_are_refused_before_anything_runs(project, args, option):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output  # click's usage error
    assert f"Invalid value for '{option}'" in result.output
    assert "Traceback" not in result.output


def test_a_port_out_of_range_in_the_environment_is_one_line(project, monkeypatch):
    monkeypatch.setenv("CASEBOOK_DASHBOARD_PORT", "0")
    result = runner.invoke(app, ["dashboard"])
    assert result.exit_code == 1
    assert "error: CASEBOOK_DASHBOARD_PORT" in result.output and "Traceback" not in result.output


def test_users_add_stores_a_hash_and_lists_the_user(project):
    result = runner.invoke(
        app,
        [
            "users",
            "add",
            "marie",
            "--role",
            "coach",
            "--language",
            "fr",
            "--password",
            "correct horse battery",
        ],
    )
    assert result.exit_code == 0, result.output
    listing = runner.invoke(app, ["users", "list"])
    assert "marie" in listing.output and "correct horse" not in listing.output
    again = runner.invoke(
        app, ["users", "add", "marie", "--role", "coach", "--password", "another-password"]
    )
    assert again.exit_code == 1 and "error:" in again.output


def test_cases_json_is_empty_on_a_new_store(project):
    result = runner.invoke(app, ["cases", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == []


def test_dashboard_runs_the_installed_dashboard_app_from_any_folder(project, monkeypatch):
    import dashboard

    calls = []

    class Child:  # stands in for the Streamlit process
        def __init__(self, cmd, **_):
            calls.append(cmd)

        def wait(self, timeout=None):
            return 0

        def poll(self):
            return 0

    monkeypatch.chdir(project)
    monkeypatch.setattr("casebook.cli.store.subprocess.Popen", Child)
    result = runner.invoke(app, ["dashboard", "--port", "8765"])
    assert result.exit_code == 0, result.output
    (cmd,) = calls
    app_path = cmd[cmd.index("run") + 1]
    assert app_path == str(Path(dashboard.__file__).parent / "serve.py")
    assert Path(app_path).is_file()
    assert cmd[cmd.index("--server.port") + 1] == "8765"


def test_train_and_evaluate_read_the_data_folder_from_the_current_folder_or_the_env(
    project, monkeypatch
):
    monkeypatch.chdir(project)
    monkeypatch.delenv("CASEBOOK_TRAIN_DATA", raising=False)
    for command in (["train"], ["evaluate"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1
        assert "../shared/data is not a folder: pass --data" in result.output
    monkeypatch.setenv("CASEBOOK_TRAIN_DATA", str(project / "elsewhere"))
    result = runner.invoke(app, ["evaluate"])
    assert result.exit_code == 1
    assert f"{project / 'elsewhere'} is not a folder" in result.output
