"""The analysis on several processes: one Analyzer per worker, a batch split between them.

Most of the analysis is Python code that holds the GIL, so threads would not help; processes
do, each with its own copy of the classifiers (about 400 MB each). Workers are spawned, not
forked: the language detector's thread pool and spaCy do not survive a fork.

    with open_analyzer(workers=2) as analyzer:   # 1 worker: the plain in-process Analyzer
        analyzer.analyze(texts)

Results are those of Analyzer.analyze, in the same order; only the speed changes.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nlp.analyze import Analyzer, CommentAnalysis
from nlp.models import release_memory

# Below this many texts a batch is not split: the round trip would cost more than it saves.
MIN_SPLIT = 64

_worker: Analyzer | None = None


def _load(models_dir: Path | None, taxonomy: Path | None, situation_model: Path | None) -> None:
    global _worker
    _worker = Analyzer.load(models_dir, taxonomy, situation_model)


def _version() -> str:
    assert _worker is not None
    return _worker.version


def _analyze(texts: list[str], brand_handles: set[str] | None) -> list[CommentAnalysis]:
    assert _worker is not None
    try:
        return _worker.analyze(texts, brand_handles)
    finally:
        # A worker lives long: the memory a batch freed goes back to the system (microseconds
        # to a few ms a batch; the workers' resident memory about 45 MB lower each after
        # 35,000 tweets).
        release_memory()


def _peak_memory_mb() -> tuple[int, float]:
    """(pid, peak resident memory in MB) of this worker; waits a little so that each of a few
    such calls lands on a different worker."""
    time.sleep(0.2)
    return os.getpid(), peak_memory_mb()


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource  # only where /proc is missing (resource is Unix-only)

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class AnalyzerPool:
    """Analyzer.analyze on `workers` processes; use as a context manager or close() it."""

    def __init__(
        self,
        workers: int,
        models_dir: Path | None = None,
        taxonomy_path: Path | None = None,
        situation_model: Path | None = None,
    ):
        if workers < 2:
            raise ValueError("an AnalyzerPool needs at least 2 workers (use Analyzer for 1)")
        self.workers = workers
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load,
            initargs=(models_dir, taxonomy_path, situation_model),
        )
        try:
            # Every worker loads now (in parallel), so a broken classifier fails here, once.
            versions = {f.result() for f in [self._pool.submit(_version) for _ in range(workers)]}
        except BaseException:
            self._pool.shutdown(cancel_futures=True)
            raise
        if len(versions) != 1:
            self.close()
            raise RuntimeError(f"workers loaded different classifiers: {sorted(versions)}")
        self.version: str = versions.pop()

    def analyze(
        self, texts: list[str], brand_handles: set[str] | None = None
    ) -> list[CommentAnalysis]:
        """As Analyzer.analyze: one result per text, in order."""
        texts = list(texts)
        if len(texts) < MIN_SPLIT:
            return self._pool.submit(_analyze, texts, brand_handles).result()
        size = -(-len(texts) // self.workers)
        futures = [
            self._pool.submit(_analyze, texts[i : i + size], brand_handles)
            for i in range(0, len(texts), size)
        ]
        return [result for future in futures for result in future.result()]

    def peak_memory_mb(self) -> dict[int, float]:
        """Peak resident memory of the workers, in MB, by process id."""
        futures = [self._pool.submit(_peak_memory_mb) for _ in range(2 * self.workers)]
        return dict(f.result() for f in futures)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> AnalyzerPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def default_workers() -> int:
    """Workers worth starting here: the cores this process may use, at most 2 (each costs about
    400 MB; beyond the cores they only compete)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


@contextmanager
def open_analyzer(
    workers: int = 1,
    models_dir: Path | None = None,
    taxonomy_path: Path | None = None,
    situation_model: Path | None = None,
) -> Iterator[Analyzer | AnalyzerPool]:
    """The in-process Analyzer (workers <= 1) or an AnalyzerPool, closed on exit."""
    if workers <= 1:
        yield Analyzer.load(models_dir, taxonomy_path, situation_model)
        return
    pool = AnalyzerPool(workers, models_dir, taxonomy_path, situation_model)
    try:
        yield pool
    finally:
        pool.close()
