"""Whether two checkouts of the project analyse the same texts the same way: every field of
every CommentAnalysis, on the first --n SemEval English tweets, the UMSAB French tweets (train
split), TweetEval val and a few edge inputs. For changes meant to be faster only.

.venv/bin/python bench/same_results.py --other ../another-checkout [--data ../shared/data] [--n 10000]

Each checkout runs in its own process (its own nlp/ package; the classifiers of data/models of
this checkout's installed package); prints how many results differ and the first few.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

_WORKER = r"""
import pickle, sys
from pathlib import Path
root, data, n, out = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
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
analyzer = Analyzer.load()
results = []
for i in range(0, len(texts), 1000):
    results.extend(analyzer.analyze(texts[i : i + 1000]))
fields = [f for f in type(results[0]).__dataclass_fields__]
# repr: plain strings (floats exactly), read back without importing nlp/
rows = [repr(tuple(getattr(r, f) for f in fields)) for r in results]
with open(out, "wb") as fh:
    pickle.dump((analyzer.version, [repr(t) for t in texts], rows), fh)
"""


def _analyse(root: Path, data: Path, n: int, out: Path) -> tuple[str, list[str], list[str]]:
    subprocess.run(
        [sys.executable, "-c", _WORKER, str(root), str(data), str(n), str(out)], check=True
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
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        other = _analyse(args.other.resolve(), args.data, args.n, Path(tmp) / "other.pkl")
        ours = _analyse(here, args.data, args.n, Path(tmp) / "ours.pkl")
    (v_other, texts, rows_other), (v_ours, _, rows_ours) = other, ours
    differ = [i for i, (a, b) in enumerate(zip(rows_other, rows_ours, strict=True)) if a != b]
    print(f"versions: {args.other} {v_other}, this checkout {v_ours}")
    print(f"{len(texts)} texts, {len(differ)} results differ")
    for i in differ[:5]:
        print(f"  {texts[i][:80]}\n    other: {rows_other[i]}\n    this:  {rows_ours[i]}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
