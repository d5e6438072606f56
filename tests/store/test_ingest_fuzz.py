"""The fuzz corpus (tests/fuzzing.py) through the real import on SQLite and PostgreSQL.

About 5,200 malformed records in CSV, JSON Lines, JSON and XLSX files, one source per file:
no import may crash, every record must end up stored (a comment, or an earlier text of one) or
quarantined (its raw text), and importing again, even from an empty cursor, adds nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from sqlalchemy import delete, select

from casebook.steps.ingest import ingest_source, register_source
from store.db import transaction
from store.models import Comment, CommentRevision, QuarantinedRecord, Source
from tests.fuzzing import FORMATS, MARKER, generate

KEY = b"f" * 32


def _found(engine, names: list[str]) -> tuple[set[str], set[str], int, int]:
    """Markers in stored comments (ids, texts, revisions), in quarantined raw text, and the
    numbers of comments and quarantined rows."""
    with transaction(engine) as session:
        ids = select(Source.id).where(Source.name.in_(names))
        stored: set[str] = set()
        n_comments = 0
        for external_id, text in session.execute(
            select(Comment.external_id, Comment.text).where(Comment.source_id.in_(ids))
        ):
            n_comments += 1
            stored.update(MARKER.findall(external_id))
            stored.update(MARKER.findall(text))
        for (text,) in session.execute(
            select(CommentRevision.text)
            .join(Comment, Comment.id == CommentRevision.comment_id)
            .where(Comment.source_id.in_(ids))
        ):
            stored.update(MARKER.findall(text))
        quarantined: set[str] = set()
        n_quarantined = 0
        for (raw,) in session.execute(
            select(QuarantinedRecord.raw).where(QuarantinedRecord.source_id.in_(ids))
        ):
            n_quarantined += 1
            quarantined.update(MARKER.findall(raw))
    return stored, quarantined, n_comments, n_quarantined


@pytest.mark.slow
def test_the_fuzz_corpus_imports_without_a_crash_and_loses_nothing(engine, tmp_path, capsys):
    corpus = generate(tmp_path / "corpus")
    assert len(corpus.markers) >= 5000
    run = uuid.uuid4().hex[:8]
    sources: dict[str, list[str]] = {fmt: [] for fmt in FORMATS}
    crashes: list[str] = []
    for fmt in FORMATS:
        for path in corpus.files[fmt]:
            name = f"fuzz-{run}-{fmt}-{path.stem}"
            config = {"path": str(path), "channel": "fuzz"}
            key_file = path.with_suffix(".key")
            if key_file.exists():
                config["records_key"] = key_file.read_text()
            register_source(engine, name, fmt, "fuzz", config)
            sources[fmt].append(name)
    try:
        for names in sources.values():
            for name in names:
                try:
                    ingest_source(engine, name, KEY)
                except Exception as exc:  # noqa: BLE001 - counted: the figure must be 0
                    crashes.append(f"{name}: {exc!r}"[:300])
        figures = {}
        everything = [n for names in sources.values() for n in names]
        for fmt, names in sources.items():
            stored, quarantined, n_comments, n_quarantined = _found(engine, names)
            markers = {m for m, (f, _) in corpus.markers.items() if f == fmt}
            lost = markers - stored - quarantined
            figures[fmt] = {
                "records": len(markers),
                "stored": len(markers & stored),
                "quarantined only": len(markers & quarantined - stored),
                "lost": len(lost),
                "comments": n_comments,
                "quarantine rows": n_quarantined,
            }
            assert not lost, f"{fmt}: {len(lost)} records lost, e.g. {sorted(lost)[:5]}"
        assert crashes == []
        before = _found(engine, everything)
        # Again as it is (nothing new), then from empty cursors (as after a lost commit).
        again = Counter()
        for name in everything:
            result = ingest_source(engine, name, KEY)
            again.update({"new": result.new, "quarantined": result.quarantined})
        with transaction(engine) as session:
            for source in session.scalars(select(Source).where(Source.name.in_(everything))):
                source.cursor = {}
        for name in everything:
            result = ingest_source(engine, name, KEY)
            again.update(
                {"new": result.new, "quarantined": result.quarantined, "edited": result.edited}
            )
        assert again["new"] == again["quarantined"] == 0
        assert _found(engine, everything)[2:] == before[2:]
        with capsys.disabled():
            dialect = engine.dialect.name
            for fmt, f in figures.items():
                print(f"\nfuzz {dialect} {fmt}: " + ", ".join(f"{k} {v}" for k, v in f.items()))
            print(f"fuzz {dialect}: crashes {len(crashes)}, re-run {dict(again)}")
    finally:
        with transaction(engine) as session:
            session.execute(
                delete(Source).where(Source.name.in_([n for v in sources.values() for n in v]))
            )
