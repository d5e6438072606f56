import pytest

from nlp.language import (
    MIN_DECIDED_LOG_ODDS_PER_NGRAM,
    MIN_GATE_NGRAMS,
    LanguageScreen,
    detect_language,
    detect_languages,
    get_screen,
    screen_words,
)
from nlp.language_train import read_other_samples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My parcel never arrived and nobody answers the phone", "en"),
        ("Thanks a lot, the advisor was really helpful", "en"),
        ("Mon colis n'est jamais arrivé et personne ne répond", "fr"),
        ("Merci beaucoup, la conseillère a été très efficace", "fr"),
        ("Je suis vraiment déçu par votre service client", "fr"),
        ("", "und"),
        ("    ", "und"),
        ("😡😡😡", "und"),
        ("12345 678 !!!", "und"),
        ("\x00\x01\x02", "und"),
    ],
)
def test_detect_language(text, expected):
    language, confidence = detect_language(text)
    assert language == expected
    assert 0.0 <= confidence <= 1.0
    if expected == "und":
        assert confidence == 0.0
    else:
        assert confidence >= 0.6


def test_batch_keeps_order_and_length():
    texts = ["Bonjour, ma facture est fausse", "", "Hello, my bill is wrong"] * 3
    results = detect_languages(texts)
    assert [lang for lang, _ in results] == ["fr", "und", "en"] * 3


def test_huge_text():
    assert detect_language("the delivery is late again " * 10_000)[0] == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an accented name inside a sentence keeps its own language, not the text's
        ("Hey Voltéo Énergie, my bill doubled this month", "en"),
        ("My account at Société Générale was frozen", "en"),
        ("I love Montréal in the summer", "en"),
        # ...and a French text stays French without its names
        ("Bonjour Hélène, ma box ne marche plus", "fr"),
        ("Société Générale a bloqué mon compte", "fr"),
    ],
)
def test_accented_names_do_not_make_a_text_french(text, expected):
    assert detect_language(text)[0] == expected


def test_accented_names_are_left_out_while_three_words_remain():
    assert screen_words("Hi Voltéo Énergie, my bill doubled") == ["hi", "my", "bill", "doubled"]
    assert screen_words("Merci Hélène") == ["merci", "hélène"]
    # at the start, in lower case or in capitals: no name to leave out
    assert screen_words("Hélène a dit que la fibre arrive")[0] == "hélène"
    assert "énergie" in screen_words("my énergie bill is wrong")
    assert "ÉNERGIE".lower() in screen_words("my ÉNERGIE bill is wrong")


# ---------------------------------------------------------------- the screen and other languages


def test_screen_words_drop_urls_mentions_digits_and_symbols():
    assert screen_words("@SNCF Mon TGV 8412 a 2h de retard!! https://t.co/x l'horreur 😡") == [
        "mon",
        "tgv",
        "a",
        "h",
        "de",
        "retard",
        "l'horreur",
    ]


def test_the_screen_decides_clear_english_and_french_alone():
    screen = get_screen()
    assert screen is not None
    french = screen.screen("Mon colis n'est jamais arrivé et personne ne répond")
    english = screen.screen("My parcel never arrived and nobody answers the phone")
    assert screen.decide(french)[0] == "fr" and screen.decide(english)[0] == "en"
    assert french.log_odds > screen.threshold > 0 > -screen.threshold > english.log_odds
    assert screen.screen("12345 !!! 😡") is None and screen.decide(None) is None


def test_screen_scores_are_additive_over_words_and_cached():
    screen = get_screen()
    both = screen.screen("merci beaucoup")
    one, two = screen.screen("merci"), screen.screen("beaucoup")
    # Log-odds add up over words (each word once, plus the prior once: it is 0, uniform priors).
    assert abs(both.log_odds - (one.log_odds + two.log_odds)) < 1e-6
    assert both.ngrams == one.ngrams + two.ngrams


def test_a_batch_scored_at_once_gets_the_scores_of_words_one_by_one():
    texts = [
        "Merci beaucoup, l'été est déjà là ! https://x.fr @someone",
        "The parcel never arrived, again... 123",
        "ǅemal İstanbul ﬁn ŉ ß",  # letters whose lower case or padding is unusual
        "a",
        "",
    ]
    batch, alone = LanguageScreen.load(), LanguageScreen.load()
    words = batch.prime(texts)
    assert words == [screen_words(t) for t in texts]
    for text in texts:
        for word in screen_words(text):
            alone._word(word)
    assert batch._cache == alone._cache  # the same floats, exactly
    assert [batch.screen(t, w) for t, w in zip(texts, words, strict=True)] == [
        alone.screen(t) for t in texts
    ]


def test_the_same_results_with_and_without_the_screen_on_clear_texts():
    texts = [
        "Thanks a lot, the advisor was really helpful and kind",
        "Merci beaucoup, la conseillère a été très efficace et gentille",
        "",
        "Mon abonnement a été résilié sans mon accord, c'est inadmissible",
    ]
    with_screen = [lang for lang, _ in detect_languages(texts)]
    lingua_alone = [lang for lang, _ in detect_languages(texts, screen=False)]
    assert with_screen == lingua_alone == ["en", "fr", "und", "fr"]


def test_texts_unlike_english_or_french_get_their_own_code():
    samples = read_other_samples()
    found = detect_languages([text for _, text in samples])
    named = [code for (code, _), (lang, _) in zip(samples, found, strict=True) if lang == code]
    # Other scripts every time; most Latin-script languages (the card gives the figure).
    assert {"ru", "ar", "zh", "ja", "ko", "es", "de"} <= set(named)
    assert len(named) >= 0.7 * len(samples)
    # Whatever is not named stays English, French or undetermined: never a wrong third code.
    assert all(
        lang in {code, "en", "fr", "und"}
        for (code, _), (lang, _) in zip(samples, found, strict=True)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das ist eine Katastrophe, ich warte seit drei Wochen", "de"),
        ("Gracias por la ayuda, todo bien", "es"),
    ],
)
def test_a_text_the_screen_decides_while_leaning_faintly_may_be_another_language(text, expected):
    # The screen is sure (log-odds far over its threshold), its n-grams known: before, English
    # or French at 0.9999.
    screen = get_screen()
    s = screen.screen(text)
    assert screen.decide(s) is not None
    assert abs(s.log_odds) / s.ngrams < MIN_DECIDED_LOG_ODDS_PER_NGRAM
    assert detect_language(text)[0] == expected
    # English and French that lean faintly stay so: another language needs lingua's certainty.
    assert detect_language("Thanks for the info, that helps a lot")[0] == "en"


@pytest.mark.parametrize(
    ("text", "expected", "lean"),
    [
        # Leaning 0.3-0.5 per n-gram to French: named French before 7 December 2026.
        ("Grazie mille per l'aiuto, il problema è stato risolto subito", "it", (0.3, 0.5)),
        ("Obrigado pela ajuda, o problema foi resolvido rapidamente", "pt", (0.3, 0.5)),
        # English and French that lean as faintly stay so (the first full of Italian words).
        ("Pizza margherita and tiramisu for dinner tonight", "en", (0.3, 0.5)),
        ("Super service, je recommande", "fr", (0.3, 0.5)),
    ],
)
def test_another_language_is_named_when_lingua_is_sure_in_high_accuracy_mode(text, expected, lean):
    screen = get_screen()
    s = screen.screen(text)
    assert screen.decide(s) is not None
    assert lean[0] <= abs(s.log_odds) / s.ngrams < lean[1] <= MIN_DECIDED_LOG_ODDS_PER_NGRAM
    assert detect_language(text)[0] == expected


def test_short_texts_are_not_judged_foreign_by_their_likelihood():
    screen = get_screen()
    for text in ("wtf", "lol", "mdr", "ok merci"):
        s = screen.screen(text)
        assert s.ngrams < MIN_GATE_NGRAMS and screen.looks_en_or_fr(s)
        assert detect_language(text)[0] in {"en", "fr", "und"}


@pytest.mark.parametrize(
    "text",
    [
        "Des éoliennes... http",
        "#festival de l'#ecologie jusqu'à dimanche http",
        "Un combat de longue date des écologistes ! @user #PLTECV http",
    ],
)
def test_french_with_rare_words_is_not_named_another_language(text):
    assert detect_language(text)[0] == "fr"


def test_screen_words_are_what_the_regex_finds():
    import random
    import re

    from nlp import language

    rng = random.Random(0)
    alphabet = [chr(c) for c in range(128)] + ["'", "''", "é", "\u2019", "http://x.fr", "@bob "]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    texts += ["don't", "'quoted'", "rock''n'roll", "l'été", "a_b1c", "see www.x.com now"]

    def by_regex(text: str) -> list[str]:
        words = re.findall(language._WORD, re.sub(language._URL_OR_MENTION, " ", text.lower()))
        names = language.accented_names(text)
        kept = [w for w in words if w not in names]
        return kept if names and len(kept) >= language.MIN_WORDS_WITHOUT_NAMES else words

    assert [t for t in texts if language.screen_words(t) != by_regex(t)] == []
