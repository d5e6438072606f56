"""Figures of the conversation outcome on the annotated threads (data/eval/conversations).

`casebook evaluate conversations` prints them for the dev split (what the rules were written on)
and the test split (never looked at while designing), side by side, the real threads apart from
the threads written for the evaluation: recovery precision and
recall, escalation precision, notable precision at 10, role accuracy, and the accuracy of kind,
start, need, end and arc. Each thread runs through the product's own path: every turn is analysed
by nlp.Analyzer (as `casebook enrich` does), then curation.case_drafts.curate_thread (roles,
outcome, notability) scores it, with the authors' statistics computed over the whole source (as
the store computes them over every thread it holds).

A checkout tool: the annotated set and the shared data are not installed with the package.
"""

from __future__ import annotations

import hashlib
import importlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from curation.arcs import AGENT, CUSTOMER, Turn
from curation.case_drafts import CaseDraft, curate_thread
from curation.feedback import NOT_A_CASE, WRONG_ARC, CoachRules, Verdict, learn_rules
from curation.outcome import recording_cues
from curation.queue_mix import mixed_order
from curation.roles import AuthorStats
from sources.parsing import is_speaker_label

TARGETS = {
    "recovery_precision": 0.7,
    "recovery_recall": 0.7,
    "escalation_precision": 0.6,
    "notable_precision_at_10": 0.8,
}
CHANNELS = {"twcs": "twitter", "cfpb": "complaint"}
NOW = datetime(2030, 1, 1, tzinfo=UTC)  # recency plays no part in the figures
WRITTEN = "written:"  # keys of the threads written for the evaluation (reported apart)


@dataclass
class Prediction:
    """One thread's gold labels and what curation said."""

    key: str
    split: str
    labels: dict[str, Any]
    draft: CaseDraft | None
    turn_ids: list[str]
    channel_roles: list[str]
    predicted_roles: list[str] = field(default_factory=list)


def eval_module() -> Any:
    """The annotated set's loader (data/eval/conversations), which exists in a checkout only."""
    try:
        return importlib.import_module("casebook_data.eval.conversations")
    except ModuleNotFoundError as exc:
        raise FileNotFoundError(
            "data/eval/conversations is missing: the annotated set is in a checkout only"
        ) from exc


def thread_source(key: str) -> str:
    """The source a labelled thread comes from, as a store would hold it apart: "twcs", "cfpb",
    "fr" for the real threads; each writer's set for the written ones ("written:test:g"), whose
    accounts and brands are that writer's own."""
    written = eval_module().written_key(key)
    return f"{WRITTEN}{written[0]}:{written[1]}" if written else key.split(":")[0]


def account(author: str, key: str) -> str:
    """Who an author is across threads, as the store keys them (store.ingest.comment_rows): an
    account of the thread's source (the same handle in two sources is two authors); a role
    label ("Caller", "Client") is one person a thread."""
    who = f"{author}\x1f{key}" if is_speaker_label(author) else author
    return f"{thread_source(key)}\x1e{who}"


def author_stats(
    threads: Iterable[tuple[str, Sequence[Mapping[str, Any]]]],
) -> dict[str, AuthorStats]:
    """Each author's threads, threads opened and comments marked as the brand's, over `threads`
    ((key, turns) pairs)."""
    seen: dict[str, set[int]] = defaultdict(set)
    opened: Counter[str] = Counter()
    marked: Counter[str] = Counter()
    for n, (key, turns) in enumerate(threads):
        for i, turn in enumerate(turns):
            author = account(str(turn["author"]), key)
            seen[author].add(n)
            if i == 0:
                opened[author] += 1
            if turn["role"] != "customer":
                marked[author] += 1
    return {
        a: AuthorStats(threads=len(ns), opened=opened[a], marked_agent=marked[a])
        for a, ns in seen.items()
    }


def _time(value: str | None, n: int) -> datetime:
    if value:
        try:
            at = datetime.fromisoformat(value)
            return at if at.tzinfo else at.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime(2020, 1, 1, tzinfo=UTC).replace(microsecond=n)


def _pseudonym(author: str) -> str:
    # The store keys authors by a pseudonym; the rules only compare them.
    return hashlib.sha1(author.encode()).hexdigest()[:16]


def thread_turns(record: Mapping[str, Any], analyses: Iterator[Any]) -> tuple[list[Turn], str]:
    """A labelled thread's turns as curation reads them (text redacted, authors pseudonymised),
    taking one analysis per turn from `analyses`, and its channel."""
    turns: list[Turn] = []
    source = record["source"]
    for n, raw in enumerate(record["turns"]):
        a = next(analyses)
        text = str(raw["text"])
        turns.append(
            Turn(
                comment_id=n + 1,
                role=CUSTOMER if raw["role"] == "customer" else AGENT,
                created_at=_time(raw.get("created_at"), n),
                text=a.redacted_text,
                language=a.language,
                sentiment=a.sentiment,
                sentiment_score=a.sentiment_score,
                emotion=a.emotion,
                intensity=a.intensity,
                situation=a.situation,
                risks=tuple(a.risks),
                pii_terms=tuple(
                    (text[s.start : s.end], s.type.upper())
                    for s in a.pii
                    if 0 <= s.start < s.end <= len(text)
                ),
                author=_pseudonym(account(str(raw["author"]), record["key"])),
            )
        )
    channel = str(record["turns"][0].get("channel") or CHANNELS.get(source, source))
    return turns, channel


def predict(
    records: Sequence[Mapping[str, Any]],
    analyse: Callable[[list[str]], list[Any]],
    stats: Mapping[str, AuthorStats],
    rules: CoachRules | None = None,
    *,
    muted_of: Mapping[str, frozenset[str]] | None = None,
    cues_seen: dict[str, set[str]] | None = None,
    reader: Any = None,
) -> list[Prediction]:
    """Run each labelled thread through analysis and curation (with coaches' `rules` if given).

    `muted_of`: cue words to mute per thread key (`held_out_cue_figures`); `cues_seen`: filled
    with the cue words the outcome's rules matched in each thread."""
    texts = [str(t["text"]) for r in records for t in r["turns"]]
    analyses = iter(analyse(texts))
    hashed = {_pseudonym(k): v for k, v in stats.items()}
    out = []
    for record in records:
        turns, channel = thread_turns(record, analyses)
        key = record["key"]
        rules_here = rules
        if muted_of is not None and muted_of.get(key):
            rules_here = CoachRules(muted_cues=muted_of[key])
        with recording_cues() as seen:
            draft = curate_thread(
                turns,
                channel,
                {},
                {},
                NOW,
                None,
                None,
                hashed,
                rules_here,
                key,
                reader.says if reader is not None else None,
            )
        if cues_seen is not None:
            cues_seen[key] = seen
        out.append(
            Prediction(
                key=record["key"],
                split=record["split"],
                labels=dict(record["labels"]),
                draft=draft,
                turn_ids=[str(t["id"]) for t in record["turns"]],
                channel_roles=[
                    CUSTOMER if t["role"] == "customer" else AGENT for t in record["turns"]
                ],
                predicted_roles=list(draft.roles) if draft else [],
            )
        )
    return out


def _same_turn(said: str, gold: str) -> bool:
    # The annotated set names a generated thread's turns with or without the thread key's prefix.
    return said == gold or gold.endswith(":" + said) or said.endswith(":" + gold)


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def queue_order(predictions: Sequence[Prediction]) -> list[Prediction]:
    """The threads as the coach's queue shows them: by score, then mixed so that one arc does not
    fill the top (`curation.queue_mix`, as `store.queue` does); threads without a draft last."""
    ranked = sorted(predictions, key=lambda p: (-(p.draft.score if p.draft else -1.0), p.key))
    return mixed_order(
        ranked,
        lambda p: p.draft.score if p.draft else -1.0,
        lambda p: p.draft.arc if p.draft else "none",
    )


def figures(predictions: Sequence[Prediction]) -> dict[str, Any]:
    """The figures of one split."""
    arcs = [(p.labels.get("arc"), p.draft.arc if p.draft else "none") for p in predictions]
    out: dict[str, Any] = {"threads": len(predictions)}
    for arc in ("recovery", "escalation"):
        said = sum(1 for _, pred in arcs if pred == arc)
        gold = sum(1 for g, _ in arcs if g == arc)
        hit = sum(1 for g, pred in arcs if g == arc and pred == arc)
        out[f"{arc}_precision"] = _ratio(hit, said)
        out[f"{arc}_recall"] = _ratio(hit, gold)
        out[f"{arc}_counts"] = f"{hit} right of {said} said, {gold} labelled"
    top = queue_order(predictions)[:10]
    out["notable_precision_at_10"] = _ratio(
        sum(1 for p in top if p.labels.get("notable")), len(top)
    )
    out["notable_share"] = _ratio(
        sum(1 for p in predictions if p.labels.get("notable")), len(predictions)
    )
    right = total = 0
    fix_said = fix_gold = fix_hit = 0
    for p in predictions:
        if p.draft is None:
            continue
        gold_fix = {str(x) for x in p.labels.get("roles_fix") or ()}
        for tid, channel_role, pred in zip(
            p.turn_ids, p.channel_roles, p.predicted_roles, strict=True
        ):
            said_fix = pred != channel_role
            is_fix = tid in gold_fix
            total += 1
            right += said_fix == is_fix
            fix_said += said_fix
            fix_gold += is_fix
            fix_hit += said_fix and is_fix
    out["role_accuracy"] = _ratio(right, total)
    out["role_fix_precision"] = _ratio(fix_hit, fix_said)
    out["role_fix_recall"] = _ratio(fix_hit, fix_gold)
    for name in ("kind", "start", "need", "end", "arc"):
        pairs = [
            (p.labels.get(name), getattr(p.draft, name) if p.draft else None)
            for p in predictions
            if p.labels.get(name) is not None
        ]
        out[f"{name}_accuracy"] = _ratio(sum(1 for g, s in pairs if g == s), len(pairs))
    pivots = [
        p
        for p in predictions
        if p.labels.get("pivotal") and p.draft and p.draft.arc == p.labels.get("arc")
    ]
    out["pivotal_accuracy"] = _ratio(
        sum(
            1
            for p in pivots
            if p.draft
            and p.draft.pivotal_comment_id is not None
            and p.turn_ids[p.draft.pivotal_comment_id - 1] == str(p.labels["pivotal"])
        ),
        len(pivots),
    )
    return out


def held_out_cue_figures(
    records: Sequence[Mapping[str, Any]],
    analyse: Callable[[list[str]], list[Any]],
    stats: Mapping[str, AuthorStats],
    cues_seen: Mapping[str, set[str]] | None = None,
    fewer_than: int = 2,
    reader: Any = None,
) -> dict[str, Any]:
    """The figures of `records` (the dev split) with every cue word that only one of its threads
    shows muted while that thread is judged: the rules were written reading dev, and a cue seen
    in one thread only may have been written for it. Leaving those out, thread by thread, gives
    an estimate of how the rules do on threads they were not written on (cue words only: the
    rules' structure was written on dev too, so the estimate is still somewhat optimistic).
    `fewer_than=3` is stricter: a thread's cue words seen in fewer than 3 dev threads (the
    thread itself and at most one other) are muted while it is judged.
    `cues_seen`: the cue words per thread from a `predict` of the same records already run."""
    if cues_seen is None:
        cues_seen = {}
        predict(records, analyse, stats, cues_seen=cues_seen, reader=reader)
    muted_of = cues_seen_in_fewer_than(cues_seen, fewer_than)
    out = figures(predict(records, analyse, stats, muted_of=muted_of, reader=reader))
    out["held_out_cues"] = len(set().union(*muted_of.values())) if muted_of else 0
    return out


def one_thread_cues(
    records: Sequence[Mapping[str, Any]],
    analyse: Callable[[list[str]], list[Any]],
    stats: Mapping[str, AuthorStats],
) -> dict[str, frozenset[str]]:
    """Per thread key, the cue words the outcome's rules match in that thread and no other."""
    seen: dict[str, set[str]] = {}
    predict(records, analyse, stats, cues_seen=seen)
    return cues_only_one_thread_shows(seen)


def cues_only_one_thread_shows(seen: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    """Per thread key, those of its cue words (`seen`: per key) that no other thread shows."""
    return cues_seen_in_fewer_than(seen, 2)


def cues_seen_in_fewer_than(seen: Mapping[str, set[str]], n: int) -> dict[str, frozenset[str]]:
    """Per thread key, those of its cue words (`seen`: per key) that fewer than `n` threads show
    (the thread itself among them)."""
    threads_of: dict[str, int] = defaultdict(int)
    for cues in seen.values():
        for cue in cues:
            threads_of[cue] += 1
    return {key: frozenset(c for c in cues if threads_of[c] < n) for key, cues in seen.items()}


COACH_LOOKS_AT = (
    40  # a coach reads this many cases of the queue, plus every recovery and escalation
)
REPLAY_FIGURES = (
    "recovery_precision",
    "recovery_recall",
    "escalation_precision",
    "escalation_recall",
    "notable_precision_at_10",
    "arc_accuracy",
)


def replayed_verdicts(predictions: Sequence[Prediction]) -> list[Verdict]:
    """The verdicts a coach would give on the queue if they agreed with the annotated labels."""
    ranked = queue_order([p for p in predictions if p.draft])
    verdicts = []
    for rank, p in enumerate(ranked):
        d = p.draft
        assert d is not None
        if rank >= COACH_LOOKS_AT and d.arc not in ("recovery", "escalation"):
            continue
        gold_kind, gold_arc = p.labels.get("kind"), p.labels.get("arc")
        if gold_kind == "not_service" and d.kind == "service":
            verdicts.append(Verdict(p.key, NOT_A_CASE, d.arc, d.cue, None, d.raiser))
        elif gold_arc and gold_arc != d.arc:
            verdicts.append(Verdict(p.key, WRONG_ARC, d.arc, d.cue, str(gold_arc), d.raiser))
    return verdicts


def half_of(key: str) -> str:
    """Two halves of the dev split, fixed by the key (not the split's digits)."""
    return "A" if int(hashlib.sha1(key.encode()).hexdigest()[8:16], 16) % 2 == 0 else "B"


def feedback_replay(
    records: Sequence[Mapping[str, Any]],
    analyse: Callable[[list[str]], list[Any]],
    stats: Mapping[str, AuthorStats],
) -> dict[str, Any]:
    """Coaches' verdicts replayed from the labels of half A of `records` (dev threads): figures of
    half B (never corrected) before and after the rules learnt from A, and of A after."""
    half_a = [r for r in records if half_of(r["key"]) == "A"]
    half_b = [r for r in records if half_of(r["key"]) == "B"]
    verdicts = replayed_verdicts(predict(half_a, analyse, stats))
    rules = learn_rules(verdicts)
    before_b = figures(predict(half_b, analyse, stats))
    after_b = figures(predict(half_b, analyse, stats, rules))
    before_a = figures(predict(half_a, analyse, stats))
    after_a = figures(predict(half_a, analyse, stats, rules))
    return {
        "verdicts": len(verdicts),
        "muted_cues": sorted(rules.muted_cues),
        "not_service_accounts": len(rules.not_service_raisers),
        "threads": {"A": len(half_a), "B": len(half_b)},
        "A_before": {k: before_a[k] for k in REPLAY_FIGURES},
        "A_after": {k: after_a[k] for k in REPLAY_FIGURES},
        "B_before": {k: before_b[k] for k in REPLAY_FIGURES},
        "B_after": {k: after_b[k] for k in REPLAY_FIGURES},
    }


def run(
    splits: Sequence[str] = ("dev", "test"),
    shared_data: Path | None = None,
    models_dir: Path | None = None,
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Figures of each split, the real threads (TWCS, CFPB, generated French) apart from the
    written ones (`<split>_written`; `<split>_all`: both together); with dev, its held-out-cue
    estimates on the real threads (`dev_held_out_cues`: cue words of one dev thread muted for
    it; `dev_held_out_cues_3`: of fewer than 3) and the replay of coaches' verdicts."""
    from nlp.turns import TurnReader

    conv, analyse, stats = evaluation_setup(shared_data, models_dir)
    # The shipped turn reader, as curation uses it (None: cue words only).
    reader = TurnReader.load(models_dir)
    results: dict[str, dict[str, Any]] = {}
    replay: dict[str, Any] = {}
    for split in splits:
        records = conv.load_threads(split, shared_data)
        seen: dict[str, set[str]] = {}
        predictions = predict(records, analyse, stats, cues_seen=seen, reader=reader)
        real = [p for p in predictions if not p.key.startswith(WRITTEN)]
        written = [p for p in predictions if p.key.startswith(WRITTEN)]
        results[split] = figures(real)
        if written:
            results[f"{split}_written"] = figures(written)
            results[f"{split}_all"] = figures(predictions)
            by_writer: dict[str, list[Prediction]] = defaultdict(list)
            for p in written:
                by_writer[writer_of(p.key)].append(p)
            if len(by_writer) > 1:
                for writer, part in sorted(by_writer.items()):
                    results[f"{split}_written_{writer}"] = figures(part)
        if split == "dev":
            # The cues just recorded: dev is not curated once more to find them.
            real_records = [r for r in records if not r["key"].startswith(WRITTEN)]
            results["dev_held_out_cues"] = held_out_cue_figures(
                real_records, analyse, stats, seen, reader=reader
            )
            results["dev_held_out_cues_3"] = held_out_cue_figures(
                real_records, analyse, stats, seen, fewer_than=3, reader=reader
            )
            replay = feedback_replay(real_records, analyse, stats)
            written_records = [r for r in records if r["key"].startswith(WRITTEN)]
            if written_records:
                results["dev_written_held_out_cues"] = held_out_cue_figures(
                    written_records, analyse, stats, seen, reader=reader
                )
    return results, replay


def writer_of(key: str) -> str:
    """Which writer wrote a written thread (data/eval/conversations.written_key)."""
    written = eval_module().written_key(key)
    if written is None:
        raise ValueError(f"{key!r} is not a written thread's key")
    return str(written[1])


def evaluation_setup(
    shared_data: Path | None = None, models_dir: Path | None = None
) -> tuple[Any, Callable[[list[str]], list[Any]], dict[str, AuthorStats]]:
    """The annotated set's loader, the analyser (each text analysed once) and the authors'
    statistics over every thread of their source (`thread_source`)."""
    from nlp.analyze import Analyzer

    conv = eval_module()
    analyzer = Analyzer.load(models_dir)
    # Authors are keyed within their source (`account`): counting over every thread at once
    # gives each source's own statistics, and no writer's threads move another's.
    stats = author_stats(conv.all_threads(shared_data).items())
    seen: dict[str, Any] = {}

    def analyse(texts: list[str]) -> list[Any]:
        """The analyser's results, each text analysed once (the replay curates threads again)."""
        new = [t for t in dict.fromkeys(texts) if t not in seen]
        seen.update(zip(new, analyzer.analyze(new), strict=True))
        return [seen[t] for t in texts]

    return conv, analyse, stats
