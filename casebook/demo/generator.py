"""A seeded generator of realistic bilingual customer conversations, written as JSONL per channel.

The output is what `FileConnector(out_dir, "jsonl", mapping=None, channel="demo")` reads: each line
has the record fields (external_id, thread_id, parent_id, author, author_role, channel, created_at,
text, language, likes, shares, replies). Beside them, `labels.csv` says what each thread was
generated as (situation, arc, intensity), for tests and evaluation; it is not read as comments.

    python -m casebook.demo OUT_DIR --n 2000 --seed 7
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from casebook.demo.phrases import (
    ANGRIER,
    ANGRY_EMOJI,
    ANSWERS,
    ASK_DETAILS,
    CLOSING,
    DELIGHTED,
    DETAILS,
    EMOTION,
    GREAT_ACTION,
    GREAT_EMPATHY,
    GREAT_FOLLOWUP,
    HAPPY_EMOJI,
    OK_REPLY,
    OK_THANKS,
    OPENERS,
    POLITE,
    PRAISE,
    PROBLEMS,
    QUESTIONS_TEXT,
    SCRIPTED,
    STILL_WAITING,
    THANKS_FOR_PRAISE,
)
from casebook.demo.world import (
    ARC_WEIGHTS,
    ARCS,
    BRANDS,
    CHANNEL_WEIGHTS,
    CHANNELS,
    COMPLAINTS,
    DEFAULT_START,
    FRENCH_SHARE,
    MAX_TURNS,
    PREFIX,
    QUESTIONS,
    SOCIAL,
    SPAN_DAYS,
    Brand,
)
from casebook.demo.writer import PERSONA_SLOTS, Writer, ascii_name, fillable


@dataclass
class Turn:
    role: str  # customer or agent
    text: str
    intensity: str = "low"


@dataclass
class Thread:
    channel: str
    language: str
    brand: Brand
    situation: str
    arc: str
    intensity: str
    turns: list[Turn] = field(default_factory=list)


def _intensify(rng: random.Random, text: str, intensity: str) -> str:
    """CAPS, repeated punctuation and emoji, in proportion to the intensity."""
    if intensity == "high":
        if rng.random() < 0.25:
            text = text.upper()
        elif rng.random() < 0.5:
            words = text.split(" ")
            i = rng.randrange(len(words))
            words[i] = words[i].upper()
            text = " ".join(words)
        text = text.rstrip(".!?") + rng.choice(("!!!", "!!", "!!!!", " !!!", "?!"))
        if rng.random() < 0.6:
            text += " " + "".join(rng.choice(ANGRY_EMOJI) for _ in range(rng.randint(1, 3)))
    elif intensity == "medium" and rng.random() < 0.5:
        text = text.rstrip(".!?") + rng.choice(("!", "!!", "..."))
        if rng.random() < 0.2:
            text += " " + rng.choice(ANGRY_EMOJI)
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _after(opener: str, sentence: str) -> str:
    """The opener then the sentence, lower-casing its first letter after a comma ("Hi X, my...")."""
    if opener.endswith(",") and sentence[:2].istitle() and sentence[1:2].islower():
        sentence = sentence[0].lower() + sentence[1:]
    return _join(opener, sentence)


def _complaint(w: Writer, situation: str, intensity: str, with_details: bool) -> str:
    rng, lang = w.rng, w.language
    problem = _sentence(w.pick(PROBLEMS[lang][situation]))
    text = _join(
        _after(w.pick(OPENERS[lang]), _intensify(rng, problem, intensity)),
        w.pick(EMOTION[lang][intensity]),
        w.pick(DETAILS[lang]) if with_details else "",
    )
    return text


def _agent(w: Writer, text: str, channel: str) -> str:
    sign = {"twitter": f" ^{w.agent[0]}{w.rng.choice('ABCDLMRS')}", "chat": f" — {w.agent}"}.get(
        channel, ""
    )
    if channel in ("email", "ticket"):
        hello = "Bonjour" if w.language == "fr" else "Hello"
        regards = "Cordialement" if w.language == "fr" else "Kind regards"
        return f"{hello} {w.first},\n\n{text}\n\n{regards},\n{w.agent}, {w.brand.care}"
    return text + sign


def _compose(rng: random.Random, thread: Thread, w: Writer) -> list[Turn]:
    lang, sit, intensity, ch = thread.language, thread.situation, thread.intensity, thread.channel
    C, A = "customer", "agent"
    arc = thread.arc
    turns: list[Turn] = []
    if arc == "praise":
        text = _after(w.pick(POLITE[lang]), _sentence(w.pick(PRAISE[lang])))
        if rng.random() < 0.5:
            text += " " + "".join(rng.choice(HAPPY_EMOJI) for _ in range(rng.randint(1, 2)))
        turns.append(Turn(C, text, intensity))
        if rng.random() < 0.7:
            turns.append(Turn(A, _agent(w, w.pick(THANKS_FOR_PRAISE[lang]), ch)))
    elif arc == "question":
        question = _sentence(w.pick(QUESTIONS_TEXT[lang][sit]))
        turns.append(Turn(C, _after(w.pick(POLITE[lang]), question), "low"))
        turns.append(Turn(A, _agent(w, w.pick(ANSWERS[lang]), ch)))
        if rng.random() < 0.5:
            turns.append(Turn(C, w.pick(OK_THANKS[lang]), "low"))
    elif arc == "recovery":
        turns.append(Turn(C, _complaint(w, sit, intensity, rng.random() < 0.3), intensity))
        if MAX_TURNS.get(ch, 6) > 3 and rng.random() < 0.5:  # asks first, then fixes
            turns.append(Turn(A, _agent(w, w.pick(ASK_DETAILS[lang]), ch)))
            turns.append(Turn(C, w.pick(DETAILS[lang]), "medium"))
        great = _join(
            w.pick(GREAT_EMPATHY[lang]),
            w.fill(GREAT_ACTION[lang][sit]),
            w.pick(GREAT_FOLLOWUP[lang]),
        )
        turns.append(Turn(A, _agent(w, great, ch)))
        thanks = w.pick(DELIGHTED[lang])
        if rng.random() < 0.6:
            thanks += " " + "".join(rng.choice(HAPPY_EMOJI) for _ in range(rng.randint(1, 3)))
        turns.append(Turn(C, thanks, "low"))
        if rng.random() < 0.4:
            turns.append(Turn(A, _agent(w, w.pick(CLOSING[lang]), ch)))
    elif arc == "escalation":
        turns.append(Turn(C, _complaint(w, sit, intensity, rng.random() < 0.3), intensity))
        turns.append(Turn(A, _agent(w, w.pick(SCRIPTED[lang]), ch)))
        turns.append(Turn(C, _intensify(rng, w.pick(ANGRIER[lang]), "high"), "high"))
        if rng.random() < 0.5:
            turns.append(Turn(A, _agent(w, w.pick(SCRIPTED[lang]), ch)))
            turns.append(Turn(C, _intensify(rng, w.pick(ANGRIER[lang]), "high"), "high"))
    elif arc == "unresolved":
        turns.append(Turn(C, _complaint(w, sit, intensity, rng.random() < 0.4), intensity))
        if rng.random() < 0.6:
            turns.append(Turn(A, _agent(w, w.pick(OK_REPLY[lang]), ch)))
            if rng.random() < 0.6:
                turns.append(
                    Turn(C, _intensify(rng, w.pick(STILL_WAITING[lang]), "medium"), "medium")
                )
    else:  # plain: a complaint handled correctly, without warmth or drama
        turns.append(Turn(C, _complaint(w, sit, intensity, rng.random() < 0.3), intensity))
        turns.append(Turn(A, _agent(w, w.pick(OK_REPLY[lang]), ch)))
        turns.append(Turn(C, w.pick(OK_THANKS[lang]), "low"))
        if rng.random() < 0.3:
            turns.append(Turn(A, _agent(w, w.pick(CLOSING[lang]), ch)))
    return turns[: MAX_TURNS.get(ch, 6)]


def _plan(rng: random.Random) -> Thread:
    channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    language = "fr" if rng.random() < FRENCH_SHARE else "en"
    brand = rng.choice(BRANDS)
    arc = rng.choices(ARCS, ARC_WEIGHTS)[0]
    if channel == "survey" and arc not in ("praise", "unresolved"):
        arc = rng.choice(("praise", "unresolved"))  # a survey answer is one comment, no reply
    if arc == "praise":
        situation, intensity = "praise", rng.choice(("low", "low", "medium"))
    elif arc == "question":
        situation, intensity = rng.choice(QUESTIONS), "low"
    else:
        # a situation the brand can have in that language (an airline's goods never break)
        slots = brand.slots[language].keys() | PERSONA_SLOTS
        situation = rng.choice([s for s in COMPLAINTS if fillable(PROBLEMS[language][s], slots)])
        if arc == "escalation" and rng.random() < 0.3:
            situation = "churn_threat"
        weights = {"recovery": (1, 3, 5), "escalation": (1, 4, 4)}.get(arc, (4, 4, 2))
        intensity = rng.choices(("low", "medium", "high"), weights)[0]
    return Thread(channel, language, brand, situation, arc, intensity)


def _handle(rng: random.Random, w: Writer, channel: str) -> str:
    first, last = ascii_name(w.first).lower(), ascii_name(w.last).lower()
    if channel in ("review", "app_store", "survey"):
        return f"{w.first} {w.last[0]}."
    if channel in ("email", "ticket"):
        return w.values["email"]
    return rng.choice(
        (
            f"{first}_{last[0]}{rng.randrange(10, 99)}",
            f"{first}.{last}",
            f"{last}{first[0]}{rng.randrange(1, 9)}",
            f"the_{first}{rng.randrange(70, 99)}",
            f"{first}{last[:3]}",
        )
    )


_GAPS = {  # seconds between turns: (min, max)
    "chat": (40, 420),
    "twitter": (120, 6 * 3600),
    "facebook": (300, 10 * 3600),
    "ticket": (1800, 36 * 3600),
    "email": (3600, 48 * 3600),
    "review": (6 * 3600, 72 * 3600),
    "app_store": (6 * 3600, 72 * 3600),
    "survey": (0, 0),
}


# One situation rises in the last week, so the leader's "Emerging issues" has something to flag.
RISING_SITUATION = "service_disruption"
RISING_SHARE = 0.6


def generate_threads(
    n_comments: int = 2000,
    seed: int = 7,
    start: datetime | None = None,
    rising_share: float = RISING_SHARE,
) -> list[tuple[Thread, list[dict[str, object]]]]:
    """Threads with their comment rows (record fields), exactly `n_comments` comments in all;
    `rising_share` of RISING_SITUATION's threads fall in the last week (0: none moved, as the
    generator wrote before the demo had an emerging issue)."""
    rng = random.Random(seed)
    rising = random.Random(seed + 1)
    end = start or DEFAULT_START
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    counters = dict.fromkeys(CHANNELS, 0)
    out: list[tuple[Thread, list[dict[str, object]]]] = []
    # (language, situation) -> complaint texts to copy-paste; keyed so a lookup stays cheap at scale
    complaints_seen: dict[tuple[str, str], list[str]] = {}
    total = 0
    while total < n_comments:
        thread = _plan(rng)
        w = Writer(rng, thread.language, thread.brand)
        turns = _compose(rng, thread, w)
        first = turns[0]
        if first.role == "customer" and thread.arc not in ("praise", "question"):
            same = complaints_seen.get((thread.language, thread.situation), [])
            if same and thread.channel in SOCIAL and rng.random() < 0.08:
                # A copy-pasted complaint: same words, sometimes a prefix or a different ending.
                text = rng.choice(same)
                text = (
                    rng.choice(
                        ("", "+1 ", "Same here: ", "Pareil : " if thread.language == "fr" else "")
                    )
                    + text
                )
                if rng.random() < 0.3:
                    text = text.rstrip("!.") + "!!"
                first.text = text
            else:
                complaints_seen.setdefault((thread.language, thread.situation), []).append(
                    first.text
                )
        turns = turns[: n_comments - total]
        thread.turns = turns
        author = _handle(rng, w, thread.channel)
        low, high = _GAPS[thread.channel]
        gaps = [0] + [rng.randint(low, high) for _ in turns[1:]]
        # The whole thread ends before `end`: it starts at least its duration plus an hour earlier.
        earliest = sum(gaps) + 3600
        at = end - timedelta(seconds=rng.randrange(earliest, max(SPAN_DAYS * 86400, earliest + 1)))
        if thread.situation == RISING_SITUATION and rising.random() < rising_share:
            # The demo's emerging issue: most of its threads in the last week. A random stream
            # of its own, so every other thread (text and time) stays what the seed gives.
            at = end - timedelta(seconds=rising.randrange(earliest, max(6 * 86400, earliest + 1)))
        rows: list[dict[str, object]] = []
        for i, turn in enumerate(turns):
            at += timedelta(seconds=gaps[i])
            counters[thread.channel] += 1
            external_id = f"{PREFIX[thread.channel]}-{counters[thread.channel]:05d}"
            likes, shares = _engagement(rng, thread.channel, turn)
            rows.append(
                {
                    "external_id": external_id,
                    "thread_id": rows[0]["external_id"] if rows else external_id,
                    "parent_id": rows[-1]["external_id"] if rows else None,
                    "author": author if turn.role == "customer" else thread.brand.care,
                    "author_role": turn.role,
                    "channel": thread.channel,
                    "created_at": at.isoformat(timespec="seconds"),
                    "text": turn.text,
                    "language": thread.language,
                    "likes": likes,
                    "shares": shares,
                    "replies": 1 if i < len(turns) - 1 else 0,
                }
            )
        out.append((thread, rows))
        total += len(rows)
    return out


def _engagement(rng: random.Random, channel: str, turn: Turn) -> tuple[int, int]:
    """Likes and shares, on social channels only, heavier on intense posts."""
    if channel not in SOCIAL:
        return 0, 0
    scale = {"low": 2, "medium": 6, "high": 25}[turn.intensity]
    if turn.role == "agent":
        scale = 1
    likes = int(rng.paretovariate(1.6) * scale) - scale + rng.randint(0, 2)
    shares = int(likes * rng.uniform(0.05, 0.4)) if turn.intensity != "low" else 0
    return max(likes, 0), max(shares, 0)


def generate_demo(
    out_dir: Path,
    n_comments: int = 2000,
    seed: int = 7,
    start: datetime | None = None,
    rising_share: float = RISING_SHARE,
) -> list[Path]:
    """Write one JSONL file per channel (and labels.csv) to `out_dir`; return the JSONL paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    threads = generate_threads(n_comments, seed, start, rising_share)
    by_channel: dict[str, list[dict[str, object]]] = {c: [] for c in CHANNELS}
    for thread, rows in threads:
        by_channel[thread.channel].extend(rows)
    paths: list[Path] = []
    for channel, rows in by_channel.items():
        rows.sort(key=lambda r: (str(r["created_at"]), str(r["external_id"])))
        path = out_dir / f"{channel}.jsonl"
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        paths.append(path)
    with (out_dir / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "thread_id",
                "channel",
                "language",
                "brand",
                "situation",
                "arc",
                "intensity",
                "n_comments",
            ]
        )
        for thread, rows in threads:
            writer.writerow(
                [
                    rows[0]["external_id"],
                    thread.channel,
                    thread.language,
                    thread.brand.name,
                    thread.situation,
                    thread.arc,
                    thread.intensity,
                    len(rows),
                ]
            )
    return paths


def main(argv: list[str] | None = None) -> None:
    """Command line: python -m casebook.demo OUT_DIR --n 2000 --seed 7 [--start ISO] [--rising-share S]."""
    parser = argparse.ArgumentParser(
        prog="python -m casebook.demo", description=__doc__.splitlines()[0]
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=2000, help="number of comments")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--start",
        type=datetime.fromisoformat,
        default=None,
        help="the newest moment (ISO-8601; default 2026-11-20T12:00Z)",
    )
    parser.add_argument(
        "--rising-share",
        type=float,
        default=RISING_SHARE,
        help=f"share of {RISING_SITUATION}'s threads moved into the last week (0: none)",
    )
    args = parser.parse_args(argv)
    paths = generate_demo(args.out_dir, args.n, args.seed, args.start, args.rising_share)
    print(f"wrote {args.n} comments to {len(paths)} files in {args.out_dir}")
