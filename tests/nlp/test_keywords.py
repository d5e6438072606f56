import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.keywords import trie_alternation

WORDS = ["love", "lovely", "loving", "like it", "lol", "can't wait", "cant wait", "a.b", "(:", "😀"]


def _longest_first(entries):
    body = "|".join(re.escape(w) for w in sorted(set(entries), key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + body + ")")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lovely, I love it", ["lovely", "love"]),
        ("I like it lol", ["like it", "lol"]),
        ("can't wait! cant wait", ["can't wait", "cant wait"]),
        ("aXb a.b", ["a.b"]),  # entries are literal, not patterns
        ("clover", []),  # the word-start check stays outside
        ("😀😀 (:", ["😀", "😀", "(:"]),
    ],
)
def test_matches_like_a_longest_first_alternation(text, expected):
    trie = re.compile(r"(?<!\w)(?:" + trie_alternation(WORDS) + ")")
    assert trie.findall(text) == expected == _longest_first(WORDS).findall(text)


@given(
    entries=st.lists(st.text(alphabet="abc' ", min_size=1, max_size=4), min_size=1, max_size=8),
    text=st.text(alphabet="abc' .", max_size=30),
)
def test_same_matches_as_the_longest_first_alternation_on_any_list(entries, text):
    trie = re.compile(r"(?<!\w)(?:" + trie_alternation(entries) + ")")
    assert trie.findall(text) == _longest_first(entries).findall(text)


def test_an_empty_list_matches_nothing():
    assert re.compile(trie_alternation([])).findall("anything") == []


def test_tails_make_stems_and_whole_words():
    entries = [("refund", r"\w*"), ("bill", r"(?!\w)"), ("billing", r"(?!\w)"), ("no signal", "")]
    regex = re.compile(r"(?<!\w)(?:" + trie_alternation(entries, whitespace=r"\s+") + ")")
    assert regex.findall("refunded billing bill billy refund") == [
        "refunded",
        "billing",
        "bill",
        "refund",
    ]
    assert regex.findall("no   signal, no\tsignal") == ["no   signal", "no\tsignal"]
