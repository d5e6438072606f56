"""Redaction's speed per stage, by CPU time, on the first --n SemEval English tweets and the
UMSAB French tweets (train split); with --other PATH, the same in another checkout, the two run
in turns (each in its own process, its own nlp/ package), best of --repeat rounds each.

.venv/bin/python bench/redact.py [--data ../shared/data] [--n 10000] [--repeat 3] [--other PATH]

Stages (CPU seconds per 10,000 texts; the last column comments/s): the structured rules (e-mails,
phones, cards, IBANs, accounts, addresses), @handles, the name rules, the whole English
redaction (find_pii_batch, language given), the French rules alone and with the French NER.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

_WORKER = r"""
import json, sys, time
from pathlib import Path
root, data, n, repeat = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, root)
import nlp
assert nlp.__file__.startswith(root), nlp.__file__
from nlp.datasets import read_lines, read_semeval
from nlp.handles import find_handles
from nlp.names import find_person_names
from nlp.redact import find_pii_batch, structured_candidates, warm_up
texts = []
for path in sorted((data / "sentiment_en" / "semeval").glob("*.tsv")):
    texts.extend(t for t, _ in read_semeval(path))
    if len(texts) >= n:
        break
texts = texts[:n]
french = [t.strip() for t in read_lines(data / "sentiment_fr" / "umsab_tweets" / "train_text.txt")]
french = [t for t in french if t]
warm_up()
find_pii_batch(french[:50], ["fr"] * 50)
stages = {
    "EN structured rules": (texts, lambda: [structured_candidates(t) for t in texts]),
    "EN handles": (texts, lambda: [find_handles(t) for t in texts]),
    "EN name rules": (texts, lambda: [find_person_names(t) for t in texts]),
    "EN redact (find_pii_batch)": (texts, lambda: find_pii_batch(texts, ["en"] * len(texts))),
    "FR name rules": (french, lambda: [find_person_names(t) for t in french]),
    "FR redact, rules only": (french, lambda: find_pii_batch(french, ["fr"] * len(french), ner=False)),
    "FR redact, rules + NER": (french, lambda: find_pii_batch(french, ["fr"] * len(french))),
}
out = {}
for name, (batch, fn) in stages.items():
    best = None
    for _ in range(repeat):
        start = time.process_time()
        fn()
        cpu = time.process_time() - start
        best = cpu if best is None else min(best, cpu)
    out[name] = (len(batch), best)
print(json.dumps(out))
"""


def _run(root: Path, data: Path, n: int, repeat: int) -> dict[str, list[float]]:
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(root), str(data), str(n), str(repeat)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--other", type=Path, help="another checkout, run in turns with this one")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    roots = [("this", here)] + ([("other", args.other.resolve())] if args.other else [])
    results: dict[str, dict[str, list[float]]] = {}
    for label, root in roots[::-1] if args.other else roots:
        results[label] = _run(root, args.data.resolve(), args.n, args.repeat)
    print(f"load average before/after: {os.getloadavg()[0]:.2f}")
    header = "".join(f"{label:>26}" for label, _ in roots)
    print(f"{'stage (CPU s per 10k, comments/s)':<34}{header}")
    for stage in results["this"]:
        cells = ""
        for label, _ in roots:
            n, cpu = results[label][stage]
            cells += f"{cpu * 10_000 / n:>12.3f} s {n / cpu:>9,.0f}/s"
        print(f"{stage:<34}{cells}")


if __name__ == "__main__":
    main()
