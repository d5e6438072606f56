"""The slow pass in the curate_cases flow, under Prefect's test harness, on SQLite and PostgreSQL:
the customer comments of cases are read once by the current slow pass, again by a new one, and
not at all without the slow classifiers."""

from __future__ import annotations

import logging
import os
import uuid

import pytest
from sqlalchemy import func, select, text

from casebook.settings import get_settings
from casebook.steps.enrich import current_version
from casebook_data import MODELS_DIR
from flows.curate import curate_cases
from flows.enrich import enrich_feedback
from flows.ingest import ingest_feedback
from nlp.deep import slow_pass_version
from store.db import close_engines, get_engine, make_engine, transaction
from store.models import Analysis, AuthorRole, Case, Comment, Refinement
from tests.flows.test_pipeline import declare
from tests.helpers import conversation_rows, use_store, write_jsonl


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def flow_store(request, monkeypatch, tmp_path):
    """A store with the two hand-written conversations ingested and analysed, that the flows
    reach through the settings: a SQLite file, or a schema of its own in PostgreSQL."""
    use_store(monkeypatch, tmp_path)
    schema = None
    if request.param == "postgres":
        url = os.environ.get("CASEBOOK_TEST_POSTGRES_URL")
        if not url:
            pytest.skip("CASEBOOK_TEST_POSTGRES_URL is not set")
        schema = f"cb_flow_{uuid.uuid4().hex[:10]}"
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        monkeypatch.setenv("CASEBOOK_DATABASE_URL", f"{url}?options=-csearch_path%3D{schema}")
        # A shared store needs the shared pseudonym key (casebook.settings).
        monkeypatch.setenv("CASEBOOK_SECRET_KEY", "flow-test-" + "k" * 32)
        get_settings.cache_clear()
        close_engines()
    write_jsonl(tmp_path / "drop" / "chat.jsonl", conversation_rows())
    declare(tmp_path, ("social", tmp_path / "drop"))
    assert ingest_feedback()[0]["new"] == 6
    assert enrich_feedback()["analysed"] == 6
    yield get_engine()
    get_engine().dispose()
    if schema is not None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def stored(engine) -> dict[int, tuple]:
    """Each refined comment's reading and versions."""
    with transaction(engine) as s:
        rows = s.execute(
            select(
                Refinement.comment_id,
                Refinement.sentiment,
                Refinement.emotion,
                Refinement.version,
                Refinement.classifier_version,
            )
        ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def case_customer_comments(engine) -> set[int]:
    with transaction(engine) as s:
        return set(
            s.scalars(
                select(Comment.id)
                .join(Case, Case.thread_id == Comment.thread_id)
                .where(Comment.author_role == AuthorRole.customer)
            )
        )


def test_curation_refines_case_comments_once_then_again_for_a_new_version(flow_store, monkeypatch):
    result = curate_cases()
    assert result["cases"] >= 2
    refine = result["refine"]
    version = slow_pass_version(MODELS_DIR)
    assert refine["version"] == version and refine["skipped"] == ""
    customers = case_customer_comments(flow_store)
    n_customer = sum(row["author_role"] == "customer" for row in conversation_rows())
    assert refine["refined"] == len(customers) == n_customer and refine["cases"] == 2
    first = stored(flow_store)
    assert set(first) == customers  # the agents' replies are not read
    fast = current_version(get_settings())
    assert {(v, c) for *_, v, c in first.values()} == {(version, fast)}
    with transaction(flow_store) as s:
        labels = dict(
            s.execute(
                select(Comment.external_id, Refinement.sentiment).join(
                    Refinement, Refinement.comment_id == Comment.id
                )
            ).all()
        )
        # Curation keeps its fast labels: the analyses are untouched.
        assert s.scalar(select(func.count(Analysis.id))) == 6
    assert labels["e1"] == "negative"  # "LOST and nobody answers!!! Terrible service"

    again = curate_cases()
    assert again["threads"] == 0 and again["refine"]["refined"] == 0  # nothing read twice
    assert stored(flow_store) == first

    # A new slow pass (here: its code's revision) reads the same comments again, in place.
    monkeypatch.setattr("nlp.deep.SLOW_PASS_REVISION", "test-new")
    renewed = curate_cases()["refine"]
    new_version = slow_pass_version(MODELS_DIR)
    assert new_version != version and renewed["version"] == new_version
    assert renewed["refined"] == len(first)
    after = stored(flow_store)
    assert set(after) == set(first)  # replaced, never duplicated
    assert {v for *_, v, _ in after.values()} == {new_version}
    assert curate_cases()["refine"]["refined"] == 0


def test_without_slow_classifiers_the_flow_says_why_and_refines_nothing(
    flow_store, monkeypatch, tmp_path, caplog
):
    # The fast classifiers alone (the same files), no data/models/deep: without the multilingual
    # heads that read other languages the analyser is another version, so enrichment reads the
    # comments again first.
    models = tmp_path / "models"
    models.mkdir()
    for folder in MODELS_DIR.iterdir():
        if folder.is_dir() and folder.name != "deep":
            (models / folder.name).symlink_to(folder)
    monkeypatch.setenv("CASEBOOK_MODELS_DIR", str(models))
    get_settings.cache_clear()
    assert enrich_feedback()["analysed"] == 6
    with caplog.at_level(logging.INFO):
        result = curate_cases()
    assert result["cases"] >= 2
    assert result["refine"]["refined"] == 0 and result["refine"]["version"] is None
    assert "no slow-pass classifiers" in result["refine"]["skipped"]
    assert "slow pass skipped: no slow-pass classifiers" in caplog.text
    assert stored(flow_store) == {}
