"""Customer-service comments labelled with an emotion and a sentiment (emotion_service.tsv): what
customers write to a care team, the text Casebook reads every day, scored as the analyser reads it.

Every customer turn (as the channel marks roles) of two sets of conversations:
- TWCS part 1 (../shared/data/channels/twcs/twcs_part1.csv): real tweets to brands' care
  accounts, English; the file holds the tweet ids, not their text;
- the written threads of the conversation evaluation (conversations/written_threads.jsonl):
  English and French messages written for the project.

A row takes its thread's split (conversations.split_of): a thread's turns are development or test
together, as in the conversation evaluation. The development threads are halved again by their key
(`part`): the comments of half "train" teach the fast classifiers the domain, those of half "dev"
measure them (and chose how much the training half weighs); test threads' comments are never
trained on nor looked at. emotion_service.md says who labelled the rows, how and when.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from casebook_data.eval.conversations import split_of, twcs_threads, written_threads

SERVICE_FILE = Path(__file__).resolve().parent / "emotion_service.tsv"
COLUMNS = (
    "source",
    "row",
    "thread",
    "split",
    "emotion",
    "sentiment",
    "confidence",
    "first_emotion",
    "first_sentiment",
    "batch",
)
PARTS = ("train", "dev", "test")


def part(thread: str) -> str:
    """ "test" for a test thread (conversations.split_of); a development thread is "train" or
    "dev" by the hash of its key (about half each), fixed by the key alone."""
    if split_of(thread) == "test":
        return "test"
    digest = hashlib.sha1(f"service_choice:{thread}".encode()).hexdigest()
    return "dev" if int(digest[:8], 16) % 2 else "train"


@dataclass(frozen=True, slots=True)
class ServiceComment:
    row: str  # "twcs:<tweet id>" or "<written thread key>#<turn id>"
    thread: str
    split: str  # the thread's split in the conversation evaluation: "dev" or "test"
    source: str  # "twcs" or "written"
    text: str
    emotion: str
    sentiment: str

    @property
    def part(self) -> str:
        """ "train", "dev" or "test" (module function part)."""
        return part(self.thread)


# The written sets this file labels: the six writers' sets there were when it was labelled. Later
# sets (writer G's test set and writer H's development set, 7 December 2026) are the conversation
# evaluation's alone.
LATER_WRITERS = ("written:test:g", "written:dev:h")


def customer_turns(shared_data: str | Path | None = None) -> dict[str, tuple[str, str]]:
    """{row id: (thread key, text)} of every non-empty customer turn of both sets."""
    turns: dict[str, tuple[str, str]] = {}
    for source, threads in (("twcs", twcs_threads(shared_data)), ("written", written_threads())):
        for key, thread in threads.items():
            if key.startswith(LATER_WRITERS):
                continue
            for turn in thread:
                if turn["role"] != "customer" or not turn["text"].strip():
                    continue
                row = f"twcs:{turn['id']}" if source == "twcs" else f"{key}#{turn['id']}"
                turns[row] = (key, " ".join(turn["text"].split()))
    return turns


def read_labels(path: Path = SERVICE_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def service_comments(
    shared_data: str | Path | None = None, part_name: str | None = None, path: Path = SERVICE_FILE
) -> list[ServiceComment]:
    """The labelled comments (of one part: "train", "dev" or "test"; or all) with their text, in
    the file's order.

    Raises FileNotFoundError without the shared data (TWCS texts are read from there), and
    ValueError when a labelled row is no longer a customer turn or its thread changed split."""
    turns = customer_turns(shared_data)
    out = []
    for record in read_labels(path):
        if record["row"] not in turns:
            raise ValueError(f"{path.name}: {record['row']} is not a customer turn")
        thread, text = turns[record["row"]]
        if thread != record["thread"] or split_of(thread) != record["split"]:
            raise ValueError(f"{path.name}: {record['row']} moved thread or split")
        if part_name is not None and part(thread) != part_name:
            continue
        out.append(
            ServiceComment(
                row=record["row"],
                thread=thread,
                split=record["split"],
                source=record["source"],
                text=text,
                emotion=record["emotion"],
                sentiment=record["sentiment"],
            )
        )
    return out
