"""What the xAPI outbox costs: answers recorded with and without their statements, a backfill,
and statements leaving Casebook (redacted) for an export or a send, on a SQLite file.

.venv/bin/python bench/xapi.py [--advisors 200] [--scenarios 10] [--workdir /tmp/casebook-bench-xapi]

Each advisor answers every scenario (advisors x scenarios answers, one transaction per advisor).
With the outbox (store.learning.submit_response, 2-3 statements an answer) and one vote, every
statement is then rebuilt by a backfill (nothing new) and read out as the export does (redaction
included); then the same answers are written again on a new store by the same function with
its statements switched off: the difference is the outbox's cost per answer.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from store import (
    learning,  # noqa: E402
    xapi,  # noqa: E402
)
from store.db import make_engine, transaction, upgrade  # noqa: E402
from store.learning import submit_response, vote  # noqa: E402
from store.models import Response, XapiStatement  # noqa: E402
from store.users import create_user  # noqa: E402
from tests.xapi_world import make_world  # noqa: E402

TEXT = (
    "I am so sorry: I have found your parcel, it ships today by express, call me on 06 12 34 56 78."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--advisors", type=int, default=200)
    parser.add_argument("--scenarios", type=int, default=10)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/casebook-bench-xapi"))
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    args.workdir.mkdir(parents=True)
    n = args.advisors * args.scenarios
    print(f"{args.advisors} advisors x {args.scenarios} scenarios = {n} answers (SQLite)")
    timings = {}
    recorder = learning.xapi.record_answer
    for outbox in (True, False):
        # The baseline is the same submit_response with its statements switched off.
        learning.xapi.record_answer = recorder if outbox else (lambda session, **kw: 0)
        engine = make_engine(f"sqlite:///{args.workdir / f'outbox-{outbox}.db'}")
        upgrade(engine)
        with transaction(engine) as s:
            w = make_world(s, n=args.scenarios)
            advisors = [
                create_user(
                    s,
                    username=f"a{i}",
                    password="long-enough-pw",
                    role="advisor",
                    display_name=f"A{i}",
                    team="blue",
                ).id
                for i in range(args.advisors)
            ]
        start = time.perf_counter()
        for user_id in advisors:
            with transaction(engine) as s:  # one transaction per advisor, as a page does per click
                for scenario_id in w.scenarios:
                    submit_response(s, scenario_id=scenario_id, user_id=user_id, text=TEXT)
        timings[outbox] = time.perf_counter() - start
        label = "with statements" if outbox else "without statements"
        print(
            f"answers, {label:<24} {timings[outbox]:7.2f} s  {n / timings[outbox]:8.0f} answers/s"
        )
        if not outbox:
            break
        with transaction(engine) as s:
            first = s.scalar(select(Response.id).order_by(Response.id).limit(1))
            vote(s, response_id=first, user_id=advisors[-1])
            total = s.scalar(select(func.count(XapiStatement.id)))
        print(f"statements in the outbox        {total:>8}")
        start = time.perf_counter()
        with transaction(engine) as s:
            added = xapi.backfill(s)
        took = time.perf_counter() - start
        print(
            f"backfill (all rebuilt, {added} new)   {took:7.2f} s  {total / took:8.0f} statements/s"
        )
        from nlp.redact import find_pii_batch

        find_pii_batch([TEXT], ["en"])  # load the redaction once, outside the timing
        start = time.perf_counter()
        with transaction(engine) as s:
            out = xapi.statements(s)
        took = time.perf_counter() - start
        print(f"export, redaction included      {took:7.2f} s  {len(out) / took:8.0f} statements/s")
    per = (timings[True] - timings[False]) / n * 1000
    print(f"outbox cost per answer          {per:7.2f} ms")


if __name__ == "__main__":
    main()
