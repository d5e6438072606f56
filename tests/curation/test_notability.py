from hypothesis import given
from hypothesis import strategies as st

from curation.notability import DEFAULT_WEIGHTS, notability

PARTS = list(DEFAULT_WEIGHTS)
unit = st.floats(min_value=-2, max_value=3, allow_nan=False)
parts_st = st.fixed_dictionaries({name: unit for name in PARTS})
weights_st = st.fixed_dictionaries({name: st.floats(0, 10, allow_nan=False) for name in PARTS})


@given(parts_st, weights_st)
def test_score_is_bounded(parts, weights):
    assert 0.0 <= notability(parts, weights) <= 1.0


@given(parts_st, weights_st, st.sampled_from(PARTS), st.floats(0, 2, allow_nan=False))
def test_more_of_any_part_never_lowers_the_score(parts, weights, name, extra):
    more = {**parts, name: parts[name] + extra}
    assert notability(more, weights) >= notability(parts, weights) - 1e-12


def test_recovery_outranks_question_all_else_equal():
    base = {name: 0.5 for name in PARTS}
    assert notability({**base, "arc": 1.0}) > notability({**base, "arc": 0.1})


def test_zero_weights_give_zero():
    assert notability({"arc": 1.0}, {name: 0.0 for name in PARTS}) == 0.0
