from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from sources.base import Batch, Record, Rejected
from store.ingest import ensure_source, pseudonym, start_run, write_batch
from store.models import Comment, QuarantinedRecord, Thread

KEY = b"k" * 32
T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)


def rec(ext, thread, parent=None, role="customer", author="@jane", minutes=0, text="hello"):
    return Record(
        external_id=ext,
        thread_id=thread,
        parent_id=parent,
        author=author,
        author_role=role,
        channel="twitter",
        created_at=T0 + timedelta(minutes=minutes),
        text=text,
        likes=2,
    )


def batch():
    return Batch(
        records=[rec("1", "1"), rec("2", "1", "1", "agent", "@brand", 5), rec("3", "3", minutes=9)],
        rejected=[Rejected("f.csv:7", "empty text", "7,,")],
        cursor={"files": {"f.csv": {"size": 10}}},
    )


def test_write_batch_stores_threads_comments_quarantine_and_cursor(session):
    source = ensure_source(session, "tw", "twcs", "twitter", {"path": "x"})
    run = start_run(session, source)
    new, quarantined = write_batch(session, source, run, batch(), KEY)
    assert (new, quarantined) == (3, 1)
    assert source.cursor == {"files": {"f.csv": {"size": 10}}}
    threads = {t.external_id: t for t in session.scalars(select(Thread))}
    assert set(threads) == {"1", "3"}
    assert threads["1"].n_comments == 2
    assert threads["1"].last_comment_at == T0 + timedelta(minutes=5)
    comment = session.scalar(select(Comment).where(Comment.external_id == "2"))
    assert comment.thread_id == threads["1"].id and comment.author_role == "agent"
    assert comment.created_at.tzinfo is not None
    assert (run.n_read, run.n_new, run.n_quarantined) == (4, 3, 1)


def test_rewriting_the_same_batch_adds_nothing(session):
    source = ensure_source(session, "tw", "twcs", "twitter")
    run = start_run(session, source)
    write_batch(session, source, run, batch(), KEY)
    assert write_batch(session, source, run, batch(), KEY) == (0, 0)
    assert session.scalar(select(func.count(Comment.id))) == 3
    assert session.scalar(select(func.count(Thread.id))) == 2
    assert session.scalar(select(func.count(QuarantinedRecord.id))) == 1


def test_authors_are_stored_as_keyed_pseudonyms(session):
    source = ensure_source(session, "tw", "twcs", "twitter")
    write_batch(session, source, start_run(session, source), batch(), KEY)
    refs = set(session.scalars(select(Comment.author_ref)))
    assert "@jane" not in refs
    assert pseudonym(KEY, "tw", "@jane") in refs
    assert pseudonym(b"other-key" * 4, "tw", "@jane") not in refs
    assert pseudonym(KEY, "other-source", "@jane") != pseudonym(KEY, "tw", "@jane")
