"""Sending the xAPI outbox to a real LRS (Ralph on 127.0.0.1, started by the test): batches,
an LRS down then up, nothing lost, nothing stored twice, statements valid for Ralph's models."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casebook.settings import Settings
from casebook.steps.xapi import send_pending
from store import xapi
from store.db import transaction
from store.learning import comment_on_response, pick_response, submit_response, vote
from store.models import XapiStatement, utcnow
from tests.ralph import validate_with_ralph
from tests.xapi_world import make_world


def settings_for(url: str, key: str = "casebook", secret: str = "x", batch: int = 4) -> Settings:
    return Settings(
        lrs_url=url, lrs_key=key, lrs_secret=secret, xapi_batch_size=batch, xapi_retry_seconds=30
    )


def peer_learning(engine) -> int:
    """Answers, a vote, a comment, a pick and an unpick: the outbox's size after them."""
    with transaction(engine) as s:
        w = make_world(s)
    with transaction(engine) as s:
        a = submit_response(
            s, scenario_id=w.scenarios[0], user_id=w.users["ana"], text="Call 06 12 34 56 78 now"
        )
        b = submit_response(s, scenario_id=w.scenarios[1], user_id=w.users["bob"], text="Sorry")
        submit_response(s, scenario_id=w.scenarios[2], user_id=w.users["cy"], text="Hello")
    with transaction(engine) as s:
        vote(s, response_id=a.id, user_id=w.users["bob"])
        vote(s, response_id=b.id, user_id=w.users["ana"])
        comment_on_response(s, response_id=a.id, user_id=w.users["cy"], text="Well done")
        pick_response(s, response_id=a.id, actor="coach")
        pick_response(s, response_id=a.id, actor="coach", picked=False)
    with transaction(engine) as s:
        return len(list(s.scalars(select(XapiStatement.id))))


def rows(engine) -> list[XapiStatement]:
    with transaction(engine) as s:
        return list(s.scalars(select(XapiStatement).order_by(XapiStatement.id)))


@pytest.mark.slow
def test_lrs_down_then_up_sends_everything_once(sqlite_engine, ralph_lrs, lrs_port, ralph_bin):
    total = peer_learning(sqlite_engine)
    assert (
        total == 13
    )  # 3 answers x (answered, completed) + 2 joined + 2 votes + comment + pick + void
    url = f"http://127.0.0.1:{lrs_port}/xAPI"

    # The LRS is down: nothing is sent, nothing is lost, each statement waits with its attempt.
    down = send_pending(sqlite_engine, settings_for(url))
    assert down.unreachable and down.sent == 0
    waiting = rows(sqlite_engine)
    assert len(waiting) == total and all(r.sent_at is None for r in waiting)
    assert sum(r.attempts for r in waiting) == 4  # the first batch was tried, the run stopped
    assert "unreachable" in (waiting[0].last_error or "")

    # The LRS is up: the next run (after the backoff) sends every statement. (One batch: Ralph's
    # filesystem backend stores one write per test; batches of 4 are what the run above tried.)
    lrs = ralph_lrs()
    up = settings_for(url, lrs.key, lrs.secret, batch=50)
    report = send_pending(sqlite_engine, up, now=utcnow() + timedelta(minutes=5))
    assert (report.sent, report.failed, report.unreachable) == (total, 0, False)
    assert all(r.sent_at is not None for r in rows(sqlite_engine))
    held = lrs.statements()
    assert sorted(s["id"] for s in held) == sorted(r.statement_id for r in rows(sqlite_engine))
    answers = [s["result"]["response"] for s in held if s["verb"]["id"].endswith("/answered")]
    assert "Call [PHONE] now" in answers and "06 12 34 56 78" not in str(held)

    # Runs again: nothing is due, nothing is posted; a backfill queues nothing new.
    again = send_pending(sqlite_engine, up)
    assert (again.sent, again.failed) == (0, 0)
    with transaction(sqlite_engine) as s:
        assert xapi.backfill(s) == 0
    # A run that died after posting posts the same statements again: the LRS stores none twice.
    with transaction(sqlite_engine) as s:
        for row in s.scalars(select(XapiStatement)):
            row.sent_at = row.next_attempt_at = None
    replay = send_pending(sqlite_engine, up)
    assert replay.sent == total
    assert len(lrs.statements()) == total

    # What the LRS holds is valid for Ralph's own xAPI models.
    assert validate_with_ralph(ralph_bin, held) == []


@pytest.mark.slow
def test_a_refused_statement_does_not_hold_back_the_others(sqlite_engine, ralph_lrs):
    peer_learning(sqlite_engine)
    # Two statements, the first one broken (an actor without identifier). (Only two: Ralph's
    # filesystem backend stores one write per test, and the good one is sent alone.)
    with transaction(sqlite_engine) as s:
        first, second, *rest = s.scalars(select(XapiStatement).order_by(XapiStatement.id))
        for row in rest:
            s.delete(row)
        broken = dict(first.statement)
        broken["actor"] = {"objectType": "Agent"}
        first.statement = broken
        bad_id, good_id = first.id, second.id
    lrs = ralph_lrs()
    report = send_pending(sqlite_engine, settings_for(lrs.url, lrs.key, lrs.secret, batch=50))
    assert (report.sent, report.failed) == (1, 1)
    kept = {r.id: r for r in rows(sqlite_engine)}
    assert kept[good_id].sent_at is not None
    assert kept[bad_id].sent_at is None and kept[bad_id].attempts == 1
    assert "LRS answered 422" in (kept[bad_id].last_error or "")  # Ralph: its model refused it
    assert [s["id"] for s in lrs.statements()] == [kept[good_id].statement_id]


def test_without_an_lrs_the_sender_says_so(sqlite_engine):
    with pytest.raises(ValueError, match="CASEBOOK_LRS_URL"):
        send_pending(sqlite_engine, Settings(lrs_url=None))
