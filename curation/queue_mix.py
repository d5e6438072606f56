"""The queue's mix: most notable first, without letting one arc fill the top of the queue.

Scores alone put the same kind of case first again and again (on the demo data, 19 of the top 20
were recoveries while a hundred escalations, many of them failures a reply caused, waited below).
`mixed_order` re-ranks greedily, maximal-marginal-relevance style: each place goes to the case
with the highest score minus `spread` times the share its arc already has among the cases placed
before it. A case of another arc moves up only past cases that score at most `spread` more, so
a much more notable case is never buried, and a queue of one arc keeps its score order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# How much score a case may give up to a case of an arc the queue has shown less of so far.
ARC_SPREAD = 0.1


def mixed_order(
    items: Sequence[T],
    score: Callable[[T], float],
    arc: Callable[[T], str],
    spread: float = ARC_SPREAD,
) -> list[T]:
    """`items` re-ranked: each place to the highest score - spread * (share of its arc so far).

    Ties go to the higher score, then to the earlier item. With `spread` 0 this is the order by
    score (stable). Linear in the items times the number of arcs.
    """
    by_arc: dict[str, list[tuple[float, int, T]]] = {}
    for n, item in enumerate(items):
        by_arc.setdefault(arc(item), []).append((float(score(item)), n, item))
    for queue in by_arc.values():
        queue.sort(key=lambda e: (-e[0], e[1]))
        queue.reverse()  # best last, popped first
    placed: Counter[str] = Counter()
    out: list[T] = []
    while by_arc:
        shown = len(out)
        best_key: tuple[float, float, int] | None = None
        best_arc = ""
        for name, queue in by_arc.items():
            value, n, _ = queue[-1]
            share = placed[name] / shown if shown else 0.0
            key = (value - spread * share, value, -n)
            if best_key is None or key > best_key:
                best_key, best_arc = key, name
        queue = by_arc[best_arc]
        out.append(queue.pop()[2])
        placed[best_arc] += 1
        if not queue:
            del by_arc[best_arc]
    return out
