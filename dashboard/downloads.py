"""CSV downloads of the data behind a chart or table, as the reader reads the table: headed and
named in their language, in the separators their spreadsheet expects, formulas escaped, made only
when they click and served for a few seconds."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from casebook.settings import get_settings
from dashboard.auth import current_user
from dashboard.i18n import current_language, date_format, speaking, t
from dashboard.labels import column, is_daily, named_values, with_dates

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A French spreadsheet reads "0,75" as a number and ";" between cells; an English one "," and ".".
SEPARATORS = {"fr": (";", ","), "en": (",", ".")}


def safe_csv(frame: pd.DataFrame, language: str = "en") -> bytes:
    """CSV of `frame` headed and named in `language` (dashboard.labels), with its separators, in
    UTF-8 with a byte order mark (so that a spreadsheet reads "é" as such); a text cell that a
    spreadsheet would run as a formula is prefixed by a quote."""

    def neutralise(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(CSV_FORMULA_PREFIXES):
            return "'" + value
        return value

    frame = with_dates(frame)
    with speaking(language):
        shown = named_values(frame).rename(columns={name: column(str(name)) for name in frame})
    day = date_format(language, strftime=True)  # as the table and the date pickers
    for name in shown.columns:  # times as the table writes them: to the minute, days as dates
        times = shown[name]
        if pd.api.types.is_datetime64_any_dtype(times):
            shown[name] = times.dt.strftime(day if is_daily(times) else f"{day} %H:%M")
    sep, decimal = SEPARATORS.get(language, SEPARATORS["en"])
    buffer = io.StringIO()
    shown.map(neutralise).to_csv(buffer, index=False, sep=sep, decimal=decimal)
    return buffer.getvalue().encode("utf-8-sig")


def expire_exports(seconds: float) -> None:
    """Drop downloads no session shows any more from Streamlit's media store within 2 x `seconds`.

    A generated download is served at /media/<id>.csv to whoever has the link, with no session
    check; Streamlit forgets it only at a later script run (marked, then dropped at the next). Two
    timed clean-ups make the link short-lived however long the page stays open: the first marks
    the files no session references (the new export among them, stored by then), the second drops
    them, so any file has at least `seconds` between the two.
    """
    from streamlit import runtime

    if not runtime.exists():
        return
    manager = runtime.get_instance().media_file_mgr
    for delay in (seconds, 2 * seconds):
        timer = threading.Timer(delay, manager.remove_orphaned_files)
        timer.daemon = True
        timer.start()


def csv_download(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    file_name: str,
    key: str,
    on_export: Callable[[], None] | None = None,
) -> None:
    """A download button for the data behind a chart or table (safe_csv, in the reader's
    language).

    Exports are for the signed-in user of the page only: the CSV is made when they click (never
    before, so nothing is published under /media while the page is shown), `on_export` runs then
    (e.g. an audit line), and the link expires a few seconds later (expire_exports). The click is
    served in a thread of its own, where no page runs: the reader and their language are taken
    now.
    """
    user = current_user()
    language = current_language()
    seconds = get_settings().export_link_seconds

    def export() -> bytes:
        if user is None:
            raise PermissionError("sign in to download")
        if on_export is not None:
            on_export()
        data = safe_csv(frame() if callable(frame) else frame, language)
        expire_exports(seconds)
        return data

    st.download_button(
        t("download_csv"),
        data=export,
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
        disabled=user is None,
    )
