"""The leader's pages: trends, emerging issues, training coverage, learning engagement."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit import dataframe_util

from curation.review import ReviewState
from dashboard import charts
from dashboard.i18n import day
from store.analyses import save_analyses
from store.db import transaction
from store.leader import emerging_situations, summary_trend, training_coverage
from store.models import (
    AuthorRole,
    Case,
    Comment,
    DailyFeedback,
    Family,
    Response,
    Scenario,
    Source,
    Thread,
    Vote,
)
from store.summaries import ensure_daily_feedback
from store.users import UserInfo, create_user
from tests.dashboard.harness import app, chart_specs, csv_rows, page
from tests.dashboard.seed import seed

LEADER_PAGES = ["trends", "emerging", "coverage", "engagement"]
FORMULA = "=HYPERLINK(1)"


def leader(language: str = "en") -> UserInfo:
    return UserInfo(id=999, username="lee", display_name="Lee", role="leader", language=language)


def _analysis(comment_id: int, situation: str, sentiment: str = "negative") -> dict:
    return {
        "comment_id": comment_id,
        "language": "en",
        "language_confidence": 0.9,
        "redacted_text": "x",
        "pii": [],
        "sentiment": sentiment,
        "sentiment_score": 0.5,
        "emotion": "anger",
        "intensity": 0.5,
        "situation": situation,
        "situation_confidence": 0.8,
        "risks": [],
    }


def add_analysed(s, name: str, channel: str, comments: list[tuple[datetime, str]]) -> None:
    """Customer comments (when, situation) of a new source, each analysed."""
    source = Source(name=name, kind="csv", channel=channel)
    s.add(source)
    s.flush()
    thread = Thread(source_id=source.id, external_id=name, channel=channel)
    s.add(thread)
    s.flush()
    rows = []
    for i, (at, situation) in enumerate(comments):
        comment = Comment(
            source_id=source.id,
            external_id=f"{name}{i}",
            thread_id=thread.id,
            author_role=AuthorRole.customer,
            author_ref="r",
            channel=channel,
            created_at=at,
            text="t",
        )
        s.add(comment)
        s.flush()
        rows.append(_analysis(comment.id, situation))
    save_analyses(s, version="v1", rows=rows)


def add_history(s, now: datetime) -> None:
    """'billing' once a week for 8 weeks, then 12 times this week; a formula-like situation."""
    when = [now - timedelta(days=7 * w + 1) for w in range(1, 9)]
    when += [now - timedelta(hours=h + 1) for h in range(12)]
    comments = [(at, "billing") for at in when] + [(now - timedelta(days=2), FORMULA)]
    add_analysed(s, "care", "email", comments)


def add_comments(s, counts: dict[str, int], now: datetime) -> None:
    """`counts` comments of each situation, yesterday."""
    yesterday = now - timedelta(days=1)
    add_analysed(s, "more", "chat", [(yesterday, k) for k, n in counts.items() for _ in range(n)])


def add_training(s, case_id: int) -> None:
    """A published scenario on a case, two advisors of a team answering it, a vote."""
    s.get(Case, case_id).state = ReviewState.published
    scenario = Scenario(
        case_id=case_id, title="t", language="en", state=ReviewState.published, model_answer="m"
    )
    s.add(scenario)
    s.flush()
    a = create_user(
        s, username="a1", password="long enough pw", role="advisor", team="blue", site="Lyon"
    )
    b = create_user(
        s, username="a2", password="long enough pw", role="advisor", team="red", site="Lyon"
    )
    ra = Response(scenario_id=scenario.id, user_id=a.id, text="x")
    rb = Response(scenario_id=scenario.id, user_id=b.id, text="y")
    s.add_all([ra, rb])
    s.flush()
    s.add(Vote(response_id=ra.id, user_id=b.id))
    s.add(Family(name="late parcel", situation="delivery_delay", size=14, size_this_week=8))


@pytest.fixture
def seeded_at():
    """When the store was seeded: its newest day, the pages' default (a run may cross midnight)."""
    return datetime.now(UTC)


@pytest.fixture
def rich(db, seeded_at):
    now = seeded_at
    with transaction(db) as s:
        seeded = seed(s, now=now, users=False)
        ensure_daily_feedback(
            s, version="v1"
        )  # what enrichment does first on a store from before it
        add_history(s, now)
        add_training(s, seeded.case_id)
    return db


@pytest.fixture
def downloads(monkeypatch):
    """The data of every download button drawn."""
    seen: list[bytes] = []
    original = st.download_button

    def record(label, data, *args, **kwargs):  # noqa: ANN001, ANN202
        seen.append(data() if callable(data) else data)  # made on click: make it now
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", record)
    return seen


@pytest.mark.parametrize("name", LEADER_PAGES)
def test_leader_page_on_an_empty_store(db, name):
    at = app(leader(), script=page(name)).run()
    assert not at.exception
    assert not at.error
    assert at.info, "an empty page says why it is empty"


@pytest.mark.parametrize("name", LEADER_PAGES)
def test_leader_page_with_rows(rich, name, downloads):
    at = app(leader(), script=page(name)).run()
    assert not at.exception
    assert not at.error
    assert at.get("download_button") and downloads
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")


@pytest.mark.parametrize("name", LEADER_PAGES)
@pytest.mark.parametrize("role", ["coach", "advisor", "admin"])
def test_leader_pages_refuse_other_roles(db, name, role):
    at = app(UserInfo(id=1, username=role, display_name=role, role=role), script=page(name)).run()
    assert not at.exception
    assert len(at.error) == 1 and "role" in at.error[0].value
    assert not at.title


@pytest.mark.parametrize("name", LEADER_PAGES)
def test_leader_page_in_french(rich, name, downloads):
    at = app(leader("fr"), script=page(name)).run()
    assert not at.exception and not at.error
    # Its CSV is headed as its table, with the separators of a French spreadsheet.
    header = downloads[0].decode("utf-8-sig").splitlines()[0]
    assert ";" in header and "," not in header and "_" not in header, header


def test_trends_say_today_is_counted_so_far(rich, seeded_at):
    if seeded_at.strftime("%H:%M") == "23:59":
        pytest.skip("the day is as good as over")
    with transaction(rich) as s:
        # A comment of this very minute: the rich store's newest is an hour old, so in the
        # first hour after midnight UTC its last day was yesterday, over, and rightly unmarked.
        add_analysed(s, "today", "email", [(seeded_at, "billing")])
    at = app(leader(), script=page("trends")).run()
    said = [m.value for m in at.caption if "is not over" in m.value]
    first = f"The last day, {day(seeded_at.date(), 'en')}, is counted up to "
    assert len(said) == 1 and said[0].startswith(first), said
    assert re.search(r"up to \d\d\\?:\d\d UTC", said[0])  # the colon escaped for Markdown


def test_trends_of_a_history_ending_before_today_say_nothing_of_a_partial_day(db):
    past = datetime.now(UTC) - timedelta(days=3)
    with transaction(db) as s:
        seed(s, now=past, users=False)
        ensure_daily_feedback(s, version="v1")
    at = app(leader(), script=page("trends")).run()
    assert not at.exception and not at.error
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")  # a chart was drawn
    assert not [m for m in at.caption if "is not over" in m.value]


def test_french_filters_agree_with_their_names(rich):
    at = app(leader("fr"), script=page("trends")).run()
    first = {
        key: at.selectbox(key=f"trend_f_{key}").proto.options[0] for key in ("situation", "channel")
    }
    assert first == {"situation": "(toutes)", "channel": "(tous)"}  # la situation, le canal


@pytest.mark.parametrize(("language", "shown"), [("fr", "DD/MM/YYYY"), ("en", "YYYY-MM-DD")])
def test_date_pickers_write_dates_as_the_reader_does(rich, language, shown):
    at = app(leader(language), script=page("emerging")).run()
    assert at.date_input(key="emerging_week").proto.format == shown


def test_trends_read_the_summary_with_filters_and_escape_formulas(rich, downloads):
    at = app(leader(), script=page("trends")).run()
    at.radio(key="trend_by").set_value("situation").run()
    assert not at.exception
    groups = {r["Group"] for r in csv_rows(downloads[-1])}
    assert "'" + FORMULA in groups and FORMULA not in groups
    assert {"billing", "delivery_delay"} <= groups
    assert not [c for c in at.caption if "only the channel" in c.value]
    at.selectbox(key="trend_f_emotion").set_value("anger").run()
    assert [c for c in at.caption if "only the channel, situation and language" in c.value]
    at.selectbox(key="trend_f_emotion").set_value("").run()
    at.selectbox(key="trend_f_channel").set_value("email").run()
    assert "delivery_delay" not in {r["Group"] for r in csv_rows(downloads[-1])}  # twitter only
    assert at.metric[0].label == "Recovery rate"


def test_trends_never_read_comments_once_summarised(rich):
    with transaction(rich) as s:
        s.execute(Comment.__table__.update().values(channel="changed"))
        trend = summary_trend(s, days=30, by="channel")
    assert "changed" not in set(trend["group"])  # the summary, not the comments


def test_emerging_flags_a_rising_situation(rich):
    with transaction(rich) as s:
        emerging = emerging_situations(s)
    row = emerging.table.set_index("situation").loc["billing"]
    assert row["this_week"] == 12 and row["flagged"]
    assert row["mean"] == 1.0
    assert not emerging.table.set_index("situation").loc["delivery_delay"]["flagged"]
    assert set(emerging.chart["situation"]) == {"billing"}


def test_emerging_reads_no_history_before_the_store_s_first_day(db, seeded_at):
    # A store ten days old: 6 billing comments this week, 1 the week before. Over 12 weeks, the
    # 11 weeks before its first day counted as 0 and billing was flagged as rising.
    now = seeded_at
    with transaction(db) as s:
        add_analysed(
            s,
            "young",
            "email",
            [(now - timedelta(days=10), "billing")]
            + [(now - timedelta(hours=h + 1), "billing") for h in range(6)],
        )
        emerging = emerging_situations(s, now=now, weeks=12)
    row = emerging.table.set_index("situation").loc["billing"]
    assert row["this_week"] == 6 and not row["flagged"]
    assert pd.isna(row["mean"])  # no whole week before: no baseline, not a zero one
    assert list(emerging.weekly["comments"]) == [6]  # the uncovered weeks are no data
    assert emerging.history_weeks == 0
    at = app(leader(), script=page("emerging")).run()
    assert not at.exception and not at.error
    # The caption says how many weeks the baseline is of, not how many were asked for.
    [said] = [m.value for m in at.caption if "spread of the" in m.value]
    assert "spread of the 0 weeks before" in said and "8 asked for" in said


def test_emerging_page_shows_flag_and_families(rich):
    with transaction(rich) as s:  # one case alone is not a family growing
        s.add(Family(name="lone case", situation="billing", size=1, size_this_week=1))
    at = app(leader(), script=page("emerging")).run()
    table, families = (d.value for d in at.dataframe)
    assert bool(table.set_index("situation").loc["billing"]["flagged"])
    assert families.iloc[0]["family"] == "late parcel" and bool(families.iloc[0]["flagged"])
    assert "lone case" not in set(families["family"])


@pytest.mark.parametrize(
    ("language", "said"), [("en", '"Teach situations"'), ("fr", "« Apprendre les situations »")]
)
def test_emerging_page_points_to_teaching_when_other_rises(rich, seeded_at, language, said):
    at = app(leader(language), script=page("emerging")).run()
    assert not [m for m in at.caption if said in m.value]  # "other" is not rising yet
    with transaction(rich) as s:  # what no situation reads: none before, 8 this week
        add_analysed(
            s,
            "new topic",
            "chat",
            [(seeded_at - timedelta(hours=h + 1), "other") for h in range(8)],
        )
    st.cache_data.clear()  # the page's reads of a moment ago are cached
    at = app(leader(language), script=page("emerging")).run()
    assert not at.exception
    assert [m for m in at.caption if said in m.value]


def test_coverage_counts_training_and_gaps(rich):
    with transaction(rich) as s:
        coverage = training_coverage(s, days=90).set_index("situation")
    assert coverage.loc["delivery_delay", "published_scenarios"] == 1
    assert coverage.loc["delivery_delay", "advisors_practised"] == 2
    assert coverage.loc["billing", "comments"] == 20
    assert coverage.loc["billing", "gap"]  # many comments, no published scenario
    assert not coverage.loc["delivery_delay", "gap"]


def test_praise_and_other_are_no_training_gap_nor_in_the_average(rich):
    with transaction(rich) as s:
        before = training_coverage(s, days=90).set_index("situation")
        # Many more comments of praise and of nothing matched than of any problem.
        add_comments(s, {"praise": 300, "other": 300}, datetime.now(UTC))
        after = training_coverage(s, days=90).set_index("situation")
    assert after.loc["praise", "comments"] > 10 * after.loc["billing", "comments"]
    assert not after.loc["praise", "gap"] and not after.loc["other", "gap"]
    assert after.loc["billing", "gap"] == before.loc["billing", "gap"]  # the average unchanged


def test_engagement_by_team_and_filters(rich):
    at = app(leader(), script=page("engagement")).run()
    activity = at.dataframe[0].value
    assert activity["responses"].sum() == 2 and activity["votes"].sum() == 1
    assert set(activity["team"]) == {"blue", "red"}
    at.selectbox(key="engagement_team").set_value("blue").run()
    activity = at.dataframe[0].value
    assert set(activity["team"]) == {"blue"} and activity["votes"].sum() == 0


def test_summary_is_built_for_a_store_analysed_before_it(db):
    with transaction(db) as s:
        seed(s, now=datetime.now(UTC), users=False)  # analyses written without the summary
        assert s.scalar(select(DailyFeedback.comments).limit(1)) is None
    at = app(leader(), script=page("trends")).run()
    assert not at.exception and at.get("vega_lite_chart")
    with transaction(db) as s:
        # the two customers' comments; the advisor's reply is not feedback
        assert sum(s.scalars(select(DailyFeedback.comments))) == 2


def test_engagement_over_any_period_or_all(rich):
    with transaction(rich) as s:
        old = s.scalars(select(Response)).first()
        old.created_at = datetime.now(UTC) - timedelta(days=200)  # an answer 200 days ago
    at = app(leader(), script=page("engagement")).run()
    assert not at.exception
    assert at.radio(key="engagement_period").value == 90  # the default
    assert at.dataframe[0].value["responses"].sum() == 1
    at.radio(key="engagement_period").set_value("all").run()
    assert not at.exception
    assert at.dataframe[0].value["responses"].sum() == 2
    first = (datetime.now(UTC) - timedelta(days=200)).date()
    at.radio(key="engagement_period").set_value("custom").run()
    at.date_input(key="engagement_period_range").set_value((first, first)).run()
    assert not at.exception
    activity = at.dataframe[0].value
    assert activity["responses"].sum() == 1 and activity["votes"].sum() == 0
    at.date_input(key="engagement_period_range").set_value(
        (first + timedelta(days=1), first + timedelta(days=30))
    ).run()
    assert not at.dataframe and any("inbox" in str(i.proto.icon) for i in at.info)


def test_emerging_examines_any_past_week_against_the_weeks_before_it(rich, seeded_at):
    with transaction(rich) as s:
        # The newest day seeded: the newest comment is an hour old, so in the first hour after
        # midnight UTC it is yesterday.
        newest = s.scalar(select(func.max(DailyFeedback.day)))
    assert newest in (seeded_at.date(), (seeded_at - timedelta(hours=1)).date())
    at = app(leader(), script=page("emerging")).run()
    assert at.date_input(key="emerging_week").value == newest  # the page opens on it
    two_weeks_ago = newest - timedelta(days=14)
    at.date_input(key="emerging_week").set_value(two_weeks_ago).run()
    assert not at.exception
    (table,) = (d.value for d in at.dataframe)  # no families: they keep this week only
    row = table.set_index("situation").loc["billing"]
    assert row["this_week"] == 1 and row["flagged"] == "no"  # the quiet week before the rise
    start = two_weeks_ago - timedelta(days=6)
    assert any(
        f"The week examined ({day(start, 'en')} to {day(two_weeks_ago, 'en')})"
        in c.value.replace("\\", "")
        for c in at.caption
    )
    assert any("Families keep only this week" in i.value for i in at.info)


def test_the_coverage_bars_show_whole_situation_names(rich):
    at = app(leader(), script=page("coverage")).run()
    assert not at.exception
    [chart] = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    # Vega-Lite cuts axis labels at 180 pixels ("Delivery and logis…") unless told otherwise.
    assert spec["encoding"]["y"]["axis"]["labelLimit"] >= 300


def test_training_gaps_stand_out_in_the_coverage_bars(rich):
    at = app(leader(), script=page("coverage")).run()
    assert not at.exception
    [chart] = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    scale = json.loads(chart.proto.spec)["encoding"]["color"]["scale"]
    # a gap ("yes") in the warm colour whatever order the data gives, the rest grey
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "no": charts.FLAG_COLOURS[0],
        "yes": charts.FLAG_COLOURS[1],
    }


def test_engagement_weeks_read_as_a_timeline():
    import datetime as dt

    activity = pd.DataFrame(
        {"week": pd.to_datetime(["2026-11-30"]), "responses": [3], "team": ["blue"]}
    )
    # 90 days up to Sunday 6 December: 13 weeks, the first from Monday 7 September
    filled = charts.every_week(
        activity,
        x="week",
        y="responses",
        color="team",
        span=(dt.date(2026, 9, 8), dt.date(2026, 12, 6)),
    )
    assert len(filled) == 13
    assert filled["week"].iloc[0] == pd.Timestamp("2026-09-07")
    assert filled["responses"].sum() == 3 and filled["responses"].iloc[-1] == 3


def test_the_engagement_weeks_are_in_time_order_on_the_axis(rich):
    at = app(leader(), script=page("engagement")).run()
    assert not at.exception
    [chart] = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    # Weeks as dates of an ordinal axis: Vega-Lite puts them in time order and writes them with
    # the reader's month names (Python's strftime wrote English ones, sorted by a given list).
    x = spec["encoding"]["x"]
    assert (x["type"], x["timeUnit"], x["axis"]["format"]) == (
        "ordinal",
        "yearmonthdate",
        charts.DAY_OF_YEAR,
    )
    assert "sort" not in x
    [dataset] = chart.proto.datasets
    weeks = dataframe_util.convert_arrow_bytes_to_pandas_df(dataset.data.data)[x["field"]]
    assert weeks.nunique() >= 13  # 90 days: every week has its place
    assert set(pd.to_datetime(weeks).dt.dayofweek) == {0}  # each labelled by its Monday


@pytest.mark.parametrize("name", LEADER_PAGES)
def test_charts_write_dates_and_numbers_as_their_reader_does(rich, name):
    # Readers of both languages in turn, as sessions of one server are: each chart carries its
    # own reader's locale (a setting of the process, such as Altair's renderer options, would
    # give the last one to all).
    readers = [app(leader(language), script=page(name)).run() for language in ("fr", "en", "fr")]
    for at, (language, march, monday, mark) in zip(
        readers,
        [("fr", "mars", "lundi", ","), ("en", "Mar", "Monday", "."), ("fr", "mars", "lundi", ",")],
        strict=True,
    ):
        assert not at.exception
        specs = chart_specs(at)
        assert specs
        for spec in specs:
            locale = spec["config"]["locale"]
            assert locale == charts.LOCALES[language]
            assert (locale["time"]["shortMonths"][2], locale["time"]["days"][1]) == (march, monday)
            assert locale["number"]["decimal"] == mark
            # Day first in both languages ("3 mars 2026", "3 Mar 2026"), tooltips included: a
            # date left to Vega-Lite's default reads "Mar 03, 2026".
            encoding = spec.get("spec", spec)["encoding"]
            for channel in [encoding.get("x", {}), *encoding.get("tooltip", [])]:
                if isinstance(channel, dict) and (
                    channel.get("type") == "temporal" or "timeUnit" in channel
                ):
                    fmt = channel.get("format") or channel["axis"]["format"]
                    assert fmt in (charts.DAY, charts.DAY_OF_YEAR, charts.MONTH)
            assert spec["config"]["timeFormat"] == charts.DAY_OF_YEAR


@pytest.mark.parametrize(("language", "sign"), [("en", "%"), ("fr", "\u202f%")])
def test_the_recovery_rate_is_written_as_its_reader_writes_a_percentage(rich, language, sign):
    at = app(leader(language), script=page("trends")).run()
    value = str(at.metric[0].value)
    assert value.endswith(sign) and value[: -len(sign)].isdigit(), value


def test_a_chart_s_smallest_groups_are_summed_apart_from_the_situation_other():
    # Nine situations, "Other" among the biggest: the smallest ones summed are not added to it.
    frame = pd.DataFrame(
        {
            "day": ["2026-12-01"] * 9,
            "comments": [90, 80, 70, 60, 50, 40, 30, 20, 10],
            "group": ["Other", "A", "B", "C", "D", "E", "F", "G", "H"],
        }
    )
    shown = charts._top_groups(frame, "comments", "group").set_index("group")["comments"]
    assert shown["Other"] == 90 and shown["all the others"] == 30  # G and H
    assert len(shown) == charts.MAX_GROUPS
