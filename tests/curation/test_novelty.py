from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from curation.arcs import CUSTOMER, Arc, Turn
from curation.notability import SituationTrend, novelty, rarity, rising, score_parts

counts = st.integers(0, 10_000)


@st.composite
def trends(draw):
    week_total = draw(st.integers(0, 10_000))
    prev_total = draw(st.integers(0, 40_000))
    return SituationTrend(
        share=draw(st.floats(0, 1)),
        this_week=draw(st.integers(0, week_total)),
        this_week_total=week_total,
        previous=draw(st.integers(0, prev_total)),
        previous_total=prev_total,
    )


@given(trends())
def test_novelty_is_bounded(trend):
    assert 0.0 <= novelty(trend) <= 1.0


@given(trends(), st.integers(0, 1000))
def test_more_this_week_never_lowers_novelty(trend, extra):
    more = SituationTrend(
        trend.share,
        min(trend.this_week + extra, trend.this_week_total),
        trend.this_week_total,
        trend.previous,
        trend.previous_total,
    )
    assert novelty(more) >= novelty(trend)


@given(st.floats(0, 1), st.floats(0, 1))
def test_rarer_is_more_novel(a, b):
    low, high = sorted((a, b))
    assert rarity(low) >= rarity(high)


def test_a_common_situation_rising_this_week_is_novel():
    steady = SituationTrend(
        share=0.3, this_week=30, this_week_total=100, previous=120, previous_total=400
    )
    rising_now = SituationTrend(
        share=0.3, this_week=90, this_week_total=100, previous=120, previous_total=400
    )
    assert rising(steady) == 0.0 and novelty(steady) < 0.1
    assert rising(rising_now) == 1.0 and novelty(rising_now) == 1.0


def test_a_few_comments_are_not_a_rise():
    assert rising(SituationTrend(0.0, 2, 2, 0, 100)) == 0.0


def test_score_parts_take_the_trend():
    t = datetime(2026, 11, 10, tzinfo=UTC)
    turns = [Turn(1, CUSTOMER, t, "Parcel lost!", sentiment_score=-0.8, situation="delivery")]
    arc = Arc("unresolved", None)
    plain = score_parts(turns, arc, 0.3, t)
    hot = score_parts(turns, arc, 0.3, t, SituationTrend(0.3, 90, 100, 120, 400))
    assert plain["novelty"] < hot["novelty"] == 1.0
