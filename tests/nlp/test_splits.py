"""The untouched test splits (nlp/splits.py): fixed by the text alone, disjoint from training
and development rows across files, the same on every run."""

from nlp.splits import (
    SEMEVAL_TEST,
    emotion_split,
    in_test,
    key_id,
    sentiment_en_split,
    sentiment_fr_split,
    text_key,
)


def _write(root, n=400):
    sem = root / "sentiment_en" / "semeval"
    sem.mkdir(parents=True)
    labels = ("negative", "neutral", "positive")
    rows = [f"{i}\t{labels[i % 3]}\tsome tweet number {i} @bob http://t.co/{i}" for i in range(n)]
    (sem / "twitter-2016test-A.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    # An older file repeats some of the 2016 tweets (another user name, another link).
    again = [f"x{i}\t{labels[i % 3]}\tSOME tweet number {i} @alice" for i in range(0, n, 2)]
    again.append("y\tpositive\tthe dev tweet")
    (sem / "twitter-2013train-A.tsv").write_text("\n".join(again) + "\n", encoding="utf-8")
    tw = root / "sentiment_en" / "tweeteval"
    tw.mkdir(parents=True)
    (tw / "val_text.txt").write_text("the dev tweet\nsome tweet number 1 @carol\n")
    (tw / "val_labels.txt").write_text("2\n0\n")
    um = root / "sentiment_fr" / "umsab_tweets"
    um.mkdir(parents=True)
    (um / "train_text.txt").write_text("\n".join(f"tweet français {i}" for i in range(n)) + "\n")
    (um / "train_labels.txt").write_text("\n".join(str(i % 3) for i in range(n)) + "\n")
    (um / "val_text.txt").write_text("tweet français 3\nautre\n")
    (um / "val_labels.txt").write_text("0\n1\n")
    al = root / "sentiment_fr" / "allocine"
    al.mkdir(parents=True)
    (al / "train.csv").write_text(
        "text,label\n" + "\n".join(f'"critique {i}",{i % 2}' for i in range(n)) + "\n"
    )
    go = root / "emotion" / "goemotions"
    go.mkdir(parents=True)
    (go / "ekman_labels.txt").write_text("anger\njoy\nneutral\n")
    (go / "ekman_train.tsv").write_text(
        "\n".join(f"reddit comment {i}\t{i % 3}\tid{i}" for i in range(n)) + "\n"
    )
    (go / "ekman_dev.tsv").write_text("reddit comment 7\t1\tdev1\nanother\t2\tdev2\n")


def test_rule_depends_on_the_text_alone():
    assert text_key("Hello @bob http://t.co/x !!") == text_key("hello @user")
    assert in_test("abc", SEMEVAL_TEST) == in_test("abc", SEMEVAL_TEST)
    share = sum(in_test(str(i), ("s", 0.25)) for i in range(4000)) / 4000
    assert 0.22 < share < 0.28
    # A smaller share with the same salt draws a subset.
    assert all(in_test(str(i), ("s", 0.25)) for i in range(2000) if in_test(str(i), ("s", 0.1)))
    assert len(key_id("abc")) == 12


def test_test_rows_never_train_nor_come_from_dev(tmp_path):
    _write(tmp_path)
    for make in (sentiment_en_split, sentiment_fr_split, emotion_split):
        split = make(tmp_path)
        train_keys = {text_key(t) for t, _, _ in split.train}
        dev_keys = {text_key(t) for texts, _ in split.dev.values() for t in texts}
        test_keys = {text_key(t) for texts, _ in split.test.values() for t in texts}
        assert test_keys, make.__name__
        assert not train_keys & test_keys
        assert not train_keys & dev_keys
        assert not test_keys & dev_keys
        again = make(tmp_path)
        assert again.test == split.test and again.train == split.train
    en = sentiment_en_split(tmp_path)
    # Rows of another file repeating a test tweet are dropped, the dev tweets too.
    assert en.dropped["training rows that are development or test rows"] > 1
    assert "the dev tweet" not in {t for t, _, _ in en.train}
    fr = sentiment_fr_split(tmp_path)
    assert set(fr.test) == {"fr_umsab_test", "fr_allocine_test"}
    assert "tweet français 3" not in fr.test["fr_umsab_test"][0]
