import random

import pytest

from nlp.intensity import STRONG_EMOJI, SWEARING, WEIGHTS, intensity, intensity_signals


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


def test_gated_counts_equal_the_regexes():
    """The gates skip the swear and emoji regexes only where they would find nothing."""
    import random

    from nlp.intensity import _STRONG_EMOJI_RE, _SWEAR_RE, STRONG_EMOJI, SWEARING, _swear_count
    from nlp.situation import fold

    pieces = [*SWEARING, *STRONG_EMOJI, "foutage", "de", "gueule", "fuckin", "shitty", "ok"]
    pieces += ["merde!", "#fuck", "FUCK", "Putain", "_shit", "shit_", "crap'", "😀", "!!", "été"]
    rng = random.Random(0)
    texts = [
        rng.choice([" ", "", "  ", "-"]).join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        for _ in range(3000)
    ]
    swears = [len(_SWEAR_RE.findall(fold(t))) for t in texts]
    assert [_swear_count(fold(t)) for t in texts] == swears
    assert sum(s > 0 for s in swears) > 500 and sum(s == 0 for s in swears) > 500
    for text in texts:
        emoji = min(1.0, 0.5 * len(_STRONG_EMOJI_RE.findall(text)))
        assert intensity_signals(text)["emoji"] == emoji


def _noisy_or(signals: dict[str, float]) -> float:
    """The noisy-or of the signals, signal by signal in their order."""
    calm = 1.0
    for name, value in signals.items():
        calm *= 1.0 - WEIGHTS[name] * value
    return round(min(1.0, max(0.0, 1.0 - calm)), 4)


@pytest.mark.parametrize("seed", range(3))
def test_intensity_is_the_noisy_or_of_the_signals(seed):
    """intensity() skips work, never changes a number: the same value as the signals give."""
    rng = random.Random(seed)
    pieces = [*SWEARING, *STRONG_EMOJI, "WHY", "NOT", "ÉTÉ", "ÀÉÎ", "×××", "Ok", "ok", "late"]
    pieces += ["!", "!!", "?", "??", "!?", "sooo", "www", "aaah", "PARCEL", "A", "É", "été", "x"]
    texts = [
        rng.choice([" ", "", "  ", "-", "\n"]).join(
            rng.choice(pieces) for _ in range(rng.randint(0, 12))
        )
        for _ in range(4000)
    ]
    scores = [rng.choice([0.0, -0.0, 0.3, -0.9, 1.0, -1.0, 2.5, 0.05]) for _ in texts]
    differ = [
        (t, s)
        for t, s in zip(texts, scores, strict=True)
        if intensity(t, s) != _noisy_or(intensity_signals(t, s))
    ]
    assert differ == []
    # Every signal is reached.
    reached = {k for t in texts for k, v in intensity_signals(t).items() if v}
    assert reached == set(WEIGHTS) - {"sentiment"}
