import csv
import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from casebook.cli import app
from curation.arcs import ARCS
from store.corrections import correct_label
from store.db import get_engine, transaction
from store.models import Case, Comment, Source
from tests.helpers import use_store
from tests.store.test_cases import LOST_EN, LOST_FR, curate, make_thread

runner = CliRunner()


@pytest.fixture
def project(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    assert runner.invoke(app, ["init"]).exit_code == 0
    with transaction(get_engine()) as session:
        source = Source(name="tw", kind="jsonl", channel="twitter")
        session.add(source)
        session.flush()
        ids = [
            make_thread(session, source, "a", LOST_EN),
            make_thread(session, source, "b", LOST_EN + "!!"),
            make_thread(session, source, "c", LOST_FR, language="fr"),
        ]
        curate(session, ids)
        comment_id = session.scalar(select(Comment.id).where(Comment.external_id == "c-0"))
        correct_label(
            session, comment_id=comment_id, field="emotion", new_value="sadness", actor="coach"
        )
    return tmp_path


def test_cases_json_has_duplicates_family_and_pivotal_reply(project):
    result = runner.invoke(app, ["cases", "--top", "5", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 2
    first = next(r for r in rows if r["language"] == "en")
    assert first["duplicate_count"] == 2 and first["family"]
    assert first["pivotal_reply"].startswith("So sorry")
    assert {"id", "arc", "score", "parts", "situation", "channel", "title"} <= set(first)
    # The conversation's outcome, and why the case scores what it does.
    assert {"kind", "start", "need", "end", "cue", "why", "delicate"} <= set(first)
    assert first["kind"] == "service" and first["why"]


def test_cases_filtered_by_language_and_arc(project):
    def ids(*options: str) -> list[tuple[int, str]]:
        result = runner.invoke(app, ["cases", "--format", "json", *options])
        assert result.exit_code == 0, result.output
        return [(row["id"], row["language"]) for row in json.loads(result.output)]

    everything = ids()
    french = ids("--language", "fr")
    assert french and all(language == "fr" for _, language in french)
    assert set(french) == {row for row in everything if row[1] == "fr"}
    arcs = {
        row["arc"] for row in json.loads(runner.invoke(app, ["cases", "--format", "json"]).output)
    }
    for arc in ARCS:
        result = runner.invoke(app, ["cases", "--format", "json", "--arc", arc])
        found = {row["arc"] for row in json.loads(result.output)}
        assert found == ({arc} if arc in arcs else set())
    assert ids("--language", "de") == []
    bad = runner.invoke(app, ["cases", "--arc", "happy"])
    assert bad.exit_code == 1 and "recovery" in bad.output


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (["cases", "--situation", "billing"], "did you mean billing_payment?"),
        (["cases", "--format", "json", "--situation", "billing"], "delivery_logistics, "),
        (["cases", "--language", "english"], "en, fr, "),
        (["cases", "--arc", "recover"], "did you mean recovery?"),
        (["families", "list", "--situation", "deliveries"], "did you mean delivery?"),
    ],
)
def test_unknown_filter_values_are_refused_with_the_valid_ones(project, args, listed):
    # A typo matched nothing and printed [] (an empty queue), as if there were no such case.
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"error: unknown {args[-2]} {args[-1]!r}")
    assert listed in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


def test_situations_of_the_store_are_valid_filters_too(project):
    # The store's own situations (here the fixture's "delivery", e.g. a custom classifier's)
    # are known values beside the taxonomy's.
    with transaction(get_engine()) as session:
        assert "delivery" in set(session.scalars(select(Case.situation)))
    found = runner.invoke(app, ["cases", "--format", "json", "--situation", "delivery"])
    assert found.exit_code == 0, found.output
    assert {row["situation"] for row in json.loads(found.stdout)} == {"delivery"}
    empty = runner.invoke(app, ["cases", "--format", "json", "--situation", "billing_payment"])
    assert empty.exit_code == 0 and json.loads(empty.stdout) == []


def test_cases_table_and_bad_format(project):
    table = runner.invoke(app, ["cases", "--top", "1"])
    assert table.exit_code == 0 and "similar" in table.output and "why" in table.output
    bad = runner.invoke(app, ["cases", "--format", "xml"])
    assert bad.exit_code == 1 and "table or json" in bad.output


def test_corrections_export_and_families_list(project):
    out = project / "out" / "corrections.csv"
    result = runner.invoke(app, ["corrections", "export", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["field"], r["label"], r["text"]) for r in rows] == [("emotion", "sadness", LOST_FR)]
    listing = runner.invoke(app, ["families", "list"])
    assert listing.exit_code == 0 and "delivery" in listing.output


def test_evaluate_names_what_it_evaluates(project):
    bad = runner.invoke(app, ["evaluate", "everything"])
    assert bad.exit_code == 1 and "nlp or conversations" in bad.output
    split = runner.invoke(app, ["evaluate", "conversations", "--split", "train"])
    assert split.exit_code == 1 and "dev, test or both" in split.output


def test_refine_reads_the_top_cases_customer_comments_once(project):
    from sqlalchemy import func, update

    from casebook.settings import get_settings
    from casebook.steps.enrich import current_version
    from store.models import Analysis, Refinement

    def refined():
        with transaction(get_engine()) as session:
            return session.scalar(select(func.count(Refinement.id)))

    # The fixture's analyses made as if by the shipped classifiers (the slow pass reads on top
    # of the current analysis only).
    with transaction(get_engine()) as session:
        session.execute(update(Analysis).values(classifier_version=current_version(get_settings())))
    first = runner.invoke(app, ["refine", "--max-cases", "1"])
    assert first.exit_code == 0, first.output
    # The top case's two customer turns, said in a line (not a dict).
    assert first.stdout.startswith("2 comments refined in 1 case (slow pass ") and refined() == 2
    again = runner.invoke(app, ["refine", "--max-cases", "1", "--format", "json"])
    assert json.loads(again.stdout)["refined"] == 0 and refined() == 2
    rest = runner.invoke(app, ["refine"])  # the default cap reaches every case here
    assert "2 comments refined in 1 case" in rest.stdout and refined() == 4
    assert runner.invoke(app, ["refine", "--max-cases", "-1"]).exit_code != 0


def test_conversation_figures_have_a_column_per_writer_in_order():
    from casebook.cli.conversations import column_title, ordered_columns

    names = [
        "test_all",
        "test_written_f",
        "test",
        "dev_written_held_out_cues",
        "test_written",
        "dev_written_d",
        "dev",
        "test_written_b",
        "dev_written",
        "dev_written_a",
        "dev_all",
    ]
    assert ordered_columns(names) == [
        "dev",
        "dev_written",
        "dev_written_a",
        "dev_written_d",
        "dev_written_held_out_cues",
        "dev_all",
        "test",
        "test_written",
        "test_written_b",
        "test_written_f",
        "test_all",
    ]
    assert column_title("test_written_f") == "test writer F"
    assert column_title("dev_written_held_out_cues") == "dev written, held 1"
