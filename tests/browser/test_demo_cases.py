"""The case page on the demo's real cases: each of the queue's top cases opens, in French and in
English (AppTest on the browser tests' demo store, whose cases carry every kind of score part,
outcome and delicate situation the seeded test stores may not).

AppTest runs in a process of its own: Streamlit's threads in pytest's process would be there when
later tests fork curation's worker processes, and a child forked while one of them holds a lock
hangs (the curation pool's test waited for ever)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TOP = 20
OPEN_CASES = """
import dataclasses, json, sys
from sqlalchemy import select
from store.db import make_engine, transaction
from store.models import Case, User
from store.users import user_info
from tests.dashboard.harness import app, page

language, top = sys.argv[1], int(sys.argv[2])
engine = make_engine(sys.argv[3])
with transaction(engine) as s:
    coach = user_info(s.scalar(select(User).where(User.username == "coach")))
    ids = list(s.scalars(select(Case.id).order_by(Case.score.desc()).limit(top)))
    delicate = s.scalar(select(Case.id).where(Case.delicate != "[]").limit(1))
engine.dispose()
reader = dataclasses.replace(coach, language=language)
failed, opened = {}, 0
for case_id in [*ids, delicate]:
    at = app(reader, script=page("case"))
    at.session_state["open_case_id"] = case_id
    at.run()
    problem = at.exception or at.error
    if problem:
        failed[case_id] = str(problem[0].value)
    elif at.selectbox(key="case_page_id").value == case_id:
        opened += 1
print(json.dumps({"cases": len(ids), "delicate": delicate, "opened": opened, "failed": failed}))
"""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_case_page_opens_each_of_the_demos_top_cases(demo, language):
    result = subprocess.run(
        [sys.executable, "-c", OPEN_CASES, language, str(TOP), demo.db_url],
        cwd=ROOT,
        env=demo.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["cases"] == TOP and report["delicate"] is not None  # delicate cases to open
    assert not report["failed"], report["failed"]
    assert report["opened"] == TOP + 1
