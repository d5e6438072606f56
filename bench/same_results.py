"""Whether two checkouts of the project analyse the same texts the same way: every field of
every CommentAnalysis, on the first --n SemEval English tweets, the UMSAB French tweets (train
split), TweetEval val and a few edge inputs. For changes meant to be faster only; with
`--except-language fr`, for changes meant to leave all but French comments alone (results of
comments analysed as French in either checkout are counted apart). Also compares the English
sentiment classifier's probabilities (full precision) on every text read as English.

.venv/bin/python bench/same_results.py --other ../another-checkout [--data ../shared/data] [--n 10000]
    [--own-models] [--except-language fr]

Each checkout runs in its own process (its own nlp/ package; the classifiers of data/models of
this checkout's installed package, or with `--own-models` each checkout's own data/models);
prints how many results differ and the first few.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

_WORKER = r"""
import pickle, sys
from pathlib import Path
root, data, n, out, own = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
sys.path.insert(0, root)
import nlp
assert nlp.__file__.startswith(root), nlp.__file__
from nlp import Analyzer
from nlp.datasets import read_lines, read_semeval, read_tweeteval_val
texts = []
for path in sorted((data / "sentiment_en" / "semeval").glob("*.tsv")):
    texts.extend(t for t, _ in read_semeval(path))
    if len(texts) >= n:
        break
texts = texts[:n]
french = read_lines(data / "sentiment_fr" / "umsab_tweets" / "train_text.txt")
texts += [t.strip() for t in french if t.strip()]
texts += list(read_tweeteval_val(data)[0])
texts += ["", "   ", "not good at all :(", "Je ne suis pas content 😡", None, 42]
analyzer = Analyzer.load(Path(root) / "data" / "models" if own == "1" else None)
results = []
for i in range(0, len(texts), 1000):
    results.extend(analyzer.analyze(texts[i : i + 1000]))
fields = [f for f in type(results[0]).__dataclass_fields__]
# repr: plain strings (floats exactly), read back without importing nlp/
rows = [repr(tuple(getattr(r, f) for f in fields)) for r in results]
languages = [r.language for r in results]
from nlp.features import prepare_for_classifier
from nlp.normalize import normalize_text
strings = [t for t in texts if isinstance(t, str) and t.strip()]
english = analyzer.sentiment.probabilities(
    [prepare_for_classifier(normalize_text(t)) for t in strings], ["en"] * len(strings)
)
english = [repr(row) for row in english.tolist()]
with open(out, "wb") as fh:
    pickle.dump((analyzer.version, [repr(t) for t in texts], rows, languages, english), fh)
"""


def _analyse(root: Path, data: Path, n: int, out: Path, own: bool) -> tuple[Any, ...]:
    subprocess.run(
        [sys.executable, "-c", _WORKER, str(root), str(data), str(n), str(out), str(int(own))],
        check=True,
    )
    with out.open("rb") as fh:
        return pickle.load(fh)  # noqa: S301 - a file this script just wrote


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--other", type=Path, required=True, help="the other checkout")
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument(
        "--own-models",
        action="store_true",
        help="each checkout analyses with the classifiers of its own data/models",
    )
    parser.add_argument(
        "--except-language",
        default=None,
        help="count apart the results of texts either checkout analyses as this language",
    )
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        other = _analyse(
            args.other.resolve(), args.data, args.n, Path(tmp) / "other.pkl", args.own_models
        )
        ours = _analyse(here, args.data, args.n, Path(tmp) / "ours.pkl", args.own_models)
    (v_other, texts, rows_other, lang_other, en_other) = other
    (v_ours, _, rows_ours, lang_ours, en_ours) = ours
    apart = {
        i
        for i, (a, b) in enumerate(zip(lang_other, lang_ours, strict=True))
        if args.except_language in (a, b)
    }
    differ = [
        i
        for i, (a, b) in enumerate(zip(rows_other, rows_ours, strict=True))
        if a != b and i not in apart
    ]
    print(f"versions: {args.other} {v_other}, this checkout {v_ours}")
    if args.except_language:
        changed = sum(rows_other[i] != rows_ours[i] for i in apart)
        print(
            f"{len(apart)} texts analysed as {args.except_language!r} set apart "
            f"({changed} of them differ)"
        )
    print(f"{len(texts) - len(apart)} texts, {len(differ)} results differ")
    for i in differ[:5]:
        print(f"  {texts[i][:80]}\n    other: {rows_other[i]}\n    this:  {rows_ours[i]}")
    en_differ = sum(a != b for a, b in zip(en_other, en_ours, strict=True))
    print(
        f"English sentiment classifier on all {len(en_ours)} non-empty texts: "
        f"{en_differ} probability rows differ (full precision)"
    )
    return 1 if differ or en_differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
