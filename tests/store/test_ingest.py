from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from sources.base import Batch, Record, Rejected
from store.ingest import content_hash, ensure_source, pseudonym, start_run, write_batch
from store.models import Analysis, Comment, CommentRevision, QuarantinedRecord, Thread

KEY = b"k" * 32
T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)


def rec(ext, thread, parent=None, role="customer", author="@jane", minutes=0, text="hello", **kw):
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
        **kw,
    )


def batch():
    return Batch(
        records=[rec("1", "1"), rec("2", "1", "1", "agent", "@brand", 5), rec("3", "3", minutes=9)],
        rejected=[Rejected("f.csv:7", "empty text", "7,,")],
        cursor={"files": {"f.csv": {"size": 10}}},
    )


def test_write_batch_stores_threads_comments_quarantine_and_cursor(session):
    source = ensure_source(session, name="tw", kind="twcs", channel="twitter", config={"path": "x"})
    run = start_run(session, source=source)
    new, quarantined, edited, linked = write_batch(
        session, source=source, run=run, batch=batch(), key=KEY
    )
    assert (new, quarantined, edited, linked) == (3, 1, 0, 0)
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
    source = ensure_source(session, name="tw", kind="twcs", channel="twitter")
    run = start_run(session, source=source)
    write_batch(session, source=source, run=run, batch=batch(), key=KEY)
    assert write_batch(session, source=source, run=run, batch=batch(), key=KEY) == (0, 0, 0, 0)
    assert session.scalar(select(func.count(Comment.id))) == 3
    assert session.scalar(select(func.count(Thread.id))) == 2
    assert session.scalar(select(func.count(QuarantinedRecord.id))) == 1


def test_authors_are_stored_as_keyed_pseudonyms(session):
    source = ensure_source(session, name="tw", kind="twcs", channel="twitter")
    write_batch(
        session, source=source, run=start_run(session, source=source), batch=batch(), key=KEY
    )
    refs = set(session.scalars(select(Comment.author_ref)))
    assert "@jane" not in refs
    assert pseudonym(KEY, "tw", "@jane") in refs
    assert pseudonym(b"other-key" * 4, "tw", "@jane") not in refs
    assert pseudonym(KEY, "other-source", "@jane") != pseudonym(KEY, "tw", "@jane")


def test_a_role_label_for_an_author_is_one_person_a_thread(session):
    source = ensure_source(session, name="calls", kind="files", channel="call")
    write(
        session,
        source,
        rec("1", "a", author="Caller"),
        rec("2", "a", "1", "agent", "Agent", 1),
        rec("3", "a", "2", author="Caller", minutes=2),
        rec("4", "b", author="Caller", minutes=3),
        rec("5", "c", author="@jane", minutes=4),
        rec("6", "d", author="@jane", minutes=5),
    )
    ref = {c.external_id: c.author_ref for c in session.scalars(select(Comment))}
    assert ref["1"] == ref["3"] != ref["4"]  # one caller in thread a, another in thread b
    assert ref["5"] == ref["6"]  # an account is one person everywhere
    assert ref["2"] == pseudonym(KEY, "calls", "Agent")


LONG = "My order 1234 arrived broken and nobody answers my emails, this is unacceptable"


def analysis(comment_id):
    return Analysis(
        comment_id=comment_id,
        classifier_version="v1",
        language="en",
        language_confidence=1.0,
        redacted_text="x",
        sentiment="negative",
        sentiment_score=0.9,
        emotion="anger",
        intensity=0.8,
        situation="delivery",
        situation_confidence=0.7,
    )


def write(session, source, *records):
    return write_batch(
        session,
        source=source,
        run=start_run(session, source=source),
        batch=Batch(list(records)),
        key=KEY,
    )


def fresh(session, model, *where):
    return session.scalars(select(model).where(*where).execution_options(populate_existing=True))


def test_url_raw_and_content_hash_are_stored(session):
    source = ensure_source(session, name="crm", kind="csv", channel="ticket")
    write(
        session,
        source,
        rec("1", "1", text="  Hello   WORLD ", url="https://x/1", raw={"body": "b"}),
    )
    comment = session.scalar(select(Comment))
    assert comment.url == "https://x/1" and comment.raw == {"body": "b"}
    assert comment.content_hash == content_hash("hello world") and len(comment.content_hash) == 40
    assert comment.updated_at is None


def test_an_edited_record_updates_in_place_keeps_history_and_becomes_pending(session):
    source = ensure_source(session, name="crm", kind="csv", channel="ticket")
    write(session, source, rec("1", "1", text="first text", raw={"v": 1}), rec("2", "1", minutes=3))
    comment = session.scalar(select(Comment).where(Comment.external_id == "1"))
    session.add(analysis(comment.id))
    session.flush()
    old_ref = comment.author_ref
    session.execute(update(Thread).values(changed_at=T0, curated_at=T0 + timedelta(hours=1)))

    counts = write(session, source, rec("1", "1", text="second text, corrected", raw={"v": 2}))
    assert (counts.new, counts.edited) == (0, 1)
    comment = fresh(session, Comment, Comment.external_id == "1").one()
    assert comment.text == "second text, corrected" and comment.raw == {"v": 2}
    assert comment.content_hash == content_hash("second text, corrected")
    assert comment.updated_at is not None and comment.author_ref == old_ref
    revisions = session.scalars(select(CommentRevision)).all()
    assert [(r.comment_id, r.text, r.raw) for r in revisions] == [
        (comment.id, "first text", {"v": 1})
    ]
    assert session.scalar(select(func.count(Analysis.id))) == 0  # analysed again by enrich
    thread = fresh(session, Thread).one()
    assert thread.changed_at > thread.curated_at and thread.n_comments == 2
    assert session.scalar(select(func.count(Comment.id))) == 2


def test_unchanged_rereads_and_whitespace_or_case_changes_are_no_ops(session):
    source = ensure_source(session, name="crm", kind="csv", channel="ticket")
    write(session, source, rec("1", "1", text="Same text"))
    comment = session.scalar(select(Comment))
    session.add(analysis(comment.id))
    session.flush()
    counts = write(
        session, source, rec("1", "1", text="same   TEXT"), rec("1", "1", text="Same text")
    )
    assert tuple(counts) == (0, 0, 0, 0)
    assert session.scalar(select(func.count(CommentRevision.id))) == 0
    assert session.scalar(select(func.count(Analysis.id))) == 1
    assert fresh(session, Comment).one().text == "Same text"


def test_a_comment_stored_before_content_hashes_gets_one_without_an_edit(session):
    source = ensure_source(session, name="crm", kind="csv", channel="ticket")
    write(session, source, rec("1", "1", text="old row"))
    session.execute(update(Comment).values(content_hash=None))
    assert write(session, source, rec("1", "1", text="old row")).edited == 0
    assert fresh(session, Comment).one().content_hash == content_hash("old row")
    assert write(session, source, rec("1", "1", text="old row, edited")).edited == 1


def test_a_cross_post_is_linked_to_its_earliest_copy(session):
    tw = ensure_source(session, name="tw", kind="twcs", channel="twitter")
    fb = ensure_source(session, name="fb", kind="jsonl", channel="facebook")
    write(session, tw, rec("a", "a", text=LONG, minutes=60))
    write(
        session,
        fb,
        rec("b", "b", text=LONG.upper(), minutes=120),
        rec("c", "c", text=LONG, minutes=0),
    )
    write(session, tw, rec("far", "far", text=LONG, minutes=60 * 24 * 5))  # outside the window
    write(session, tw, rec("s1", "s1", text="thanks!"))
    write(session, fb, rec("s2", "s2", text="thanks!"))
    by_ext = {c.external_id: c for c in fresh(session, Comment)}
    earliest = by_ext["c"].id
    assert by_ext["c"].duplicate_of_id is None
    assert by_ext["a"].duplicate_of_id == earliest  # the earlier copy arrived later: relinked
    assert by_ext["b"].duplicate_of_id == earliest
    assert by_ext["far"].duplicate_of_id is None
    assert by_ext["s1"].duplicate_of_id is None and by_ext["s2"].duplicate_of_id is None
    assert session.scalar(select(func.count(Comment.id))) == 6  # nothing lost


def test_the_same_text_in_the_same_thread_is_not_a_cross_post(session):
    tw = ensure_source(session, name="tw", kind="twcs", channel="twitter")
    write(session, tw, rec("a", "t", text=LONG), rec("b", "t", "a", text=LONG, minutes=5))
    assert {c.duplicate_of_id for c in fresh(session, Comment)} == {None}


def test_editing_a_cross_post_unlinks_it(session):
    tw = ensure_source(session, name="tw", kind="twcs", channel="twitter")
    write(session, tw, rec("a", "a", text=LONG), rec("b", "b", text=LONG, minutes=5))
    assert fresh(session, Comment, Comment.external_id == "b").one().duplicate_of_id is not None
    write(session, tw, rec("a", "a", text="something else entirely"))
    assert {c.duplicate_of_id for c in fresh(session, Comment)} == {None}


def test_bulk_insert_stores_dates_and_json_as_sqlalchemy_would(session):
    """The fast insert converts dates and JSON itself: rows read back as the ORM wrote them."""
    from zoneinfo import ZoneInfo

    source = ensure_source(session, name="tw", kind="twcs", channel="twitter")
    run = start_run(session, source=source)
    paris = datetime(2026, 11, 1, 11, 30, 5, 123, tzinfo=ZoneInfo("Europe/Paris"))
    raw = {"id": "1", "body": 'café "quoted" \\ \n', "n": 3, "nested": {"a": [1, None]}}
    records = [
        rec("1", "1", raw={"id": "1", "body": 'été ✓ "x"'}),
        rec("2", "1", "1", raw=raw),
        rec("3", "3", raw=None),
        Record("4", "3", None, "@x", "agent", "twitter", paris, "later", raw={}),
    ]
    write_batch(session, source=source, run=run, batch=Batch(records, [], {}), key=KEY)
    session.expire_all()
    got = {c.external_id: c for c in session.scalars(select(Comment))}
    assert got["1"].raw == {"id": "1", "body": 'été ✓ "x"'}
    assert got["2"].raw == raw
    assert got["3"].raw is None
    assert got["4"].raw == {}
    assert got["4"].created_at == paris.astimezone(UTC)
    assert got["1"].created_at == T0 and got["1"].created_at.tzinfo is not None
    # Stored as SQLAlchemy stores them: compare with a comment written through the ORM.
    orm = Comment(
        source_id=source.id,
        external_id="orm",
        thread_id=got["1"].thread_id,
        author_role="customer",
        author_ref="x",
        channel="twitter",
        created_at=paris,
        text="t",
        raw=raw,
        ingested_at=paris,
    )
    session.add(orm)
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        from sqlalchemy import text

        stored = dict(
            session.execute(text("select external_id, created_at || '|' || raw from comments"))
            .tuples()
            .all()
        )
        assert stored["4"].split("|")[0] == stored["orm"].split("|")[0]
        assert stored["2"].split("|")[1] == stored["orm"].split("|")[1]
        assert session.scalar(select(func.count()).where(Comment.created_at == paris)) == 2
