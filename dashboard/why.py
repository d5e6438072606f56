"""A case's "why this score" in the reader's language.

Curation writes it in English from a few fixed phrases (curation/outcome.py, the coach's verdict
of curation/case_drafts.py, the score's parts of curation.notability.explain), with the cues
quoted: "upset at first ('😡'); the advisor solved it ('I've fixed'); ends delighted ('so
much'); delicate: privacy | weighs most: arc 0.35, change in the customer 0.15". French readers
get those phrases, values and numbers in French; the quoted cues (the customer's and the
advisor's own words) stay as written. Anything else (a phrase of a newer curation) is kept as
stored, never lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from curation.notability import PART_NAMES
from dashboard.i18n import written
from dashboard.labels import PARTS, VALUES

# A cue as curation quotes it (Python's repr of a str).
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_WORD = r"([a-z_]+)"

# What the advisor's reply did, as "after the advisor ..." and "the advisor ... it" say it.
_AFTER_MOVE = {
    "solved": "après la solution du conseiller",
    "answered": "après la réponse du conseiller",
    "redirected": "après une redirection du conseiller",
    "ignored": "après un silence du conseiller",
    "asked": "après une question du conseiller",
    "thanked": "après un remerciement du conseiller",
}
_MOVE_IT = {"solved": "le conseiller l'a résolu", "answered": "le conseiller y a répondu"}
# Whole sentences (the kind of thread) and cues that curation wrote, not a speaker.
_SENTENCES = {
    "no customer speaks: brand accounts only": "aucun client ne parle : comptes de marques seuls",
    "opens with the brand's promotion": "s'ouvre sur une promotion de la marque",
    "a contest or promotion, not a request": "un concours ou une promotion, pas une demande",
    "reads as a complaint": "se lit comme une réclamation",
}
# Curation's own cues: a rating, and the analyses' emotion and tone.
_SCORE_CUE = re.compile(r"score (\d+\.\d+)")
_TONE_CUE = re.compile(r"([a-z]+), tone ([-+]\d+\.\d+)")


def why_in(why: str, language: str) -> str:
    """`why` (as curation stores it) for a reader of `language` ("en" or "fr")."""
    if language != "fr" or not why:
        return why
    out: list[str] = []
    last = 0
    for match in _QUOTED.finditer(why):
        out.append(_plain_fr(why[last : match.start()]))
        out.append(_cue_fr(match.group()))
        last = match.end()
    out.append(_plain_fr(why[last:]))
    return "".join(out)


def _value(word: str) -> str:
    return VALUES["fr"].get(word, word)


def _ends(end: str) -> str:
    return "sans retour du client" if end == "none" else f"finit {_value(end)}"


def _cue_fr(quoted: str) -> str:
    """A quoted cue: kept, unless curation wrote it (a rating, the analyses' tone)."""
    inner = quoted[1:-1]
    if inner in _SENTENCES:
        return f"« {_SENTENCES[inner]} »"
    if m := _SCORE_CUE.fullmatch(inner):
        return f"« note {written(m[1], 'fr')} »"
    if m := _TONE_CUE.fullmatch(inner):
        return f"« {_value(m[1])}, ton {written(m[2], 'fr')} »"
    return quoted


_PART_OF = {name: part for part, name in PART_NAMES.items()}
_PART_NAMES = "|".join(re.escape(n) for n in sorted(_PART_OF, key=len, reverse=True))
_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(rf"a coach set the arc to {_WORD} \(curation said {_WORD}\); "),
        lambda m: f"un coach a mis l'arc à {_value(m[1])} (la curation disait {_value(m[2])}) ; ",
    ),
    (re.compile("|".join(map(re.escape, _SENTENCES))), lambda m: _SENTENCES[m[0]]),
    (re.compile(r"upset at first"), lambda m: "contrarié au départ"),
    (
        re.compile(rf"; the advisor {_WORD} it"),
        lambda m: " ; " + _MOVE_IT.get(m[1], f"le conseiller : {_value(m[1])}"),
    ),
    (re.compile(rf"after the advisor {_WORD}"), lambda m: _AFTER_MOVE.get(m[1], m[0])),
    (re.compile(rf", the customer ends {_WORD}"), lambda m: f", le client finit {_value(m[1])}"),
    (
        re.compile(r"; upset from the start: a routine threat"),
        lambda m: " ; contrarié dès le départ : une menace ordinaire",
    ),
    (re.compile(r"no advisor replied"), lambda m: "aucun conseiller n'a répondu"),
    (re.compile(rf"\bneed {_WORD}"), lambda m: f"besoin {_value(m[1])}"),
    (re.compile(rf"(; )?\bends {_WORD}"), lambda m: (" ; " if m[1] else "") + _ends(m[2])),
    (
        re.compile(r"(?:^|(?<=; ))(complaint|request|praise|other)\b"),
        lambda m: _value(m[1]),
    ),
    (
        re.compile(r"; delicate: ([a-z_]+(?:, [a-z_]+)*)"),
        lambda m: " ; délicat : " + ", ".join(_value(v) for v in m[1].split(", ")),
    ),
    (re.compile(r"weighs most: "), lambda m: "pèse le plus : "),
    (
        re.compile(rf"({_PART_NAMES}) (\d+\.\d+)"),
        lambda m: f"{PARTS['fr'][_PART_OF[m[1]]]} {written(m[2], 'fr')}",
    ),
]


def _plain_fr(text: str) -> str:
    """Curation's words between the cues, in French."""
    for pattern, make in _RULES:
        text = pattern.sub(make, text)
    return text
