"""`casebook export`: a published scenario or a campaign to a file, clear errors otherwise."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from casebook.cli import app
from store.db import get_engine, transaction
from store.learning import create_campaign
from tests.dashboard.seed import NOW, seed
from tests.helpers import publish, use_store

runner = CliRunner()


@pytest.fixture
def project(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    assert runner.invoke(app, ["init"]).exit_code == 0
    with transaction(get_engine()) as session:
        s = seed(session)
        publish(session, scenario_id=s.scenario_id)
        campaign = create_campaign(
            session,
            name="June",
            starts_at=NOW,
            ends_at=NOW + timedelta(days=3),
            teams=["blue"],
            scenario_ids=[s.scenario_id],
            actor="coach",
        )
        return tmp_path, s.scenario_id, campaign.id


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_export_writes_a_package_of_a_scenario_and_of_a_campaign(project, fmt):
    tmp_path, scenario_id, campaign_id = project
    for option, value in (("--scenario", scenario_id), ("--campaign", campaign_id)):
        out = tmp_path / "out" / f"{fmt}-{option[2:]}.zip"
        result = runner.invoke(
            app, ["export", "--format", fmt, option, str(value), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        names = zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
        assert "imsmanifest.xml" in names and f"scenario-{scenario_id}.html" in names
        assert not out.with_name(out.name + ".part").exists()


def test_export_errors_are_one_clear_line(project):
    tmp_path, scenario_id, _ = project
    out = tmp_path / "x.zip"
    cases = [
        (["--format", "pdf", "--scenario", str(scenario_id)], "--format must be one of"),
        (["--format", "scorm12"], "give --scenario ID, --campaign ID"),
        (["--format", "scorm12", "--scenario", "999"], "scenario 999 does not exist"),
        (["--format", "scorm12", "--campaign", "999"], "campaign 999 does not exist"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["export", *args, "--out", str(out)])
        assert result.exit_code == 1, result.output
        assert message in result.output and "Traceback" not in result.output
    assert not out.exists()
