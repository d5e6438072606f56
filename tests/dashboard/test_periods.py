"""Periods: a leader sees an imported 2015 history with "all" or a custom range of dates; the
coach finds its cases in the queue, which says when its list is cut."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from dashboard.i18n import day
from store.analyses import save_analyses
from store.db import transaction
from store.models import AuthorRole, Case, Comment, Source, Thread
from store.users import UserInfo
from tests.dashboard.harness import app, csv_rows, page
from tests.dashboard.test_leader_pages import _analysis, downloads  # noqa: F401 (a fixture)

OLD = datetime(2015, 2, 10, 9, 0, tzinfo=UTC)


def leader(language: str = "en") -> UserInfo:
    return UserInfo(id=999, username="lee", display_name="Lee", role="leader", language=language)


def coach() -> UserInfo:
    return UserInfo(id=998, username="cam", display_name="Cam", role="coach", language="en")


@pytest.fixture
def history(db):
    """Thirty 2015 tweets about billing, five recent ones about delivery; a case in each era."""
    now = datetime.now(UTC)
    with transaction(db) as s:
        source = Source(name="tweets-2015", kind="jsonl", channel="twitter")
        s.add(source)
        s.flush()
        rows, threads = [], []
        for era, (start, n, situation) in enumerate(
            ((OLD, 30, "billing_payment"), (now - timedelta(days=3), 5, "delivery_logistics"))
        ):
            thread = Thread(source_id=source.id, external_id=f"t{era}", channel="twitter")
            s.add(thread)
            s.flush()
            thread.last_comment_at = start + timedelta(days=n)
            threads.append(thread)
            for i in range(n):
                comment = Comment(
                    source_id=source.id,
                    external_id=f"{era}-{i}",
                    thread_id=thread.id,
                    author_role=AuthorRole.customer,
                    author_ref="r",
                    channel="twitter",
                    created_at=start + timedelta(hours=i),
                    text="t",
                )
                s.add(comment)
                s.flush()
                rows.append(_analysis(comment.id, situation))
        save_analyses(s, version="v1", rows=rows)
        for i, thread in enumerate(threads):
            s.add(
                Case(
                    thread_id=thread.id,
                    score=0.5 + i / 10,
                    arc="escalation",
                    situation="billing_payment" if i == 0 else "delivery_logistics",
                    emotion="anger",
                    channel="twitter",
                    language="en",
                )
            )
    return db


def trend_csv(seen: list[bytes]) -> list[dict]:
    return csv_rows(seen[-1])


def test_trends_show_the_2015_history_with_all_or_a_custom_range(history, downloads):  # noqa: F811
    at = app(leader(), script=page("trends")).run()
    assert not at.exception
    recent = trend_csv(downloads)
    assert recent and all(row["Day"] >= "2026" for row in recent if int(row["Comments"]))

    at.radio(key="trend_days").set_value("all").run()
    assert not at.exception
    every = trend_csv(downloads)
    old = [row for row in every if row["Day"].startswith("2015") and int(row["Comments"])]
    assert sum(int(row["Comments"]) for row in old) == 30
    assert any("From 10 Feb 2015" in c.value.replace("\\", "") for c in at.caption)

    at.radio(key="trend_days").set_value("custom").run()
    at.date_input(key="trend_days_range").set_value((date(2015, 2, 10), date(2015, 2, 28))).run()
    assert not at.exception
    ranged = trend_csv(downloads)
    assert ranged and all(row["Day"].startswith("2015-02") for row in ranged)
    assert sum(int(row["Comments"]) for row in ranged) == 30


def test_the_queue_finds_2015_cases(history):
    at = app(coach(), script=page("case_queue")).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 2  # "all" by default: the 2015 case is there
    assert any("2 cases." in c.value.replace("\\", "") for c in at.caption)

    at.radio(key="filter_period").set_value("custom").run()
    at.date_input(key="filter_period_range").set_value((date(2015, 2, 10), date(2015, 12, 31)))
    at.run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 1


def test_count_cases_counts_past_the_queue_limit(history):
    from store.queue import case_queue, count_cases

    with transaction(history) as s:
        assert len(case_queue(s, limit=1)) == 1
        assert count_cases(s) == 2
        assert (
            count_cases(s, since=datetime(2015, 1, 1, tzinfo=UTC), until=OLD.replace(month=12)) == 1
        )


def test_the_last_7_days_are_7_dates_on_the_caption_and_the_chart(history, downloads):  # noqa: F811
    at = app(leader(), script=page("trends")).run()
    at.radio(key="trend_days").set_value(7).run()
    assert not at.exception
    days = sorted({row["Day"] for row in trend_csv(downloads)})
    assert len(days) == 7
    [span] = [c.value for c in at.caption if c.value.startswith("From ")]
    first, last = (day(date.fromisoformat(d), "en") for d in (days[0], days[-1]))
    assert span.replace("\\", "") == f"From {first} to {last}"


def test_a_french_reader_reads_the_period_s_dates_day_first_with_french_months(history):  # noqa: F811
    at = app(leader("fr"), script=page("trends")).run()
    [span] = [c.value for c in at.caption if c.value.startswith("Du ")]
    assert re.fullmatch(r"Du \d{1,2} \S+ \d{4} au \d{1,2} \S+ \d{4}", span.replace("\\", ""))
    assert "-" not in span  # no ISO date left
    assert day(datetime(2026, 12, 6, 6, 56), "fr") == "6 déc. 2026 06:56"
    assert day(date(2026, 2, 1), "en") == "1 Feb 2026"
