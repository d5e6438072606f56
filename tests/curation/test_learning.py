from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curation.learning import (
    ANSWER_MAX,
    BASE_POINTS,
    COMMENT_MAX,
    MAX_BASE_ANSWERS,
    Answer,
    NotAllowed,
    check_answer,
    check_comment,
    check_pick,
    check_vote,
    period_bounds,
    points,
    rank,
    response_points,
)

answers_st = st.lists(
    st.builds(Answer, st.integers(1, 40), st.integers(0, 50), st.booleans()), max_size=60
)


def test_vote_rules():
    check_vote(1, 2, already_voted=False)
    with pytest.raises(NotAllowed, match="own answer"):
        check_vote(1, 1, already_voted=False)
    with pytest.raises(NotAllowed, match="already voted"):
        check_vote(1, 2, already_voted=True)


def test_answer_and_pick_rules():
    assert check_answer(True, False, "  I am sorry  ") == "I am sorry"
    for published, answered, text in [(False, False, "x"), (True, True, "x"), (True, False, " ")]:
        with pytest.raises(NotAllowed):
            check_answer(published, answered, text)
    check_pick("coach")
    with pytest.raises(NotAllowed):
        check_pick("advisor")


def test_an_answer_or_a_comment_has_a_length_a_peer_can_read():
    assert check_answer(True, False, "x" * ANSWER_MAX) == "x" * ANSWER_MAX
    with pytest.raises(NotAllowed, match=f"longer than {ANSWER_MAX} characters"):
        check_answer(True, False, "x" * (ANSWER_MAX + 1))
    assert check_comment(" " + "y" * COMMENT_MAX + " ") == "y" * COMMENT_MAX
    with pytest.raises(NotAllowed, match=f"longer than {COMMENT_MAX} characters"):
        check_comment("y" * (COMMENT_MAX + 1))


@given(answers_st, st.integers(0, 59), st.integers(1, 20))
def test_more_votes_never_lower_points(answers, index, extra):
    if not answers:
        return
    i = index % len(answers)
    more = [
        *answers[:i],
        Answer(answers[i].scenario_id, answers[i].votes + extra, answers[i].coach_pick),
        *answers[i + 1 :],
    ]
    assert points(more) >= points(answers)


@given(st.integers(0, 500))
def test_volume_alone_is_capped(n):
    unvalidated = [Answer(scenario_id=i) for i in range(n)]
    assert points(unvalidated) <= BASE_POINTS * MAX_BASE_ANSWERS


@given(answers_st)
def test_answering_the_same_scenario_twice_earns_nothing_more(answers):
    assert points(answers + [Answer(a.scenario_id) for a in answers]) == points(answers)


@given(st.integers(0, 100))
def test_votes_have_diminishing_returns_and_a_pick_outweighs_a_few_votes(v):
    gain_now = response_points(v + 1, False) - response_points(v, False)
    gain_next = response_points(v + 2, False) - response_points(v + 1, False)
    assert 0 < gain_next <= gain_now
    assert response_points(0, True) > response_points(3, False)


def test_one_validated_answer_beats_many_ignored_ones():
    assert points([Answer(1, votes=3, coach_pick=True)]) > points([Answer(i) for i in range(50)])


def test_rank_shares_ties():
    lines = rank([("b", 5.0, 1, 1, 0, 0.0), ("a", 5.0, 1, 1, 0, 0.0), ("c", 9.0, 2, 3, 1, 2.0)])
    assert [(s.rank, s.name) for s in lines] == [(1, "c"), (2, "a"), (2, "b")]


def test_period_bounds():
    now = datetime(2026, 12, 17, 15, 30, tzinfo=UTC)  # a Thursday
    assert period_bounds("week", now) == (
        datetime(2026, 12, 14, tzinfo=UTC),
        datetime(2026, 12, 21, tzinfo=UTC),
    )
    assert period_bounds("month", now) == (
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    with pytest.raises(ValueError):
        period_bounds("year", now)
