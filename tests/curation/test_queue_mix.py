"""The queue's mix (curation.queue_mix): one arc does not fill the top, and no case is passed by
one that scores more than the spread below it."""

from __future__ import annotations

import random

from curation.queue_mix import mixed_order


def order(items, spread=0.1):
    return [name for name, _, _ in mixed_order(items, lambda i: i[1], lambda i: i[2], spread)]


def test_a_case_of_another_arc_moves_up_past_close_scores():
    items = [("r1", 0.90, "recovery"), ("r2", 0.85, "recovery"), ("r3", 0.84, "recovery")]
    items.append(("e1", 0.80, "escalation"))
    assert order(items, spread=0) == ["r1", "r2", "r3", "e1"]
    # After r1 the recoveries' share is 1: r2 counts 0.75, below e1's 0.80.
    assert order(items) == ["r1", "e1", "r2", "r3"]


def test_a_much_more_notable_case_is_never_buried():
    items = [("r1", 0.9, "recovery"), ("r2", 0.8, "recovery"), ("r3", 0.7, "recovery")]
    items.append(("e1", 0.5, "escalation"))
    assert order(items) == ["r1", "r2", "r3", "e1"]


def test_one_arc_keeps_its_score_order_and_ties_keep_the_input_order():
    items = [("a", 0.5, "question"), ("b", 0.7, "question"), ("c", 0.5, "question")]
    assert order(items) == ["b", "a", "c"]
    assert order([]) == []


def test_no_case_is_passed_by_one_scoring_more_than_the_spread_below_it():
    rng = random.Random(12)
    arcs = ("recovery", "escalation", "unresolved", "praise")
    for _ in range(200):
        items = [(n, round(rng.random(), 3), rng.choice(arcs)) for n in range(rng.randint(1, 30))]
        mixed = mixed_order(items, lambda i: i[1], lambda i: i[2], 0.1)
        assert sorted(mixed) == sorted(items)
        for k, (_, score, _) in enumerate(mixed):
            assert all(later[1] <= score + 0.1 + 1e-9 for later in mixed[k + 1 :])
        # Within each arc the order by score holds.
        for arc in arcs:
            scores = [i[1] for i in mixed if i[2] == arc]
            assert scores == sorted(scores, reverse=True)
