"""The test sets of nlp/evaluate_heldout.py: nothing a source of the language screen holds, the
redaction test file as annotated, the keyword rules' halves."""

from __future__ import annotations

from casebook_data.eval.pii_heldout import read_annotated
from casebook_data.eval.situation_rules import score_english, score_french_reviews
from nlp.evaluate_heldout import TEST3_PII, language_test_texts, redaction_test_figures
from nlp.situation import Taxonomy
from tests.nlp.test_train import _write_data


def test_language_test_tweets_leave_out_what_the_screen_has_seen(tmp_path):
    _write_data(tmp_path)
    emotion = tmp_path / "emotion" / "tweeteval"
    # A tweet the screen trained on (SemEval), written as TweetEval writes mentions, and a copy.
    (emotion / "val_text.txt").write_text(
        "the held-out tweet @user\nbrand new tweet here\nbrand new tweet here\n"
    )
    texts, gold, note = language_test_texts(tmp_path)
    assert "the held-out tweet @user" not in texts
    assert texts.count("brand new tweet here") == 1
    assert gold.count("fr") == 3 and gold.count("en") == 5  # 4 train + 1 new val tweet
    assert "none in a source of the screen" in note


def test_the_redaction_test_file_parses_and_is_scored(tmp_path):
    cases = read_annotated(TEST3_PII)
    kinds = {kind for case in cases for kind, _, _ in case.expected}
    assert {"PERSON", "EMAIL", "PHONE", "CARD", "IBAN", "HANDLE"} <= kinds
    assert {c.language for c in cases} == {"en", "fr"} and any(not c.expected for c in cases)
    one = tmp_path / "one.txt"
    one.write_text("en\tWrite to [[EMAIL|jo@example.com]] now\n", encoding="utf-8")
    recall, person_recall, precision = redaction_test_figures(one)
    assert recall.value == 1.0 and recall.rows == 1
    assert person_recall.rows == 0
    missing = redaction_test_figures(tmp_path / "none.txt")
    assert all(f.value is None and "missing" in f.note for f in missing)
    second = redaction_test_figures(one, "set2")
    assert [f.name for f in second] == [
        "redaction_recall_set2",
        "redaction_person_recall_set2",
        "redaction_person_precision_set2",
    ]
    assert second[0].value == 1.0 and "development" in second[0].note
    assert "test)" in redaction_test_figures(one)[0].note


def test_rules_scores_count_right_and_wrong():
    taxonomy = Taxonomy.load()
    english = score_english(
        taxonomy,
        [("I was charged twice, refund me", "billing_payment"), ("hello there", "account_access")],
    )
    assert english.accuracy == 0.5 and english.errors[0][1:] == ("account_access", "other")
    french = score_french_reviews(
        taxonomy, ["Il faut avoir vu ce film", "Le colis n'est jamais arrivé"]
    )
    assert french.accuracy == 0.5 and french.errors[0][2] == "delivery_logistics"
