"""Helpers to run the dashboard under AppTest."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from store.db import transaction
from store.models import User
from store.users import UserInfo, user_info

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
APP = DASHBOARD / "app.py"
TIMEOUT = 30


def info(engine: Engine, user_id: int) -> UserInfo:
    """The session summary of a stored user."""
    with transaction(engine) as s:
        return user_info(s.get(User, user_id))


def app(user: UserInfo | None = None, script: Path = APP) -> AppTest:
    """An AppTest of `script` (the entry point by default), signed in as `user` when given."""
    at = AppTest.from_file(script, default_timeout=TIMEOUT)
    if user is not None:
        at.session_state["user"] = user
    return at


def page(name: str) -> Path:
    """The file of a page module."""
    return DASHBOARD / "screens" / f"{name}.py"


def csv_rows(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    """The rows of a CSV download by heading (the reader's language: "Comments", "Day")."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def cells(table: Any) -> pd.DataFrame | None:
    """What the cells of a table (an AppTest dataframe) read when pandas' Styler writes them (its
    display values), else None (Streamlit writes them, by the column's format)."""
    arrow = table.proto.arrow_data
    if not arrow.HasField("styler"):
        return None
    return dataframe_util.convert_arrow_bytes_to_pandas_df(arrow.styler.display_values)


def column_formats(table: Any) -> dict[str, str | None]:
    """The number format of each column a table's column_config formats."""
    config = json.loads(table.proto.columns or "{}")
    return {
        name.removeprefix("col:"): (c.get("type_config") or {}).get("format")
        for name, c in config.items()
    }


def chart_specs(at: AppTest) -> list[dict]:
    """The Vega-Lite specs of the charts on the page."""
    charts = [*at.get("arrow_vega_lite_chart"), *at.get("vega_lite_chart")]
    return [json.loads(chart.proto.spec) for chart in charts]
