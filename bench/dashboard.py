"""Render time of every dashboard page, for each role, on a store of 1,000,000 comments.

.venv/bin/python bench/dashboard.py [--comments 1000000] [--workdir /tmp/casebook-bench-dashboard]
.venv/bin/python bench/dashboard.py --db sqlite:////path/to/casebook.db   # an existing store

Filling the store (skipped when it already holds comments): the demo generator
(`casebook.demo.generator.generate_threads`, in chunks of 100,000 comments) gives threads and comments, and
they are written with bulk Core inserts straight into `threads`, `comments` and `analyses`:
NOT through ingest and the real analysis, which would take hours at this scale. The analyses
take the generator's own labels (situation, language) and a sentiment and emotion that follow
the thread's arc; `daily_feedback` is then built by `store.summaries.rebuild_daily_feedback`
(timed: it is what an existing store runs once). Cases, scenario drafts, published scenarios,
families, advisors, answers, votes and comments are added in realistic proportions (a case for
most recovery and escalation threads, a published scenario for about 2% of the cases, 500
advisors answering about 40 scenarios each).

Each page is then rendered with streamlit.testing.v1.AppTest as a user of its role (signed in
through session_state, as tests/dashboard do): "cold" with every Streamlit cache cleared (what
the first visitor after a change waits), then "cached" (the next visitors within READ_TTL).
Prints figures; not a test. Target: under 1.5 s per page.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DO_NOT_TRACK", "1")

from sqlalchemy import func, select, text  # noqa: E402

from casebook.demo.generator import generate_threads  # noqa: E402
from store.db import make_engine, transaction, upgrade  # noqa: E402
from store.models import Comment, DailyFeedback  # noqa: E402
from store.summaries import latest_version, rebuild_daily_feedback  # noqa: E402

VERSION = "bench-v1"
CHUNK = 100_000
CASE_SHARE = {"recovery": 0.9, "escalation": 0.9, "unresolved": 0.3, "plain": 0.05}
ADVISORS, TEAMS, SITES = 500, 20, 5


def fmt(at: datetime) -> str:
    """SQLAlchemy's SQLite text form of an aware UTC datetime."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def labels(arc: str, role: str, intensity: str, rng: random.Random) -> tuple[str, str]:
    """A sentiment and an emotion that follow the thread's arc (bench only)."""
    if role == "agent":
        return "neutral", "neutral"
    if arc == "praise":
        return "positive", "joy"
    if arc in ("question", "plain") and intensity == "low":
        return rng.choice((("neutral", "neutral"), ("positive", "joy")))
    return "negative", rng.choice(("anger", "anger", "sadness", "fear", "disgust", "surprise"))


def fill(engine, n_comments: int, seed: int = 11) -> None:  # noqa: ANN001
    """Write n_comments generated comments, their analyses, summary and training data."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    raw = engine.raw_connection()
    cur = raw.cursor()
    channels = ("twitter", "facebook", "review", "app_store", "ticket", "chat", "email", "survey")
    stamp = fmt(now)
    for i, channel in enumerate(channels, 1):
        cur.execute(
            "INSERT INTO sources (id, name, kind, channel, config, cursor, enabled, created_at) "
            "VALUES (?, ?, 'jsonl', ?, '{}', '{}', 1, ?)",
            (i, f"demo-{channel}", channel, stamp),
        )
        for r in range(20):
            started = now - timedelta(hours=6 * (20 - r))
            cur.execute(
                "INSERT INTO ingest_runs (source_id, started_at, finished_at, status, n_read, "
                "n_new, n_quarantined) VALUES (?, ?, ?, 'succeeded', 5000, 4990, 10)",
                (i, fmt(started), fmt(started + timedelta(minutes=2))),
            )
    source_of = {c: i for i, c in enumerate(channels, 1)}
    cur.executemany(
        "INSERT INTO quarantine (source_id, position, reason, raw, attempts, created_at) "
        "VALUES (?, ?, 'no text', ?, 0, ?)",
        [(1 + q % 8, f"file.jsonl:{q}", '{"text": ""}', stamp) for q in range(1000)],
    )
    thread_id = comment_id = 0
    case_threads: list[tuple[int, str, str, str, str, str]] = []
    done = 0
    chunk_no = 0
    while done < n_comments:
        size = min(CHUNK, n_comments - done)
        threads = generate_threads(size, seed=seed + chunk_no, start=now)
        t_rows, c_rows, a_rows = [], [], []
        for thread, rows in threads:
            thread_id += 1
            first = datetime.fromisoformat(str(rows[0]["created_at"]))
            last = datetime.fromisoformat(str(rows[-1]["created_at"]))
            source_id = source_of[thread.channel]
            t_rows.append(
                (
                    thread_id,
                    source_id,
                    f"{chunk_no}-{rows[0]['external_id']}",
                    thread.channel,
                    fmt(first),
                    fmt(last),
                    len(rows),
                    fmt(last),
                    fmt(last),
                )
            )
            for turn, row in zip(thread.turns, rows, strict=True):
                comment_id += 1
                at = fmt(datetime.fromisoformat(str(row["created_at"])))
                c_rows.append(
                    (
                        comment_id,
                        source_id,
                        f"{chunk_no}-{row['external_id']}",
                        thread_id,
                        row["parent_id"],
                        row["author_role"],
                        f"ref{rng.randrange(10**9)}",
                        thread.channel,
                        at,
                        row["text"],
                        row["language"],
                        row["likes"],
                        row["shares"],
                        row["replies"],
                        at,
                    )
                )
                sentiment, emotion = labels(thread.arc, turn.role, turn.intensity, rng)
                a_rows.append(
                    (
                        comment_id,
                        VERSION,
                        thread.language,
                        0.95,
                        row["text"],
                        "[]",
                        sentiment,
                        0.8,
                        emotion,
                        0.5,
                        thread.situation,
                        0.7,
                        "[]",
                        stamp,
                    )
                )
            if rng.random() < CASE_SHARE.get(thread.arc, 0.0):
                case_threads.append(
                    (
                        thread_id,
                        thread.arc,
                        thread.situation,
                        thread.language,
                        thread.channel,
                        fmt(last),
                    )
                )
        cur.executemany(
            "INSERT INTO threads (id, source_id, external_id, channel, started_at, "
            "last_comment_at, n_comments, changed_at, curated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            t_rows,
        )
        cur.executemany(
            "INSERT INTO comments (id, source_id, external_id, thread_id, parent_external_id, "
            "author_role, author_ref, channel, created_at, text, language_hint, likes, shares, "
            "replies, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            c_rows,
        )
        cur.executemany(
            "INSERT INTO analyses (comment_id, classifier_version, language, "
            "language_confidence, redacted_text, pii, sentiment, sentiment_score, emotion, "
            "intensity, situation, situation_confidence, risks, created_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            a_rows,
        )
        raw.commit()
        done += size
        chunk_no += 1
        print(f"  {done:>9,} comments written", flush=True)

    # Families, cases, scenarios.
    situations = sorted({s for _, _, s, _, _, _ in case_threads})
    families = []
    for f in range(2000):
        situation = situations[f % len(situations)]
        families.append((f + 1, f"family {f}", "[]", situation, 0, 0, stamp, stamp))
    cur.executemany(
        "INSERT INTO families (id, name, terms, situation, size, size_this_week, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?,?)",
        families,
    )
    week_ago = fmt(now - timedelta(days=7))
    sizes: dict[int, list[int]] = {}
    case_rows, scenario_rows = [], []
    published: list[tuple[int, str]] = []
    for case_id, (tid, arc, situation, language, channel, last) in enumerate(case_threads, 1):
        family = 1 + rng.randrange(2000) if rng.random() < 0.6 else None
        if family:
            sizes.setdefault(family, [0, 0])
            sizes[family][0] += 1
            sizes[family][1] += last > week_ago
        state = "candidate"
        if rng.random() < 0.02:
            state = "published"
        case_rows.append(
            (
                case_id,
                tid,
                arc,
                round(rng.random(), 3),
                "{}",
                situation,
                "anger",
                language,
                channel,
                state,
                family,
                1,
                stamp,
                stamp,
            )
        )
        if state == "published" or rng.random() < 0.2:
            scenario_rows.append(
                (
                    len(scenario_rows) + 1,
                    case_id,
                    f"{situation} on {channel}",
                    language,
                    rng.choice((1, 2, 3)),
                    "relational",
                    "{}",
                    "Model answer",
                    "[]",
                    state,
                    1,
                    stamp,
                    stamp if state == "published" else None,
                )
            )
            if state == "published":
                published.append((len(scenario_rows), last))
    cur.executemany(
        "INSERT INTO cases (id, thread_id, arc, score, score_parts, situation, emotion, "
        "language, channel, state, family_id, duplicate_count, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        case_rows,
    )
    cur.executemany(
        "INSERT INTO scenarios (id, case_id, title, language, level, skill_axis, body, "
        "model_answer, target_teams, state, version, created_at, published_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        scenario_rows,
    )
    cur.executemany(
        "UPDATE families SET size = ?, size_this_week = ? WHERE id = ?",
        [(s, w, f) for f, (s, w) in sizes.items()],
    )
    # People and their practice.
    users = [
        (1, "leader", "Lee Leader", "leader", None, None),
        (2, "admin", "Ali Admin", "admin", None, None),
    ]
    for u in range(ADVISORS):
        users.append(
            (
                3 + u,
                f"advisor{u}",
                f"Advisor {u}",
                "advisor",
                f"team-{u % TEAMS}",
                f"site-{u % SITES}",
            )
        )
    for u in range(20):
        users.append((3 + ADVISORS + u, f"coach{u}", f"Coach {u}", "coach", None, None))
    cur.executemany(
        "INSERT INTO users (id, username, display_name, role, team, site, language, level, "
        "password_hash, is_demo, created_at) VALUES (?,?,?,?,?,?,'en',2,'bench-no-hash',0,?)",
        [(*u, stamp) for u in users],
    )
    responses, votes, notes = [], [], []
    response_id = 0
    advisor_ids = list(range(3, 3 + ADVISORS))
    for user_id in advisor_ids:
        for scenario_id, _ in rng.sample(published, min(40, len(published))):
            response_id += 1
            at = fmt(now - timedelta(seconds=rng.randrange(90 * 86400)))
            responses.append((response_id, scenario_id, user_id, "My answer", 0, at))
            for voter in rng.sample(advisor_ids, 3):
                if voter != user_id:
                    votes.append((response_id, voter, 1, at))
            if rng.random() < 0.3:
                notes.append((response_id, rng.choice(advisor_ids), "Nice one", at))
    cur.executemany(
        "INSERT INTO responses (id, scenario_id, user_id, text, coach_pick, created_at) "
        "VALUES (?,?,?,?,?,?)",
        responses,
    )
    cur.executemany(
        "INSERT OR IGNORE INTO votes (response_id, user_id, value, created_at) VALUES (?,?,?,?)",
        votes,
    )
    cur.executemany(
        "INSERT INTO response_comments (response_id, user_id, text, created_at) VALUES (?,?,?,?)",
        notes,
    )
    raw.commit()
    cur.execute("ANALYZE")
    raw.commit()
    raw.close()
    print(
        f"  {len(case_rows):,} cases, {len(scenario_rows):,} scenarios "
        f"({len(published):,} published), {len(users):,} users, {len(responses):,} answers, "
        f"{len(votes):,} votes, {len(notes):,} comments on answers",
        flush=True,
    )


def render_all(url: str, roles: list[str]) -> list[tuple[str, str, float, float, str]]:
    """(role, page, cold seconds, cached seconds, problem) for each page of each role."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from casebook.settings import get_settings
    from dashboard.app import ROLE_PAGES  # noqa: F401 - imported by AppTest below too
    from store.db import close_engines
    from store.users import UserInfo

    os.environ["CASEBOOK_DATABASE_URL"] = url
    get_settings.cache_clear()
    close_engines()
    screens = Path(__file__).resolve().parent.parent / "dashboard" / "screens"
    ids = {"leader": 1, "admin": 2, "advisor": 3, "coach": 3 + ADVISORS}
    # Warm-up: the first AppTest of a process pays Streamlit's and the charts' imports.
    warm = AppTest.from_file(str(screens / "users.py"), default_timeout=120)
    warm.session_state["user"] = UserInfo(id=2, username="admin", display_name="a", role="admin")
    warm.run()
    out = []
    for role in roles:
        user = UserInfo(
            id=ids.get(role, 1),
            username=role,
            display_name=role,
            role=role,
            team="team-3",
            site="site-3",
            language="en",
            level=2,
        )
        for file, _, _ in ROLE_PAGES.get(role, []):
            times = []
            problem = ""
            for cached in (False, True):
                if not cached:
                    st.cache_data.clear()
                at = AppTest.from_file(str(screens / file), default_timeout=120)
                at.session_state["user"] = user
                start = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - start)
                if at.exception:
                    problem = str(at.exception[0].value)[:80]
                elif at.error:
                    problem = str(at.error[0].value)[:80]
            out.append((role, file, times[0], times[1], problem))
            print(
                f"  {role:<8} {file:<20} cold {times[0]:6.2f} s   cached {times[1]:6.2f} s"
                f"   {problem}",
                flush=True,
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/casebook-bench-dashboard"))
    parser.add_argument(
        "--db",
        help="an existing store's URL (nothing is written to it but "
        "the daily summary, when its current version has none)",
    )
    parser.add_argument("--roles", default="leader,admin,coach,advisor")
    args = parser.parse_args()

    url = args.db or f"sqlite:///{args.workdir / str(args.comments) / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as s:
        have = s.scalar(select(func.count()).select_from(Comment)) or 0
    if have == 0 and not args.db:
        start = time.perf_counter()
        print(f"filling {url} with {args.comments:,} comments (bulk inserts, see docstring)")
        fill(engine, args.comments)
        print(f"fill: {time.perf_counter() - start:.1f} s")
    with transaction(engine) as s:
        version = latest_version(s)
        rows = s.scalar(
            select(func.count())
            .select_from(DailyFeedback)
            .where(DailyFeedback.classifier_version == version)
        )
    if version and not rows:
        start = time.perf_counter()
        with transaction(engine) as s:
            rows = rebuild_daily_feedback(s, version=version)
        print(
            f"rebuild daily_feedback of {version}: {rows:,} rows in "
            f"{time.perf_counter() - start:.1f} s"
        )
    with engine.connect() as conn:
        counts = {
            name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar()
            for name in (
                "comments",
                "threads",
                "analyses",
                "daily_feedback",
                "cases",
                "scenarios",
                "responses",
                "votes",
                "users",
            )
        }
    engine.dispose()
    print("store: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(
        f"load average before rendering: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"({os.cpu_count()} CPUs)"
    )
    results = render_all(url, args.roles.split(","))
    print(f"load average after rendering:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    slow = [(r, p, c) for r, p, c, _, _ in results if c > 1.5]
    print(
        json.dumps(
            {"pages": len(results), "over_1.5s_cold": [f"{r}/{p} {c:.2f}s" for r, p, c in slow]}
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
