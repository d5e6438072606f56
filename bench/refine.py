"""The slow pass's cost after curation: one run of `casebook refine` over the default cap (the
customer comments of the CASEBOOK_REFINE_MAX_CASES most notable cases), then a run with nothing
new.

.venv/bin/python bench/refine.py [--comments 6000] [--max-cases 200] [--workdir /tmp/casebook-bench-refine]

Set-up (generate demo comments, ingest, analyse, curate with the real classifiers) is kept in
the work folder, so a second run goes straight to the slow pass; the stored readings are
forgotten first, so the first run always reads everything under the cap. Loading the fast and
the slow classifiers and the encoder is timed apart from the run: a flow's process pays it once,
at its first run with something to read (a run with nothing new loads nothing). Each
step prints its wall time and this process's CPU time: on a shared machine the wall time depends
on the others' load, the CPU time much less.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, select  # noqa: E402

from casebook.demo.generator import generate_demo  # noqa: E402
from casebook.settings import Settings  # noqa: E402
from casebook.steps.curate import curate_changed  # noqa: E402
from casebook.steps.enrich import enrich_pending, load_analyzer  # noqa: E402
from casebook.steps.ingest import ingest_source, register_source  # noqa: E402
from casebook.steps.refine import refine_cases  # noqa: E402
from store.db import make_engine, transaction, upgrade  # noqa: E402
from store.models import Case, Comment, Refinement  # noqa: E402


def step(label: str, fn):  # noqa: ANN001, ANN201
    """Run fn; print its wall time and this process's CPU time; return (result, wall, cpu)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<52} {wall:8.2f} s  (CPU {used:6.2f} s)   {out}", flush=True)
    return out, wall, used


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=6000)
    parser.add_argument("--max-cases", type=int, default=Settings().refine_max_cases)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/casebook-bench-refine"))
    args = parser.parse_args()

    work = args.workdir / str(args.comments)
    settings = Settings(
        var_dir=work,
        database_url=f"sqlite:///{work / 'bench.db'}",
        refine_max_cases=args.max_cases,
    )
    engine = make_engine(settings.db_url)
    upgrade(engine)
    # The same cache key as the step's (casebook.steps.enrich.load_analyzer): loaded once here.
    analyzer, _, _ = step(
        "load the fast classifiers",
        lambda: load_analyzer(
            settings.models_dir, settings.taxonomy_file, settings.situation_model
        ),
    )
    with transaction(engine) as s:
        have = s.scalar(select(func.count(Comment.id))) or 0
    if have == 0:
        step("generate demo comments", lambda: len(generate_demo(work / "demo", args.comments, 7)))
        register_source(
            engine, "demo", "jsonl", "mixed", {"path": str(work / "demo"), "channel": "demo"}
        )
        step("ingest", lambda: ingest_source(engine, "demo", b"bench-key-" * 4).new)
    step("analyse what is pending (fast pass)", lambda: enrich_pending(engine, analyzer, 5000))
    step("curate what changed", lambda: curate_changed(engine, analyzer.version, settings))
    with transaction(engine) as s:
        n_cases = s.scalar(select(func.count(Case.id)))
        s.execute(delete(Refinement))  # the first run reads everything under the cap
    print(f"store: {have or args.comments:,} comments, {n_cases:,} cases")

    from nlp.encoder import encode

    step(
        "load the encoder and slow classifiers",
        lambda: (encode(["warm up"]).shape, analyzer.refine([])),
    )
    first, wall, cpu = step(
        f"refine, top {args.max_cases} cases (from scratch)",
        lambda: refine_cases(engine, settings),
    )
    if first.refined:
        print(
            f"  {first.refined} comments of {first.cases} cases: {first.refined / wall:.1f} "
            f"comments/s wall, {first.refined / cpu:.1f} by CPU time"
        )
    step("refine again, nothing new", lambda: refine_cases(engine, settings))
    print(f"load average when done: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
