"""The period a leader's or coach's page covers: the last 7, 30, 90 or 365 days, everything the
store holds (an imported 2015 history included), or any range of dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import streamlit as st

from dashboard.i18n import date_format, t

PRESETS = (7, 30, 90, 365)
ALL = "all"
CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included (UTC)."""

    start: date
    end: date
    everything: bool = False

    @property
    def days(self) -> int:
        """The store functions' `days` before `now` (the days after `start`)."""
        return max(1, (self.end - self.start).days)

    @property
    def now(self) -> datetime:
        """The store functions' `now`: the end of the period."""
        return datetime.combine(self.end, time(23, 59, 59), tzinfo=UTC)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    @property
    def weeks(self) -> int:
        return max(1, -(-((self.end - self.start).days + 1) // 7))


def _label(choice: Any) -> str:
    if choice == ALL:
        return t("period_all")
    if choice == CUSTOM:
        return t("period_custom")
    return t("days", n=choice)


def pick_period(
    key: str, first: date | None, last: date, default: int | str = 30, container: Any = st
) -> Period:
    """Radio buttons for the period (and two dates for a custom one), with a caption of the days
    covered. `first` and `last`: the store's first and last days (e.g. of an imported history)."""
    first = min(first or last, last)
    choices: list[Any] = [*PRESETS, ALL, CUSTOM]
    choice = container.radio(
        t("period"),
        choices,
        index=choices.index(default) if default in choices else 1,
        horizontal=True,
        format_func=_label,
        key=key,
    )
    if choice == ALL:
        period = Period(first, last, everything=True)
    elif choice == CUSTOM:
        picked = container.date_input(
            t("period_range"),
            value=(max(first, last - timedelta(days=30)), last),
            min_value=first,
            max_value=last,
            format=date_format(),
            key=f"{key}_range",
        )
        dates = list(picked) if isinstance(picked, list | tuple) else [picked]
        dates = [d for d in dates if d is not None] or [last]
        period = Period(min(dates), max(dates))
    else:  # the last n days, the last one included: n dates, not n + 1
        period = Period(last - timedelta(days=int(choice) - 1), last)
    container.caption(t("period_span", start=period.start, end=period.end))
    return period
