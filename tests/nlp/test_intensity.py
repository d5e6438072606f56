import pytest

from nlp.intensity import intensity, intensity_signals


@pytest.mark.parametrize(
    ("text", "score", "low", "high"),
    [
        ("ok thanks", 0.0, 0.0, 0.1),
        ("The parcel arrived today.", 0.1, 0.0, 0.15),
        ("THIS IS UNACCEPTABLE!!! WHERE IS MY PARCEL???", -0.9, 0.8, 1.0),
        ("soooo disappointed 😡😡", -0.8, 0.6, 1.0),
        ("c'est de la merde, putain", -0.7, 0.6, 1.0),
        ("what the fuck is this shit", -0.6, 0.6, 1.0),
        ("Merci infiniment !!! 😍", 0.9, 0.5, 1.0),
        ("", 0.0, 0.0, 0.0),
        ("😡😡😡😡😡😡", 0.0, 0.4, 1.0),
    ],
)
def test_intensity_range(text, score, low, high):
    value = intensity(text, score)
    assert low <= value <= high


def test_more_charged_is_higher():
    calm = intensity("my order is late", -0.4)
    angry = intensity("MY ORDER IS LATE!!! sooo fed up", -0.4)
    assert angry > calm + 0.3


@pytest.mark.parametrize("text", ["", "A" * 100_000, "!?" * 5000, "\x00\x01"])
def test_signals_bounded(text):
    signals = intensity_signals(text, 5.0)
    assert all(0.0 <= v <= 1.0 for v in signals.values())
    assert 0.0 <= intensity(text, -3.0) <= 1.0
