"""Throughput of nlp/ per stage and in total, and peak memory, on the first 10,000 SemEval English
texts, the UMSAB French tweets (train split) and both mixed.

Each line gives comments/s by wall time and by CPU time of this process (time.process_time, which
counts all its threads): on a shared machine the CPU figure is the one to compare.

.venv/bin/python bench/nlp.py [--data ../shared/data] [--n 10000] [--n-fr 2000] [--batch 1000]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import Analyzer  # noqa: E402
from nlp.features import prepare_for_classifier  # noqa: E402
from nlp.intensity import intensity  # noqa: E402
from nlp.language import detect_languages  # noqa: E402
from nlp.normalize import normalize_text  # noqa: E402
from nlp.redact import find_pii_batch, redact  # noqa: E402
from nlp.train import read_lines, read_semeval  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(name: str, n: int, fn: Callable[[], object]) -> float:
    start, cpu_start = time.perf_counter(), time.process_time()
    fn()
    seconds = time.perf_counter() - start
    cpu = max(time.process_time() - cpu_start, 1e-9)
    print(
        f"{name:<34} {n / seconds:>9,.0f} comments/s wall ({seconds:6.2f} s)"
        f" {n / cpu:>9,.0f} comments/s CPU ({cpu:6.2f} s)"
    )
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--n-fr", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()

    texts: list[str] = []
    for path in sorted((args.data / "sentiment_en" / "semeval").glob("*.tsv")):
        texts.extend(t for t, _ in read_semeval(path))
        if len(texts) >= args.n:
            break
    texts = texts[: args.n]
    n = len(texts)
    fr_path = args.data / "sentiment_fr" / "umsab_tweets" / "train_text.txt"
    french = [t.strip() for t in read_lines(fr_path) if t.strip()][: args.n_fr]
    print(
        f"{n} English texts, mean {sum(map(len, texts)) / n:.0f} chars; {len(french)} French"
        f" texts, mean {sum(map(len, french)) / max(len(french), 1):.0f} chars;"
        f" peak memory before load {peak_mb():.0f} MB"
    )

    start = time.perf_counter()
    analyzer = Analyzer.load()
    detect_languages(["warm up the language detector"])
    print(
        f"load: {time.perf_counter() - start:.1f} s, version {analyzer.version}, peak {peak_mb():.0f} MB"
    )

    normalized = [normalize_text(t) for t in texts]
    prepared = [prepare_for_classifier(t) for t in normalized]
    codes = [lang for lang, _ in detect_languages(normalized)]
    stages = [
        ("normalize", lambda: [normalize_text(t) for t in texts]),
        ("redact", lambda: [redact(t) for t in texts]),
        ("language", lambda: detect_languages(normalized)),
        ("sentiment (language given)", lambda: analyzer.sentiment.predict(prepared, codes)),
        ("sentiment (detects language)", lambda: analyzer.sentiment.predict(prepared)),
        ("emotion", lambda: analyzer.emotion.probabilities(normalized, prepared, ["en"] * n)),
        ("intensity", lambda: [intensity(t[:2000], 0.5) for t in normalized]),
        (
            "situation + risks",
            lambda: [
                (analyzer.taxonomy.classify(t, "en"), analyzer.taxonomy.risks(t))
                for t in normalized
            ],
        ),
    ]
    for name, fn in stages:
        timed(name, n, fn)

    def total(batch: list[str]) -> Callable[[], None]:
        def run() -> None:
            for i in range(0, len(batch), args.batch):
                analyzer.analyze(batch[i : i + args.batch])

        return run

    timed(f"TOTAL analyze EN (batch {args.batch})", n, total(texts))
    if french:
        nf = len(french)
        fr_codes = [lang for lang, _ in detect_languages([normalize_text(t) for t in french])]
        print(f"French sample: {sum(c == 'fr' for c in fr_codes)} of {nf} detected as French")
        timed("FR redact (rules, no NER)", nf, lambda: find_pii_batch(french, fr_codes, ner=False))
        timed("FR redact (rules + NER)", nf, lambda: find_pii_batch(french, fr_codes))
        timed(f"TOTAL analyze FR (batch {args.batch})", nf, total(french))
        mixed = texts + french
        random.Random(0).shuffle(mixed)
        timed(f"TOTAL analyze EN+FR mixed ({len(mixed)})", len(mixed), total(mixed))
    print(f"peak memory: {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
