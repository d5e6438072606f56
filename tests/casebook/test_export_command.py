"""`casebook export`: a published scenario or a campaign to a file, clear errors otherwise."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from casebook.cli import app
from store.campaigns import create_campaign
from store.db import get_engine, transaction
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


def test_export_refuses_an_unknown_situation_or_level_and_says_where_ids_are(project):
    tmp_path, _, _ = project
    out = tmp_path / "x.zip"
    unknown = runner.invoke(
        app, ["export", "--format", "handout", "--situation", "delivery", "--out", str(out)]
    )
    # Not "no published scenario matches situation delivery": it is no situation at all (the
    # taxonomy's situations and the store's are listed).
    assert unknown.exit_code == 1, unknown.output
    assert unknown.stderr.startswith("error: unknown --situation 'delivery'")
    assert "delivery_logistics" in unknown.stderr and "delivery_delay" in unknown.stderr
    level = runner.invoke(app, ["export", "--format", "handout", "--level", "4", "--out", str(out)])
    assert level.exit_code == 1 and "--level must be 1, 2 or 3" in level.stderr
    none = runner.invoke(
        app, ["export", "--format", "handout", "--situation", "billing_payment", "--out", str(out)]
    )
    assert none.exit_code == 1
    assert "no published scenario matches situation billing_payment" in none.stderr
    assert "`casebook scenarios` lists the published scenarios" in none.stderr
    assert not out.exists()


def test_scenarios_and_campaigns_list_the_ids_export_takes(project):
    tmp_path, scenario_id, campaign_id = project
    scenarios = runner.invoke(app, ["scenarios"], env={"COLUMNS": "80"})
    assert scenarios.exit_code == 0, scenarios.output
    row = next(line for line in scenarios.stdout.splitlines() if f" {scenario_id} " in line)
    assert "published" in row and " en " in row and "Late parcel" in row
    assert scenarios.stdout.startswith("1 scenario")
    assert "…" not in scenarios.stdout
    drafts = runner.invoke(app, ["scenarios", "--state", "candidate"])
    assert drafts.exit_code == 0 and "no candidate scenarios" in drafts.stdout
    every = runner.invoke(app, ["scenarios", "--state", "all"])
    assert every.exit_code == 0 and "Late parcel" in every.stdout
    bad = runner.invoke(app, ["scenarios", "--state", "live"])
    assert bad.exit_code == 1 and bad.stderr.startswith("error: unknown --state 'live'")
    assert "published" in bad.stderr
    campaigns = runner.invoke(app, ["campaigns"], env={"COLUMNS": "80"})
    assert campaigns.exit_code == 0, campaigns.output
    row = next(line for line in campaigns.stdout.splitlines() if "June" in line)
    assert row.split()[1] == str(campaign_id) and " en " in row and "blue" in row
    assert campaigns.stdout.startswith("1 campaign")
    # The ids listed are those export takes.
    out = tmp_path / "june.html"
    done = runner.invoke(
        app, ["export", "--format", "handout", "--campaign", str(campaign_id), "--out", str(out)]
    )
    assert done.exit_code == 0 and out.exists() and " bytes)" in done.stdout


def test_an_out_name_that_hides_what_the_file_is_gets_a_note(project):
    tmp_path, scenario_id, _ = project
    named = runner.invoke(
        app, ["export", "--format", "handout", "--scenario", str(scenario_id), "--out",
              str(tmp_path / "case.html")],
    )  # fmt: skip
    assert named.exit_code == 0 and "note:" not in named.output
    misnamed = runner.invoke(
        app, ["export", "--format", "handout", "--scenario", str(scenario_id), "--out",
              str(tmp_path / "case.pdf")],
    )  # fmt: skip
    assert misnamed.exit_code == 0 and "note: this file is what a name ending in .html" in (
        misnamed.output
    )
