"""Ingest speed: N generated rows from a CSV drop folder into SQLite and PostgreSQL, then a re-run.

.venv/bin/python bench/ingest.py [--rows 1000000] [--workdir /tmp/casebook-bench-ingest]
    [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test] [--skip-postgres] [--profile]

The rows (150-character texts, conversations of about three comments, customers and brand
accounts, dates over 90 days, 1% of texts cross-posted) are written once into
WORKDIR/drop-N/ as files of 100,000 rows. Each database then gets the real ingest
(`casebook.steps.ingest.ingest_source`) in a process of its own, so its peak memory (ru_maxrss) is
its own: SQLite into a fresh file, PostgreSQL into a fresh schema of the database of
CASEBOOK_TEST_POSTGRES_URL (or --postgres), dropped at the end. Targets: 1,000,000 rows into
SQLite in under 60 s and 500 MB; a re-run with nothing new under 2 s. With --profile, the
SQLite run writes a cProfile to WORKDIR/ingest-sqlite.prof and prints its top functions.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROWS_PER_FILE = 100_000
TEXT_CHARS = 150
KEY = b"bench-key-" * 4
WORDS = (  # noqa: SIM905 - a sentence reads better than 53 quoted words
    "order parcel delivery refund invoice account password app crash login payment card "
    "delay late broken missing wrong item support agent chat phone email waiting days week "
    "still nobody answers please help thanks great quick service disappointed angry again "
    "colis commande remboursement retard facture compte client conseiller merci encore jamais "
    "livraison appli bloque paiement"
).split()


def generate(folder: Path, n: int, seed: int = 7) -> float:
    """Write n rows as CSV files into `folder` (kept between runs); returns seconds spent."""
    marker = folder / ".complete"
    if marker.exists():
        return 0.0
    start = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    t0 = datetime(2026, 8, 1, tzinfo=UTC)
    brands = ["@AcmeCare", "@AcmeHelp", "@AcmeFR"]
    header = ["id", "conversation", "in_reply_to", "user", "role", "date", "body", "lang", "likes"]
    shared_texts: list[str] = []
    i = 0
    part = 0
    while i < n:
        part += 1
        with (folder / f"export-{part:03d}.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            end = min(n, i + ROWS_PER_FILE)
            while i < end:
                root = 10_000_000_000 + i
                at = t0 + timedelta(seconds=rng.randrange(90 * 86400))
                customer = f"user_{rng.randrange(300_000)}"
                turns = min(end - i, rng.choice((1, 2, 3, 3, 4, 5)))
                parent = ""
                for turn in range(turns):
                    ext = 10_000_000_000 + i
                    is_customer = turn % 2 == 0
                    if shared_texts and rng.random() < 0.01:
                        text = rng.choice(shared_texts)  # a cross-post of an earlier text
                    else:
                        words = " ".join(rng.choices(WORDS, k=40))
                        text = f"#{ext} {words}"[:TEXT_CHARS]
                        if rng.random() < 0.001:
                            shared_texts.append(text)
                    writer.writerow(
                        [
                            ext,
                            root,
                            parent,
                            customer if is_customer else rng.choice(brands),
                            "customer" if is_customer else "agent",
                            (at + timedelta(minutes=7 * turn)).isoformat(),
                            text,
                            rng.choice(("en", "fr")),
                            rng.randrange(20),
                        ]
                    )
                    parent = str(ext)
                    i += 1
    marker.write_text(str(n))
    return time.perf_counter() - start


def worker(url: str, folder: Path, profile: Path | None) -> dict[str, float]:
    """The real ingest of `folder` into the store at `url`, then an immediate re-run."""
    from casebook.steps.ingest import ingest_source, register_source
    from store.db import make_engine, upgrade

    schema = None
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        schema = f"cb_bench_{uuid.uuid4().hex[:10]}"
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    else:
        engine = make_engine(url)
    try:
        upgrade(engine)
        mapping = {
            "external_id": "id",
            "thread_id": "conversation",
            "parent_id": "in_reply_to",
            "author": "user",
            "author_role": "role",
            "created_at": "date",
            "text": "body",
            "language": "lang",
        }
        config = {"path": str(folder), "mapping": mapping, "channel": "twitter"}
        register_source(engine, "bench", "csv", "twitter", config)
        start = time.perf_counter()
        cpu = time.process_time()
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            result = profiler.runcall(ingest_source, engine, "bench", KEY)
            profiler.dump_stats(profile)
        else:
            result = ingest_source(engine, "bench", KEY)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        again = ingest_source(engine, "bench", KEY)
        rerun = time.perf_counter() - start
        return {
            "read": result.read,
            "new": result.new,
            "quarantined": result.quarantined,
            "elapsed": elapsed,
            "cpu": cpu,
            "load": os.getloadavg()[0],
            "peak_mb": peak,
            "rerun": rerun,
            "rerun_new": again.new,
            "rerun_read": again.read,
        }
    finally:
        engine.dispose()
        if schema:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def run_worker(label: str, url: str, folder: Path, profile: Path | None) -> None:
    cmd = [sys.executable, __file__, "--worker", url, "--folder", str(folder)]
    if profile:
        cmd += ["--profile-to", str(profile)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"{label}: failed\n{done.stderr[-3000:]}")
        return
    r = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"{label:<11} {r['new']:>9,} new of {r['read']:,} read ({r['quarantined']} quarantined) "
        f"in {r['elapsed']:6.1f} s = {r['read'] / r['elapsed']:>8,.0f} rows/s "
        f"(CPU {r['cpu']:.1f} s; machine load {r['load']:.1f} on {os.cpu_count()} cores), "
        f"peak RSS {r['peak_mb']:5.0f} MB; re-run with nothing new {r['rerun']:.2f} s "
        f"({r['rerun_read']} read, {r['rerun_new']} new)",
        flush=True,
    )
    if profile:
        import pstats

        print(f"profile of the {label} ingest ({profile}), top 25 by own time:")
        pstats.Stats(str(profile)).sort_stats("tottime").print_stats(25)


def postgres_reachable(url: str) -> str | None:
    """None when a connection to `url` opens, else why not."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means: skip PostgreSQL
        return str(exc).splitlines()[0]
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/casebook-bench-ingest"))
    parser.add_argument("--postgres", default=os.environ.get("CASEBOOK_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the SQLite ingest")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(args.worker, args.folder, args.profile_to)))
        return 0

    folder = args.workdir / f"drop-{args.rows}"
    took = generate(folder, args.rows)
    size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
    print(
        f"data: {args.rows:,} rows in {folder} ({size:,.0f} MB)"
        + (f", generated in {took:.1f} s" if took else ", kept from an earlier run"),
        flush=True,
    )
    db = args.workdir / "bench.db"
    for path in args.workdir.glob("bench.db*"):
        path.unlink()
    profile = args.workdir / "ingest-sqlite.prof" if args.profile else None
    run_worker("SQLite", f"sqlite:///{db}", folder, profile)
    if args.skip_postgres:
        return 0
    if not args.postgres:
        print("PostgreSQL: skipped (set CASEBOOK_TEST_POSTGRES_URL or give --postgres)")
        return 0
    why = postgres_reachable(args.postgres)
    if why:
        print(f"PostgreSQL: skipped, unreachable ({why})")
        return 0
    run_worker("PostgreSQL", args.postgres, folder, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
