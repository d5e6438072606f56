"""Throughput of nlp/ per stage and in total, and peak memory, on the first 10,000 SemEval English
tweets, the UMSAB French tweets (train split) and both mixed; beside a baseline that a Python user
would otherwise glue together (a regex redaction of e-mails, phones and cards, then VADER for
sentiment), run in the same process on the same English tweets; and both baseline's and
Casebook's sentiment quality on TweetEval val (macro-averaged recall).

The totals are measured as a long-running worker meets comments: first the analyser reads other
texts of the same kind (--warm English SemEval tweets after the measured ones; French: UMSAB's
validation tweets and the Allociné reviews; then the 36 sentences in 12 other languages of
data/language/other_languages.txt, as a worker that has met each language once), which fills its
per-word caches and loads what it loads on first use (lingua's models of each language it meets:
about 0.1-0.5 s the first time, once per process); then the measured texts, which it has never seen (TOTAL ... unseen: the
figures compared with the target; "mixed" is both unseen runs together). The per-stage lines and
the "again" totals come after, on texts already read once: their words are all in the caches, so
they are faster than a stream of new comments (bench figures before 4 December 2026 were of this
kind).

Each line gives comments/s by wall time and by CPU time of this process (time.process_time, which
counts all its threads): on a shared machine the CPU figure is the one to compare. Peak memory is
the process's peak resident set size (VmHWM), reset between the baseline and Casebook's part on
Linux (/proc/self/clear_refs); elsewhere the peak since the start (ru_maxrss). Then the same
totals on worker processes (nlp/parallel.py; wall time, memory of all processes: the sum of their
peaks, which counts each shared library once per process, and the workers' proportional memory
(PSS) after the runs, which counts it once in all).

.venv/bin/python bench/nlp.py [--data ../shared/data] [--n 10000] [--n-fr 2000] [--warm 20000]
    [--batch 1000] [--workers 2] [--slow-n 300]

The slow pass (Analyzer.refine: the multilingual sentence encoder, nlp/deep.py) is timed apart
on the first --slow-n English and French texts: it is meant for comments of threads that may
become cases (run after curation on the top cases' customer comments: casebook/steps/refine.py,
whose cost bench/refine.py prints), never part of the full analysis above.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.metrics import recall_score  # noqa: E402

from casebook_data import LANGUAGE_SAMPLES  # noqa: E402
from nlp import Analyzer  # noqa: E402
from nlp.datasets import (  # noqa: E402
    read_allocine,
    read_lines,
    read_semeval,
    read_tweeteval_val,
)
from nlp.features import prepare_for_classifier  # noqa: E402
from nlp.intensity import intensity  # noqa: E402
from nlp.language import detect_languages  # noqa: E402
from nlp.language_train import read_other_samples  # noqa: E402
from nlp.normalize import normalize_text  # noqa: E402
from nlp.redact import find_pii_batch, redact  # noqa: E402

TARGET_PER_S = 2_000
TARGET_PEAK_MB = 1_536

_STATUS = Path("/proc/self/status")


def _status_mb(key: str, path: Path = _STATUS) -> float | None:
    """A "Key: N kB" line of a /proc file (this process's status by default), in MB."""
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def peak_mb() -> float:
    """Peak resident memory of this process since the start or the last reset_peak(), in MB."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Resident memory now, in MB (the peak when the system does not say)."""
    rss = _status_mb("VmRSS")
    return rss if rss is not None else peak_mb()


def pss_mb(pid: int) -> float | None:
    """Proportional resident memory of a process now, in MB (Linux): its private pages plus its
    share of the pages it shares with others (libraries mapped by every worker count once in
    all), where the peak resident figures count shared pages in each process."""
    return _status_mb("Pss", Path(f"/proc/{pid}/smaps_rollup"))


def reset_peak() -> bool:
    """Reset the peak to the resident memory now (Linux); False where it cannot be reset."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return _status_mb("VmHWM") is not None


def cpu_seconds(fn: Callable[[], object]) -> tuple[float, float]:
    """Run fn once: (wall seconds, CPU seconds of this process)."""
    start, cpu_start = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, max(time.process_time() - cpu_start, 1e-9)


def report(name: str, n: int, seconds: float, cpu: float) -> float:
    """Print comments/s by wall and CPU time; returns comments/s by CPU time."""
    print(
        f"{name:<36} {n / seconds:>9,.0f} comments/s wall ({seconds:6.2f} s)"
        f" {n / cpu:>9,.0f} comments/s CPU ({cpu:6.2f} s)"
    )
    return n / cpu


def timed(name: str, n: int, fn: Callable[[], object]) -> float:
    """Run fn once, print comments/s by wall and CPU time; returns comments/s by CPU time."""
    return report(name, n, *cpu_seconds(fn))


# ------------------------------------------------------------------ the baseline
# Redaction regexes as a typical user writes them (cards before phones: a card number also
# looks like a phone number).
_BASE_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_BASE_CARD = re.compile(r"\b(?:\d[ -]?){12,15}\d\b")
_BASE_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")


def baseline_redact(text: str) -> str:
    text = _BASE_EMAIL.sub("[EMAIL]", text)
    text = _BASE_CARD.sub("[CARD]", text)
    return _BASE_PHONE.sub("[PHONE]", text)


def vader_label(compound: float) -> str:
    """VADER's usual thresholds: compound >= 0.05 positive, <= -0.05 negative."""
    if compound >= 0.05:
        return "positive"
    if compound <= -0.05:
        return "negative"
    return "neutral"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--n-fr", type=int, default=2_000)
    parser.add_argument(
        "--warm", type=int, default=20_000, help="other English tweets read before the totals"
    )
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument(
        "--workers", type=int, default=2, help="also run on this many processes (1: skip)"
    )
    parser.add_argument(
        "--slow-n", type=int, default=300, help="texts for the slow pass's timing (0: skip)"
    )
    args = parser.parse_args()

    texts: list[str] = []
    for path in sorted((args.data / "sentiment_en" / "semeval").glob("*.tsv")):
        texts.extend(t for t, _ in read_semeval(path))
        if len(texts) >= args.n + args.warm:
            break
    warm_en = texts[args.n : args.n + args.warm]
    texts = texts[: args.n]
    n = len(texts)
    umsab = args.data / "sentiment_fr" / "umsab_tweets"
    french = [t.strip() for t in read_lines(umsab / "train_text.txt") if t.strip()][: args.n_fr]
    warm_fr = [t.strip() for t in read_lines(umsab / "val_text.txt") if t.strip()]
    if (args.data / "sentiment_fr" / "allocine" / "train.csv").is_file():
        warm_fr += [t for t, _ in read_allocine(args.data)]
    warm_other = [text for _, text in read_other_samples(LANGUAGE_SAMPLES)]
    measured_fr = set(french)
    warm_fr = [t for t in dict.fromkeys(warm_fr) if t not in measured_fr]
    val_texts, val_labels = read_tweeteval_val(args.data)
    print(
        f"{n} English texts, mean {sum(map(len, texts)) / n:.0f} chars; {len(french)} French"
        f" texts, mean {sum(map(len, french)) / max(len(french), 1):.0f} chars;"
        f" {len(val_texts)} TweetEval val texts; read first: {len(warm_en)} other English tweets,"
        f" {len(warm_fr)} other French texts; memory after imports and reading {rss_mb():.0f} MB"
    )

    # The baseline first, before Casebook's classifiers are loaded: its peak is its own.
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        print("baseline skipped: vaderSentiment is not installed")
        SentimentIntensityAnalyzer = None
    base_rate = base_peak = base_recall = None
    if SentimentIntensityAnalyzer is not None:
        resettable = reset_peak()
        before = rss_mb()
        vader = SentimentIntensityAnalyzer()
        redacted = [baseline_redact(t) for t in texts]
        timed("baseline: regex redaction", n, lambda: [baseline_redact(t) for t in texts])
        timed("baseline: VADER sentiment", n, lambda: [vader.polarity_scores(t) for t in redacted])
        base_rate = timed(
            "BASELINE regex + VADER EN",
            n,
            lambda: [
                vader_label(vader.polarity_scores(baseline_redact(t))["compound"]) for t in texts
            ],
        )
        base_pred = [
            vader_label(vader.polarity_scores(baseline_redact(t))["compound"]) for t in val_texts
        ]
        base_recall = float(recall_score(val_labels, base_pred, average="macro"))
        base_peak = peak_mb()
        print(
            f"baseline peak memory: {base_peak:.0f} MB"
            + (
                f" ({base_peak - before:+.0f} MB over the process before it)"
                if resettable
                else " (peak since the start: this system cannot reset it)"
            )
        )
        print(f"baseline TweetEval val macro recall: {base_recall:.3f}")

    resettable = reset_peak()
    before = rss_mb()
    start = time.perf_counter()
    analyzer = Analyzer.load()
    detect_languages(["warm up the language detector"])
    print(
        f"load: {time.perf_counter() - start:.1f} s, version {analyzer.version},"
        f" peak {peak_mb():.0f} MB"
    )

    def total(batch: list[str]) -> Callable[[], None]:
        def run() -> None:
            for i in range(0, len(batch), args.batch):
                analyzer.analyze(batch[i : i + args.batch])

        return run

    # As a long-running worker: other texts of the same kind first, then texts never seen.
    timed(f"warm-up: other English ({len(warm_en)})", len(warm_en), total(warm_en))
    if french:
        timed(f"warm-up: other French ({len(warm_fr)})", len(warm_fr), total(warm_fr))
    timed(f"warm-up: other languages ({len(warm_other)})", len(warm_other), total(warm_other))
    en_seconds = cpu_seconds(total(texts))
    en_rate = report(f"TOTAL analyze EN unseen (batch {args.batch})", n, *en_seconds)
    fr_rate = mixed_rate = None
    if french:
        fr_seconds = cpu_seconds(total(french))
        fr_rate = report(f"TOTAL analyze FR unseen (batch {args.batch})", len(french), *fr_seconds)
        mixed_rate = report(
            f"TOTAL EN + FR unseen ({n + len(french)})",
            n + len(french),
            en_seconds[0] + fr_seconds[0],
            en_seconds[1] + fr_seconds[1],
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

    timed(f"TOTAL analyze EN again (batch {args.batch})", n, total(texts))
    mixed: list[str] = []
    if french:
        nf = len(french)
        fr_codes = [lang for lang, _ in detect_languages([normalize_text(t) for t in french])]
        print(f"French sample: {sum(c == 'fr' for c in fr_codes)} of {nf} detected as French")
        timed("FR redact (rules, no NER)", nf, lambda: find_pii_batch(french, fr_codes, ner=False))
        timed("FR redact (rules + NER)", nf, lambda: find_pii_batch(french, fr_codes))
        timed(f"TOTAL analyze FR again (batch {args.batch})", nf, total(french))
        mixed = texts + french
        random.Random(0).shuffle(mixed)
        timed(f"TOTAL EN+FR mixed again ({len(mixed)})", len(mixed), total(mixed))
    slow_rate = None
    if args.slow_n > 0:
        sample = texts[: args.slow_n] + french[: args.slow_n]
        analysed = analyzer.analyze(sample)
        analyzer.refine(analysed[:5])  # loads the slow classifiers and the encoder
        slow_rate = timed(
            f"SLOW PASS refine EN+FR ({len(sample)})",
            len(sample),
            lambda: analyzer.refine(analysed),
        )
    ours = [
        r.sentiment
        for i in range(0, len(val_texts), args.batch)
        for r in analyzer.analyze(val_texts[i : i + args.batch])
    ]
    our_recall = float(recall_score(val_labels, ours, average="macro"))
    print(f"Casebook TweetEval val macro recall: {our_recall:.3f}")
    our_peak = peak_mb()
    print(
        f"Casebook peak memory (load + analysis): {our_peak:.0f} MB"
        + (
            f" ({our_peak - before:+.0f} MB over the process before it)"
            if resettable
            else " (peak since the start: this system cannot reset it)"
        )
    )

    # The same analysis on worker processes (nlp/parallel.py): each holds its own classifiers,
    # so the figures are wall time (this process only waits) and the memory of all of them.
    pool_rates: dict[str, float] = {}
    pool_seconds: dict[str, float] = {}
    pool_memory = None
    if args.workers > 1:
        from nlp.parallel import AnalyzerPool

        start = time.perf_counter()
        with AnalyzerPool(args.workers) as pool:
            print(f"{args.workers} worker processes loaded in {time.perf_counter() - start:.1f} s")
            samples = [("EN", texts)] + ([("FR", french)] if french else [])
            # Warm up as the single process was above: other texts first, then unseen ones.
            for batch in (warm_en, warm_fr if french else [], warm_other * args.workers):
                for i in range(0, len(batch), args.batch):
                    pool.analyze(batch[i : i + args.batch])
            for label, batch in samples:
                start = time.perf_counter()
                for i in range(0, len(batch), args.batch):
                    pool.analyze(batch[i : i + args.batch])
                seconds = time.perf_counter() - start
                pool_rates[label] = len(batch) / seconds
                pool_seconds[label] = seconds
                print(
                    f"{'TOTAL ' + label + f' unseen, {args.workers} workers':<36}"
                    f" {pool_rates[label]:>9,.0f} comments/s wall ({seconds:6.2f} s)"
                )
            if french:
                pool_rates["EN + FR"] = (n + len(french)) / sum(pool_seconds.values())
            workers_mb = pool.peak_memory_mb()
            workers_pss = [pss_mb(pid) for pid in workers_mb]
        # A run on workers (`casebook analyze --workers N`) holds no analyser in its own process:
        # count this process as it was before it loaded one for the single-process figures.
        pool_memory = before + sum(workers_mb.values())
        print(
            f"peak memory with workers: {pool_memory:.0f} MB (workers"
            f" {' + '.join(f'{mb:.0f}' for mb in workers_mb.values())} MB + this process before"
            f" it loaded its own analyser, {before:.0f} MB; with that analyser it is now"
            f" {peak_mb():.0f} MB)"
        )
        if None not in workers_pss:
            print(
                "workers' proportional memory (PSS) after the runs: "
                + " + ".join(f"{mb:.0f}" for mb in workers_pss)
                + " MB (shared library pages split between the processes that map them)"
            )

    def rate(x: float | None) -> str:
        return "-" if x is None else f"{x:,.0f}/s"

    print("summary (comments/s by CPU time; targets: >= 2,000/s, peak < 1.5 GB)")
    print(
        f"  Casebook full analysis: EN {rate(en_rate)}, FR {rate(fr_rate)},"
        f" EN + FR {rate(mixed_rate)} (texts never seen, after a warm-up on others);"
        f" peak {our_peak:.0f} MB;"
        f" TweetEval macro recall {our_recall:.3f}"
    )
    if slow_rate is not None:
        print(f"  slow pass (refine, on request only): {rate(slow_rate)}")
    if base_rate is not None and base_peak is not None and base_recall is not None:
        print(
            f"  baseline regex + VADER (EN): {rate(base_rate)}; peak {base_peak:.0f} MB;"
            f" TweetEval macro recall {base_recall:.3f}"
        )
        print(
            f"  Casebook / baseline: {en_rate / base_rate:.2f}x the speed,"
            f" {our_recall - base_recall:+.3f} macro recall"
        )
    met = all(r >= TARGET_PER_S for r in (en_rate, fr_rate, mixed_rate) if r is not None)
    print(
        f"  targets, one process: speed {'met' if met else 'missed'},"
        f" memory {'met' if our_peak < TARGET_PEAK_MB else 'missed'}"
    )
    if pool_memory is not None:
        print(
            f"  {args.workers} workers (wall): "
            + ", ".join(f"{k} {rate(v)}" for k, v in pool_rates.items())
            + f"; peak {pool_memory:.0f} MB in all; targets: speed"
            f" {'met' if all(v >= TARGET_PER_S for v in pool_rates.values()) else 'missed'},"
            f" memory {'met' if pool_memory < TARGET_PEAK_MB else 'missed'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
