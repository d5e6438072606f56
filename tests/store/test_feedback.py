"""Coaches' verdicts on cases in the store: kept, audited, read back as rules, applied by curation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from curation.case_drafts import curate_thread
from curation.feedback import NOT_A_CASE, WRONG_ARC, BadVerdict
from store.cases import author_stats, save_cases, thread_turns
from store.feedback import case_feedback, coach_rules, record_verdict
from store.models import AuditEntry, Case, CaseFeedback, Thread
from store.queue import case_detail, top_case_rows
from tests.store.test_cases import LOST_EN, NOW, case_of, curate, make_source, make_thread


@pytest.fixture
def source(session):
    return make_source(session)


def test_a_case_keeps_its_outcome_and_the_queue_shows_it(session, source):
    tid = make_thread(session, source, "t1", LOST_EN)
    curate(session, [tid])
    case = case_of(session, tid)
    assert (case.arc, case.kind, case.start, case.need, case.end_state) == (
        "recovery",
        "service",
        "complaint",
        "solved",
        "delighted",
    )
    assert case.cue and case.why
    row = top_case_rows(session, limit=5)[0]
    for field in ("arc", "score", "parts", "pivotal_reply", "kind", "start", "need", "end", "why"):
        assert field in row
    assert row["pivotal_reply"]
    detail = case_detail(session, case_id=case.id)
    assert detail is not None and detail.end == "delighted" and detail.why == case.why


def test_author_stats_count_threads_opened_and_marked(session, source):
    ids = [make_thread(session, source, f"t{i}", LOST_EN + f" #{i}") for i in range(3)]
    refs = {
        t.author
        for _, turns in thread_turns(session, thread_ids=ids, version="v1").values()
        for t in turns
    }
    stats = author_stats(session, authors=sorted(refs))
    agent = stats["t0-agent"]
    assert (agent.threads, agent.marked_agent) == (1, 1)


def test_verdicts_are_kept_audited_and_curated_again(session, source):
    tid = make_thread(session, source, "t1", LOST_EN)
    curate(session, [tid])
    case = case_of(session, tid)
    thread = session.get(Thread, tid)
    before = thread.changed_at
    record_verdict(session, case_id=case.id, verdict=WRONG_ARC, arc="unresolved", actor="coach1")
    row = session.scalar(select(CaseFeedback))
    assert (row.verdict, row.arc, row.said_arc, row.actor) == (
        WRONG_ARC,
        "unresolved",
        "recovery",
        "coach1",
    )
    assert row.raiser == "t1-customer"
    assert session.get(Thread, tid).changed_at >= before
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "case.feedback"))
    assert [f["verdict"] for f in case_feedback(session, case_id=case.id)] == [WRONG_ARC]

    rules = coach_rules(session)
    assert rules.threads[tid].arc == "unresolved"
    turns = thread_turns(session, thread_ids=[tid], version="v1")[tid]
    draft = curate_thread(turns[1], turns[0], {}, {}, NOW, rules=rules, thread_key=tid)
    assert draft is not None and draft.arc == "unresolved" and "coach" in draft.why
    save_cases(session, items=[(tid, draft)])
    assert case_of(session, tid).arc == "unresolved"


def test_a_coach_s_new_verdict_replaces_their_earlier_one(session, source):
    tid = make_thread(session, source, "t1", LOST_EN)
    curate(session, [tid])
    case = case_of(session, tid)
    for _ in range(2):  # a second click
        record_verdict(session, case_id=case.id, verdict=WRONG_ARC, arc="escalation", actor="c1")
    record_verdict(session, case_id=case.id, verdict=NOT_A_CASE, actor="c1")  # a change of mind
    record_verdict(session, case_id=case.id, verdict=WRONG_ARC, arc="unresolved", actor="c2")
    given = [(f["verdict"], f["actor"]) for f in case_feedback(session, case_id=case.id)]
    assert given == [(NOT_A_CASE, "c1"), (WRONG_ARC, "c2")]  # one each, the latest
    audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "case.feedback"))
    assert len(list(audited)) == 4  # the log keeps every one


def test_not_a_case_becomes_not_service(session, source):
    tid = make_thread(session, source, "t1", LOST_EN)
    curate(session, [tid])
    record_verdict(session, case_id=case_of(session, tid).id, verdict=NOT_A_CASE, actor="coach1")
    turns = thread_turns(session, thread_ids=[tid], version="v1")[tid]
    draft = curate_thread(
        turns[1], turns[0], {}, {}, NOW, rules=coach_rules(session), thread_key=tid
    )
    assert draft is not None and draft.kind == "not_service" and draft.arc == "not_service"


@pytest.mark.parametrize(
    ("verdict", "arc"), [("maybe", None), (WRONG_ARC, None), (WRONG_ARC, "happy")]
)
def test_bad_verdicts_are_refused(session, source, verdict, arc):
    tid = make_thread(session, source, "t1", LOST_EN)
    curate(session, [tid])
    with pytest.raises(BadVerdict):
        record_verdict(
            session, case_id=case_of(session, tid).id, verdict=verdict, arc=arc, actor="c"
        )
    with pytest.raises(ValueError, match="does not exist"):
        record_verdict(session, case_id=999, verdict=NOT_A_CASE, actor="c")
    assert session.scalar(select(Case).where(Case.thread_id == tid)) is not None
