"""`casebook xapi status|send|backfill` and `casebook export --format xapi`, on a real store and
a real LRS (Ralph on 127.0.0.1)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from casebook.cli import app
from casebook.settings import get_settings
from store.db import get_engine, transaction, upgrade
from store.learning import submit_response, vote
from tests.helpers import use_store
from tests.xapi_world import make_world

runner = CliRunner()


@pytest.fixture
def world(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    monkeypatch.setenv("CASEBOOK_XAPI_BASE_IRI", "https://casebook.example.org/xapi")
    get_settings.cache_clear()
    engine = get_engine()
    upgrade(engine)
    with transaction(engine) as s:
        w = make_world(s)
        a = submit_response(s, scenario_id=w.scenarios[0], user_id=w.users["ana"], text="Sorry")
        submit_response(s, scenario_id=w.scenarios[2], user_id=w.users["cy"], text="Hello")
        vote(s, response_id=a.id, user_id=w.users["bob"])
    return w


def test_export_statements_of_a_campaign_or_a_scenario(world, tmp_path):
    out = tmp_path / "statements.json"
    result = runner.invoke(
        app, ["export", "--format", "xapi", "--campaign", str(world.campaign_id), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    statements = json.loads(out.read_text())
    assert [s["verb"]["display"]["en-US"] for s in statements] == [
        "answered",
        "completed",
        "registered",
        "voted up",
    ]
    assert all(
        s["actor"]["account"]["homePage"] == "https://casebook.example.org/xapi" for s in statements
    )
    result = runner.invoke(
        app,
        ["export", "--format", "xapi", "--scenario", str(world.scenarios[2]), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert [s["actor"]["account"]["name"] for s in json.loads(out.read_text())] == ["cy", "cy"]
    result = runner.invoke(
        app, ["export", "--format", "xapi", "--situation", "technical", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert [s["actor"]["account"]["name"] for s in json.loads(out.read_text())] == ["cy", "cy"]


def test_status_and_send_without_or_with_a_dead_lrs(world, monkeypatch, lrs_port):
    status = runner.invoke(app, ["xapi", "status"])
    assert status.exit_code == 0 and "6 statements pending, 0 sent, 0 failing" in status.output
    no_lrs = runner.invoke(app, ["xapi", "send"])
    assert no_lrs.exit_code == 1 and "CASEBOOK_LRS_URL" in no_lrs.output
    monkeypatch.setenv("CASEBOOK_LRS_URL", f"http://127.0.0.1:{lrs_port}/xAPI")
    get_settings.cache_clear()
    dead = runner.invoke(app, ["xapi", "send"])
    assert dead.exit_code == 1 and "stay in the outbox" in dead.output
    assert "0 sent, 6 failing" in runner.invoke(app, ["xapi", "status"]).output
    assert "queued 0" in runner.invoke(app, ["xapi", "backfill"]).output


@pytest.mark.slow
def test_send_now_retries_what_failed(world, monkeypatch, lrs_port, ralph_lrs):
    monkeypatch.setenv("CASEBOOK_LRS_URL", f"http://127.0.0.1:{lrs_port}/xAPI")
    get_settings.cache_clear()
    assert runner.invoke(app, ["xapi", "send"]).exit_code == 1  # nothing listens yet
    lrs = ralph_lrs()
    monkeypatch.setenv("CASEBOOK_LRS_KEY", lrs.key)
    monkeypatch.setenv("CASEBOOK_LRS_SECRET", lrs.secret)
    get_settings.cache_clear()
    waiting = runner.invoke(app, ["xapi", "send"])  # still in their backoff
    assert waiting.exit_code == 0 and "sent 0" in waiting.output
    sent = runner.invoke(app, ["xapi", "send", "--now"])
    assert sent.exit_code == 0 and "sent 6, failed 0" in sent.output, sent.output
    assert len(lrs.statements()) == 6
    assert "0 statements pending, 6 sent" in runner.invoke(app, ["xapi", "status"]).output
