"""The xAPI outbox: every peer-learning action queues its statements in its own transaction,
once; the sender's reads and marks; the statements of an export. On each database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from curation.learning import NotAllowed
from store import xapi
from store.learning import comment_on_response, pick_response, submit_response, vote
from store.models import XapiStatement
from tests.xapi_world import make_world

VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "registered": "http://adlnet.gov/expapi/verbs/registered",
    "voted-up": "http://id.tincanapi.com/verb/voted-up",
    "commented": "http://adlnet.gov/expapi/verbs/commented",
    "selected": "http://id.tincanapi.com/verb/selected",
    "voided": "http://adlnet.gov/expapi/verbs/voided",
}


def outbox(session) -> list[XapiStatement]:
    return list(session.scalars(select(XapiStatement).order_by(XapiStatement.id)))


def verbs(rows) -> list[str]:
    by_iri = {v: k for k, v in VERBS.items()}
    return [by_iri[r.statement["verb"]["id"]] for r in rows]


def test_each_action_queues_its_statements(session):
    w = make_world(session)
    ana = submit_response(
        session, scenario_id=w.scenarios[0], user_id=w.users["ana"], text="Sorry!"
    )
    assert verbs(outbox(session)) == ["answered", "completed", "registered"]
    answered = outbox(session)[0].statement
    assert answered["actor"]["account"]["name"] == "ana"
    assert answered["result"]["response"] == "Sorry!"
    ext = answered["context"]["extensions"]
    assert any(k.endswith("/extensions/campaign") and v == w.campaign_id for k, v in ext.items())
    assert any(k.endswith("/extensions/situation") and v == "delivery" for k, v in ext.items())

    # A second answer in the same campaign: the advisor joined it once only.
    submit_response(session, scenario_id=w.scenarios[1], user_id=w.users["ana"], text="Again")
    assert verbs(outbox(session)).count("registered") == 1
    # Outside the campaign (team red; scenario 2 not in it): no campaign, no registration.
    submit_response(session, scenario_id=w.scenarios[2], user_id=w.users["cy"], text="Hello")
    last = outbox(session)[-2:]
    assert verbs(last) == ["answered", "completed"] and all(r.campaign_id is None for r in last)

    vote(session, response_id=ana.id, user_id=w.users["bob"])
    comment_on_response(session, response_id=ana.id, user_id=w.users["cy"], text="Nice one")
    pick_response(session, response_id=ana.id, actor="coach")
    pick_response(session, response_id=ana.id, actor="coach", picked=False)
    pick_response(session, response_id=ana.id, actor="coach")
    rows = outbox(session)
    assert verbs(rows[-5:]) == ["voted-up", "commented", "selected", "voided", "selected"]
    voted = rows[-5].statement
    assert voted["actor"]["account"]["name"] == "bob"
    assert voted["object"]["id"].endswith(f"/responses/{ana.id}")
    first_pick, void, second_pick = (r.statement for r in rows[-3:])
    assert void["object"] == {"objectType": "StatementRef", "id": first_pick["id"]}
    assert second_pick["id"] != first_pick["id"]
    assert len({r.statement_id for r in rows}) == len(rows)


def test_a_refused_or_rolled_back_action_queues_nothing(session):
    w = make_world(session)
    mine = submit_response(session, scenario_id=w.scenarios[0], user_id=w.users["ana"], text="x")
    before = len(outbox(session))
    with pytest.raises(NotAllowed):
        vote(session, response_id=mine.id, user_id=w.users["ana"])
    assert len(outbox(session)) == before
    nested = session.begin_nested()
    submit_response(session, scenario_id=w.scenarios[1], user_id=w.users["bob"], text="y")
    assert len(outbox(session)) > before
    nested.rollback()
    assert len(outbox(session)) == before


def test_backfill_never_duplicates_and_rebuilds_the_same_ids(session):
    w = make_world(session)
    r = submit_response(session, scenario_id=w.scenarios[0], user_id=w.users["ana"], text="x")
    vote(session, response_id=r.id, user_id=w.users["bob"])
    pick_response(session, response_id=r.id, actor="coach")
    ids = [row.statement_id for row in outbox(session)]
    assert xapi.backfill(session) == 0
    for row in outbox(session):
        session.delete(row)
    session.flush()
    assert xapi.backfill(session) == len(ids)
    assert sorted(row.statement_id for row in outbox(session)) == sorted(ids)
    assert xapi.backfill(session) == 0


def test_due_sent_and_failed_with_backoff(session):
    w = make_world(session)
    submit_response(session, scenario_id=w.scenarios[0], user_id=w.users["ana"], text="x")
    now = datetime(2030, 1, 1, tzinfo=UTC)
    pending = xapi.due(session, limit=2, now=now)
    assert len(pending) == 2 and pending[0].row_id < pending[1].row_id
    first = pending[0].row_id
    xapi.mark_failed(session, row_ids=[first], error="LRS answered 503", now=now, retry_seconds=30)
    row = session.get(XapiStatement, first)
    assert (row.attempts, row.next_attempt_at, row.sent_at) == (
        1,
        now + timedelta(seconds=30),
        None,
    )
    assert first not in [p.row_id for p in xapi.due(session, limit=10, now=now)]
    assert first in [p.row_id for p in xapi.due(session, limit=10, now=now + timedelta(seconds=30))]
    xapi.mark_failed(session, row_ids=[first], error="again", now=now, retry_seconds=30)
    assert session.get(XapiStatement, first).next_attempt_at == now + timedelta(seconds=60)
    for _ in range(10):
        xapi.mark_failed(session, row_ids=[first], error="x", now=now, max_seconds=3600)
    assert session.get(XapiStatement, first).next_attempt_at == now + timedelta(seconds=3600)
    xapi.mark_sent(session, row_ids=[first])
    assert first not in [p.row_id for p in xapi.due(session, limit=10, now=now + timedelta(days=9))]
    counts = xapi.outbox_counts(session)
    assert (counts.sent, counts.pending, counts.failing) == (1, 2, 0)


def test_statements_leave_redacted_and_filtered(session):
    w = make_world(session)
    submit_response(
        session,
        scenario_id=w.scenarios[0],
        user_id=w.users["ana"],
        text="Call the customer back at 06 12 34 56 78 today",
    )
    submit_response(session, scenario_id=w.scenarios[2], user_id=w.users["ana"], text="Other")
    kept = session.scalar(
        select(XapiStatement.statement)
        .where(XapiStatement.kind == "answered")
        .order_by(XapiStatement.id)
        .limit(1)
    )
    # The answer is stored with the number redacted (store.learning.redacted), so the
    # outbox never holds it either.
    assert "06 12 34 56 78" not in kept["result"]["response"]
    out = xapi.statements(session, campaign_id=w.campaign_id)
    assert {s["verb"]["display"]["en-US"] for s in out} == {"answered", "completed", "registered"}
    answer = next(s for s in out if "result" in s and "response" in s["result"])
    assert "06 12 34 56 78" not in answer["result"]["response"]
    assert "[PHONE]" in answer["result"]["response"]
    assert len(xapi.statements(session, scenario_id=w.scenarios[2])) == 2
    every = xapi.statements(session)
    assert len(every) == session.scalar(select(func.count(XapiStatement.id)))
    assert [s["timestamp"] for s in every] == sorted(s["timestamp"] for s in every)


def test_a_campaigns_statements_are_what_its_leaderboard_counts(session):
    # A campaign created after the answers it counts (within its period): its leaderboard counts
    # them, so its export holds their statements, though they were recorded outside it.
    from store.bundles import Selection
    from store.campaigns import campaign_leaderboard, create_campaign
    from store.exports import export_file

    w = make_world(session)
    u = w.users
    submit_response(session, scenario_id=w.scenarios[0], user_id=u["ana"], text="Counted")
    cy = submit_response(session, scenario_id=w.scenarios[2], user_id=u["cy"], text="Counted too")
    submit_response(session, scenario_id=w.scenarios[1], user_id=u["bob"], text="Not its case")
    vote(session, response_id=cy.id, user_id=u["bob"])
    now = datetime.now(UTC)
    late = create_campaign(
        session,
        name="Late",
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(days=1),
        teams=["blue", "red"],
        scenario_ids=[w.scenarios[0], w.scenarios[2]],
        actor="coach",
    )
    board = campaign_leaderboard(session, campaign_id=late.id)
    out = xapi.statements(session, campaign_id=late.id)
    answered = [s for s in out if s["verb"]["id"] == VERBS["answered"]]
    assert len(answered) == sum(line.answers for line in board) == 2
    assert sorted(s["actor"]["account"]["name"] for s in answered) == ["ana", "cy"]
    assert [s["actor"]["account"]["name"] for s in out if s["verb"]["id"] == VERBS["voted-up"]] == [
        "bob"
    ]
    # the first campaign's registration is not this one's
    assert not [s for s in out if s["verb"]["id"] == VERBS["registered"]]
    _, content, _ = export_file(session, format="xapi", selection=Selection(campaign_id=late.id))
    assert [s["id"] for s in json.loads(content)] == [s["id"] for s in out]
    # a campaign whose period holds no action exports nothing, and says so
    past = create_campaign(
        session,
        name="Past",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=20),
        teams=["blue"],
        scenario_ids=[w.scenarios[0]],
        actor="coach",
    )
    assert xapi.statements(session, campaign_id=past.id) == []
    assert campaign_leaderboard(session, campaign_id=past.id) == []
    with pytest.raises(ValueError, match=rf"nothing to export: .* counted in campaign {past.id} "):
        export_file(session, format="xapi", selection=Selection(campaign_id=past.id))
    with pytest.raises(ValueError, match="campaign 99999 does not exist"):
        export_file(session, format="xapi", selection=Selection(campaign_id=99_999))
    with pytest.raises(ValueError, match="scenario 99999 does not exist"):
        export_file(session, format="xapi", selection=Selection(scenario_id=99_999))
    # with a level too: only the statements about the campaign's scenarios of that level
    _, content, _ = export_file(
        session, format="xapi", selection=Selection(campaign_id=late.id, level=3)
    )
    assert {s["actor"]["account"]["name"] for s in json.loads(content)} == {"cy", "bob"}
