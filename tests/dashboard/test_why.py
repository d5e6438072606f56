"""A case's "why this score" in French: curation's phrases, values and numbers translated, the
quoted cues kept as written."""

import re

import pytest

from curation.notability import PART_NAMES, explain
from curation.outcome import conversation_outcome
from dashboard.why import why_in
from tests.curation.test_outcome import CASES

EXAMPLES = [
    (
        "upset at first ('😡'); the advisor solved it (\"I've fixed\"); ends delighted ('so much');"
        " delicate: privacy | weighs most: arc 0.35, change in the customer 0.15",
        "contrarié au départ ('😡') ; le conseiller l'a résolu (\"I've fixed\") ; finit ravi"
        " ('so much') ; délicat : vie privée | pèse le plus : arc 0,35, changement chez le client"
        " 0,15",
    ),
    (
        "after the advisor redirected ('DM us'), the customer ends threatening ('cancel');"
        " upset from the start: a routine threat",
        "après une redirection du conseiller ('DM us'), le client finit menaçant ('cancel') ;"
        " contrarié dès le départ : une menace ordinaire",
    ),
    (
        "complaint ('anger, tone -0.93'), need ignored, ends waiting ('still')",
        "réclamation (« colère, ton -0,93 »), besoin ignoré, finit toujours en attente ('still')",
    ),
    (
        "request ('?'), need answered, ends none",
        "demande ('?'), besoin répondu, sans retour du client",
    ),
    (
        "complaint ('score 1.0'), no advisor replied",
        "réclamation (« note 1,0 »), aucun conseiller n'a répondu",
    ),
    (
        "a coach set the arc to escalation (curation said recovery); praise ('merci')"
        " | weighs most: rare or rising situation 0.12, recent 0.05",
        "un coach a mis l'arc à escalade (la curation disait retournement réussi) ; compliment ('merci')"
        " | pèse le plus : rare ou en hausse 0,12, récence 0,05",
    ),
    ("opens with the brand's promotion", "s'ouvre sur une promotion de la marque"),
    (
        "after the advisor thanked, the customer ends threatening ('reporting you')",
        "après un remerciement du conseiller, le client finit menaçant ('reporting you')",
    ),
]


@pytest.mark.parametrize(("why", "french"), EXAMPLES)
def test_why_in_french(why, french):
    assert why_in(why, "fr") == french
    assert why_in(why, "en") == why


def test_cues_are_kept_as_written():
    # A cue holding curation's own words is still the speaker's.
    why = (
        "complaint ('the customer ends need'), need solved, ends relieved (\"no advisor replied\")"
    )
    assert why_in(why, "fr") == (
        "réclamation ('the customer ends need'), besoin résolu, finit soulagé"
        ' ("no advisor replied")'
    )


ENGLISH = re.compile(
    r"\b(advisor|customer|said|set the arc|ends|need|upset|weighs|delicate|replied|after|complaint|request|"
    r"praise|first|start|solved|answered|redirected|ignored|waiting|delighted|"
    r"satisfied|relieved|angrier|threatening|brand|promotion|contest|change|neutral|recent)\b"
)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_curations_sentences_read_in_french(case):
    """Every why curation writes for the outcome tests' threads (and the score's parts, and a
    coach's verdict) has no English word left outside its cues."""
    _, turns, _ = case
    outcome = conversation_outcome(turns)
    whys = [
        explain(dict.fromkeys(PART_NAMES, 0.5), outcome, top=len(PART_NAMES)),
        f"a coach set the arc to escalation (curation said {outcome.arc}); {outcome.why}",
    ]
    for why in whys:
        french = why_in(why, "fr")
        outside = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|« [^»]* »", "", french)
        assert not ENGLISH.search(outside), (why, french)
