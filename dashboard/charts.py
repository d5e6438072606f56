"""Charts read at a glance (Altair): stacked areas for a share of a whole over time, small
multiples when each group has its own scale, bars for weeks labelled as weeks, every axis and
legend in the reader's language (dashboard.labels), dates and numbers written as they write them
(LOCALES)."""

from __future__ import annotations

from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.i18n import SHORT_MONTHS, current_language, t
from dashboard.labels import column, label, localised

LONG_SPAN_DAYS = 120  # beyond this, days are summed by week (by month beyond two years)
MAX_GROUPS = 8  # beyond this, the smallest groups are summed as "other"

# Vega's number and time locales (d3-format's and d3-time-format's en-US and fr-FR definitions;
# French thousands apart by the narrow no-break space of dashboard.i18n.written): month and day
# names, decimal mark, thousands. They go in each chart's own config (Vega's per-view locale), so
# each view writes in its reader's language. Not Altair's `renderers.set_embed_options(
# format_locale=...)`: one setting for the whole process, which st.altair_chart does not read;
# nor vega-embed's formatLocale, which Streamlit drops from a spec's usermeta and which sets the
# browser page's default.
# fmt: off
LOCALES: dict[str, dict[str, Any]] = {
    "en": {
        "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
        "time": {
            "dateTime": "%a %b %e %X %Y", "date": "%m/%d/%Y", "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": ["January", "February", "March", "April", "May", "June", "July", "August",
                       "September", "October", "November", "December"],
            "shortMonths": SHORT_MONTHS["en"],
        },
    },
    "fr": {
        "number": {"decimal": ",", "thousands": "\u202f", "grouping": [3],
                   "currency": ["", "\u00a0€"], "percent": "\u202f%"},
        "time": {
            "dateTime": "%A %e %B %Y à %X", "date": "%d/%m/%Y", "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
            "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
            "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                       "septembre", "octobre", "novembre", "décembre"],
            "shortMonths": SHORT_MONTHS["fr"],
        },
    },
}
# fmt: on
# Dates day first ("3 mars 2026", "3 Mar 2026"), the names from the locale; a Vega-Lite tooltip
# would otherwise write "Mar 03, 2026" in any language.
DAY, DAY_OF_YEAR, MONTH = "%-d %b", "%-d %b %Y", "%b %Y"


def show(chart: Any, **kwargs: Any) -> None:
    """`chart` on the page, its dates and numbers written in the reader's language."""
    locale = LOCALES[current_language()]
    st.altair_chart(chart.configure(locale=locale, timeFormat=DAY_OF_YEAR), **kwargs)


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
    fmt = MONTH if title_key == "month_of" else (DAY_OF_YEAR if weekly else DAY)
    title = t(title_key) if title_key else X
    if weekly:  # one bar per week (or month), labelled by its first day (or month), in time order
        unit = "yearmonth" if title_key == "month_of" else "yearmonthdate"
        x_axis = alt.X(
            f"{X}:O", timeUnit=unit, title=title, axis=alt.Axis(format=fmt, labelAngle=0)
        )
        tip = alt.Tooltip(f"{X}:O", timeUnit=unit, title=title, format=fmt)
    else:
        axis = alt.Axis(format=fmt, labelAngle=0)
        x_axis = alt.X(f"{X}:T", title=title, axis=axis, timeUnit="yearmonthdate")
        tip = alt.Tooltip(f"{X}:T", timeUnit="yearmonthdate", title=title, format=DAY_OF_YEAR)
    base = alt.Chart(shown)
    mark: Any = base.mark_bar() if weekly else base.mark_area(opacity=0.85)
    chart = mark.encode(
        x=x_axis,
        y=alt.Y(f"sum({Y}):Q", title=Y, stack="zero"),
        color=alt.Color(f"{C}:N", title=C, sort="-y"),
        tooltip=[tip, C, alt.Tooltip(f"sum({Y}):Q", title=Y)],
    )
    show(chart, width="stretch")


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
            x=alt.X(f"{X}:T", title=title, axis=alt.Axis(format=DAY, labelAngle=0)),
            y=alt.Y(f"{Y}:Q", title=Y),
            tooltip=[alt.Tooltip(f"{X}:T", title=title, format=DAY_OF_YEAR), F, Y],
        )
        .properties(width=170, height=120)  # three a row fit a 1280 px screen beside the menu
        .facet(facet=alt.Facet(f"{F}:N", title=F), columns=3)
        .resolve_scale(y="independent")
    )
    show(chart)


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
    show(alt.Chart(shown).mark_bar().encode(**encoding), width="stretch")
