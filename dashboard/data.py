"""Data access for the pages: one engine per database URL, one cached read, a few writes.

`read(store_function, **kwargs)` runs `store_function(session, **kwargs)` on the configured store
and caches its result for a short while, keyed by the database URL (two stores in one process,
as in tests, never share a cache), the function and its arguments. `write(...)` runs a store
function in its own transaction and clears the read caches, so the page that wrote sees it at
once. The SQL lives in store/: nothing here queries the database itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from casebook.settings import get_settings
from casebook_data.taxonomy_names import situation_texts, wants_line, what_wanted
from curation.scenarios import resituated
from store import admin, campaigns, queue, scenarios, sign_in, users, web_sessions
from store.db import get_engine, transaction
from store.users import UserInfo

READ_TTL = 30  # seconds: flows write in the background, pages should not lag far behind
T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return get_engine(url)


def db_url() -> str:
    """The configured store's URL."""
    return get_settings().db_url


def engine() -> Engine:
    """The configured store's engine, shared by every session of this process."""
    return _engine(db_url())


def clear_reads() -> None:
    """Forget cached reads (after a write)."""
    st.cache_data.clear()


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _read(url: str, name: str, arguments: tuple[tuple[str, Any], ...], _function: Any) -> Any:
    # `_function` is not hashed (leading underscore): `name` stands for it in the cache key.
    with transaction(_engine(url)) as session:
        return _function(session, **dict(arguments))


def read(store_function: Callable[..., T], /, **kwargs: Any) -> T:
    """`store_function(session, **kwargs)` on the configured store, cached for READ_TTL seconds."""
    name = f"{store_function.__module__}.{store_function.__qualname__}"
    arguments = tuple(sorted(kwargs.items(), key=lambda item: item[0]))
    return _read(db_url(), name, arguments, store_function)  # type: ignore[no-any-return]


def write(store_function: Callable[..., T], /, **kwargs: Any) -> T:
    """`store_function(session, **kwargs)` in its own transaction, never cached; clears the reads."""
    with transaction(engine()) as session:
        result = store_function(session, **kwargs)
    clear_reads()
    return result


# ---------------------------------------------------------------------------- sign-in


def user_by_username(username: str) -> UserInfo | None:
    """The account called `username` (for a sign-in the identity provider vouched for), or None
    (also for a disabled account, or a demo account outside demo mode)."""
    with transaction(engine()) as session:
        return users.user_by_username(
            session, username=username, demo_mode=get_settings().demo_mode
        )


def authenticate(
    username: str, password: str, address: str | None = None
) -> tuple[UserInfo | None, str, float]:
    """(the user, "ok") for good credentials; (None, "refused" or "throttled", seconds to wait)
    otherwise. Throttled per account and address, audited (store.sign_in)."""
    with transaction(engine()) as session:
        result = sign_in.sign_in(
            session,
            username=username,
            password=password,
            address=address,
            demo_mode=get_settings().demo_mode,
        )
        info = users.user_info(result.user) if result.user else None
    return info, result.outcome, result.retry_after


def start_session(user_id: int) -> str:
    """A new dashboard session for `user_id` (store.web_sessions); returns the browser's token."""
    settings = get_settings()
    with transaction(engine()) as session:
        return web_sessions.start_session(
            session,
            user_id=user_id,
            key=settings.session_key(),
            lifetime=timedelta(hours=settings.session_hours),
        )


def resume_session(token: str | None) -> UserInfo | None:
    """The user of a live session token, or None (forged, expired, ended, account disabled).
    Never cached: a sign-out or a disabled account takes effect at the next page run."""
    if not token:
        return None
    settings = get_settings()
    with transaction(engine()) as session:
        user = web_sessions.resume_session(
            session, token=token, key=settings.session_key(), demo_mode=settings.demo_mode
        )
        return users.user_info(user) if user is not None else None


def end_session(token: str | None) -> None:
    """End the session `token` names (sign-out), if any."""
    if not token:
        return
    with transaction(engine()) as session:
        web_sessions.end_session(session, token=token, key=get_settings().session_key())


# ---------------------------------------------------------------------------- coach


def original_texts(user: UserInfo, case_id: int) -> dict[int, str]:
    """The unredacted comments of a case, for a coach only; never cached (kept out of shared memory)."""
    if user.role != "coach":
        raise PermissionError("only a coach may see the original text")
    with transaction(engine()) as session:
        return queue.original_texts(session, case_id=case_id)


def record_show_original(user: UserInfo, case_id: int) -> None:
    """Audit that a coach chose to see a case's original (unredacted) text."""
    if user.role != "coach":
        raise PermissionError("only a coach may see the original text")
    with transaction(engine()) as session:
        users.record_audit(
            session,
            actor=user.username,
            action="case.show_original",
            entity="case",
            entity_id=case_id,
            detail={},
        )


def edited_body(
    body: dict[str, Any],
    turn_texts: dict[int, str] | None = None,
    cues: Iterable[str] | None = None,
    question: str | None = None,
    wants: str | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """A scenario body with new texts for some turns (by position), new cues, a new question and
    a new line of what the customer wants (`wants`, its lead-in in `language`; "" for none)."""
    new = dict(body or {})
    if turn_texts:
        turns = [dict(turn) for turn in new.get("turns") or []]
        for i, text in turn_texts.items():
            if 0 <= i < len(turns):
                turns[i]["text"] = text.strip()
        new["turns"] = turns
    if cues is not None:
        cleaned = [c.strip() for c in cues if c and c.strip()]
        if cleaned != (new.get("cues") or []):  # no cues stays no cues: nothing to version
            new["cues"] = cleaned
    if question is not None and question.strip():
        new["question"] = question.strip()
    # Rewritten when what the customer wants changes (a language changed alone keeps the line).
    context = dict(new.get("context") or {})
    if wants is not None and " ".join(wants.split()) != what_wanted(
        context.get("customer_wants") or ""
    ):
        new["context"] = context | {"customer_wants": wants_line(language, wants)}
    return new


def edit_scenario(
    scenario_id: int,
    actor: str,
    reason: str,
    *,
    title: str | None = None,
    turn_texts: dict[int, str] | None = None,
    cues: Iterable[str] | None = None,
    question: str | None = None,
    wants: str | None = None,
    model_answer: str | None = None,
    level: int | None = None,
    skill_axis: str | None = None,
    language: str | None = None,
    target_teams: Iterable[str] | None = None,
    situation: str | None = None,
) -> scenarios.ScenarioView:
    """Save a coach's edit of a scenario as a new version, with its reason (audited); nothing is
    saved when nothing changed (the view's version is then the current one). A new `situation`
    (one of the taxonomy's) renames it where the draft's texts still name the one before
    (curation.scenarios.resituated)."""
    if not (reason or "").strip():
        raise ValueError("say why: an edit needs a reason")
    with transaction(engine()) as session:
        current = scenarios.get_scenario(session, scenario_id=scenario_id)
        if current is None:
            raise ValueError(f"scenario {scenario_id} does not exist")
        written_in = language or current.language
        body = edited_body(current.body, turn_texts, cues, question, wants, written_in)
        if situation is not None:
            if situation not in taxonomy_situations():
                raise ValueError(f"{situation!r} is not a situation of the taxonomy")
            path = get_settings().taxonomy_file
            labels, needs = situation_texts(path, "labels", "wants")
            title, body = resituated(
                title if title is not None else current.title,
                body,
                written_in,
                situation,
                labels,
                needs,
            )
        result = scenarios.edit_scenario(
            session,
            scenario_id=scenario_id,
            actor=actor,
            title=title,
            body=body,
            model_answer=model_answer,
            level=level,
            skill_axis=skill_axis,
            language=language,
            target_teams=target_teams,
            reason=reason,
        )
    clear_reads()
    return result


def create_campaign(
    name: str,
    first_day: date,
    last_day: date,
    teams: Iterable[str],
    scenario_ids: Iterable[int],
    actor: str,
) -> int:
    """Create a campaign running from the start of `first_day` to the end of `last_day` (UTC)."""
    starts = datetime.combine(first_day, time.min, tzinfo=UTC)
    ends = datetime.combine(last_day, time.min, tzinfo=UTC) + timedelta(days=1)
    with transaction(engine()) as session:
        campaign = campaigns.create_campaign(
            session,
            name=name,
            starts_at=starts,
            ends_at=ends,
            teams=teams,
            scenario_ids=scenario_ids,
            actor=actor,
        )
        campaign_id = campaign.id
    clear_reads()
    return campaign_id


# ---------------------------------------------------------------------------- admin


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _redacted_quarantine(url: str, source: str | None) -> pd.DataFrame:
    from casebook.privacy import redact_quarantined
    from store.quarantine import RAW_SHOWN, quarantined, source_settings

    with transaction(_engine(url)) as session:
        # Whole records: a JSON item cut at RAW_SHOWN characters no longer parses, and its
        # author fields would be read as prose. Cut after the redaction.
        frame = quarantined(session, source=source, raw_chars=None)
        settings = source_settings(session, set(frame["source"]))
    redacted = redact_quarantined(
        [str(r or "") for r in frame["raw"]],
        [str(s) for s in frame["source"]],
        [str(p) for p in frame["position"]],
        settings,
    )
    frame["raw"] = [r[:RAW_SHOWN] for r in redacted]
    return frame


def quarantine_redacted(source: str | None = None) -> pd.DataFrame:
    """The quarantine listing (store.quarantine.quarantined) with its raw text redacted: what the
    admin's page shows by default."""
    return _redacted_quarantine(db_url(), source)


def quarantine_raw(user: UserInfo, source: str | None = None) -> pd.DataFrame:
    """The quarantine listing with the raw, unredacted text, for an admin only; audited, never
    cached (kept out of shared memory)."""
    from store.quarantine import quarantined

    if user.role != "admin":
        raise PermissionError("only an admin may see the raw quarantined records")
    with transaction(engine()) as session:
        frame = quarantined(session, source=source)
        record_quarantine_access(session, user, "quarantine.show_raw", source, len(frame))
    return frame


def record_quarantine_access(
    session: Any, user: UserInfo, action: str, source: str | None, rows: int
) -> None:
    """Audit that an admin saw or exported the raw quarantined records."""
    users.record_audit(
        session,
        actor=user.username,
        action=action,
        entity="quarantine",
        entity_id=source,
        detail={"source": source, "rows": rows},
    )


def export_quarantine_raw(user: UserInfo, source: str | None = None) -> pd.DataFrame:
    """The raw quarantine listing for a CSV export, for an admin only; audited."""
    from store.quarantine import quarantined

    if user.role != "admin":
        raise PermissionError("only an admin may export the raw quarantined records")
    with transaction(engine()) as session:
        frame = quarantined(session, source=source)
        record_quarantine_access(session, user, "quarantine.export_raw", source, len(frame))
    return frame


SOURCE_COLUMNS = [
    "name",
    "kind",
    "channel",
    "schedule",
    "enabled",
    "declared",
    "stored",
    "last_run_status",
    "last_run_started_at",
    "last_run_finished_at",
    "last_run_error",
    "comments",
    "quarantined",
]


def source_overview() -> tuple[pd.DataFrame, str | None]:
    """Declared and stored sources with their last run and counts; and a sources-file problem, if any."""
    from casebook.steps.ingest import load_sources_file

    problem = None
    try:
        declared = load_sources_file(Path(get_settings().sources_file))
    except Exception as exc:  # a broken sources.yaml: still show what the store holds
        declared, problem = [], str(exc)
    rows = read(admin.source_overview, declared=declared)
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS), problem


# ---------------------------------------------------------------------------- learning delivery


def export_package(
    user: UserInfo, format: str, *, scenario_id: int | None = None, campaign_id: int | None = None
) -> tuple[str, bytes, str]:
    """A published scenario or a campaign in an export format (store.exports.FORMATS, as
    `casebook export`), audited; (file name, content, media type)."""
    from store.bundles import Selection
    from store.exports import export_for

    selection = Selection(scenario_id=scenario_id, campaign_id=campaign_id)
    with transaction(engine()) as session:
        return export_for(session, format=format, selection=selection, actor=user.username)


# ---------------------------------------------------------------- teaching situations


@st.cache_resource(show_spinner=False)
def _situations(path: str) -> list[str]:
    from nlp.situation import Taxonomy

    return Taxonomy.load(Path(path)).situations


def taxonomy_situations() -> list[str]:
    """The situations of the configured taxonomy, the ones a coach labels with."""
    return _situations(str(get_settings().taxonomy_file))


def in_my_languages_first(names: dict[int, str], user: UserInfo) -> dict[int, str]:
    """Campaigns (id -> name), those whose cases are in the languages of `user`'s customers first
    (a campaign's quiz asks in its cases' language), in their order otherwise."""
    from store.campaigns import campaign_languages

    languages = read(campaign_languages, campaign_ids=list(names))
    mine = set(user.practice_languages)
    return dict(sorted(names.items(), key=lambda n: not languages.get(n[0], set()) & mine))
