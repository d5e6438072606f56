"""Would a small learned layer over the outcome rules' cues beat the rules? Cross-validated on the
dev split of data/eval/conversations only (the test split is never read here).

.venv/bin/python bench/outcome_learned_cv.py [--data /work/shared/data] [--seeds 10]

For each dev thread the features are what the rules compute (start, unhappy at the start, need,
end, the last advisor move before the end, tones of the first and last customer turns and their
change, threat and outburst cues after the reply, customer turns after it, channel, delicate
situations, with or without the rules' own arc), in two settings: with the full cue lists (which
were written reading dev: optimistic) and with each thread's one-thread cues held out
(`casebook.conversation_eval.one_thread_cues`: the honest setting). Logistic regressions and
small trees are scored by stratified 5-fold cross-validation repeated over seeds, beside the
rules on the same setting: recovery precision and recall, escalation precision and recall, arc
accuracy (means over seeds). The figures are in docs/conversation-outcome-card.md.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_predict  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

from casebook.conversation_eval import (  # noqa: E402
    _pseudonym,
    evaluation_setup,
    one_thread_cues,
    thread_turns,
)
from curation import outcome as rules  # noqa: E402
from curation.arcs import AGENT, CUSTOMER  # noqa: E402
from curation.cues import ANGRIER, THREAT  # noqa: E402
from curation.roles import thread_roles  # noqa: E402


def features(turns: list[Any], channel: str, stats: Any, muted: frozenset[str]) -> tuple[str, dict]:
    """The rules' arc and the cues they computed on the way, as named numbers."""
    turns = sorted(turns, key=lambda t: (t.created_at, t.comment_id))
    roles = thread_roles(turns, stats)
    out = rules.conversation_outcome(turns, channel=channel, roles=roles, muted=muted)
    f: dict[str, float] = {"rule_" + out.arc: 1.0, "chan_" + channel: 1.0}
    if out.kind != "service":
        return out.arc, {**f, "not_service": 1.0}
    token = rules._MUTED.set(muted)
    try:
        raiser = [i for i, r in enumerate(roles.roles) if r == CUSTOMER]
        replies = [i for i, r in enumerate(roles.roles) if r == AGENT and i > raiser[0]]
        first = turns[raiser[0]]
        f |= {"start_" + out.start: 1.0, "end_" + out.end: 1.0, "need_" + out.need: 1.0}
        f["unhappy"] = float(rules._unhappy(first, out.start))
        f["first_tone"] = first.sentiment_score
        f["routine_threat"] = float(out.routine_threat)
        f |= {"delicate_" + d: 1.0 for d in out.delicate}
        after = [i for i in raiser if replies and i > replies[0]]
        f["customer_turns_after"] = min(len(after), 3) / 3
        if after:
            before = [a for a in replies if a < after[-1]]
            if before:
                f["move_" + rules._agent_move(turns[before[-1]])[0]] = 1.0
            last = turns[after[-1]]
            f["last_tone"] = last.sentiment_score
            f["tone_change"] = last.sentiment_score - first.sentiment_score
            f["threat_after"] = float(any(rules._find(THREAT, turns[i].text) for i in after))
            f["outburst_after"] = float(any(rules._find(ANGRIER, turns[i].text) for i in after))
    finally:
        rules._MUTED.reset(token)
    return out.arc, f


def scores(gold: np.ndarray, said: np.ndarray) -> list[float]:
    out = []
    for arc in ("recovery", "escalation"):
        hit = int(((said == arc) & (gold == arc)).sum())
        out += [hit / max(1, int((said == arc).sum())), hit / max(1, int((gold == arc).sum()))]
    return out + [float((said == gold).mean())]


MODELS = {
    "logistic C=1": lambda: LogisticRegression(C=1.0, max_iter=3000),
    "logistic C=1 balanced": lambda: LogisticRegression(
        C=1.0, class_weight="balanced", max_iter=3000
    ),
    "logistic C=0.3 balanced": lambda: LogisticRegression(
        C=0.3, class_weight="balanced", max_iter=3000
    ),
    "tree depth 4": lambda: DecisionTreeClassifier(max_depth=4, min_samples_leaf=3, random_state=0),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    conv, analyse, stats = evaluation_setup(args.data)
    records = conv.load_threads("dev", args.data)
    hashed = {_pseudonym(k): v for k, v in stats.items()}
    held_out = one_thread_cues(records, analyse, stats)
    analyses = iter(analyse([str(t["text"]) for r in records for t in r["turns"]]))
    threads = [(r, *thread_turns(r, analyses)) for r in records]
    gold = np.array([r["labels"]["arc"] for r in records])
    print(f"{'setting / model':<52} recP   recR   escP   escR   arc acc")
    for setting in ("full cue lists", "one-thread cues held out"):
        rows = [
            features(
                turns, channel, hashed, held_out[r["key"]] if "held" in setting else frozenset()
            )
            for r, turns, channel in threads
        ]
        said = np.array([arc for arc, _ in rows])
        print(f"{setting + ': rules':<52}", "  ".join(f"{x:.3f}" for x in scores(gold, said)))
        for with_arc in (True, False):
            x = DictVectorizer(sparse=False).fit_transform(
                [
                    {k: v for k, v in f.items() if with_arc or not k.startswith("rule_")}
                    for _, f in rows
                ]
            )
            for name, make in MODELS.items():
                runs = [
                    scores(
                        gold,
                        cross_val_predict(
                            make(), x, gold, cv=StratifiedKFold(5, shuffle=True, random_state=s)
                        ),
                    )
                    for s in range(args.seeds)
                ]
                label = f"  {name}" + (" + rules' arc" if with_arc else "")
                print(
                    f"{label:<52}", "  ".join(f"{v:.3f}" for v in np.mean(runs, axis=0)), flush=True
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
