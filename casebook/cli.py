"""The `casebook` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from enum import StrEnum
from functools import wraps
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from casebook import progress
from casebook.runtime import configure_environment
from casebook.settings import Settings, get_settings

app = typer.Typer(
    help="Casebook: real customer cases, turned into training that advisors share.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
users_app = typer.Typer(help="Manage dashboard accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")

console = Console()
err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])

DEMO_ACCOUNTS = [
    # username, password, role, display name, team, site, language, level
    ("coach", "coach-demo", "coach", "Camille (coach)", "care-paris", "Paris", "fr", 3),
    ("advisor", "advisor-demo", "advisor", "Alex (advisor)", "care-paris", "Paris", "en", 2),
    (
        "conseiller",
        "conseiller-demo",
        "advisor",
        "Inès (conseillère)",
        "care-paris",
        "Paris",
        "fr",
        2,
    ),
    ("leader", "leader-demo", "leader", "Lee (leader)", None, "Montreal", "en", 3),
    ("admin", "admin-demo", "admin", "Ada (admin)", None, None, "en", 3),
]


class UserError(Exception):
    """A mistake of the user's, shown as one line."""


def friendly(func: F) -> F:
    """Show user mistakes as one clear line instead of a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sources.base import SourceError

        try:
            return func(*args, **kwargs)
        except (UserError, SourceError, ValueError, FileNotFoundError, PermissionError) as exc:
            err.print(f"[red]error:[/red] {exc}", soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _settings() -> Settings:
    settings = get_settings()
    configure_environment(settings)
    return settings


def _engine(settings: Settings):  # noqa: ANN202
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
        console=err,
        transient=False,
    )
    tasks: dict[str, Any] = {}

    def show(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)

    progress.set_reporter(show)
    with bars:
        try:
            yield
        finally:
            progress.set_reporter(None)


@app.command()
@friendly
def init() -> None:
    """Create or upgrade the database."""
    settings = _settings()
    _engine(settings)
    console.print(f"database ready: {settings.db_url}")


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    json = "json"
    xlsx = "xlsx"
    twcs = "twcs"
    cfpb = "cfpb"
    email = "email"


# Formats whose channel is fixed by the format itself; the others take --channel and --mapping.
FIXED_CHANNEL = {Format.twcs: "twitter", Format.cfpb: "complaint", Format.email: "email"}


@app.command("import")
@friendly
def import_file(
    path: Annotated[Path, typer.Argument(help="A file (or a folder of files) to import once.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="The file's format.")],
    source: Annotated[
        str, typer.Option("--source", "-s", help="The source the comments belong to.")
    ],
    channel: Annotated[
        str, typer.Option(help="Channel of the comments (csv, jsonl, json, xlsx).")
    ] = "",
    mapping: Annotated[
        str, typer.Option(help='Column mapping as JSON, e.g. {"text": "body"}.')
    ] = "",
) -> None:
    """Import a file into a source; importing it again adds nothing."""
    from casebook.pipeline import ingest_source, register_source

    if not path.exists():
        raise UserError(f"{path} does not exist")
    settings = _settings()
    engine = _engine(settings)
    config: dict[str, Any] = {"path": str(path.resolve())}
    if format not in FIXED_CHANNEL:
        try:
            config["mapping"] = json.loads(mapping) if mapping else None
        except json.JSONDecodeError as exc:
            raise UserError(f"--mapping is not valid JSON: {exc}") from None
        config["channel"] = channel or source
    register_source(
        engine, source, format.value, FIXED_CHANNEL.get(format, channel or source), config
    )
    with progress_bars():
        result = ingest_source(engine, source, settings.pseudonym_key())
    console.print(
        f"{source}: {result.read} records read, {result.new} new comments, "
        f"{result.quarantined} quarantined"
    )


def _run_flow(module: str, name: str, *args: Any) -> Any:
    """Run a Prefect flow of flows/ on the migrated store, with progress bars."""
    import importlib

    _engine(_settings())
    flow = getattr(importlib.import_module(module), name)
    with progress_bars():
        return flow(*args)


@app.command()
@friendly
def ingest(
    source: Annotated[list[str] | None, typer.Option(help="Only these sources.")] = None,
) -> None:
    """Ingest what is new in every configured source (the ingest_feedback flow)."""
    for result in _run_flow("flows.ingest", "ingest_feedback", source or None):
        console.print(result)


@app.command()
@friendly
def enrich() -> None:
    """Analyse the comments not yet analysed (the enrich_feedback flow)."""
    console.print(_run_flow("flows.enrich", "enrich_feedback"))


@app.command()
@friendly
def curate() -> None:
    """Turn changed threads into cases and scenario drafts (the curate_cases flow)."""
    console.print(_run_flow("flows.curate", "curate_cases"))


@app.command()
@friendly
def run() -> None:
    """Run the whole pipeline once: ingest, enrich, curate (the feedback_pipeline flow)."""
    console.print(_run_flow("flows.pipeline", "feedback_pipeline"))


@app.command()
@friendly
def serve() -> None:
    """Run the schedules of prefect.yaml locally: starts a Prefect server and serves the flows."""
    from casebook.runtime import serve_schedules

    serve_schedules(_settings())


@app.command()
@friendly
def dashboard(
    port: Annotated[int | None, typer.Option(help="Port (default 8501).")] = None,
) -> None:
    """Start the dashboard on http://127.0.0.1:PORT."""
    settings = _settings()
    _engine(settings)
    _run_dashboard(settings, port or settings.dashboard_port)


def _run_dashboard(settings: Settings, port: int) -> None:
    console.print(f"dashboard: http://127.0.0.1:{port}  (Ctrl-C stops it)")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(files("dashboard") / "app.py"),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]
    with suppress(KeyboardInterrupt):
        subprocess.run(cmd, check=False, env=os.environ.copy())


@app.command()
@friendly
def demo(
    comments: Annotated[int, typer.Option(help="How many demo comments to generate.")] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the demo generator.")] = 7,
    no_dashboard: Annotated[
        bool, typer.Option("--no-dashboard", help="Stop after loading the data.")
    ] = False,
) -> None:
    """Set up a demo: database, demo accounts, generated conversations, one pipeline run, dashboard."""
    os.environ["CASEBOOK_DEMO_MODE"] = "1"
    get_settings.cache_clear()
    settings = _settings()
    engine = _engine(settings)
    from casebook.pipeline import register_source
    from sources.demo import generate_demo

    demo_dir = (settings.var_dir / "demo").resolve()
    # The conversations end today, so the dashboard's recent periods hold data.
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    files = generate_demo(demo_dir, n_comments=comments, seed=seed, start=today)
    console.print(f"generated {len(files)} demo files in {demo_dir}")
    register_source(engine, "demo", "jsonl", "mixed", {"path": str(demo_dir), "channel": "demo"})
    _ensure_demo_accounts(engine)
    from flows.pipeline import feedback_pipeline

    with progress_bars():
        feedback_pipeline(["demo"])
    from casebook.demo import publish_demo_scenarios

    published = publish_demo_scenarios(engine)
    console.print(f"published {published} top scenarios as the demo coach")
    _print_counts(engine)
    table = Table(title="Demo accounts (demo mode only)")
    for column in ("username", "password", "role", "language"):
        table.add_column(column)
    for username, password, role, _, _, _, language, _ in DEMO_ACCOUNTS:
        table.add_row(username, password, role, language)
    console.print(table)
    if not no_dashboard:
        _run_dashboard(settings, settings.dashboard_port)


def _ensure_demo_accounts(engine) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from store.db import transaction
    from store.models import User
    from store.users import create_user

    with transaction(engine) as session:
        existing = set(session.scalars(select(User.username)))
        for username, password, role, name, team, site, language, level in DEMO_ACCOUNTS:
            if username not in existing:
                create_user(
                    session,
                    username=username,
                    password=password,
                    role=role,
                    display_name=name,
                    team=team,
                    site=site,
                    language=language,
                    level=level,
                    is_demo=True,
                )


def _print_counts(engine) -> None:  # noqa: ANN001
    from store.admin import row_counts
    from store.db import transaction

    with transaction(engine) as session:
        counts = row_counts(session)
    table = Table(title="Rows in the store")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in counts.items():
        table.add_row(name, str(n))
    console.print(table)


@users_app.command("add")
@friendly
def users_add(
    username: str,
    role: Annotated[str, typer.Option(help="coach, advisor, leader or admin.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    team: Annotated[str | None, typer.Option()] = None,
    site: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str, typer.Option(help="en or fr.")] = "en",
    level: Annotated[int, typer.Option(help="1 initial, 2 continuing, 3 expertise.")] = 1,
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="CASEBOOK_NEW_USER_PASSWORD",
        ),
    ] = "",
) -> None:
    """Add a dashboard account (the password is stored hashed)."""
    from store.db import transaction
    from store.users import create_user

    if language not in ("en", "fr"):
        raise UserError("--language must be en or fr")
    engine = _engine(_settings())
    with transaction(engine) as session:
        create_user(
            session,
            username=username,
            password=password,
            role=role,
            display_name=name,
            team=team,
            site=site,
            language=language,
            level=level,
        )
    console.print(f"user {username} ({role}) added")


@users_app.command("list")
@friendly
def users_list() -> None:
    """List the dashboard accounts."""
    from store.admin import list_users
    from store.db import transaction

    engine = _engine(_settings())
    with transaction(engine) as session:
        frame = list_users(session)
    console.print(frame.to_string(index=False) if len(frame) else "no users")


from casebook import nlp_commands  # noqa: E402  (analyze, train, evaluate)

nlp_commands.register(app)

from casebook import curation_commands  # noqa: E402  (cases, corrections, families)

curation_commands.register(app)

from casebook import source_commands  # noqa: E402  (sources, quarantine, erase)

source_commands.register(app)


def main() -> None:
    """Entry point."""
    app()


if __name__ == "__main__":
    main()
