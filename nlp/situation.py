"""Situation (what a comment is about) and risk flags, by keyword rules from data/taxonomy.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import yaml

from casebook_data import TAXONOMY_FILE
from nlp.keywords import trie_alternation
from nlp.normalize import strip_accents

OTHER = "other"
RISKS = ("churn", "legal", "safety", "public_escalation")
# On equal scores, the more specific (and more actionable) situation wins.
TIE_BREAK = (
    "churn_threat",
    "account_access",
    "billing_payment",
    "delivery_logistics",
    "product_quality",
    "service_disruption",
    "technical_support",
    "order_booking",
    "support_experience",
    "praise",
    "information_request",
)
LANGUAGES = ("en", "fr")


@dataclass(frozen=True, slots=True)
class SituationResult:
    """The best situation, how sure the rules are, and the runner-up ("other" when none)."""

    situation: str
    confidence: float
    runner_up: str
    scores: dict[str, float]


# A comment is folded three times when it is analysed (its emotion words, its intensity, its
# situation): the folds of the last short texts are kept (a few MB at most).
FOLD_CACHE_SIZE = 2048
FOLD_CACHE_MAX_CHARS = 1000


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain (keywords and texts alike)."""
    if len(text) > FOLD_CACHE_MAX_CHARS:
        return _fold(text)
    return _fold_cached(text)


def _fold(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u02bc", "'")
    return strip_accents(text)


_fold_cached = lru_cache(maxsize=FOLD_CACHE_SIZE)(_fold)


def _keyword_entry(keyword: str) -> tuple[bool, str, str] | None:
    """(starts at a word start?, folded literal, regex tail) for one keyword: a stem ("refund*")
    continues with any letters, another keyword ends at a word boundary."""
    word = fold(keyword).strip()
    stem = word.endswith("*")
    word = " ".join(word.rstrip("*").split())
    if not word:
        return None
    tail = r"\w*" if stem else (r"(?!\w)" if word[-1].isalnum() else "")
    return word[0].isalnum(), word, tail


def compile_keywords(keywords: list[str]) -> re.Pattern[str] | None:
    """One regex for a keyword list (longest first, so phrases win over their own words).

    The word-start check is factored out of the alternation (checked once per position rather
    than once per keyword, about 15 times faster), and the keywords share their common starts
    (nlp.keywords.trie_alternation): the words of a phrase match with any whitespace between."""
    entries = [e for e in (_keyword_entry(str(k)) for k in keywords or []) if e]
    if not entries:
        return None
    branches = []
    at_word = [(word, tail) for starts, word, tail in entries if starts]
    anywhere = [(word, tail) for starts, word, tail in entries if not starts]
    if at_word:
        branches.append(r"(?<!\w)(?:" + trie_alternation(at_word, whitespace=r"\s+") + ")")
    if anywhere:
        branches.append("(?:" + trie_alternation(anywhere, whitespace=r"\s+") + ")")
    return re.compile("|".join(branches))


_WORD_RUN_RE = re.compile(r"\w+")
# The words before a keyword hit, for its negators (folded text: "isn't" keeps its apostrophe).
_WORDS_BEFORE_RE = re.compile(r"[\w']+")
_NEGATION_LOOKBACK = 80  # characters read before a hit
_GATE_CHARS = 4
# Distinct runs whose gate names a KeywordIndex keeps (past this it starts again).
RUN_CACHE_SIZE = 100_000
# ASCII bytes: word characters (\w: letters, digits, "_") as they are, any other byte a space.
_ASCII_RUNS = bytes(b if chr(b).isalnum() or b == ord("_") else 32 for b in range(128)) + bytes(
    range(128, 256)
)


def word_runs(text: str) -> list[str]:
    r"""The runs of word characters of a text (what `\w+` finds), in order. An ASCII text is cut
    by bytes.translate and split(), several times faster than the regex."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_RUNS).decode("ascii").split()
    return _WORD_RUN_RE.findall(text)


class TextWords:
    """The runs of word characters of a folded text, and their first characters (computed on
    demand), for the keyword gates."""

    __slots__ = ("runs", "_starts")

    def __init__(self, folded: str):
        self.runs = frozenset(word_runs(folded))
        self._starts: dict[int, frozenset[str]] = {}

    def starts(self, n: int) -> frozenset[str]:
        """The first n characters of the runs (and the shorter runs whole: they equal no key of
        n characters)."""
        found = self._starts.get(n)
        if found is None:
            found = self._starts[n] = frozenset(map(itemgetter(slice(None, n)), self.runs))
        return found


class KeywordGate:
    """A cheap test run before a keyword regex (compile_keywords): False means the regex finds
    nothing in the folded text.

    A keyword that starts at a word start is made of runs of word characters; where it
    matches, each run the keyword ends with a space, a hyphen, an apostrophe or a word end
    ("wi" of "wi-fi", "cancel" of "i want to cancel") is a whole run of the text: the longest
    such run is looked for. A one-run stem ("refund*") only begins a run of the text: its first
    _GATE_CHARS characters are compared. Keywords that may start inside a word (none in
    data/taxonomy.yaml) leave the gate open."""

    def __init__(self, keywords: list[str]):
        self.whole: set[str] = set()
        self.prefixes: dict[int, set[str]] = {}
        self.always = False
        for entry in (_keyword_entry(str(k)) for k in keywords or []):
            if entry is None:
                continue
            starts, word, tail = entry
            runs = list(_WORD_RUN_RE.finditer(word)) if starts else []
            if not runs:
                self.always = True
                continue
            whole = [m.group() for m in runs if m.end() < len(word) or tail == r"(?!\w)"]
            if whole:
                self.whole.add(max(whole, key=len))
            else:
                key = runs[0].group()[:_GATE_CHARS]
                self.prefixes.setdefault(len(key), set()).add(key)

    def open(self, words: TextWords) -> bool:
        if self.always or not self.whole.isdisjoint(words.runs):
            return True
        return any(not keys.isdisjoint(words.starts(n)) for n, keys in self.prefixes.items())


class KeywordIndex:
    """The keyword gates of several regexes at once: which of them may match a text."""

    def __init__(self, gates: dict[str, KeywordGate]):
        self.always = frozenset(name for name, gate in gates.items() if gate.always)
        self.whole: dict[str, set[str]] = {}
        self.prefixes: dict[int, dict[str, set[str]]] = {}
        for name, gate in gates.items():
            for key in gate.whole:
                self.whole.setdefault(key, set()).add(name)
            for n, keys in gate.prefixes.items():
                for key in keys:
                    self.prefixes.setdefault(n, {}).setdefault(key, set()).add(name)
        self._run_names: dict[str, frozenset[str]] = {}

    def candidates(self, words: TextWords) -> set[str]:
        """The names whose gate is open for the text: those a run of the text opens, as a
        whole key or by its first characters (each distinct run's names kept: runs repeat)."""
        found = set(self.always)
        cache = self._run_names
        for run in words.runs:
            names = cache.get(run)
            if names is None:
                if len(cache) >= RUN_CACHE_SIZE:
                    cache.clear()
                names = cache[run] = self._names_of(run)
            if names:
                found |= names
        return found

    def _names_of(self, run: str) -> frozenset[str]:
        names = set(self.whole.get(run, ()))
        for n, table in self.prefixes.items():
            names |= table.get(run[:n], set())
        return frozenset(names)


def negated(folded: str, start: int, negators: frozenset[str], gap: frozenset[str]) -> bool:
    """Whether the words before `start` end with a negator, gap words aside ("not very ...");
    a word ending in "n't" is a negator."""
    before = _WORDS_BEFORE_RE.findall(folded[max(0, start - _NEGATION_LOOKBACK) : start])
    for word in reversed(before):
        if word in negators or word.endswith("n't"):
            return True
        if word not in gap:
            return False
    return False


class Taxonomy:
    """Situations and risks with their compiled keyword rules."""

    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        situations = spec.get("situations") or {}
        if OTHER not in situations:
            raise ValueError("taxonomy must define the 'other' situation")
        self.situations: list[str] = list(situations)
        self.labels: dict[str, dict[str, str]] = {
            k: v.get("labels", {}) for k, v in situations.items()
        }
        self._situation_res: dict[str, dict[str, re.Pattern[str] | None]] = {
            lang: {
                key: compile_keywords((value.get("keywords") or {}).get(lang, []))
                for key, value in situations.items()
                if key != OTHER
            }
            for lang in LANGUAGES
        }
        self._situation_gates = {
            lang: {
                key: KeywordGate((value.get("keywords") or {}).get(lang, []))
                for key, value in situations.items()
                if key != OTHER
            }
            for lang in LANGUAGES
        }
        risks = spec.get("risks") or {}
        self._risk_gates = {
            key: KeywordGate(
                [k for lang in LANGUAGES for k in (value.get("keywords") or {}).get(lang, [])]
            )
            for key, value in risks.items()
        }
        self._situation_index = {
            lang: KeywordIndex(gates) for lang, gates in self._situation_gates.items()
        }
        self._risk_index = KeywordIndex(self._risk_gates)
        self._risk_res: dict[str, re.Pattern[str] | None] = {
            key: compile_keywords(
                [k for lang in LANGUAGES for k in (value.get("keywords") or {}).get(lang, [])]
            )
            for key, value in risks.items()
        }
        # Per language and situation: (negator words, words that may stand between) or absent.
        self._negation: dict[str, dict[str, tuple[frozenset[str], frozenset[str]]]] = {
            lang: {
                key: (
                    frozenset(fold(str(w)) for w in value["negators"].get(lang, [])),
                    frozenset(
                        fold(str(w)) for w in (value.get("negation_gap") or {}).get(lang, [])
                    ),
                )
                for key, value in situations.items()
                if (value.get("negators") or {}).get(lang)
            }
            for lang in LANGUAGES
        }
        # Per language and situation: the phrases inside which its keywords do not count
        # ("thanks in advance" is no praise).
        self._exceptions: dict[str, dict[str, re.Pattern[str]]] = {
            lang: {
                key: regex
                for key, value in situations.items()
                if (regex := compile_keywords((value.get("except") or {}).get(lang, [])))
            }
            for lang in LANGUAGES
        }
        self._weights = {key: float(value.get("weight", 1.0)) for key, value in situations.items()}
        # A fallback situation (e.g. a bare question) wins only when no other situation matched:
        # "how can I change my delivery address?" is about delivery, not a request for information.
        self._fallback = {key for key, value in situations.items() if value.get("fallback")}
        self._rank = {key: i for i, key in enumerate(TIE_BREAK)}

    @classmethod
    def load(cls, path: Path | None = None) -> Taxonomy:
        """Read a taxonomy YAML file (default data/taxonomy.yaml)."""
        path = Path(path) if path else TAXONOMY_FILE
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    def classify(self, text: str, language: str = "und") -> SituationResult:
        """Score each situation by its distinct keyword hits (a phrase of n words counts n)."""
        folded = fold(text)
        return self._classify(folded, TextWords(folded), language)

    def classify_and_risks(
        self, text: str, language: str = "und"
    ) -> tuple[SituationResult, list[str]]:
        """classify(text, language) and risks(text), the text folded once."""
        folded = fold(text)
        starts = TextWords(folded)
        return self._classify(folded, starts, language), self._risks(folded, starts)

    def _classify(self, folded: str, starts: TextWords, language: str) -> SituationResult:
        languages = [language] if language in LANGUAGES else list(LANGUAGES)
        scores: dict[str, float] = {}
        for lang in languages:
            open_ = self._situation_index[lang].candidates(starts)
            for key, regex in self._situation_res[lang].items():
                if regex is None or key not in open_:
                    continue
                negation = self._negation[lang].get(key)
                exception = self._exceptions[lang].get(key)
                spans = [m.span() for m in exception.finditer(folded)] if exception else []
                hits = {
                    m.group()
                    for m in regex.finditer(folded)
                    if (negation is None or not negated(folded, m.start(), *negation))
                    and not any(a <= m.start() and m.end() <= b for a, b in spans)
                }
                if hits:
                    score = self._weights[key] * sum(len(h.split()) for h in hits)
                    scores[key] = max(scores.get(key, 0.0), score)
        if not scores:
            return SituationResult(OTHER, 0.0, OTHER, {})
        topical = any(k not in self._fallback for k in scores)
        ranked = sorted(
            scores,
            key=lambda k: (
                topical and k in self._fallback,
                -scores[k],
                self._rank.get(k, len(self._rank)),
            ),
        )
        top = scores[ranked[0]]
        evidence = sum(v for k, v in scores.items() if not (topical and k in self._fallback))
        # Share of all evidence, damped when the evidence is thin (one word is a weak signal).
        confidence = top / (evidence + 0.5)
        runner_up = ranked[1] if len(ranked) > 1 else OTHER
        return SituationResult(ranked[0], round(confidence, 3), runner_up, scores)

    def risks(self, text: str) -> list[str]:
        """Risk flags raised by the text, in the taxonomy's order."""
        folded = fold(text)
        return self._risks(folded, TextWords(folded))

    def _risks(self, folded: str, starts: TextWords) -> list[str]:
        open_ = self._risk_index.candidates(starts)
        return [
            key
            for key, regex in self._risk_res.items()
            if regex is not None and key in open_ and regex.search(folded)
        ]
