from sqlalchemy import func, select

from flows.ingest import ingest_feedback, ingest_one
from flows.pipeline import feedback_pipeline
from store.db import get_engine, transaction
from store.models import Analysis, Case, Comment, IngestRun, Scenario
from tests.helpers import conversation_rows, use_store, write_jsonl


def declare(tmp_path, *entries):
    lines = ["sources:"]
    for name, path in entries:
        lines += [
            f"  - name: {name}",
            "    kind: jsonl",
            "    channel: twitter",
            "    settings:",
            f"      path: {path}",
        ]
    (tmp_path / "sources.yaml").write_text("\n".join(lines) + "\n")


def count(model):
    with transaction(get_engine()) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_pipeline_ingests_analyses_and_curates_then_reruns_add_nothing(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    folder = tmp_path / "drop"
    write_jsonl(folder / "chat.jsonl", conversation_rows())
    declare(tmp_path, ("social", folder))

    result = feedback_pipeline()
    assert result["ingest"][0]["new"] == 6
    assert result["enrich"]["analysed"] == 6
    assert count(Comment) == 6 and count(Analysis) == 6

    with transaction(get_engine()) as s:
        redacted = s.scalar(
            select(Analysis.redacted_text).join(Comment).where(Comment.external_id == "e1")
        )
        cases = {c.arc: c for c in s.scalars(select(Case))}
        assert "06 12 34 56 78" not in redacted and "[PHONE]" in redacted
        runners_up = s.scalars(select(Analysis.situation_runner_up)).all()
        assert len(runners_up) == 6 and all(isinstance(r, str) and r for r in runners_up)
        assert "recovery" in cases
        pivotal = s.get(Comment, cases["recovery"].pivotal_comment_id)
        assert pivotal.external_id == "e2"
        scenario = s.scalar(select(Scenario).where(Scenario.case_id == cases["recovery"].id))
        assert scenario.body["real_reply"].startswith("I'm so sorry")
        assert all("06 12 34" not in t["text"] for t in scenario.body["turns"])

    again = feedback_pipeline()
    assert again["ingest"][0]["new"] == 0
    assert again["enrich"]["analysed"] == 0
    assert again["curate"]["threads"] == 0
    assert count(Comment) == 6 and count(Analysis) == 6


def test_a_failing_source_does_not_stop_the_others(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    write_jsonl(tmp_path / "good" / "a.jsonl", conversation_rows()[:3])
    declare(tmp_path, ("broken", tmp_path / "missing-folder"), ("good", tmp_path / "good"))
    monkeypatch.setattr("flows.ingest.ingest_one", ingest_one.with_options(retries=0))

    results = {r["source"]: r for r in ingest_feedback()}
    assert "error" in results["broken"]
    assert results["good"]["new"] == 3
    with transaction(get_engine()) as s:
        statuses = dict(s.execute(select(IngestRun.source_id, IngestRun.status)).all())
    assert sorted(v.value for v in statuses.values()) == ["failed", "succeeded"]
