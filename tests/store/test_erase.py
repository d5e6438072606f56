import json

import pytest
from sqlalchemy import func, select

from sources.base import Batch, Rejected
from store.erase import erase_author
from store.ingest import ensure_source, pseudonym, start_run, write_batch
from store.models import (
    Analysis,
    AuditEntry,
    Campaign,
    Case,
    Comment,
    CommentRevision,
    QuarantinedRecord,
    Refinement,
    Scenario,
    Thread,
)
from tests.store.test_ingest import KEY, analysis, rec


def count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def case_with_scenario(session, thread_id):
    case = Case(
        thread_id=thread_id,
        arc="recovery",
        score=0.8,
        situation="delivery",
        emotion="anger",
        language="en",
        channel="twitter",
    )
    session.add(case)
    session.flush()
    session.add(Scenario(case_id=case.id, title="A parcel", language="en"))
    session.flush()


@pytest.fixture
def store(session):
    tw = ensure_source(session, name="tw", kind="twcs", channel="twitter")
    fb = ensure_source(session, name="fb", kind="jsonl", channel="facebook")
    run = start_run(session, source=tw)
    write_batch(
        session,
        source=tw,
        run=run,
        batch=Batch(
            records=[
                rec("1", "1", text="my parcel is lost"),
                rec("2", "1", "1", "agent", "@brand", 5, text="sorry, we are on it"),
                rec("3", "3", text="still nothing", minutes=60),
                rec("4", "4", author="@bob", text="bob's own thread"),
            ],
            rejected=[
                Rejected("a.csv:7", "missing date", "7,@jane,,my parcel"),
                Rejected("a.csv:8", "missing date", "8,@janet,,other person"),
                Rejected("a.csv:9", "missing date", "9,@bob,,says @jane_doe is wrong"),
            ],
        ),
        key=KEY,
    )
    write_batch(
        session,
        source=tw,
        run=run,
        batch=Batch([rec("3", "3", text="still nothing, edited", minutes=60)]),
        key=KEY,
    )
    fb_run = start_run(session, source=fb)
    write_batch(
        session,
        source=fb,
        run=fb_run,
        batch=Batch(
            records=[rec("f1", "f1", text="same handle on another source")],
            rejected=[Rejected("b.jsonl:1", "missing date", '{"author": "@jane"}')],
        ),
        key=KEY,
    )
    for comment in session.scalars(select(Comment)):
        session.add(analysis(comment.id))
        session.add(
            Refinement(
                comment_id=comment.id,
                version="slow-1",
                classifier_version="v1",
                sentiment="negative",
                sentiment_score=-0.5,
                emotion="anger",
                intensity=0.6,
            )
        )
    threads = {
        t.external_id: t.id
        for t in session.scalars(select(Thread).where(Thread.source_id == tw.id))
    }
    case_with_scenario(session, threads["1"])
    case_with_scenario(session, threads["3"])
    case_with_scenario(session, threads["4"])
    return threads


def test_erase_removes_the_author_and_what_derives_from_them(session, store):
    assert count(session, CommentRevision) == 1
    done = erase_author(session, source_name="tw", handle="@jane", key=KEY, actor="dpo")
    ref = pseudonym(KEY, "tw", "@jane")
    assert done.author_ref == ref
    assert (done.comments, done.analyses, done.refinements) == (2, 2, 2)
    assert (done.revisions, done.quarantined) == (1, 1)
    assert (done.cases, done.scenarios, done.threads_deleted, done.threads_recounted) == (
        2,
        2,
        1,
        1,
    )

    assert count(session, Comment, Comment.author_ref == ref) == 0
    assert set(session.scalars(select(Comment.external_id))) == {"2", "4", "f1"}  # others stay
    assert count(session, Analysis) == 3 and count(session, CommentRevision) == 0
    assert count(session, Refinement) == 3  # the slow pass's readings of the others stay
    positions = set(session.scalars(select(QuarantinedRecord.position)))
    assert positions == {"a.csv:8", "a.csv:9", "b.jsonl:1"}  # @janet, @jane_doe, other source
    threads = {t.external_id: t for t in session.scalars(select(Thread))}
    assert "3" not in threads and threads["1"].n_comments == 1
    assert (
        count(session, Case) == 1 and count(session, Scenario) == 1
    )  # bob's thread keeps its case
    assert session.scalar(select(Case.thread_id)) == store["4"]


def test_erase_drops_the_campaign_quizzes_that_quote_the_erased_scenarios(session, store):
    from datetime import UTC, datetime, timedelta

    scenarios = {
        s.case.thread_id: s.id for s in session.scalars(select(Scenario))
    }  # threads 1 and 3 are jane's, 4 bob's
    jane_reply = "A reply to jane, quoted as a wrong answer elsewhere"
    session.get(Scenario, scenarios[store["1"]]).body = {"real_reply": jane_reply}
    now = datetime.now(UTC)

    def kept(name, scenario_id, choices):
        question = {"scenario_id": scenario_id, "choices": choices, "key": f"reply-{scenario_id}"}
        campaign = Campaign(
            name=name,
            starts_at=now,
            ends_at=now + timedelta(days=7),
            quiz={"questions": [question]},
        )
        session.add(campaign)
        return campaign

    asks = kept("asks about jane's case", scenarios[store["3"]], ["a", "b"])
    quotes = kept("quotes jane's case", scenarios[store["4"]], ["b", jane_reply])
    other = kept("bob's only", scenarios[store["4"]], ["a", "b"])
    session.flush()
    done = erase_author(session, source_name="tw", handle="@jane", key=KEY, actor="dpo")
    assert done.campaign_quizzes == 2
    assert (asks.quiz, quotes.quiz) == (None, None)  # the next player gets a new one
    assert other.quiz is not None


def test_erase_is_audited_without_the_handle(session, store):
    erase_author(session, source_name="tw", handle="@jane", key=KEY, actor="dpo")
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "erase_author"))
    assert entry.actor == "dpo" and entry.entity_id == pseudonym(KEY, "tw", "@jane")
    assert entry.detail["comments"] == 2 and entry.detail["source"] == "tw"
    assert "jane" not in json.dumps(entry.detail)


def test_erasing_again_or_an_unknown_person_finds_nothing(session, store):
    erase_author(session, source_name="tw", handle="@jane", key=KEY, actor="dpo")
    again = erase_author(session, source_name="tw", handle="@jane", key=KEY, actor="dpo")
    assert (again.comments, again.quarantined, again.cases) == (0, 0, 0)
    with pytest.raises(ValueError, match="no source"):
        erase_author(session, source_name="nope", handle="@jane", key=KEY, actor="dpo")


def test_erase_removes_the_slow_pass_readings_of_the_comments(session, store):
    from store.models import Refinement
    from store.refinements import save_refinements

    ids = list(session.scalars(select(Comment.id).order_by(Comment.id)))
    rows = [
        {
            "comment_id": cid,
            "sentiment": "negative",
            "sentiment_score": -0.5,
            "emotion": "anger",
            "intensity": 0.5,
        }
        for cid in ids
    ]
    save_refinements(session, version="s1", classifier_version="v1", rows=rows)
    done = erase_author(session, source_name="tw", handle="@jane", key=KEY, actor="dpo")
    left = set(session.scalars(select(Refinement.comment_id)))
    assert left == set(session.scalars(select(Comment.id)))
    assert len(left) == len(ids) - done.comments and done.comments > 0
