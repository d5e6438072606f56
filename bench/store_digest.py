"""Row digests of what curation writes, to show two stores were curated to the same result.

.venv/bin/python bench/store_digest.py DATABASE_URL_OR_SQLITE_FILE [--other ...]

One SHA-256 per table (cases, case_duplicates, families, scenarios, case_signatures, case_bands,
family_bands), over every row in primary-key order, ids included; the columns that hold the
clock time of the write (created_at, updated_at) are left out, since two runs never share them.
With --other, the second store's digests are printed beside the first's and the exit code says
whether they all match.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from store.db import make_engine, transaction  # noqa: E402
from store.models import (  # noqa: E402
    Case,
    CaseBand,
    CaseDuplicate,
    CaseSignature,
    Family,
    FamilyBand,
    Scenario,
)

TABLES = (Case, CaseDuplicate, Family, Scenario, CaseSignature, CaseBand, FamilyBand)
CLOCK = {"created_at", "updated_at"}


def _url(where: str) -> str:
    return where if "://" in where else f"sqlite:///{where}"


def digests(where: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and digest."""
    engine = make_engine(_url(where))
    out = {}
    with transaction(engine) as session:
        for model in TABLES:
            table = model.__table__
            columns = [c for c in table.columns if c.name not in CLOCK]
            keys = list(table.primary_key.columns)
            sha = hashlib.sha256()
            n = 0
            for row in session.execute(select(*columns).order_by(*keys)):
                sha.update(json.dumps(list(row), default=str, sort_keys=True).encode())
                sha.update(b"\n")
                n += 1
            out[table.name] = (n, sha.hexdigest()[:16])
    engine.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("store", help="a database URL or an SQLite file")
    parser.add_argument("--other", help="a second store to compare with")
    args = parser.parse_args()
    first = digests(args.store)
    second = digests(args.other) if args.other else None
    same = True
    for name, (n, digest) in first.items():
        line = f"{name:<16} {n:>8,} rows  {digest}"
        if second is not None:
            m, other = second[name]
            ok = (n, digest) == (m, other)
            same &= ok
            line += f"   {m:>8,} rows  {other}   {'same' if ok else 'DIFFERENT'}"
        print(line)
    if second is not None:
        print("all the same" if same else "the stores differ")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
