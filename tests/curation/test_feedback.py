"""Coaches' verdicts as rules: overrides on their thread, muted cues and accounts elsewhere."""

from datetime import UTC, datetime, timedelta

import pytest

from curation.arcs import AGENT, CUSTOMER, Turn
from curation.case_drafts import curate_thread
from curation.feedback import (
    NOT_A_CASE,
    WRONG_ARC,
    BadVerdict,
    Verdict,
    check_verdict,
    learn_rules,
)
from curation.outcome import ARCS

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def thread(last: str, customer: str = "c") -> list[Turn]:
    rows = [
        (CUSTOMER, "My internet has been down since Monday", -0.4),
        (AGENT, "Please restart your router.", 0.0),
        (CUSTOMER, last, -0.3),
    ]
    return [
        Turn(
            i + 1,
            r,
            T0 + timedelta(minutes=i),
            t,
            sentiment_score=s,
            author=customer if r == CUSTOMER else "b",
        )
        for i, (r, t, s) in enumerate(rows)
    ]


def test_check_verdict():
    assert check_verdict(" Not_A_Case ", "recovery", ARCS) == (NOT_A_CASE, None)
    assert check_verdict("wrong_arc", "Unresolved", ARCS) == (WRONG_ARC, "unresolved")
    with pytest.raises(BadVerdict):
        check_verdict("meh", None, ARCS)
    with pytest.raises(BadVerdict):
        check_verdict("wrong_arc", "happy", ARCS)


def test_a_cue_that_misled_twice_is_muted_and_generalises():
    verdicts = [
        Verdict(1, WRONG_ARC, "escalation", "bot", "unresolved", "x"),
        Verdict(2, WRONG_ARC, "escalation", "bot", "question", "y"),
        Verdict(3, WRONG_ARC, "escalation", "joke", "unresolved", "z"),
        Verdict(4, WRONG_ARC, "escalation", "tone -0.90", "unresolved", "z"),
        Verdict(5, WRONG_ARC, "escalation", "tone -0.90", "unresolved", "z"),
        # Read by the turn reader or off a review's score: no word to mute.
        Verdict(6, WRONG_ARC, "escalation", "reads as worse off", "unresolved", "v"),
        Verdict(7, WRONG_ARC, "escalation", "reads as worse off", "unresolved", "w"),
        Verdict(8, NOT_A_CASE, "recovery", "score 0.2", None, "u"),
        Verdict(9, NOT_A_CASE, "recovery", "score 0.2", None, "t"),
    ]
    rules = learn_rules(verdicts)
    assert rules.muted_cues == frozenset({"bot"})
    # A thread no coach has seen: the muted cue no longer makes it an escalation.
    fresh = thread("is this a bot answering")
    assert curate_thread(fresh, "twitter", {}, {}, T0).arc == "escalation"
    assert curate_thread(fresh, "twitter", {}, {}, T0, rules=rules, thread_key=99).arc != (
        "escalation"
    )


def test_verdicts_on_a_thread_apply_to_it():
    rules = learn_rules(
        [
            Verdict(7, NOT_A_CASE, "escalation", "joke", None, "c"),
            Verdict(8, WRONG_ARC, "unresolved", "", "recovery", "d"),
        ]
    )
    turns = thread("this is a joke")
    gone = curate_thread(turns, "twitter", {}, {}, T0, rules=rules, thread_key=7)
    assert gone is not None and gone.arc == "not_service" and "coach" in gone.why
    fixed = curate_thread(thread("ok", "d"), "twitter", {}, {}, T0, rules=rules, thread_key=8)
    assert fixed is not None and fixed.arc == "recovery" and fixed.pivotal_comment_id == 2
    assert curate_thread(turns, "twitter", {}, {}, T0, rules=rules, thread_key=1).arc == (
        "escalation"
    )


def test_an_account_coaches_called_not_a_case_twice_makes_no_case():
    rules = learn_rules(
        [
            Verdict(1, NOT_A_CASE, "praise", "", None, "promo"),
            Verdict(2, NOT_A_CASE, "praise", "", None, "promo"),
        ]
    )
    assert rules.not_service_raisers == frozenset({"promo"})
    draft = curate_thread(
        thread("great", "promo"), "twitter", {}, {}, T0, rules=rules, thread_key=3
    )
    assert draft is not None and draft.kind == "not_service"
