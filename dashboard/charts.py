"""Charts read at a glance (Altair): stacked areas for a share of a whole over time, small
multiples when each group has its own scale, bars for weeks labelled as weeks, every axis and
legend in the reader's language (dashboard.labels)."""

from __future__ import annotations

from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.labels import column, label, localised

LONG_SPAN_DAYS = 120  # beyond this, days are summed by week (by month beyond two years)
MAX_GROUPS = 8  # beyond this, the smallest groups are summed as "other"


def _top_groups(frame: pd.DataFrame, y: str, color: str) -> pd.DataFrame:
    totals = frame.groupby(color)[y].sum().sort_values(ascending=False)
    if len(totals) <= MAX_GROUPS:
        return frame
    keep = set(totals.index[: MAX_GROUPS - 1])
    shown = frame.copy()
    shown[color] = shown[color].where(shown[color].isin(keep), t("other_groups"))
    return shown.groupby([c for c in shown.columns if c != y], as_index=False)[y].sum()


def stacked_trend(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str,
    weekly: bool = False,
    span: tuple[date, date] | None = None,
) -> None:
    """`y` over time (`x`, a day or a week) stacked by `color`: the total and each group's part
    read at once; at most MAX_GROUPS groups. `span` (weekly): every week from the one of its
    first day to the one of its last has its bar, an empty week an empty place, so the weeks
    read as a timeline."""
    data = frame[[x, y, color]].copy()
    data[x] = pd.to_datetime(data[x])
    if weekly and span is not None:
        data = every_week(data, x=x, y=y, color=color, span=span)
    title_key = "week_of" if weekly else None
    span = (data[x].max() - data[x].min()).days if len(data) else 0
    if not weekly and span > LONG_SPAN_DAYS:  # years of days: weeks or months read better
        freq, title_key = ("MS", "month_of") if span > 2 * 365 else ("W-MON", "week_of")
        data[x] = data[x].dt.to_period("M" if freq == "MS" else "W-SUN").dt.start_time
        data = data.groupby([x, color], as_index=False)[y].sum()
        weekly = True
    shown = localised(_top_groups(data, y, color))
    X, Y, C = column(x), column(y), column(color)  # noqa: N806 (the shown names)
    fmt = "%b %Y" if title_key == "month_of" else ("%d %b %Y" if weekly else "%d %b")
    axis = alt.Axis(format=fmt, labelAngle=0)
    title = t(title_key) if title_key else X
    if weekly:  # one bar per week, labelled by its first day (or month), in time order
        shown = shown.sort_values(X)
        shown[X] = shown[X].dt.strftime(fmt)
        order = list(dict.fromkeys(shown[X]))  # told, not left to the data's order
        x_axis = alt.X(f"{X}:O", title=title, sort=order, axis=alt.Axis(labelAngle=0))
        tip = alt.Tooltip(f"{X}:O", title=title)
    else:
        x_axis = alt.X(f"{X}:T", title=title, axis=axis, timeUnit="yearmonthdate")
        tip = alt.Tooltip(f"{X}:T", title=title)
    base = alt.Chart(shown)
    mark: Any = base.mark_bar() if weekly else base.mark_area(opacity=0.85)
    chart = mark.encode(
        x=x_axis,
        y=alt.Y(f"sum({Y}):Q", title=Y, stack="zero"),
        color=alt.Color(f"{C}:N", title=C, sort="-y"),
        tooltip=[tip, C, alt.Tooltip(f"sum({Y}):Q", title=Y)],
    )
    st.altair_chart(chart, width="stretch")


def every_week(
    data: pd.DataFrame, *, x: str, y: str, color: str, span: tuple[date, date]
) -> pd.DataFrame:
    """`data` (weeks in `x`, their Mondays) with a zero row for each week of `span` it lacks."""
    if data.empty:
        return data
    first = pd.Timestamp(span[0]) - pd.Timedelta(days=span[0].weekday())
    weeks = pd.date_range(first, pd.Timestamp(span[1]), freq="W-MON")
    missing = weeks.difference(pd.DatetimeIndex(data[x]))
    filler = pd.DataFrame({x: missing, y: 0, color: data[color].iloc[0]})
    return pd.concat([data, filler], ignore_index=True).sort_values(x, ignore_index=True)


def small_multiples(
    frame: pd.DataFrame, *, x: str, y: str, facet: str, weekly: bool = True
) -> None:
    """One small line chart per `facet` value, each on its own scale (a rising small group
    shows as clearly as a big one)."""
    shown = localised(frame[[x, y, facet]])
    X, Y, F = column(x), column(y), column(facet)  # noqa: N806
    shown[X] = pd.to_datetime(shown[X])
    title = t("week_of") if weekly else X
    chart = (
        alt.Chart(shown)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{X}:T", title=title, axis=alt.Axis(format="%d %b", labelAngle=0)),
            y=alt.Y(f"{Y}:Q", title=Y),
            tooltip=[alt.Tooltip(f"{X}:T", title=title), F, Y],
        )
        .properties(width=220, height=120)
        .facet(facet=alt.Facet(f"{F}:N", title=F), columns=3)
        .resolve_scale(y="independent")
    )
    st.altair_chart(chart)


# The width, in pixels, a bar's category name may take before it is cut with "…".
LABEL_LIMIT = 400


# A yes/no colour where "yes" is what the reader should see (a training gap): warm against grey.
FLAG_COLOURS = ("#b8c2cc", "#e8590c")


def bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str | None = None,
    horizontal: bool = False,
    flag: bool = False,
) -> None:
    """Bars of `y` by `x` (a category), coloured by `color`; labelled in the reader's language.
    `flag`: `color` is a yes/no column whose "yes" bars stand out (FLAG_COLOURS)."""
    cols = [x, y] + ([color] if color else [])
    shown = localised(frame[cols])
    X, Y = column(x), column(y)  # noqa: N806
    category = alt.X(f"{X}:N", title=X, sort="-y") if not horizontal else None
    encoding: dict[str, Any] = {"tooltip": [column(c) for c in cols]}
    if horizontal:
        # Category names whole ("Delivery and logistics", "Facturation et paiement"): Vega-Lite
        # cuts them at 180 pixels.
        encoding["y"] = alt.Y(f"{X}:N", title=X, sort="-x", axis=alt.Axis(labelLimit=LABEL_LIMIT))
        encoding["x"] = alt.X(f"{Y}:Q", title=Y)
    else:
        encoding["x"] = category
        encoding["y"] = alt.Y(f"{Y}:Q", title=Y)
    if color:
        scale = alt.Undefined
        if flag:
            no, yes = (label(str(v)) for v in (False, True))
            scale = alt.Scale(domain=[no, yes], range=list(FLAG_COLOURS))
        encoding["color"] = alt.Color(f"{column(color)}:N", title=column(color), scale=scale)
    st.altair_chart(alt.Chart(shown).mark_bar().encode(**encoding), width="stretch")
