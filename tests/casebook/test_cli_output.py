"""What the commands print: counts whose nouns agree, a line per source or step instead of the
steps' dicts, and `casebook evaluate conversations` readable at 100 columns."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from casebook.cli import app
from casebook.cli.common import counted
from casebook.cli.summaries import curate_line, enrich_line, ingest_line, pipeline_lines

runner = CliRunner()


@pytest.mark.parametrize(
    ("n", "noun", "plural", "said"),
    [
        (1, "record", None, "1 record"),
        (0, "new comment", None, "0 new comments"),
        (2, "running campaign", None, "2 running campaigns"),
        (12345, "comment", None, "12,345 comments"),
        (1, "analysis", "analyses", "1 analysis"),
        (3, "family", "families", "3 families"),
    ],
)
def test_counts_agree_with_their_nouns(n, noun, plural, said):
    assert counted(n, noun, plural) == said


def test_the_pipeline_prints_a_line_per_source_and_step():
    result = {
        "ingest": [
            {"source": "crm", "read": 1, "new": 1, "quarantined": 0, "edited": 0, "linked": 0},
            {"source": "chat", "read": 3, "new": 2, "quarantined": 1, "edited": 1, "linked": 2},
            {"source": "mail", "error": "/drop does not exist"},
        ],
        "enrich": {"analysed": 1, "version": "v1", "processes": 1},
        "curate": {"threads": 1, "cases": 1, "duplicates": 0, "dropped": 2, "families": 1},
        "refine": {"refined": 0, "cases": 0, "version": None, "skipped": "no slow pass"},
    }
    assert pipeline_lines(result) == [
        "ingest crm: 1 record read, 1 new comment, 0 quarantined",
        "ingest chat: 3 records read, 2 new comments, 1 quarantined, 1 comment edited, "
        "2 cross-posts linked",
        "ingest mail: failed: /drop does not exist",
        "enrich: 1 comment analysed (analyser v1)",
        "curate: 1 thread curated: 1 case saved, 0 duplicates collapsed, 2 cases dropped, "
        "1 family changed",
        "refine: slow pass skipped: no slow pass",
    ]
    assert ingest_line(result["ingest"][0]) == pipeline_lines(result)[0].removeprefix("ingest ")
    assert enrich_line({"analysed": 5, "version": "v2", "processes": 2}) == (
        "5 comments analysed on 2 worker processes (analyser v2)"
    )
    assert curate_line({"threads": 0, "cases": 0, "duplicates": 0, "dropped": 0, "families": 0})


FIGURES = {
    "threads": 241,
    "recovery_precision": 0.7777,
    "recovery_recall": 0.875,
    "recovery_counts": "7 right of 9 said, 8 labelled",
    "escalation_precision": 0.7917,
    "escalation_recall": 0.6786,
    "escalation_counts": "19 right of 24 said, 28 labelled",
    "notable_precision_at_10": 0.9,
    "notable_share": 0.1954,
    "role_accuracy": 0.9851,
    "role_fix_precision": 0.6579,
    "role_fix_recall": 0.9310,
    "kind_accuracy": 0.9917,
    "start_accuracy": 0.8133,
    "need_accuracy": 0.6598,
    "end_accuracy": 0.6763,
    "arc_accuracy": 0.7593,
    "pivotal_accuracy": 0.8077,
}
SPLITS = [
    "dev",
    "dev_written",
    "dev_all",
    "dev_written_a",
    "dev_written_d",
    "dev_written_e",
    "dev_held_out_cues",
    "dev_held_out_cues_3",
    "dev_written_held_out_cues",
    "test",
    "test_written",
    "test_all",
    "test_written_b",
    "test_written_c",
    "test_written_f",
]
REPLAY = {
    "verdicts": 10,
    "muted_cues": [],
    "not_service_accounts": 0,
    "threads": {"A": 117, "B": 124},
    **{
        half: {"recovery_precision": 1.0, "escalation_recall": 0.6154, "arc_accuracy": 0.7009}
        for half in ("A_before", "A_after", "B_before", "B_after")
    },
}


def test_conversation_figures_read_at_100_columns_and_the_json_is_unchanged(monkeypatch, tmp_path):
    results = {split: dict(FIGURES) for split in SPLITS}
    monkeypatch.setattr(
        "casebook.conversation_eval.run", lambda splits, data, models: (results, REPLAY)
    )
    out = tmp_path / "figures.json"
    args = ["evaluate", "conversations", "--data", str(tmp_path), "--out", str(out)]
    result = runner.invoke(app, args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # Every figure whole ("0.7…" before, unless the terminal was some 320 columns wide).
    assert "…" not in result.stdout and max(len(line) for line in lines) <= 100
    row = next(line for line in lines if line.startswith(" test writer F "))
    assert row.split()[3:] == ["241", "0.778", "0.875", "0.792", "0.679", "0.900", "0.195"]
    assert sum(line.startswith(" test writer F ") for line in lines) == 3  # one row a table
    assert "19 right of 24 said, 28 labelled" in result.stdout
    assert json.loads(out.read_text()) == {"figures": results, "replay": REPLAY}


def test_help_joins_wrapped_lines_and_keeps_square_brackets():
    """A docstring wrapped in the source reads as one paragraph in the command list, and text in
    square brackets is text, not markup (the install line of `train finetuned` lost its extra)."""
    wide = {"COLUMNS": "250"}
    listing = runner.invoke(app, ["--help"], env=wide).output
    line = next(x for x in listing.splitlines() if "Print the coach's queue" in x)
    assert "outcome (how the customer starts > whether the need was met > how they end)" in line
    finetuned = runner.invoke(app, ["train", "finetuned", "--help"], env=wide).output
    assert "pip install -e '.[train-encoder]'" in finetuned
