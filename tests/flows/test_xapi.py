"""send_xapi_statements under Prefect's test harness, against a real LRS (Ralph on 127.0.0.1)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casebook.settings import get_settings
from flows.xapi import send_outbox, send_xapi_statements
from store.db import get_engine, transaction, upgrade
from store.learning import submit_response
from store.models import XapiStatement
from tests.helpers import use_store
from tests.xapi_world import make_world


@pytest.fixture
def outbox(monkeypatch, tmp_path):
    use_store(monkeypatch, tmp_path)
    engine = get_engine()
    upgrade(engine)
    with transaction(engine) as s:
        w = make_world(s)
        submit_response(s, scenario_id=w.scenarios[0], user_id=w.users["ana"], text="Sorry")
    return engine


def test_without_an_lrs_the_flow_leaves_the_outbox_alone(outbox):
    result = send_xapi_statements()
    assert result["sent"] == 0 and result["error"] == "no LRS configured"
    with transaction(outbox) as s:
        assert all(r.sent_at is None and r.attempts == 0 for r in s.scalars(select(XapiStatement)))


def test_an_unreachable_lrs_fails_the_task_and_keeps_the_statements(outbox, monkeypatch, lrs_port):
    monkeypatch.setenv("CASEBOOK_LRS_URL", f"http://127.0.0.1:{lrs_port}/xAPI")
    get_settings.cache_clear()
    with pytest.raises(ConnectionError, match="unreachable"):
        send_outbox.fn()
    with transaction(outbox) as s:
        rows = list(s.scalars(select(XapiStatement)))
    assert len(rows) == 3 and all(r.sent_at is None and r.attempts == 1 for r in rows)


@pytest.mark.slow
def test_the_flow_sends_the_outbox(outbox, monkeypatch, ralph_lrs):
    lrs = ralph_lrs()
    monkeypatch.setenv("CASEBOOK_LRS_URL", lrs.url)
    monkeypatch.setenv("CASEBOOK_LRS_KEY", lrs.key)
    monkeypatch.setenv("CASEBOOK_LRS_SECRET", lrs.secret)
    get_settings.cache_clear()
    result = send_xapi_statements()
    assert (result["sent"], result["failed"]) == (3, 0)
    assert len(lrs.statements()) == 3
    with transaction(outbox) as s:
        assert all(r.sent_at is not None for r in s.scalars(select(XapiStatement)))
