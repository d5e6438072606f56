"""Stored values named in the reader's language: a situation by the taxonomy, an arc by VALUES."""

import pandas as pd
import pytest

from dashboard import labels


@pytest.mark.parametrize(
    ("language", "situations", "arcs"),
    [
        ("en", ["Praise", "Billing and payment"], ["praise", "recovery"]),
        ("fr", ["Félicitations", "Facturation et paiement"], ["compliment", "retournement réussi"]),
    ],
)
def test_praise_is_a_situation_in_a_situation_column_and_an_arc_in_an_arc_column(
    monkeypatch, language, situations, arcs
):
    monkeypatch.setattr(labels, "current_language", lambda: language)
    frame = pd.DataFrame(
        {
            "situation": ["praise", "billing_payment"],
            "group": ["praise", "billing_payment"],  # a trend grouped by situation
            "arc": ["praise", "recovery"],
        }
    )
    shown = labels.named_values(frame)
    assert list(shown["situation"]) == situations
    assert list(shown["group"]) == situations
    assert list(shown["arc"]) == arcs
    assert labels.situation_label("praise") == situations[0]
    assert labels.label("praise") == arcs[0]
    # Not a situation of the taxonomy: named as any stored value.
    assert labels.situation_label("negative") == labels.label("negative")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ("0.81", "+0.62", "12,345", ": ")), ("fr", ("0,81", "+0,62", "12\u202f345", " : "))],
)
def test_numbers_and_colons_as_the_reader_writes_them(monkeypatch, language, expected):
    from dashboard import i18n

    monkeypatch.setattr(i18n, "current_language", lambda: language)
    assert (i18n.fixed(0.8056), i18n.fixed(0.62, sign=True), i18n.whole(12345), i18n.colon()) == (
        expected
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["0 votes", "1 vote", "2 votes", "1 similar thread", "3 similar threads"]),
        ("fr", ["0 vote", "1 vote", "2 votes", "1 fil similaire", "3 fils similaires"]),
    ],
)
def test_counts_take_their_languages_plural(monkeypatch, language, expected):
    from dashboard import i18n

    monkeypatch.setattr(i18n, "current_language", lambda: language)
    said = [i18n.t("votes", n=n) for n in (0, 1, 2)]
    said += [i18n.t("family_example", id=1, title="", arc="", score="", n=n) for n in (1, 3)]
    assert [s.split(" · ")[-1] for s in said] == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "1,224 in all."), ("fr", "1\u202f224 au total.")]
)
def test_counts_have_their_thousands_apart_as_the_reader_writes_them(
    monkeypatch, language, expected
):
    from dashboard import i18n

    monkeypatch.setattr(i18n, "current_language", lambda: language)
    assert i18n.t("list_all_rows", n=1224) == expected


def test_a_missing_cell_reads_as_a_dash_not_none():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(
        "import pandas as pd\nfrom dashboard import components as c\n"
        'c.table(pd.DataFrame({"team": ["blue", None]}))'
    ).run()
    assert not at.exception
    # Streamlit writes "None" (English) in a missing cell unless told otherwise.
    assert at.dataframe[0].proto.placeholder == "—"


def test_scores_show_two_decimals_and_counts_stay_whole():
    frame = pd.DataFrame(
        {
            "score": [0.8156, 0.63],
            "votes": [3.0, None],
            "created_at": pd.to_datetime(["2026-12-01"] * 2),
        }
    )
    config = labels.headings(frame)
    formats = {name: config[name].get("type_config", {}).get("format") for name in frame.columns}
    # A count that a missing value made float is not "3.00"; a date is told by day.
    assert formats == {"score": "%.2f", "votes": "%d", "created_at": "YYYY-MM-DD"}


def test_every_name_has_its_twin_in_the_other_language():
    for table in (labels.VALUES, labels.COLUMNS, labels.PARTS):
        assert set(table["en"]) == set(table["fr"])


def test_every_stored_status_and_outcome_is_named():
    """The values the store and curation write have names (a missing one is shown as stored,
    in English, to a French reader)."""
    from curation.outcome import ARCS
    from store.models import AuthorRole, RunStatus

    stored = {s.value for s in RunStatus} | {r.value for r in AuthorRole} | set(ARCS)
    stored |= {"complaint", "request", "solved", "answered", "redirected", "ignored"}
    stored |= {"delighted", "satisfied", "relieved", "waiting", "angrier", "threatening"}
    stored |= {"privacy", "vulnerable", "safety", "legal"}  # delicate situations
    assert stored - set(labels.VALUES["fr"]) == set()


def test_every_channel_is_named(monkeypatch):
    from casebook.demo.world import CHANNELS
    from sources.appstore import CHANNEL

    # The connectors' channels (sources/base.py lists them), "call" and "mixed" sources too.
    channels = {*CHANNELS, CHANNEL, "call", "mixed"}
    assert channels - set(labels.VALUES["fr"]) == set()
    monkeypatch.setattr(labels, "current_language", lambda: "fr")
    assert [labels.label(c) for c in ("review", "survey", "app_store")] == [
        "avis",
        "enquête",
        "boutique d'applications",
    ]


def test_a_number_column_has_room_for_its_heading_once_sorted():
    """Sorted, a column's heading shows an arrow and the menu's button beside its name: a
    number column is made wide enough for both, or for its widest number."""
    frame = pd.DataFrame(
        {
            "case_id": [98, 291],
            "score": [0.54, 0.8],
            "total": [12_345_678_901.0, 2.0],
            "ok": [True, False],
        }
    )
    config = labels.headings(frame)
    score, case = config["score"]["width"], config["case_id"]["width"]
    room = labels.CELL_PAD_PX + labels.SORTED_HEADING_PX
    assert score >= room + labels.CHAR_PX * len(labels.column("score"))
    assert case >= room + labels.CHAR_PX * len(labels.column("case_id"))
    # A column of long numbers is as wide as they are, beyond its heading's needs.
    assert config["total"]["width"] >= labels.CELL_PAD_PX + labels.CHAR_PX * len("12345678901")
    assert config["total"]["width"] > config["score"]["width"]
    assert config["ok"].get("width") is None  # a yes/no column is not a number's
