"""Whether a long-running analyser's memory stays flat: one process analyses --rounds rounds of
--per-round French and English tweets (UMSAB train, SemEval), each given a few words it has never
met (a made-up name, a hashtag, a reference number and two made-up words, all different in every
text, as handles, typos and numbers are in real streams), in batches of --batch, and prints its
resident memory, the French NER's string store and the time of each round after giving the
allocator's free memory back (nlp.models.release_memory). The analyser's own caches are bounded
(they start again past their size), so the figures should rise while they fill and then stay.

.venv/bin/python bench/memory_drift.py [--data ../shared/data] [--rounds 8] [--per-round 10000]
    [--batch 1000]
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import Analyzer  # noqa: E402
from nlp.datasets import read_lines, read_semeval  # noqa: E402
from nlp.models import release_memory  # noqa: E402
from nlp.ner import french_ner  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def stream(data: Path, rng: random.Random, n: int) -> list[str]:
    """n tweets (French and English in turn), each with five words never met before."""
    umsab = data / "sentiment_fr" / "umsab_tweets" / "train_text.txt"
    french = [t.strip() for t in read_lines(umsab) if t.strip()]
    semeval = data / "sentiment_en" / "semeval"
    english = [t for t, _ in read_semeval(next(iter(sorted(semeval.glob("*train*")))))]

    def word() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 9)))

    out = []
    for i in range(n):
        base = rng.choice(french if i % 2 == 0 else english)
        name = word().capitalize()
        out.append(f"{base} {name} #{word()} ref {rng.randint(10**6, 10**9)} {word()} {word()}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--per-round", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()
    rng = random.Random(0)
    analyzer = Analyzer.load()
    analyzer.analyze(["Bonjour, mon colis n'est pas arrivé.", "My parcel never came."])
    release_memory()
    ner = french_ner()
    print(f"loaded: {rss_mb():.0f} MB resident, version {analyzer.version}")
    for rnd in range(1, args.rounds + 1):
        texts = stream(args.data, rng, args.per_round)
        started = time.process_time()
        for i in range(0, len(texts), args.batch):
            analyzer.analyze(texts[i : i + args.batch])
        seconds = time.process_time() - started
        del texts
        release_memory()
        strings = len(ner.vocab.strings) if ner is not None else 0
        print(
            f"round {rnd}: {rss_mb():.0f} MB resident, French NER strings {strings:,}, "
            f"{args.per_round / seconds:,.0f} comments/s CPU"
        )


if __name__ == "__main__":
    main()
