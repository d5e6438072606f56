"""enrich_feedback on worker processes stores exactly what the in-process analyser stores."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from casebook.demo.generator import generate_demo
from casebook.settings import get_settings
from casebook.steps.enrich import current_version
from flows.enrich import enrich_feedback
from flows.ingest import ingest_feedback
from store.db import get_engine, transaction
from store.models import Analysis, Comment
from tests.helpers import use_store

SKIP = {"id", "comment_id", "created_at"}


def stored_analyses() -> dict[str, dict]:
    """Each comment's analysis (by external id), without the row's own id and time."""
    with transaction(get_engine()) as s:
        rows = s.execute(select(Comment.external_id, Analysis).join(Analysis)).all()
        columns = [c.name for c in Analysis.__table__.columns if c.name not in SKIP]
        return {ext: {name: getattr(a, name) for name in columns} for ext, a in rows}


@pytest.mark.slow
def test_worker_processes_store_the_same_analyses_as_the_in_process_analyser(monkeypatch, tmp_path):
    demo = tmp_path / "demo"
    generate_demo(demo, n_comments=150, seed=3, start=datetime(2026, 11, 10, 12, tzinfo=UTC))
    # Batches of 100 and 50: the first is split between the workers, the second goes to one.
    monkeypatch.setenv("CASEBOOK_ENRICH_BATCH_SIZE", "100")
    monkeypatch.setattr(
        "casebook.steps.enrich.POOL_MIN_PENDING", 10
    )  # a small store is enough here
    results, analyses = {}, {}
    for workers in ("1", "2"):
        store = tmp_path / f"workers-{workers}"
        store.mkdir()
        use_store(monkeypatch, store)
        monkeypatch.setenv("CASEBOOK_ENRICH_WORKERS", workers)
        (store / "sources.yaml").write_text(
            f"sources:\n  - name: demo\n    kind: jsonl\n    settings: {{path: '{demo}'}}\n"
        )
        assert ingest_feedback()[0]["new"] > 100
        results[workers] = enrich_feedback()
        analyses[workers] = stored_analyses()
        assert current_version(get_settings()) == results[workers]["version"]  # curate's too

    assert results["1"]["processes"] == 1 and results["2"]["processes"] == 2
    assert results["1"]["analysed"] == results["2"]["analysed"] == len(analyses["1"]) > 100
    assert results["1"]["version"] == results["2"]["version"]
    assert analyses["2"] == analyses["1"]
    assert enrich_feedback() == {**results["2"], "analysed": 0, "processes": 0}  # nothing loaded
