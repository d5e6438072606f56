"""How far two annotators agree: the labels of labels.jsonl against a second annotator's
(second_annotator.jsonl, 80 development TWCS threads labelled from RUBRIC.md alone), per field on
the threads both labelled: the share with the same value and Cohen's kappa (agreement beyond
chance); for recoveries and escalations, how many each said and both said; and the pivotal turn
where both gave the same arc.

    .venv/bin/python -m casebook_data.eval.conversations.agreement [--second FILE]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sklearn.metrics import cohen_kappa_score

from casebook_data.eval.conversations import HERE, read_labels

SECOND_FILE = HERE / "second_annotator.jsonl"
FIELDS = ("kind", "start", "need", "end", "arc", "notable")
CASE_ARCS = ("recovery", "escalation")


def agreement(
    first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """{field: {"n", "agreement", "kappa" (None: one value only)}} over the keys both label, plus, per case arc,
    {"first", "second", "both"} counts, and "pivotal": {"same", "of"} where both give the same
    case arc."""
    a = {r["key"]: r for r in first}
    b = {r["key"]: r for r in second}
    keys = sorted(a.keys() & b.keys())
    if not keys:
        raise ValueError("the two files share no thread")
    out: dict[str, dict[str, Any]] = {}
    for field in FIELDS:
        x = [str(a[k][field]) for k in keys]
        y = [str(b[k][field]) for k in keys]
        same = sum(p == q for p, q in zip(x, y, strict=True))
        # Kappa is undefined when both gave every thread the same value.
        kappa = None if len(set(x) | set(y)) == 1 else float(cohen_kappa_score(x, y))
        out[field] = {"n": len(keys), "agreement": same / len(keys), "kappa": kappa}
    for arc in CASE_ARCS:
        x_arc = [a[k]["arc"] == arc for k in keys]
        y_arc = [b[k]["arc"] == arc for k in keys]
        out[arc] = {
            "first": sum(x_arc),
            "second": sum(y_arc),
            "both": sum(p and q for p, q in zip(x_arc, y_arc, strict=True)),
        }
    both = [k for k in keys if a[k]["arc"] == b[k]["arc"] and a[k]["arc"] in CASE_ARCS]
    out["pivotal"] = {
        "same": sum(str(a[k]["pivotal"]) == str(b[k]["pivotal"]) for k in both),
        "of": len(both),
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--second", type=Path, default=SECOND_FILE)
    args = parser.parse_args(argv)
    figures = agreement(read_labels(), read_labels(args.second))
    print(f"{'field':10} {'threads':>7} {'agreement':>9} {'kappa':>6}")
    for field in FIELDS:
        f = figures[field]
        kappa = "n/a" if f["kappa"] is None else f"{f['kappa']:.2f}"
        print(f"{field:10} {f['n']:>7} {f['agreement']:>9.2f} {kappa:>6}")
    for arc in CASE_ARCS:
        f = figures[arc]
        print(f"{arc}: first {f['first']}, second {f['second']}, both {f['both']}")
    p = figures["pivotal"]
    print(f"pivotal turn: the same in {p['same']} of {p['of']} threads with the same case arc")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
