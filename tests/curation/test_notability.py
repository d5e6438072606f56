from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from curation.arcs import AGENT, CUSTOMER, Turn
from curation.case_drafts import curate_thread
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


# The queue's mix: turnarounds and failures a reply caused above routine threats.
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _thread(*rows: tuple[str, str, float, tuple[str, ...]]) -> list[Turn]:
    return [
        Turn(
            i + 1,
            role,
            T0 + timedelta(minutes=i),
            text,
            sentiment_score=score,
            emotion="anger" if score <= -0.6 else "joy" if score > 0.5 else "neutral",
            intensity=0.8 if score <= -0.6 else 0.3,
            risks=risks,
            author="c" if role == CUSTOMER else "b",
        )
        for i, (role, text, score, risks) in enumerate(rows)
    ]


def _score(turns: list[Turn]) -> tuple[str, float, dict[str, float]]:
    draft = curate_thread(turns, "twitter", {}, {}, T0)
    assert draft is not None
    return draft.arc, draft.score, draft.parts


ROUTINE_THREAT = _thread(
    (CUSTOMER, "My internet is down AGAIN, third time this week!!!", -0.9, ()),
    (AGENT, "We're sorry, an engineer has been booked for Friday.", 0.2, ()),
    (CUSTOMER, "Friday?! I'm cancelling and I'll see you in small claims court", -0.9, ("legal",)),
)
REPLY_CAUSED = _thread(
    (CUSTOMER, "Hi, can you tell me when my parcel will arrive?", 0.0, ()),
    (AGENT, "Please send us a DM with your order number.", 0.1, ()),
    (
        CUSTOMER,
        "Seriously? I'm cancelling and I'll see you in small claims court",
        -0.9,
        ("legal",),
    ),
)
RECOVERY = _thread(
    (CUSTOMER, "My internet is down AGAIN, third time this week!!!", -0.9, ()),
    (AGENT, "So sorry, I've fixed the line and credited your bill.", 0.3, ()),
    (CUSTOMER, "Wow, it works, thank you so much, you saved my day!", 0.9, ()),
)


def test_a_threat_is_counted_once_as_the_change_in_the_customer():
    arc, _, parts = _score(ROUTINE_THREAT)
    assert arc == "escalation" and parts["outcome"] == 1.0
    # The threat after the reply is the escalation's end, not also a risk or a legal situation.
    assert parts["risk"] == 0.0 and parts["delicate"] == 0.0
    # A risk the customer raised before the reply still counts.
    earlier = [replace(ROUTINE_THREAT[0], risks=("legal",)), *ROUTINE_THREAT[1:]]
    assert _score(earlier)[2]["risk"] > 0.0


def test_turnarounds_and_reply_caused_failures_rank_above_a_routine_threat():
    routine, caused, recovery = _score(ROUTINE_THREAT), _score(REPLY_CAUSED), _score(RECOVERY)
    assert (routine[0], caused[0], recovery[0]) == ("escalation", "escalation", "recovery")
    assert recovery[1] > routine[1] and caused[1] > routine[1]
    draft = curate_thread(ROUTINE_THREAT, "twitter", {}, {}, T0)
    assert draft is not None and "routine threat" in draft.why


def test_the_readme_gives_the_default_weights():
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    [row] = [
        line for line in readme.splitlines() if line.startswith("| `CASEBOOK_NOTABILITY_WEIGHTS`")
    ]
    said = {name: float(value) for name, value in re.findall(r"(\w+) (\.\d+)", row.split("|")[2])}
    assert said == DEFAULT_WEIGHTS
