"""Names of persons in REAL comments, annotated by hand: how well redaction finds them on text
that nobody wrote for it.

The texts are not here: `pii_real_names.tsv` holds, per comment, its source, its id in that
source, its language, the first 12 hex digits of the SHA-256 of its text (to notice a changed
data set) and the [start, end) character offsets of each person's name; `load_real_cases` reads
the texts from the shared data folder (../shared/data) at evaluation time.

500 comments, drawn once with random.Random(13) (the drawing is `select_comments` below):
- 200 TWCS tweets (customers and brands' care accounts; no filter);
- 100 SemEval 2016 English tweets, 100 UMSAB French tweets, 50 Allociné reviews (at most 450
  characters) and 50 GoEmotions dev Reddit comments, each among those with a capitalised word
  after a lower-case word or a comma (where a name may be; the filter knows nothing of the rules).

What counts as a person's name (annotation guide): the name of a person, private or public, real
or fictional (a film's character): first name, surname or both, a nickname or stage name used as a
name (Ice Cube, Rousey), initials or a name signing a brand's reply ("^JK", "-Becky",
"*ChrisBradstreet"), lower-case too ("mike Ziemer"). A title (Mr, Madame, Dr., Moulana) is not part
of the span; a possessive 's is not either. Not names: @handles and #hashtags (they are handles),
account ids, brands, bands, titles of works (Naruto the series, "Bob's Burgers"), eponyms and
idioms ("la méthode Piggot", "Full Ginsburg"), gods and mythical figures (God, Allah, Jesus,
Méphistophélès), GoEmotions' [NAME] masks.

The split is fixed by a hash of "source:id" (`split_of`), half development, half test, made before
any error was looked at: rules are changed by looking at the development half only; the test half
is scored, never read for errors.

Caveat: nlp/names.py's rules were first written while reading TWCS brand replies (before this set
existed), so the TWCS part of both halves is not fully unseen; the figures are given per source.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ANNOTATIONS = Path(__file__).with_name("pii_real_names.tsv")
SOURCES = ("twcs", "semeval", "umsab", "allocine", "goemotions")
SELECTION_SEED = 13


@dataclass(frozen=True, slots=True)
class RealCase:
    """One annotated real comment: its text (read from the shared data) and its names."""

    source: str
    id: str
    language: str
    split: str  # "dev" or "test"
    text: str
    names: tuple[tuple[int, int], ...]


def split_of(source: str, comment_id: str) -> str:
    """'dev' or 'test', from a hash of the comment's source and id (never from its content)."""
    digest = hashlib.sha256(f"{source}:{comment_id}".encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# ------------------------------------------------------------------ reading the shared data


def _twcs(data_dir: Path) -> dict[str, str]:
    path = data_dir / "channels" / "twcs" / "twcs_part1.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["tweet_id"]: row["text"] for row in csv.DictReader(fh)}


def _semeval(data_dir: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    path = data_dir / "sentiment_en" / "semeval" / "twitter-2016test-A.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0] not in out:
            out[parts[0]] = parts[2]
    return out


def _umsab(data_dir: Path) -> dict[str, str]:
    out = {}
    for split in ("train", "val"):
        path = data_dir / "sentiment_fr" / "umsab_tweets" / f"{split}_text.txt"
        for i, text in enumerate(path.read_text(encoding="utf-8").splitlines()):
            out[f"{split}:{i}"] = text
    return out


def _allocine(data_dir: Path) -> dict[str, str]:
    path = data_dir / "sentiment_fr" / "allocine" / "train.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {str(i): row["text"] for i, row in enumerate(csv.DictReader(fh))}


def _goemotions(data_dir: Path) -> dict[str, str]:
    out = {}
    path = data_dir / "emotion" / "goemotions" / "dev.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        out[parts[2]] = parts[0]
    return out


_READERS = {
    "twcs": _twcs,
    "semeval": _semeval,
    "umsab": _umsab,
    "allocine": _allocine,
    "goemotions": _goemotions,
}


def read_source(data_dir: Path, source: str) -> dict[str, str]:
    """id -> text of one shared data set."""
    return _READERS[source](Path(data_dir))


# A capitalised word after a lower-case word or a comma: where a name may stand.
_MID_CAPITAL_RE = re.compile(r"(?<=[a-zà-ÿ,]) [A-ZÀ-Ö][a-zà-ÿ]{2,}")


def select_comments(data_dir: Path) -> list[tuple[str, str, str]]:
    """The drawing that made this set: [(source, id, text)] (kept to say how it was drawn)."""
    rng = random.Random(SELECTION_SEED)
    chosen = rng.sample(list(_with_source(data_dir, "twcs")), 200)

    def pick(source: str, n: int, max_chars: int = 400) -> list[tuple[str, str, str]]:
        rows = [
            r
            for r in _with_source(data_dir, source)
            if _MID_CAPITAL_RE.search(r[2]) and len(r[2]) <= max_chars
        ]
        return rng.sample(rows, n)

    chosen += pick("semeval", 100)
    chosen += pick("umsab", 100)
    chosen += pick("allocine", 50, 450)
    chosen += pick("goemotions", 50)
    return chosen


def _with_source(data_dir: Path, source: str) -> Iterable[tuple[str, str, str]]:
    return ((source, i, t) for i, t in read_source(data_dir, source).items())


# ------------------------------------------------------------------ the annotated set


def read_annotations(path: Path = ANNOTATIONS) -> list[tuple[str, str, str, str, tuple]]:
    """[(source, id, language, text digest, ((start, end), ...))] as stored."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        source, comment_id, language, digest, spans = line.split("\t")
        names = tuple((int(a), int(b)) for a, b in (s.split("-") for s in spans.split(",") if s))
        rows.append((source, comment_id, language, digest, names))
    return rows


def load_real_cases(
    data_dir: Path, split: str | None = None, path: Path = ANNOTATIONS
) -> list[RealCase]:
    """The annotated comments with their texts read from `data_dir` (one split, or both).
    Raises FileNotFoundError when a data set is missing, ValueError when a text changed."""
    texts: dict[str, dict[str, str]] = {}
    cases = []
    for source, comment_id, language, digest, names in read_annotations(path):
        which = split_of(source, comment_id)
        if split is not None and which != split:
            continue
        if source not in texts:
            texts[source] = read_source(data_dir, source)
        text = texts[source].get(comment_id)
        if text is None or text_digest(text) != digest:
            raise ValueError(f"{source}:{comment_id} is missing or changed in {data_dir}")
        cases.append(RealCase(source, comment_id, language, which, text, names))
    return cases


# ------------------------------------------------------------------ scoring


@dataclass(frozen=True, slots=True)
class NameScores:
    """Names of persons found by redaction on annotated comments.

    recall: share of annotated names entirely inside a [PERSON] span; covered: inside any
    placeholder (a name redacted as something else does not leak); precision: share of
    [PERSON] spans that overlap an annotated name."""

    comments: int
    names: int
    found: int
    covered: int
    predicted: int
    correct: int

    @property
    def recall(self) -> float:
        return self.found / self.names if self.names else 1.0

    @property
    def covered_recall(self) -> float:
        return self.covered / self.names if self.names else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


def score_names(
    cases: Sequence[RealCase], predicted: Sequence[Sequence[tuple[str, int, int]]]
) -> NameScores:
    """Scores of `predicted` ((type, start, end) spans per case) against the annotated names."""
    names = found = covered = n_pred = correct = 0
    for case, spans in zip(cases, predicted, strict=True):
        persons = [(s, e) for t, s, e in spans if t == "PERSON"]
        for a, b in case.names:
            names += 1
            found += any(s <= a and b <= e for s, e in persons)
            covered += all(any(s <= i < e for _, s, e in spans) for i in range(a, b))
        for s, e in persons:
            n_pred += 1
            correct += any(s < b and a < e for a, b in case.names)
    return NameScores(len(cases), names, found, covered, n_pred, correct)


def redact_cases(cases: Sequence[RealCase]) -> list[list[tuple[str, int, int]]]:
    """The spans redaction finds in each case, as the analyser finds them (its language
    detection, then find_pii_batch)."""
    # Here, not above: importing nlp loads spaCy's word lists.
    from nlp.language import detect_languages
    from nlp.normalize import normalize_text
    from nlp.redact import find_pii_batch

    texts = [c.text for c in cases]
    languages = [lang for lang, _ in detect_languages([normalize_text(t) for t in texts])]
    found = find_pii_batch(texts, languages)
    return [[(s.type, s.start, s.end) for s in spans] for spans in found]


def real_name_scores(data_dir: Path) -> dict[str, dict[str, NameScores]]:
    """{split: {"all" | source: scores}} on the annotated real comments."""
    cases = load_real_cases(data_dir)
    predicted = redact_cases(cases)
    out: dict[str, dict[str, NameScores]] = {}
    for split in ("dev", "test"):
        out[split] = {}
        for source in ("all", *SOURCES):
            idx = [
                i
                for i, c in enumerate(cases)
                if c.split == split and (source == "all" or c.source == source)
            ]
            out[split][source] = score_names([cases[i] for i in idx], [predicted[i] for i in idx])
    return out


def main(argv: list[str] | None = None) -> int:
    """Print name recall and precision, development beside test, per source."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument(
        "--errors", action="store_true", help="list the DEVELOPMENT half's misses and false alarms"
    )
    args = parser.parse_args(argv)
    scores = real_name_scores(args.data)
    print(f"{'source':<11} {'split':<5} {'comments':>8} {'names':>6} {'recall':>7} "
          f"{'covered':>8} {'precision':>9} {'[PERSON]':>8}")  # fmt: skip
    for source in ("all", *SOURCES):
        for split in ("dev", "test"):
            s = scores[split][source]
            print(
                f"{source:<11} {split:<5} {s.comments:>8} {s.names:>6} {s.recall:>7.3f} "
                f"{s.covered_recall:>8.3f} {s.precision:>9.3f} {s.predicted:>8}"
            )
    if args.errors:
        cases = load_real_cases(args.data, "dev")
        for case, spans in zip(cases, redact_cases(cases), strict=True):
            persons = [(s, e) for t, s, e in spans if t == "PERSON"]
            missed = [
                case.text[a:b]
                for a, b in case.names
                if not any(s <= a and b <= e for s, e in persons)
            ]
            wrong = [
                case.text[s:e]
                for s, e in persons
                if not any(s < b and a < e for a, b in case.names)
            ]
            if missed or wrong:
                print(f"\n{case.source}:{case.id} missed={missed} wrong={wrong}")
                print("   ", case.text.replace("\n", " / ")[:300])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
