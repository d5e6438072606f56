"""Shared rendering pieces. Customer text is always shown as plain text, never as markdown or HTML."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from store.views import ResponseView, ScenarioView

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def md_escape(text: Any) -> str:
    """`text` with every markdown/HTML special character backslash-escaped (for headers and labels)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def plain(text: Any) -> None:
    """Show `text` literally (st.text renders neither markdown nor HTML)."""
    st.text("" if text is None else str(text))


def empty_state(message: str) -> None:
    """An informative note where data would be."""
    st.info(message, icon=":material/inbox:")


def table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """A read-only table (cells are plain text)."""
    st.dataframe(frame, hide_index=True, **kwargs)


def safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV of `frame`, with text cells that a spreadsheet would run as a formula prefixed by a quote."""

    def neutralise(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(CSV_FORMULA_PREFIXES):
            return "'" + value
        return value

    buffer = io.StringIO()
    frame.map(neutralise).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


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
            labels = [str(row.created_at)[:16], row.channel, row.sentiment, row.emotion]
            marker = " ★" if row.is_pivotal else ""
            st.caption(md_escape(" · ".join(str(v) for v in labels if v)) + marker)
            plain(row.text if row.text is not None else t("not_redacted"))


def render_context(scenario: ScenarioView) -> None:
    """The situation an advisor is put in: context, customer turns and cues."""
    body = scenario.body or {}
    context = body.get("context") or {}
    st.markdown(f"#### {md_escape(t('context'))}")
    facts = [context.get("channel"), context.get("situation")]
    plain(" · ".join(str(f) for f in facts if f))
    if context.get("customer_wants"):
        plain(context["customer_wants"])  # curation writes the whole sentence
    render_turns(body.get("turns") or [])
    if body.get("cues"):
        st.markdown(f"**{md_escape(t('cues'))}**")
        for cue in body["cues"]:
            plain(f"• {cue}")


def render_reveal(scenario: ScenarioView) -> None:
    """What advisors see once they have answered: the real reply, what followed, the model answer."""
    body = scenario.body or {}
    st.markdown(f"#### {md_escape(t('real_reply'))}")
    with st.chat_message("assistant"):
        plain(body.get("real_reply", ""))
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
            plain(f"{t('objective_' + axis)}: {objectives[axis]}")


def render_scenario_header(scenario: ScenarioView) -> None:
    """Title and state line of a scenario."""
    st.markdown(f"### {md_escape(scenario.title)}")
    st.caption(
        md_escape(
            f"{t('state', state=scenario.state)} · {t('level')} {scenario.level} · {scenario.language}"
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
            )
        )
        plain(response.text)
        for note in response.comments:
            plain(f"↳ {note.author}: {note.text}")


FLASH_KEY = "flash"


def flash(message: str) -> None:
    """Keep a success message to show after the next rerun."""
    st.session_state[FLASH_KEY] = message


def show_flash() -> None:
    """Show (once) the message kept by `flash`."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)
