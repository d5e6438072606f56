"""Time to curate N threads of the demo generator from scratch, then incrementally after 1,000 new comments.

.venv/bin/python bench/curate.py [--threads 100000] [--workdir /tmp/casebook-bench-curate]

Each step prints its wall time and this process's CPU time: on a shared machine the wall time
depends on the others' load, the CPU time much less. Set-up (generate, ingest, analyse with the
real classifiers) is timed separately from curation;
the set-up is kept in the work folder, so a second run with the same arguments goes straight
to curation.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, update  # noqa: E402

from casebook.demo.generator import generate_demo  # noqa: E402
from casebook.settings import Settings  # noqa: E402
from casebook.steps.curate import curate_changed  # noqa: E402
from casebook.steps.enrich import enrich_pending, load_analyzer  # noqa: E402
from casebook.steps.ingest import ingest_source, register_source  # noqa: E402
from store.db import make_engine, transaction, upgrade  # noqa: E402
from store.models import Case, Comment, Family, Thread  # noqa: E402

COMMENTS_PER_THREAD = 2.89  # what the demo generator averages


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(label: str, fn):  # noqa: ANN001, ANN201
    """Run fn; print its wall time and this process's CPU time (the machine may be shared)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<44} {wall:8.1f} s  (CPU {used:6.1f} s)   {out}", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--new-comments", type=int, default=1_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/casebook-bench-curate"))
    args = parser.parse_args()

    work = args.workdir / str(args.threads)
    settings = Settings(var_dir=work, database_url=f"sqlite:///{work / 'bench.db'}")
    engine = make_engine(settings.db_url)
    upgrade(engine)
    key = b"bench-key-" * 4
    analyzer = load_analyzer()

    with transaction(engine) as s:
        have = s.scalar(select(func.count(Thread.id))) or 0
    if have == 0:
        n = int(args.threads * COMMENTS_PER_THREAD)
        step(f"generate {n:,} demo comments", lambda: len(generate_demo(work / "demo", n, seed=11)))
        register_source(
            engine, "demo", "jsonl", "mixed", {"path": str(work / "demo"), "channel": "demo"}
        )
        step("ingest", lambda: ingest_source(engine, "demo", key).new)
    # Also after a classifier change: curation reads the analyses of the current version only.
    step(
        "analyse what is pending (real classifiers)", lambda: enrich_pending(engine, analyzer, 5000)
    )
    with transaction(engine) as s:
        n_threads = s.scalar(select(func.count(Thread.id)))
        n_comments = s.scalar(select(func.count(Comment.id)))
        # From scratch: forget earlier curation.
        s.execute(update(Thread).values(curated_at=None))
        s.query(Case).delete()  # signatures, bands and collapsed threads go with them
        s.query(Family).delete()
    print(f"store: {n_threads:,} threads, {n_comments:,} comments")

    started, cpu = time.perf_counter(), time.process_time()
    full = step(
        f"curate {n_threads:,} threads from scratch",
        lambda: curate_changed(engine, analyzer.version, settings, batch_size=5000),
    )
    print(
        f"curate {n_threads:,} threads: {time.perf_counter() - started:.1f} s "
        f"(CPU {time.process_time() - cpu:.1f} s; target < 120 s)"
    )

    new_dir = work / f"new-{time.time_ns()}"
    generate_demo(new_dir, args.new_comments, seed=time.time_ns() % 10_000)
    register_source(
        engine, new_dir.name, "jsonl", "mixed", {"path": str(new_dir), "channel": "demo"}
    )
    step(
        f"ingest {args.new_comments:,} new comments",
        lambda: ingest_source(engine, new_dir.name, key).new,
    )
    started, cpu = time.perf_counter(), time.process_time()
    step(f"enrich {args.new_comments:,} new comments", lambda: enrich_pending(engine, analyzer))
    inc = step(
        "curate incrementally",
        lambda: curate_changed(engine, analyzer.version, settings, batch_size=5000),
    )
    both = time.perf_counter() - started
    print(
        f"enrich + curate of {args.new_comments:,} new comments: {both:.1f} s "
        f"(CPU {time.process_time() - cpu:.1f} s; target < 5 s)"
    )
    print(f"load average when done: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"from scratch: {full}; incremental: {inc}; peak memory {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
