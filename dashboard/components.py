"""Shared rendering pieces. Customer text is always shown as plain text, never as markdown or HTML."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
import streamlit as st

from casebook.settings import get_settings
from dashboard import errors
from dashboard.downloads import expire_exports
from dashboard.i18n import colon, current_language, fixed, t, whole
from dashboard.labels import column, headings, label, named_values, situation_label, with_dates
from dashboard.labels import label as name
from store.learning import ResponseView
from store.scenarios import ScenarioView

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: Any) -> str:
    """`text` with every markdown/HTML special character backslash-escaped (for headers and labels)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def plain(text: Any) -> None:
    """Show `text` literally (st.text renders neither markdown nor HTML)."""
    st.text("" if text is None else str(text))


def empty_state(message: str) -> None:
    """An informative note where data would be."""
    st.info(message, icon=":material/inbox:")


def list_count(
    shown: int, total: int, cut_key: str = "list_cut_rows", all_key: str = "list_all_rows"
) -> None:
    """Say when a list is cut: "Showing N of M" (`cut_key`'s words), else how many there are."""
    if total > shown:
        st.caption(md_escape(t(cut_key, shown=whole(shown), total=whole(total))))
    else:
        st.caption(md_escape(t(all_key, n=total)))


SHOW_ALL = "all"


def pick_list_size(
    key: str, sizes: tuple[int, ...], default: int, container: Any = st
) -> int | None:
    """How many rows a list shows: one of `sizes` or all of them (None)."""
    choices: list[Any] = [*sizes, SHOW_ALL]
    choice = container.radio(
        t("list_size"),
        choices,
        index=choices.index(default),
        horizontal=True,
        format_func=lambda n: t("list_size_all") if n == SHOW_ALL else whole(n),
        key=key,
    )
    return None if choice == SHOW_ALL else int(choice)


MISSING = "—"


def table(frame: Any, **kwargs: Any) -> None:
    """A read-only table (cells are plain text), headed and labelled in the reader's language
    (a pandas Styler's data is expected labelled already: dashboard.labels.named_values)."""
    if isinstance(frame, pd.DataFrame):
        frame = with_dates(frame)
    data = frame.data if hasattr(frame, "data") and not isinstance(frame, pd.DataFrame) else frame
    shown = named_values(frame) if isinstance(frame, pd.DataFrame) else frame
    config = {**headings(data), **kwargs.pop("column_config", {})}
    if current_language() == "fr":
        shown = decimal_commas(shown, config, data)
    # A missing value reads "—" in either language, not Streamlit's "None".
    kwargs.setdefault("placeholder", MISSING)
    st.dataframe(shown, hide_index=True, column_config=config, **kwargs)


PRINTF_DECIMALS = re.compile(r"%\.(\d+)f")  # a number column's "%.2f"


def decimal_commas(shown: Any, config: dict[str, Any], data: pd.DataFrame) -> Any:
    """`shown` (`data` as a frame or a Styler) whose decimal columns (`config` formats them
    "%.2f") pandas' Styler writes as `fixed` does, with a decimal comma ("0,75"): Streamlit's
    number formats know the point only (printf's) or the browser's locale ("localized"), not the
    reader's. The cells keep their numbers, so a column still sorts by value; `config` loses
    those formats, which would win over the Styler's. Beyond the cells a Styler may hold
    (pandas' styler.render.max_elements), `shown` is left as it is."""
    digits = {}
    for key, settings in config.items():
        type_config = settings.get("type_config") if isinstance(settings, dict) else None
        match = PRINTF_DECIMALS.fullmatch(str((type_config or {}).get("format")))
        if match and key in data.columns:
            digits[key] = int(match[1])
    if not digits or data.size > pd.get_option("styler.render.max_elements"):
        return shown
    styler = shown.reset_index(drop=True).style if isinstance(shown, pd.DataFrame) else shown
    for key, n in digits.items():
        styler = styler.format(lambda v, n=n: fixed(v, n), subset=[key], na_rep=MISSING)
        type_config = {k: v for k, v in config[key]["type_config"].items() if k != "format"}
        config[key] = {**config[key], "type_config": type_config}
    return styler


def _avatar(role: str) -> str:
    return "user" if role == "customer" else "assistant"


def render_turns(turns: Iterable[dict[str, Any]]) -> None:
    """Conversation turns of a scenario body (speaker + redacted text)."""
    for turn in turns:
        with st.chat_message(_avatar(str(turn.get("role", "customer")))):
            st.caption(md_escape(turn.get("speaker", "")))
            plain(turn.get("text", ""))


def render_conversation(comments: pd.DataFrame) -> None:
    """A case's comments, in order, through their redacted text and labels."""
    if comments.empty:
        empty_state(t("no_comments"))
        return
    for row in comments.itertuples(index=False):
        with st.chat_message(_avatar(row.author_role)):
            labels = [str(row.created_at)[:16], label(row.channel), *feelings(row)]
            marker = " ★" if row.is_pivotal else ""
            st.caption(md_escape(" · ".join(str(v) for v in labels if v)) + marker)
            plain(row.text if row.text is not None else t("not_redacted"))


def render_context(scenario: ScenarioView) -> None:
    """The situation an advisor is put in: context, customer turns and cues."""
    body = scenario.body or {}
    context = body.get("context") or {}
    st.markdown(f"#### {md_escape(t('context'))}")
    situation = context.get("situation")
    facts = [
        label(context.get("channel")),
        situation_label(situation) if situation != "other" else None,
    ]
    plain(" · ".join(str(f) for f in facts if f))
    if context.get("customer_wants"):
        plain(context["customer_wants"])  # curation writes the whole sentence
    render_turns(body.get("turns") or [])
    if body.get("cues"):
        st.markdown(f"**{md_escape(t('cues'))}**")
        for cue in body["cues"]:
            plain(f"• {cue}")


def real_reply(body: dict[str, Any]) -> None:
    """The advisor's real reply of a scenario, or a note that nobody answered the customer."""
    reply = str(body.get("real_reply") or "").strip()
    if not reply:
        st.info(t("no_real_reply"), icon=":material/chat_error:")
        return
    with st.chat_message("assistant"):
        plain(reply)


def render_reveal(scenario: ScenarioView) -> None:
    """What advisors see once they have answered: the real reply, what followed, the model answer."""
    body = scenario.body or {}
    st.markdown(f"#### {md_escape(t('real_reply'))}")
    real_reply(body)
    if body.get("outcome"):
        st.markdown(f"**{md_escape(t('outcome'))}**")
        render_turns(body["outcome"])
    st.markdown(f"#### {md_escape(t('coach_answer'))}")
    plain(scenario.model_answer or t("no_coach_answer"))


def render_objectives(scenario: ScenarioView) -> None:
    """The scenario's learning objectives."""
    objectives = (scenario.body or {}).get("objectives") or {}
    if not objectives:
        return
    st.markdown(f"**{md_escape(t('objectives'))}**")
    for axis in ("operational", "relational", "managerial"):
        if objectives.get(axis):
            plain(f"{t('objective_' + axis)}{colon()}{objectives[axis]}")


def render_scenario_header(scenario: ScenarioView) -> None:
    """Title and state line of a scenario."""
    st.markdown(f"### {md_escape(scenario.title)}")
    st.caption(
        md_escape(
            f"{t('state', state=label(scenario.state))} · {t('level')} {scenario.level} · "
            f"{label(scenario.language)}"
            + (f" · {', '.join(scenario.target_teams)}" if scenario.target_teams else "")
        )
    )


def render_response(response: ResponseView) -> None:
    """One answer: author, text, votes and comments (comments shown as plain text)."""
    with st.container(border=True):
        st.caption(
            md_escape(
                f"{response.author} · {t('votes', n=response.votes)} · "
                f"{t('comments_count', n=response.n_comments)}"
                + (f" · ★ {t('coach_pick')}" if response.coach_pick else "")
            )
        )
        plain(response.text)
        for note in response.comments:
            plain(f"↳ {note.author}{colon()}{note.text}")


FLASH_KEY = "flash"


RESET_KEY = "widgets_to_reset"


def flash(message: str, **resets: Any) -> None:
    """Keep a success message to show after the next rerun, and the values the widgets named in
    `resets` (by key) take then ("" empties a reason). A widget's value can only be set before
    it is drawn; dropping its key is not enough, the browser keeps its copy and sends it back."""
    st.session_state[FLASH_KEY] = message
    if resets:
        st.session_state[RESET_KEY] = resets


def show_flash(toast: bool = False) -> None:
    """Show (once) the message kept by `flash` (with `toast`, also as a toast: on a page whose
    forms sit below a long table, a save keeps its scroll and the line at the top is out of view),
    and set the widgets it names (call it before drawing them)."""
    for key, value in st.session_state.pop(RESET_KEY, {}).items():
        st.session_state[key] = value
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)
        if toast:
            st.toast(message, icon=":material/check_circle:")


# ---------------------------------------------------------------------------- coach & advisor pages


def feelings(row: Any) -> list[str]:
    """A comment's sentiment and emotion, a customer's only: an advisor's words read as a
    customer's feeling mislead (an apology is no sadness, "I understand your frustration" no
    anger)."""
    if row.author_role != "customer":
        return []
    return [label(row.sentiment), label(row.emotion)]


def label_line(row: Any) -> str:
    """A comment's labels: language · sentiment · emotion · situation (unknown ones left out)."""
    labels = [
        label(row.language),
        label(row.sentiment),
        label(row.emotion),
        situation_label(row.situation),
    ]
    return " · ".join(str(v) for v in labels if v)


def refined_line(row: Any) -> str:
    """The slow pass's reading of a comment: sentiment (score) · emotion · intensity; "" when
    it has not read it."""
    sentiment = getattr(row, "refined_sentiment", None)
    if sentiment is None or pd.isna(sentiment):
        return ""
    return (
        f"{label(sentiment)} ({fixed(row.refined_sentiment_score, sign=True)}) · "
        f"{label(row.refined_emotion)} · "
        + t("refined_intensity", value=fixed(row.refined_intensity))
    )


def render_labelled_conversation(
    comments: pd.DataFrame, originals: dict[int, str] | None = None
) -> None:
    """A case's comments with their labels (a customer's feeling and situation; an advisor's
    language only); the original text under each one when `originals` is given."""
    if comments.empty:
        empty_state(t("no_comments"))
        return
    for position, row in enumerate(comments.itertuples(index=False), start=1):
        with st.chat_message(_avatar(row.author_role)):
            head = [
                f"#{position}",
                label(row.author_role),
                str(row.created_at)[:16],
                label(row.channel),
            ]
            marker = " ★" if row.is_pivotal else ""
            st.caption(md_escape(" · ".join(str(v) for v in head if v)) + marker)
            # an advisor's reply: its language only (feelings)
            shown = label_line(row) if feelings(row) else label(row.language)
            st.caption(md_escape(t("labels", labels=shown or "-")))
            refined = refined_line(row) if feelings(row) else ""
            if refined:
                st.caption(md_escape(t("refined_labels", labels=refined)))
            plain(row.text if row.text is not None else t("not_redacted"))
            if originals is not None:
                st.caption(md_escape(t("original_text")))
                plain(originals.get(int(row.comment_id), ""))


def standings_by(key: str, where: Any = st) -> str:
    """Whom a leaderboard ranks, "person" or "team", picked on a radio (in `where`, a column)."""
    return str(
        where.radio(
            t("leaderboard_by"),
            ["person", "team"],
            format_func=lambda b: t(f"by_{b}"),
            horizontal=True,
            key=key,
        )
    )


def standings_table(frame: pd.DataFrame, me: str | None = None, key: str | None = None) -> None:
    """A leaderboard; the line of `me` (a person or a team) is marked."""
    if frame.empty:
        empty_state(t("empty_leaderboard"))
        return
    shown = frame.copy()
    shown.insert(0, "you", ["★" if me is not None and name == me else "" for name in shown["name"]])
    table(shown, key=key)


def period_label(days: int | None) -> str:
    """How a queue period reads: "last 7 days", or "all"."""
    return t("all_time") if days is None else t("last_days", n=days)


DEEP_LINK_SEEN_KEY = "deep_links_seen"  # the query parameter values already followed


def keep_in_url(param: str, value: Any) -> None:
    """Show the open scenario or case in the address (?scenario=ID), so it can be bookmarked."""
    text = "" if value is None else str(value)
    if text and st.query_params.get(param) != text:
        st.query_params[param] = text
        st.session_state.setdefault(DEEP_LINK_SEEN_KEY, {})[param] = text


OPEN_CASE_KEY = "open_case_id"  # the case the case page opens on
OPEN_SCENARIO_KEY = "open_scenario_id"  # the scenario the scenario page opens on

LEVEL_NAMES = {1: "level_1", 2: "level_2", 3: "level_3"}


def level_label(level: int) -> str:
    """A level with its meaning: "2 · continuing training"."""
    return f"{level} · {t(LEVEL_NAMES.get(level, 'level_1'))}"


def score_parts_table(parts: dict[str, Any]) -> None:
    """A case's score parts as a one-row table, each to two decimals ("1.00" beside "0.81", where
    a column of whole numbers would read "1")."""
    frame = pd.DataFrame([{name: parts[name] for name in sorted(parts)}])
    config = {
        name: st.column_config.NumberColumn(column(name), format="%.2f") for name in frame.columns
    }
    table(frame, column_config=config)


ANY = ""  # the "(any)" choice: a string, which a language switch can set again (not None)


# Filters whose name is feminine in French: "(toutes)" for them, "(tous)" for the others.
FEMININE_LABELS = (
    "situation",
    "language",
    "emotion",
    "ld_dim_situation",
    "ld_dim_language",
    "ld_dim_emotion",
    "ld_dim_source",
    "ld_dim_team",
    "ld_quarantine_source",
)


def pick(
    label: str,
    options: list[str],
    key: str,
    container: Any = st,
    format_func: Callable[[Any], str] = name,
) -> str | None:
    """A selectbox with "(any)" first; returns None for it."""
    every = t("any_f") if label in {t(k) for k in FEMININE_LABELS} else t("any")
    choice = container.selectbox(
        label,
        [ANY, *options],
        key=key,
        format_func=lambda v: every if v == ANY else format_func(v),
    )
    return choice or None


def families_frame(families: list[dict[str, Any]]) -> pd.DataFrame:
    """Families as a table: name, situation, size, size this week, distinctive terms."""
    columns = ["name", "situation", "size", "size_this_week", "terms"]
    return pd.DataFrame(
        [{**{k: f[k] for k in columns}, "terms": ", ".join(f["terms"])} for f in families],
        columns=columns,
    )


def export_section(user: Any, key: str, **selection: int) -> None:
    """The coach's export of a published scenario or a campaign: a format, then the file.

    The file is made when the coach asks for it (audited by data.export_package), kept for this
    session only and its download link expires a few seconds later (expire_exports)."""
    from store.exports import FORMATS

    formats = list(FORMATS)
    # No form: a change of format reruns the page, so the file of the format before is no
    # longer offered beside it.
    chosen = st.selectbox(
        t("export_format"),
        formats,
        format_func=lambda f: t("export_format_" + f),
        key=f"export_format_{key}",
    )
    prepare = st.button(t("export_prepare"), icon=":material/download:", key=f"export_{key}")
    state_key = f"export_file_{key}"
    if prepare:
        from dashboard import data

        try:
            made = data.export_package(user, chosen, **selection)
            st.session_state[state_key] = (chosen, *made)
        except ValueError as exc:
            st.session_state.pop(state_key, None)
            st.error(errors.message(exc))
    ready = st.session_state.get(state_key)
    # Only the file of the format chosen now (another one was offered after a change of format).
    if ready and ready[0] == chosen:
        _, name, content, media_type = ready
        st.download_button(
            t("export_download", name=name),
            data=content,
            file_name=name,
            mime=media_type,
            key=f"export_download_{key}",
            on_click="ignore",
        )
        expire_exports(get_settings().export_link_seconds)


def render_simulation(simulation: dict[str, Any], key: str) -> None:
    """The branching simulation of a case: the customer's turns of the current step, feedback on
    the last choice, then the replies to choose from (delivery.branching builds it)."""
    state_key = f"simulation_node_{key}"
    node_id = st.session_state.get(state_key, simulation["start"])
    node = simulation["nodes"].get(node_id) or simulation["nodes"][simulation["start"]]
    render_turns(node["say"])
    if node.get("feedback"):
        show = st.success if node.get("quality") in ("best", "good") else st.warning
        show(md_escape(node["feedback"]))
    for i, choice in enumerate(node["choices"]):
        if st.button(md_escape(choice["text"]), key=f"simulation_{key}_{node_id}_{i}"):
            st.session_state[state_key] = choice["next"]
            st.rerun()
    if not node["choices"]:
        st.caption(md_escape(t("simulation_end")))
        if st.button(t("simulation_restart"), key=f"simulation_restart_{key}"):
            st.session_state[state_key] = simulation["start"]
            st.rerun()
