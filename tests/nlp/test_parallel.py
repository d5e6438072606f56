"""The analysis on worker processes gives what the in-process Analyzer gives, in order."""

import pytest

from nlp import Analyzer
from nlp.parallel import MIN_SPLIT, AnalyzerPool, default_workers, open_analyzer

TEXTS = [
    "My parcel never arrived!!! Call me on 06 12 34 56 78",
    "Merci beaucoup Julie, le remboursement est arrivé 😀",
    "",
    "\x00\x01 binary",
    "Thanks @ServiceCo, sorted in minutes. Jane Smith",
] * (MIN_SPLIT // 5 + 3)


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer.load()


@pytest.fixture(scope="module")
def pool():
    with AnalyzerPool(2) as pool:
        yield pool


@pytest.mark.slow
def test_pool_gives_the_in_process_results_in_order(pool, analyzer):
    expected = analyzer.analyze(TEXTS, {"ServiceCo"})
    assert len(TEXTS) >= MIN_SPLIT  # split between the workers
    assert pool.analyze(TEXTS, {"ServiceCo"}) == expected
    assert pool.analyze(TEXTS[:3]) == expected[:3]  # small batches go to one worker
    assert pool.analyze([]) == []
    assert pool.version == analyzer.version


@pytest.mark.slow
def test_pool_reports_each_workers_memory(pool):
    peaks = pool.peak_memory_mb()
    assert 1 <= len(peaks) <= 2 and all(mb > 50 for mb in peaks.values())


def test_one_worker_is_the_plain_analyzer(monkeypatch):
    monkeypatch.setattr(Analyzer, "load", classmethod(lambda cls, *args: ("loaded", args)))
    with open_analyzer(1, None, None, None) as analyzer:
        assert analyzer == ("loaded", (None, None, None))
    with pytest.raises(ValueError, match="at least 2"):
        AnalyzerPool(1)
    assert 1 <= default_workers() <= 2
