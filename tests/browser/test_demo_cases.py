"""The case page on the demo's real cases: each of the queue's top cases opens, in French and in
English (AppTest on the browser tests' demo store, whose cases carry every kind of score part,
outcome and delicate situation the seeded test stores may not)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from store.db import make_engine, transaction
from store.models import Case, User
from store.users import user_info
from tests.dashboard.conftest import _clear_caches
from tests.dashboard.harness import app, page

pytestmark = pytest.mark.browser

TOP = 20


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_case_page_opens_each_of_the_demos_top_cases(demo, monkeypatch, language):
    monkeypatch.setenv("CASEBOOK_DATABASE_URL", demo.db_url)
    _clear_caches()
    engine = make_engine(demo.db_url)
    with transaction(engine) as s:
        coach = user_info(s.scalar(select(User).where(User.username == "coach")))
        top = s.scalars(select(Case.id).order_by(Case.score.desc()).limit(TOP)).all()
        delicate = s.scalar(select(Case.id).where(Case.delicate != "[]").limit(1))
    engine.dispose()
    assert len(top) == TOP and delicate is not None  # the demo has delicate cases to open
    reader = dataclasses.replace(coach, language=language)
    failed = {}
    for case_id in [*top, delicate]:
        at = app(reader, script=page("case"))
        at.session_state["open_case_id"] = case_id
        at.run()
        if at.exception or at.error:
            failed[case_id] = (at.exception or at.error)[0].value
        else:
            assert at.selectbox(key="case_page_id").value == case_id
    _clear_caches()
    assert not failed, failed
