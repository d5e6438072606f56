"""The annotated conversations of issue 12: labels of whole threads (kind, roles, start, need, end,
arc, pivotal advisor turn, notability), joined at evaluation time to the text of the shared data.

RUBRIC.md says what each field means; README.md gives the counts, the sampling and the splits.
labels.jsonl holds ids and labels only: the text of TWCS and CFPB threads is never copied into the
project, it is rebuilt here from the shared data (`CASEBOOK_TRAIN_DATA`, else ../shared/data beside
the checkout, like `casebook_data.SHARED_DATA_DIR`). The French threads were written by the
project's own demo generator (seed 1201); their text is kept in demo_fr_threads.jsonl and
tests/eval/test_conversation_labels.py checks it is what the generator writes. To rewrite it:

    python -c "from casebook.demo.generator import generate_threads as g; \
      from casebook_data.eval.conversations import demo_fr_records as r, write_demo_fr as w; \
      w(r(g(2000, 1201)))"

Use:

    from casebook_data.eval.conversations import load_threads
    dev = load_threads("dev")   # [{"key", "source", "split", "turns": [...], "labels": {...}}]

Each turn: {"id", "author", "role" (as the channel marks it: customer | advisor), "created_at"
(ISO-8601), "text", "parent_id"}. Only the standard library and pandas.

Split rule (the modeller uses the same): split_of(key) = "test" if the first 8 hex digits of the
key's SHA-1 modulo 100 are below 40, else "dev". Tune on dev only; report test beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The values the rubric allows (RUBRIC.md) are the product's own: one list, in the lowest layer.
from casebook_data.outcome_labels import ARCS as ARCS
from casebook_data.outcome_labels import DELICATE as DELICATE
from casebook_data.outcome_labels import ENDS as ENDS
from casebook_data.outcome_labels import KINDS as KINDS
from casebook_data.outcome_labels import NEEDS as NEEDS
from casebook_data.outcome_labels import STARTS as STARTS

HERE = Path(__file__).resolve().parent
LABELS_FILE = HERE / "labels.jsonl"
DEMO_FR_FILE = HERE / "demo_fr_threads.jsonl"
# Threads written for the evaluation by two people who had read neither the product nor each
# other's set (README.md): "written:dev:*" by one, "written:test:*" by the other.
WRITTEN_FILE = HERE / "written_threads.jsonl"
# Same place as casebook_data.SHARED_DATA_DIR (data/ -> checkout -> its parent -> shared/data).
DEFAULT_SHARED_DATA = HERE.parents[3] / "shared" / "data"
TWCS_FILE = Path("channels") / "twcs" / "twcs_part1.csv"
CFPB_FILE = Path("channels") / "cfpb_complaints" / "complaints_sample.csv"

DEMO_FR_SEED = 1201
DEMO_FR_COMMENTS = 2000
DEMO_FR_THREADS = 60
# demo_fr_threads.jsonl as labelled: the demo generator's threads up to commit 2805906 (its
# templates changed on 6 December 2026; `git show 2805906:casebook/demo/generator.py` and its
# phrases and world modules rebuild the file with demo_fr_records).
DEMO_FR_SHA256 = "6fe620db70ef4b2da03e518fe54c39b531ce1c7b759c637fe1ffaf9e954240e4"


CONFIDENCE = ("sure", "doubtful")
SOURCES = ("twcs", "cfpb", "demo-fr", "written")


def written_key(key: str) -> tuple[str, str] | None:
    """(split, writer) of a written thread's key, None for the others: "written:dev:d0012" ->
    ("dev", "d"); the first two sets' numbers have no letter ("written:dev:0001" -> writer a,
    "written:test:0001" -> writer b)."""
    if not key.startswith("written:"):
        return None
    _, split, number = key.split(":", 2)
    return split, number.rstrip("0123456789") or ("a" if split == "dev" else "b")


def split_of(key: str) -> str:
    """'test' for about 40% of the keys, 'dev' for the rest; fixed by the key alone. Written
    threads take their writer's split ("written:dev:*", "written:test:*")."""
    written = written_key(key)
    if written is not None:
        return written[0]
    return "test" if int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 100 < 40 else "dev"


def shared_data_dir(shared_data: str | Path | None = None) -> Path:
    """The folder of the public data sets: the argument, else CASEBOOK_TRAIN_DATA, else the default."""
    if shared_data is not None:
        return Path(shared_data)
    env = os.environ.get("CASEBOOK_TRAIN_DATA")
    return Path(env) if env else DEFAULT_SHARED_DATA


def read_labels(path: str | Path = LABELS_FILE) -> list[dict[str, Any]]:
    """The label records, one per thread; a thread labelled twice keeps its last record."""
    by_key: dict[str, dict[str, Any]] = {}
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                by_key[record["key"]] = record
    return list(by_key.values())


# --- TWCS -------------------------------------------------------------------------------------


def _twcs_time(value: str) -> str:
    return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC).isoformat()


def twcs_threads(shared_data: str | Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """TWCS part 1 rebuilt into threads from in_response_to_tweet_id: {"twcs:<root id>": turns}.

    The root is the tweet whose parent is absent (none, or outside the sample); turns are in time
    order (ties by tweet id). role is what the channel says: inbound -> customer, else advisor.
    """
    import pandas as pd

    path = shared_data_dir(shared_data) / TWCS_FILE
    frame = pd.read_csv(path, dtype={"author_id": str, "text": str})
    ids = set(int(t) for t in frame["tweet_id"])
    parent: dict[int, int | None] = {}
    rows: dict[int, dict[str, Any]] = {}
    for row in frame.itertuples(index=False):
        tid = int(row.tweet_id)
        reply_to = row.in_response_to_tweet_id
        parent_id = None if pd.isna(reply_to) else int(reply_to)
        parent[tid] = parent_id if parent_id in ids else None
        rows[tid] = {
            "id": str(tid),
            "author": str(row.author_id),
            "role": "customer" if bool(row.inbound) else "advisor",
            "created_at": _twcs_time(str(row.created_at)),
            "text": "" if pd.isna(row.text) else str(row.text),
            "parent_id": None if parent_id is None else str(parent_id),
        }

    def root_of(tid: int) -> int:
        seen = set()
        while parent[tid] is not None and tid not in seen:
            seen.add(tid)
            tid = parent[tid]  # type: ignore[assignment]
        return tid

    threads: dict[str, list[dict[str, Any]]] = {}
    for tid, turn in rows.items():
        threads.setdefault(f"twcs:{root_of(tid)}", []).append(turn)
    for turns in threads.values():
        turns.sort(key=lambda t: (t["created_at"], int(t["id"])))
    return threads


def customer_after_advisor(turns: Iterable[dict[str, Any]]) -> bool:
    """True when a customer turn (as the channel marks roles) comes after an advisor turn."""
    advisor_seen = False
    for turn in turns:
        if turn["role"] == "advisor":
            advisor_seen = True
        elif advisor_seen:
            return True
    return False


# --- CFPB -------------------------------------------------------------------------------------


def _cfpb_date(value: Any) -> str | None:
    if value is None or value != value:  # NaN
        return None
    return datetime.strptime(str(value), "%Y/%m/%d").replace(tzinfo=UTC).isoformat()


def cfpb_threads(shared_data: str | Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """CFPB complaints that have a narrative, as threads: {"cfpb:<Complaint ID>": turns}.

    A complaint is a thread of up to three turns: the narrative (customer, "<id>:narrative", on
    Date received), the company's answer (advisor, "<id>:response", on Date sent to company: its
    text is "Company response to consumer" then the public response, both category strings of
    the export), and, when "Consumer disputed?" is filled, the consumer's verdict (customer,
    "<id>:disputed", text "disputed: Yes" or "disputed: No", dated like the response).
    """
    import pandas as pd

    path = shared_data_dir(shared_data) / CFPB_FILE
    frame = pd.read_csv(path, dtype=str)
    frame = frame[frame["Consumer complaint narrative"].notna()]
    threads: dict[str, list[dict[str, Any]]] = {}
    for row in frame.to_dict("records"):
        cid = str(row["Complaint ID"])
        company = str(row["Company"])
        turns: list[dict[str, Any]] = [
            {
                "id": f"{cid}:narrative",
                "author": "consumer",
                "role": "customer",
                "created_at": _cfpb_date(row["Date received"]),
                "text": str(row["Consumer complaint narrative"]),
                "parent_id": None,
            }
        ]
        answer = [
            str(row[c])
            for c in ("Company response to consumer", "Company public response")
            if isinstance(row.get(c), str) and row[c].strip()
        ]
        if answer:
            turns.append(
                {
                    "id": f"{cid}:response",
                    "author": company,
                    "role": "advisor",
                    "created_at": _cfpb_date(row["Date sent to company"]),
                    "text": ". ".join(answer),
                    "parent_id": f"{cid}:narrative",
                }
            )
            disputed = row.get("Consumer disputed?")
            if isinstance(disputed, str) and disputed.strip():
                turns.append(
                    {
                        "id": f"{cid}:disputed",
                        "author": "consumer",
                        "role": "customer",
                        "created_at": _cfpb_date(row["Date sent to company"]),
                        "text": f"disputed: {disputed.strip()}",
                        "parent_id": f"{cid}:response",
                    }
                )
        threads[f"cfpb:{cid}"] = turns
    return threads


# --- generated French threads -----------------------------------------------------------------


def demo_fr_threads(path: str | Path = DEMO_FR_FILE) -> dict[str, list[dict[str, Any]]]:
    """The stored French demo threads: {"demo-fr:1201:<thread id>": turns} (with `path`, any
    file of {"key", "turns"} records, such as the written threads)."""
    threads: dict[str, list[dict[str, Any]]] = {}
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                threads[record["key"]] = record["turns"]
    return threads


def demo_fr_records(generated: Iterable[tuple[Any, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """The records of demo_fr_threads.jsonl from the demo generator's output: the first
    DEMO_FR_THREADS French threads of `generate_threads(DEMO_FR_COMMENTS, DEMO_FR_SEED, rising_share=0)` (what
    `python -m casebook.demo OUT --n 2000 --seed 1201 --rising-share 0` writes). The caller passes the generator's
    output, since casebook_data may not import the product (the command is in the docstring above)."""
    records: list[dict[str, Any]] = []
    for thread, rows in generated:
        if thread.language != "fr":
            continue
        turns = [
            {
                "id": str(r["external_id"]),
                "author": str(r["author"]),
                "role": "customer" if r["author_role"] == "customer" else "advisor",
                "created_at": str(r["created_at"]),
                "text": str(r["text"]),
                "parent_id": r["parent_id"],
                "channel": str(r["channel"]),
            }
            for r in rows
        ]
        records.append({"key": f"demo-fr:{DEMO_FR_SEED}:{rows[0]['external_id']}", "turns": turns})
        if len(records) == DEMO_FR_THREADS:
            break
    return records


def write_demo_fr(records: list[dict[str, Any]], path: str | Path = DEMO_FR_FILE) -> Path:
    """Write demo_fr_threads.jsonl (records from demo_fr_records)."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# --- joined -----------------------------------------------------------------------------------


def written_threads(path: str | Path = WRITTEN_FILE) -> dict[str, list[dict[str, Any]]]:
    """The written threads: {"written:<dev|test>:<number>": turns}."""
    return demo_fr_threads(path)


def all_threads(shared_data: str | Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every candidate thread of the four sources, by key."""
    threads = dict(twcs_threads(shared_data))
    threads.update(cfpb_threads(shared_data))
    threads.update(demo_fr_threads())
    threads.update(written_threads())
    return threads


LABEL_FIELDS = (
    "kind",
    "roles_fix",
    "start",
    "need",
    "end",
    "arc",
    "pivotal",
    "notable",
    "delicate",
    "confidence",
    "note",
    "pass",
)


def load_threads(
    split: str | None = None,
    shared_data: str | Path | None = None,
    labels_path: str | Path = LABELS_FILE,
) -> list[dict[str, Any]]:
    """The labelled threads (of one split, "dev" or "test", or all), with their turns rebuilt.

    Returns [{"key", "source", "split", "turns": [turn dicts], "labels": {field: value}}] in the
    order of labels.jsonl. Raises FileNotFoundError when the shared data is absent and KeyError
    when a labelled key matches no thread.
    """
    if split not in (None, "dev", "test"):
        raise ValueError(f"split must be 'dev', 'test' or None, not {split!r}")
    records = [r for r in read_labels(labels_path) if split is None or r["split"] == split]
    sources = {r["source"] for r in records}
    threads: dict[str, list[dict[str, Any]]] = {}
    if "twcs" in sources:
        threads.update(twcs_threads(shared_data))
    if "cfpb" in sources:
        threads.update(cfpb_threads(shared_data))
    if "demo-fr" in sources:
        threads.update(demo_fr_threads())
    if "written" in sources:
        threads.update(written_threads())
    out = []
    for record in records:
        if record["key"] not in threads:
            raise KeyError(f"labelled thread {record['key']} is not in the shared data")
        out.append(
            {
                "key": record["key"],
                "source": record["source"],
                "split": record["split"],
                "turns": threads[record["key"]],
                "labels": {f: record.get(f) for f in LABEL_FIELDS},
            }
        )
    return out
