"""casebook.conversation_eval: the held-out-cue estimate mutes, thread by thread, the cue words
that only that thread shows, and keeps the cues other threads share."""

from __future__ import annotations

from types import SimpleNamespace

from casebook.conversation_eval import (
    cues_seen_in_fewer_than,
    figures,
    held_out_cue_figures,
    predict,
)


def _analyse(texts: list[str]) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            redacted_text=t,
            language="en",
            sentiment="negative",
            sentiment_score=-0.5,
            emotion="neutral",
            intensity=0.5,
            situation="other",
            risks=[],
            pii=[],
        )
        for t in texts
    ]


def _record(key: str, last: str) -> dict:
    turns = [
        ("customer", "c-" + key, "My order is not working"),
        ("advisor", "brand", "Please restart it."),
        ("customer", "c-" + key, last),
    ]
    return {
        "key": key,
        "source": "twcs",
        "split": "dev",
        "labels": {"arc": "escalation", "kind": "service"},
        "turns": [
            {
                "id": f"{key}-{n}",
                "role": role,
                "author": author,
                "created_at": f"2020-01-01T10:0{n}:00+00:00",
                "text": text,
            }
            for n, (role, author, text) in enumerate(turns)
        ],
    }


RECORDS = [
    _record("a", "this is ridiculous"),
    _record("b", "you are useless"),
    _record("c", "still useless"),
]


def test_the_rules_see_every_cue_on_dev():
    seen: dict[str, set[str]] = {}
    out = figures(predict(RECORDS, _analyse, {}, cues_seen=seen))
    assert out["escalation_recall"] == 1.0
    assert "ridiculous" in seen["a"] and "useless" in seen["b"]


def test_a_cue_only_one_thread_shows_is_held_out_for_that_thread():
    out = held_out_cue_figures(RECORDS, _analyse, {})
    # "ridiculous" is thread a's alone: without it thread a is no escalation; "useless" is shared.
    assert out["escalation_counts"] == "2 right of 2 said, 3 labelled"
    assert out["held_out_cues"] >= 1


def test_the_stricter_estimate_also_holds_out_cues_two_threads_share():
    out = held_out_cue_figures(RECORDS, _analyse, {}, fewer_than=3)
    # "useless" is shown by threads b and c only (fewer than 3): muted for both, as "ridiculous"
    # is for a; nothing is left to call an escalation.
    assert out["escalation_counts"] == "0 right of 0 said, 3 labelled"
    shared = [*RECORDS, _record("d", "useless again")]
    out = held_out_cue_figures(shared, _analyse, {}, fewer_than=3)
    assert out["escalation_counts"] == "3 right of 3 said, 4 labelled"


def test_cues_seen_in_fewer_than_counts_threads_not_matches():
    seen = {"a": {"x", "y"}, "b": {"y"}, "c": {"y", "z"}}
    assert cues_seen_in_fewer_than(seen, 2) == {
        "a": frozenset({"x"}),
        "b": frozenset(),
        "c": frozenset({"z"}),
    }
    assert cues_seen_in_fewer_than(seen, 4)["b"] == frozenset({"y"})
