"""What every command module of `casebook` uses: the consoles, the `error:` exit, counts with
their nouns, the filters' values, the settings, the migrated store, progress bars and running a
pipeline step."""

from __future__ import annotations

import difflib
import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich import box
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
from rich.table import Table
from sqlalchemy import Engine

from casebook import progress
from casebook.settings import Settings, get_settings

console = Console()
err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


def command_group(**options: Any) -> typer.Typer:
    """A `casebook` command group. Its help is read as Markdown: a docstring's lines, wrapped
    for the source, are joined again in the command lists and help pages, and `code` shows as
    code (Typer's "rich" mode keeps each source line break, so the lists came out ragged)."""
    return typer.Typer(rich_markup_mode="markdown", **options)


class UserError(Exception):
    """A mistake of the user's, shown as one line."""


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count and its noun that agree: "1 account", "2 accounts", "1,000 new comments";
    `plural` for the nouns that do not take an -s ("2 analyses", "3 families")."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def check_choice(option: str, value: str | None, choices: Iterable[str]) -> None:
    """Refuse a filter's value that is none of `choices` (a typo would match nothing and the
    command would print an empty answer): one line naming the nearest value and all of them."""
    valid = list(dict.fromkeys(choices))
    if value is None or value in valid:
        return
    near = difflib.get_close_matches(value, valid, n=1)
    raise UserError(
        f"unknown {option} {value!r}"
        + (f" (did you mean {near[0]}?)" if near else "")
        + f": choose one of {', '.join(valid)}"
    )


def taxonomy_situations(path: Path) -> list[str]:
    """The situations of a taxonomy file, in its order (read as YAML: the analyser not loaded)."""
    import yaml

    try:
        tree = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError:
        return []
    situations = tree.get("situations") if isinstance(tree, dict) else None
    return [str(name) for name in situations or {}]


def filter_choices(engine: Engine, settings: Settings) -> dict[str, list[str]]:
    """The values the filters of cases, families and exports take: `situation` (the taxonomy's
    and any other the store holds, e.g. a custom classifier's), `language` (the codes the
    analysis gives) and `arc`."""
    from curation.arcs import ARCS
    from curation.corrections import LANGUAGES
    from store.db import transaction
    from store.queue import queue_filter_options

    with transaction(engine) as session:
        stored = queue_filter_options(session)
    return {
        "situation": [*taxonomy_situations(settings.taxonomy_file), *stored["situation"]],
        "language": [*LANGUAGES, *stored["language"]],
        "arc": [*ARCS, *stored["arc"]],
    }


def compact_table(**options: Any) -> Table:
    """A table without vertical rules nor outer edges, its columns two spaces apart: more columns
    fit on a line (80 or 100 characters) before rich wraps or cuts their cells."""
    return Table(
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        show_edge=False,
        title_justify="left",
        **options,
    )


def friendly(func: F) -> F:
    """Show user mistakes as one clear line instead of a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sources.base import SourceError

        try:
            return func(*args, **kwargs)
        except (UserError, SourceError, ValueError, FileNotFoundError, PermissionError) as exc:
            # Escaped: a message may hold brackets ("pip install -e '.[extra]'", "[PERSON]").
            err.print(f"[red]error:[/red] {escape(said(exc))}", soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def said(exc: BaseException) -> str:
    """The mistake in a line: a setting refused by its validation is named by its variable
    ("CASEBOOK_SECRET_KEY is a placeholder..."), not by pydantic's report of the Settings model."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return str(exc)
    lines = []
    for error in exc.errors():
        name = "CASEBOOK_" + "_".join(map(str, error["loc"])).upper()
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(message if name in message else f"{name}: {message}")
    return "; ".join(lines)


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


def pipeline_store() -> tuple[Settings, Engine]:
    """The settings and the migrated store of a pipeline step. Like every flow, a step refuses to
    run on a shared store (PostgreSQL) without CASEBOOK_SECRET_KEY (MissingSecretKey: an
    `error:` line), before it reads or writes anything."""
    settings = load_settings()
    settings.check_secret_key()
    return settings, store_engine(settings)


def run_step(name: str, *args: Any, store: tuple[Settings, Engine] | None = None) -> Any:
    """Run a step of `casebook.steps.pipeline` in this process on the migrated store (`store`, or
    pipeline_store()'s), with progress bars: no Prefect server is needed (the flows wrap the same
    steps for schedules). A run where every source failed is a one-line error (each source's
    reason in it), not a traceback."""
    settings, engine = store or pipeline_store()
    step = getattr(importlib.import_module("casebook.steps.pipeline"), name)
    with progress_bars():
        try:
            return step(engine, settings, *args)
        except RuntimeError as exc:
            # casebook.steps.pipeline.ingest_sources: every source failed (a missing folder, a
            # file of the wrong format...); any other RuntimeError is a bug and keeps its trace.
            if str(exc).startswith("every source failed"):
                raise UserError(str(exc)) from None
            raise
