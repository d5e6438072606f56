"""Writing what connectors read: idempotent upserts of threads, comments and quarantined records.

A record is keyed by (source, external id). Re-reading a record with the same text changes
nothing; a record whose text changed is an edit: the old text goes to `comment_revisions`,
the comment is updated and made pending for analysis again. The same long text posted in
another source or thread within a few days is linked to its earliest copy (`duplicate_of_id`).

It is one module because `write_batch`'s parts (threads, bulk inserts, edits round by round,
cross-post links, the quarantine) are the steps of one transaction over the same rows; the
runs' bookkeeping is in `store.runs`.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from sources.base import Batch, Record, Rejected
from sources.parsing import is_speaker_label
from store.bulk import LOOKUP_CHUNK, among, bulk_insert, chunks, dialect_insert
from store.models import (
    Analysis,
    Comment,
    CommentRevision,
    IngestRun,
    QuarantinedRecord,
    Source,
    Thread,
    utcnow,
)
from store.runs import finish_run as finish_run  # re-exported: callers write batches in runs
from store.runs import start_run as start_run
from store.summaries import subtract_comments
from store.validation import (
    POSITION_CHARS,
    check_record,
    fallback_position,
    raw_text,
    storable,
)

CROSS_POST_WINDOW = timedelta(days=3)  # the same text elsewhere within this is one cross-post
CROSS_POST_MIN_CHARS = 40  # shorter texts ("thanks!") are alike by chance, not copies
ORIGIN_CHARS = QuarantinedRecord.__table__.c.origin.type.length or 64

COMMENTS = Comment.__table__
THREADS = Thread.__table__


class BatchCounts(NamedTuple):
    """What a batch did: new comments, quarantined records, edited comments, cross-posts linked."""

    new: int
    quarantined: int
    edited: int = 0
    linked: int = 0


def pseudonym(key: bytes, source: str, handle: str) -> str:
    """A keyed, stable pseudonym of `handle` on `source` (HMAC-SHA256, 32 hex characters)."""
    return hmac.new(key, f"{source}\x00{handle}".encode(), hashlib.sha256).hexdigest()[:32]


def normalise_text(text: str) -> str:
    """The text compared for edits and cross-posts: NFKC, case-folded, whitespace collapsed."""
    if text.isascii():  # NFKC leaves ASCII as it is, and case-folds it as lower() does
        return " ".join(text.lower().split())
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(text: str) -> str:
    """sha1 of the normalised text (40 hex characters)."""
    return hashlib.sha1(normalise_text(text).encode(), usedforsecurity=False).hexdigest()


def ensure_source(
    session: Session,
    *,
    name: str,
    kind: str,
    channel: str,
    config: dict[str, Any] | None = None,
    schedule: str | None = None,
    enabled: bool | None = None,
) -> Source:
    """The source called `name`, created or updated with this kind, channel, config and schedule."""
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        source = Source(name=name, kind=kind, channel=channel, config=config or {}, cursor={})
        session.add(source)
    else:
        source.kind, source.channel = kind, channel
        if config is not None:
            source.config = config
    if schedule is not None:
        source.schedule = schedule or None
    if enabled is not None:
        source.enabled = enabled
    session.flush()
    return source


def _thread_ids(session: Session, source_id: int, records: Sequence[Record]) -> dict[str, int]:
    """The id of each record's thread, creating the threads not stored yet."""
    first_of: dict[str, Record] = {}
    for record in records:
        if record.thread_id not in first_of:
            first_of[record.thread_id] = record
    keys = list(first_of)
    ids: dict[str, int] = {}
    for chunk in chunks(keys, LOOKUP_CHUNK):
        found = session.execute(
            select(THREADS.c.external_id, THREADS.c.id).where(
                THREADS.c.source_id == source_id,
                among(session, column=THREADS.c.external_id, values=chunk),
            )
        )
        ids.update(found.tuples().all())
    missing = [ext for ext in keys if ext not in ids]
    if missing:
        now = utcnow()
        rows = [
            {
                "source_id": source_id,
                "external_id": ext,
                "channel": first_of[ext].channel,
                "started_at": first_of[ext].created_at,
                "last_comment_at": first_of[ext].created_at,
                "n_comments": 0,
                "changed_at": now,
            }
            for ext in missing
        ]
        bulk_insert(session, table=THREADS, rows=rows)
        for chunk in chunks(missing, LOOKUP_CHUNK):
            found = session.execute(
                select(THREADS.c.external_id, THREADS.c.id).where(
                    THREADS.c.source_id == source_id,
                    among(session, column=THREADS.c.external_id, values=chunk),
                )
            )
            ids.update(found.tuples().all())
    return ids


def refresh_threads(session: Session, *, thread_ids: Iterable[int]) -> None:
    """Recount the comments of these threads and mark them changed for curation.

    One UPDATE ... FROM (SELECT ... GROUP BY) per chunk of threads; a thread left without
    comments keeps its row (the caller decides whether to drop it).
    """
    ids = sorted(set(thread_ids))
    now = utcnow()
    c = COMMENTS.c
    for chunk in chunks(ids, LOOKUP_CHUNK):
        stats = (
            select(
                c.thread_id.label("tid"),
                func.count().label("n"),
                func.min(c.created_at).label("lo"),
                func.max(c.created_at).label("hi"),
            )
            .where(among(session, column=c.thread_id, values=chunk))
            .group_by(c.thread_id)
            .subquery()
        )
        session.execute(
            update(THREADS)
            .where(THREADS.c.id == stats.c.tid)
            .values(
                n_comments=stats.c.n,
                started_at=stats.c.lo,
                last_comment_at=stats.c.hi,
                changed_at=now,
            )
        )


def _apply_edits(
    session: Session,
    source_id: int,
    conflicting: dict[str, tuple[dict[str, Any], bool]],
    now: datetime,
) -> tuple[list[int], set[str]]:
    """Update the stored comments whose text changed; returns their thread ids and the hashes involved.

    `conflicting` maps external id -> (the row that could not be inserted, whether its text is
    long enough for cross-posts).
    """
    c = COMMENTS.c
    edited: list[tuple[int, int, tuple[dict[str, Any], bool]]] = []  # comment, thread, new row
    backfill: list[dict[str, Any]] = []
    keys = list(conflicting)
    for chunk in chunks(keys):
        stored = session.execute(
            select(c.id, c.external_id, c.thread_id, c.content_hash).where(
                c.source_id == source_id, c.external_id.in_(chunk)
            )
        ).tuples()
        legacy: list[tuple[int, str, int]] = []
        for cid, ext, tid, stored_hash in stored:
            row = conflicting[ext]
            if stored_hash is None:  # stored before content hashes existed
                legacy.append((cid, ext, tid))
            elif stored_hash != row[0]["content_hash"]:
                edited.append((cid, tid, row))
        if legacy:
            texts = dict(
                session.execute(select(c.id, c.text).where(c.id.in_([cid for cid, _, _ in legacy])))
                .tuples()
                .all()
            )
            for cid, ext, tid in legacy:
                row = conflicting[ext]
                if content_hash(texts[cid]) == row[0]["content_hash"]:
                    backfill.append({"cid": cid, "h": row[0]["content_hash"]})
                else:
                    edited.append((cid, tid, row))
    if backfill:
        session.execute(
            update(COMMENTS).where(c.id == bindparam("cid")).values(content_hash=bindparam("h")),
            backfill,
        )
    if not edited:
        return [], set()
    hashes: set[str] = set()
    for chunk in chunks(edited):
        ids = [cid for cid, _, _ in chunk]
        old = session.execute(
            select(c.id, c.text, c.raw, c.content_hash).where(c.id.in_(ids))
        ).tuples()
        revisions = []
        for cid, text, raw, old_hash in old:
            revisions.append({"comment_id": cid, "text": text, "raw": raw, "replaced_at": now})
            if old_hash:
                hashes.add(old_hash)
        session.execute(CommentRevision.__table__.insert(), revisions)
        # The enrich step picks comments without an analysis of the current classifier version.
        subtract_comments(
            session, comment_ids=ids
        )  # the edited text is counted again when re-analysed
        session.execute(delete(Analysis.__table__).where(Analysis.__table__.c.comment_id.in_(ids)))
        session.execute(
            update(COMMENTS)
            .where(c.id == bindparam("cid"))
            .values(
                text=bindparam("new_text"),
                raw=bindparam("new_raw"),
                url=bindparam("new_url"),
                content_hash=bindparam("new_hash"),
                updated_at=bindparam("new_updated_at"),
            ),
            [
                {
                    "cid": cid,
                    "new_text": row["text"],
                    "new_raw": row["raw"],
                    "new_url": row["url"],
                    "new_hash": row["content_hash"],
                    "new_updated_at": now,
                }
                for cid, _, (row, _long) in chunk
            ],
        )
        # Links to or from an edited text are redone by the caller (old and new hashes).
        session.execute(
            update(COMMENTS)
            .where(c.id.in_(ids) | c.duplicate_of_id.in_(ids))
            .values(duplicate_of_id=None)
        )
        hashes.update(row["content_hash"] for _, _, (row, long) in chunk if long)
    return [tid for _, tid, _ in edited], hashes


def link_cross_posts(session: Session, *, hashes: Iterable[str]) -> int:
    """Link each comment with one of these hashes to the earliest same text in another source or
    thread posted within CROSS_POST_WINDOW before it; returns how many links changed.

    Give only hashes of texts long enough to matter (CROSS_POST_MIN_CHARS).
    """
    c = COMMENTS.c
    candidates = sorted(set(hashes))
    shared: list[str] = []
    for chunk in chunks(candidates, LOOKUP_CHUNK):
        shared.extend(
            session.scalars(
                select(c.content_hash)
                .where(among(session, column=c.content_hash, values=chunk))
                .group_by(c.content_hash)
                .having(func.count() > 1)
            )
        )
    changes: list[dict[str, Any]] = []
    for chunk in chunks(shared):
        groups: dict[str, list[tuple[int, int, int, datetime, int | None]]] = defaultdict(list)
        rows = session.execute(
            select(
                c.id,
                c.content_hash,
                c.source_id,
                c.thread_id,
                c.created_at,
                c.duplicate_of_id,
            ).where(c.content_hash.in_(chunk))
        ).tuples()
        for cid, h, sid, tid, at, dup in rows:
            groups[h].append((cid, sid, tid, at, dup))
        for members in groups.values():
            members.sort(key=lambda m: (m[3], m[0]))
            lo = 0
            for i, (cid, sid, tid, at, dup) in enumerate(members):
                while members[lo][3] < at - CROSS_POST_WINDOW:
                    lo += 1
                target = next((o[0] for o in members[lo:i] if (o[1], o[2]) != (sid, tid)), None)
                if target != dup:
                    changes.append({"cid": cid, "dup": target})
    if changes:
        session.execute(
            update(COMMENTS)
            .where(c.id == bindparam("cid"))
            .values(duplicate_of_id=bindparam("dup")),
            changes,
        )
    return len(changes)


def _stored_keys(session: Session, source_id: int, keys: Sequence[str]) -> dict[str, str | None]:
    """The external ids among `keys` that the source already has, with their content hash."""
    c = COMMENTS.c
    found: dict[str, str | None] = {}
    for chunk in chunks(sorted(set(keys)), LOOKUP_CHUNK):
        found.update(
            session.execute(
                select(c.external_id, c.content_hash).where(
                    c.source_id == source_id, among(session, column=c.external_id, values=chunk)
                )
            )
            .tuples()
            .all()
        )
    return found


def _insert_new(session: Session, rows: Sequence[dict[str, Any]], now: datetime) -> set[str]:
    """Insert comment rows whose keys were not stored; returns the keys that turned out taken."""
    inserted = bulk_insert(session, table=COMMENTS, rows=rows)
    if inserted == len(rows):
        return set()
    # Some keys were taken by a concurrent writer: ours carry this batch's ingested_at.
    c = COMMENTS.c
    source_id = rows[0]["source_id"]
    taken: set[str] = set()
    for chunk in chunks([row["external_id"] for row in rows], LOOKUP_CHUNK):
        taken.update(
            session.scalars(
                select(c.external_id).where(
                    c.source_id == source_id,
                    among(session, column=c.external_id, values=chunk),
                    c.ingested_at != now,
                )
            )
        )
    return taken


def comment_rows(
    source: Source, records: Sequence[Record], thread_of: dict[str, int], key: bytes, now: datetime
) -> tuple[list[dict[str, Any]], list[bool]]:
    """The comments table's rows of these records (handles pseudonymised, texts hashed), and
    for each whether its text is long enough to be linked as a cross-post."""
    refs: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    longs: list[bool] = []
    sid, name = source.id, source.name
    for r in records:
        # A role label ("Caller", "Visiteur") is one person a thread, not one account.
        who = f"{r.author}\x1f{r.thread_id}" if is_speaker_label(r.author) else r.author
        ref = refs.get(who)
        if ref is None:
            ref = refs[who] = pseudonym(key, name, who)
        normalised = normalise_text(r.text)
        rows.append(
            {
                "source_id": sid,
                "external_id": r.external_id,
                "thread_id": thread_of[r.thread_id],
                "parent_external_id": r.parent_id,
                "author_role": r.author_role,
                "author_ref": ref,
                "channel": r.channel,
                "created_at": r.created_at,
                "text": r.text,
                "language_hint": r.language,
                "likes": r.likes,
                "shares": r.shares,
                "replies": r.replies,
                "url": r.url,
                "raw": r.raw,
                "content_hash": hashlib.sha1(
                    normalised.encode(), usedforsecurity=False
                ).hexdigest(),
                "ingested_at": now,
            }
        )
        longs.append(len(normalised) >= CROSS_POST_MIN_CHARS)
    return rows, longs


def _refuse(records: Sequence[Record]) -> tuple[list[Record], list[Rejected]]:
    """The records the store can hold (counts clamped) and, as rejects, those it cannot."""
    kept: list[Record] = []
    refused: list[Rejected] = []
    for record in records:
        checked, reason = check_record(record)
        if checked is not None:
            kept.append(checked)
        else:
            position = record.position or fallback_position(record)
            refused.append(Rejected(position, reason or "unstorable", raw_text(record)))
    return kept, refused


def _edit_rounds(
    rows: Sequence[dict[str, Any]], longs: Sequence[bool], stored: dict[str, str | None]
) -> tuple[dict[str, tuple[dict[str, Any], bool]], list[dict[str, tuple[dict[str, Any], bool]]]]:
    """The rows to insert (first sight of a key not stored) and, round by round, the rows that
    may edit a comment.

    A key met three times in a batch makes three versions, each an edit of the one before (none
    is lost), so its n-th edit goes to round n. A key whose stored text is one of its versions
    in the batch takes only the versions after that one: re-reading a batch after a crash
    adds no revision.
    """
    fresh: dict[str, tuple[dict[str, Any], bool]] = {}
    versions: dict[str, list[tuple[dict[str, Any], bool]]] = {}
    for row, long in zip(rows, longs, strict=True):
        ext = row["external_id"]
        if ext not in stored and ext not in fresh:
            fresh[ext] = (row, long)
        else:
            versions.setdefault(ext, []).append((row, long))
    rounds: list[dict[str, tuple[dict[str, Any], bool]]] = []
    for ext, edits in versions.items():
        if ext in stored:
            current = stored[ext]
            last = max(
                (i for i, (row, _) in enumerate(edits) if row["content_hash"] == current),
                default=-1,
            )
            edits = edits[last + 1 :]
        for n, edit in enumerate(edits):
            if n == len(rounds):
                rounds.append({})
            rounds[n][ext] = edit
    return fresh, rounds


def write_batch(
    session: Session, *, source: Source, run: IngestRun, batch: Batch, key: bytes
) -> BatchCounts:
    """Store a batch and its cursor in the caller's transaction.

    A record already stored with the same text is left as it is, so re-reading a batch after
    a crash adds nothing; one whose text changed is an edit (see the module's docstring). A
    record the columns cannot hold (`store.validation`) is quarantined with its reason.
    """
    records, refused = _refuse(batch.records)
    new = edited = linked = 0
    if records:
        now = utcnow()
        thread_of = _thread_ids(session, source.id, records)
        rows, longs = comment_rows(source, records, thread_of, key, now)
        touched: list[int] = []
        new_hashes: set[str] = set()
        # The edit check is only for keys already stored: find them first (an index lookup that
        # finds nothing on a first import), then insert the rest in bulk.
        stored = _stored_keys(session, source.id, [row["external_id"] for row in rows])
        fresh, rounds = _edit_rounds(rows, longs, stored)
        if fresh:
            lost = _insert_new(session, [row for row, _ in fresh.values()], now)
            if lost:  # another writer stored these keys meanwhile: they come before any repeat
                rounds.insert(0, {ext: fresh.pop(ext) for ext in lost})
            for row, long in fresh.values():
                touched.append(row["thread_id"])
                if long:
                    new_hashes.add(row["content_hash"])
        new = len(touched)
        for conflicting in rounds:
            edited_threads, edited_hashes = _apply_edits(session, source.id, conflicting, now)
            edited += len(edited_threads)
            touched.extend(edited_threads)
            new_hashes |= edited_hashes
        refresh_threads(session, thread_ids=touched)
        if new_hashes:
            linked = link_cross_posts(session, hashes=new_hashes)
    quarantined = 0
    rejected = [*batch.rejected, *refused]
    if rejected:
        now = utcnow()
        origin = storable(batch.origin)[:ORIGIN_CHARS]
        qrows = [
            {
                "source_id": source.id,
                "run_id": run.id,
                "origin": origin,
                "position": storable(rej.position)[:POSITION_CHARS],
                "reason": storable(rej.reason),
                "raw": storable(rej.raw),
                "attempts": 0,
                "created_at": now,
            }
            for rej in rejected
        ]
        for chunk in chunks(qrows):
            stmt = (
                dialect_insert(session, table=QuarantinedRecord.__table__)
                .on_conflict_do_nothing(index_elements=["source_id", "origin", "position"])
                .returning(QuarantinedRecord.__table__.c.id)
            )
            quarantined += len(session.execute(stmt, list(chunk)).scalars().all())
    source.cursor = dict(batch.cursor)
    flag_modified(source, "cursor")  # the connector may have mutated the loaded dict in place
    run.n_read += len(batch.records) + len(batch.rejected)
    run.n_new += new
    run.n_quarantined += quarantined
    run.heartbeat_at = utcnow()
    session.flush()
    return BatchCounts(new, quarantined, edited, linked)
