"""Train the shipped classifiers (sentiment, emotion, language screen) from ../shared/data and
write them with cards.

python -m nlp.train --data ../shared/data --out data/models [--only sentiment|sentiment_fr|emotion|language]

--only sentiment_fr retrains the French sentiment classifier alone (the English one untouched).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from nlp.emotion_train import train_emotion
from nlp.language_train import train_language
from nlp.sentiment_train import train_sentiment
from nlp.sentiment_train_fr import train_sentiment_fr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("data/models"))
    parser.add_argument("--only", choices=["sentiment", "sentiment_fr", "emotion", "language"])
    parser.add_argument("--quick", action="store_true", help="one sentiment variant only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # the training's progress
    figures = {}
    if args.only in (None, "sentiment"):
        figures["sentiment"] = train_sentiment(args.data, args.out, quick=args.quick)
    if args.only == "sentiment_fr":
        fr = train_sentiment_fr(args.data, args.out, quick=args.quick)
        figures["sentiment_fr"] = {**fr["dev"], "C": fr["C"], "vector_scale": fr["scale"]}
    if args.only in (None, "emotion"):
        figures["emotion"] = train_emotion(args.data, args.out)
    if args.only in (None, "language"):
        figures["language"] = train_language(args.data, args.out)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
