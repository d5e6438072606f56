"""What every command module of `casebook` uses: the consoles, the `error:` exit, the settings,
the migrated store, progress bars and running a pipeline step."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import Engine

from casebook import progress
from casebook.settings import Settings, get_settings

console = Console()
err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


class UserError(Exception):
    """A mistake of the user's, shown as one line."""


def counted(n: int, noun: str) -> str:
    """A count and its noun, "1 account" or "2 accounts" (English: plural with -s)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def friendly(func: F) -> F:
    """Show user mistakes as one clear line instead of a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sources.base import SourceError

        try:
            return func(*args, **kwargs)
        except (UserError, SourceError, ValueError, FileNotFoundError, PermissionError) as exc:
            # Escaped: a message may hold brackets ("pip install -e '.[extra]'", "[PERSON]").
            err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def configure_environment(settings: Settings) -> None:
    """Keep Prefect's files under var/ and stop Prefect and Streamlit from calling home."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str((settings.var_dir / "prefect").resolve()))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The first start of Prefect's temporary server migrates its database: give it time.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")


def load_settings() -> Settings:
    """The settings of this process, with Prefect's and Streamlit's environment set up."""
    current = get_settings()
    configure_environment(current)
    return current


def store_engine(settings: Settings) -> Engine:
    """The store's engine, migrated to the latest schema."""
    from store.db import get_engine, upgrade

    engine = get_engine(settings.db_url)
    upgrade(engine)
    return engine


@contextmanager
def progress_bars() -> Iterator[None]:
    """Show the pipeline's progress as bars while the block runs."""
    bars = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    tasks: dict[str, Any] = {}

    def show(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            # Stages run one after the other: a new one stops the clocks of those before it, so
            # each bar's time is its own stage's (not the time since it started, ever growing).
            for task_id in tasks.values():
                bars.stop_task(task_id)
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)

    progress.set_reporter(show)
    with bars:
        try:
            yield
        finally:
            progress.set_reporter(None)
            for task_id in tasks.values():
                bars.stop_task(task_id)


def run_step(name: str, *args: Any) -> Any:
    """Run a step of `casebook.steps.pipeline` in this process on the migrated store, with
    progress bars: no Prefect server is needed (the flows wrap the same steps for schedules)."""
    settings = load_settings()
    engine = store_engine(settings)
    step = getattr(importlib.import_module("casebook.steps.pipeline"), name)
    with progress_bars():
        return step(engine, settings, *args)
