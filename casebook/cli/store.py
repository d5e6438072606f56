"""`casebook init`, `serve`, `dashboard`, `demo` and `users`: setting up and running the product."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from importlib.resources import as_file, files
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import Engine

from casebook.cli.common import (
    command_group,
    console,
    counted,
    friendly,
    load_settings,
    progress_bars,
    store_engine,
)
from casebook.settings import Settings, get_settings

users_app = command_group(help="Manage dashboard accounts.", no_args_is_help=True)


def init() -> None:
    """Create or upgrade the database."""
    settings = load_settings()
    store_engine(settings)
    console.print(f"database ready: {settings.db_url}")


def serve() -> None:
    """Run the schedules of prefect.yaml locally: starts a Prefect server and serves the flows."""
    settings = load_settings()
    settings.check_secret_key()  # before any worker starts, not at the first scheduled run
    serve_schedules(settings)


def wait_for(url: str, timeout: float) -> None:
    """Wait until `url` answers 200, or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def serve_schedules(settings: Settings) -> None:
    """Start a local Prefect server (unless PREFECT_API_URL names one) and serve the scheduled flows."""
    env = os.environ.copy()
    children: list[subprocess.Popen[bytes]] = []
    # Ctrl-C reaches this process only (the children have a process group of their own): it stops
    # the flows' runner first, then its server (stopped at once, the runner printed a traceback).
    # Python ignores Ctrl-C in a script's background: this process hears it wherever started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if not env.get("PREFECT_API_URL"):
        port = settings.prefect_port
        children.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                env=env,
                process_group=0,
            )
        )
        console.print(f"starting a Prefect server on http://127.0.0.1:{port} ...")
        wait_for(f"http://127.0.0.1:{port}/api/health", timeout=120)
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    runner = [sys.executable, "-m", "flows.serve"]
    children.append(subprocess.Popen(runner, env=env, process_group=0))
    console.print("serving the schedules of prefect.yaml (Ctrl-C stops)")

    def stop(*_: object) -> None:
        for child in reversed(children):  # the runner, then the server
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop()


def dashboard(
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8501).")] = None,
) -> None:
    """Start the dashboard on http://127.0.0.1:PORT."""
    settings = load_settings()
    store_engine(settings)
    run_dashboard(port or settings.dashboard_port)


def run_dashboard(port: int) -> None:
    """Run the Streamlit app of the installed `dashboard` package until Ctrl-C or SIGTERM (its
    server, dashboard/serve.py, around dashboard/app.py)."""
    console.print(f"dashboard: http://127.0.0.1:{port}  (Ctrl-C stops it)")
    with as_file(files("dashboard") / "serve.py") as app_path:
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app_path),
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
        run_child(cmd)


STOP_GRACE_SECONDS = 15.0  # a child asked to stop gets this long before it is killed


def run_child(cmd: list[str]) -> int:
    """Run `cmd` as a child until it exits; SIGINT and SIGTERM sent to this process are passed
    on to it and waited for (killed after STOP_GRACE_SECONDS), so stopping the command never
    leaves the child serving. Returns the child's exit code."""
    child = subprocess.Popen(cmd, env=os.environ.copy())
    asked_at: list[float] = []

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)
        asked_at.append(time.monotonic())

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            try:
                return child.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                if asked_at and time.monotonic() - asked_at[0] > STOP_GRACE_SECONDS:
                    child.kill()
                    return child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:  # an error of ours: the child does not outlive the command
            child.kill()
            child.wait()


def demo(
    comments: Annotated[
        int, typer.Option(min=1, help="How many demo comments to generate.")
    ] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the demo generator.")] = 7,
    no_dashboard: Annotated[
        bool, typer.Option("--no-dashboard", help="Stop after loading the data.")
    ] = False,
) -> None:
    """Set up a demo: database, demo accounts, generated conversations, one pipeline run, dashboard."""
    os.environ["CASEBOOK_DEMO_MODE"] = "1"
    get_settings.cache_clear()
    settings = load_settings()
    engine = store_engine(settings)
    from casebook.demo.generator import generate_demo
    from casebook.demo.seeding import (
        DEMO_ACCOUNTS,
        ensure_demo_accounts,
        publish_demo_scenarios,
        seed_demo_learning,
    )
    from casebook.steps.ingest import register_source

    demo_dir = (settings.var_dir / "demo").resolve()
    # The conversations end today, so the dashboard's recent periods hold data.
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    demo_files = generate_demo(demo_dir, n_comments=comments, seed=seed, start=today)
    console.print(f"generated {counted(len(demo_files), 'demo file')} in {demo_dir}")
    register_source(engine, "demo", "jsonl", "mixed", {"path": str(demo_dir), "channel": "demo"})
    ensure_demo_accounts(engine)
    from casebook.steps.pipeline import run_pipeline

    with progress_bars():
        run_pipeline(engine, settings, ["demo"])
    published = publish_demo_scenarios(engine)
    console.print(f"published {counted(published, 'top scenario')} as the demo coach")
    learning = seed_demo_learning(engine)
    answers = counted(learning["answers"], "peer's answer", "peers' answers")
    console.print(
        f"{answers}, {counted(learning['votes'], 'vote')} and "
        f"{counted(learning['campaigns'], 'running campaign')} added"
    )
    _print_counts(engine)
    table = Table(title="Demo accounts (demo mode only)")
    for column in ("username", "password", "role", "language"):
        table.add_column(column)
    for username, password, role, _, _, _, language, _ in DEMO_ACCOUNTS:
        table.add_row(username, password, role, language)
    console.print(table)
    if not no_dashboard:
        run_dashboard(settings.dashboard_port)


def _print_counts(engine: Engine) -> None:
    from store.admin import row_counts
    from store.db import transaction

    with transaction(engine) as session:
        counts = row_counts(session)
    table = Table(title="Rows in the store")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in counts.items():
        table.add_row(name, f"{n:,}")
    console.print(table)


Actor = Annotated[str | None, typer.Option(help="Who does it (the audit log's actor).")]
LEVEL = typer.Option(min=1, max=3, help="1 initial, 2 continuing, 3 expertise.")
Level = Annotated[int, LEVEL]


def _password_option(what: str) -> Any:
    """A password typed twice, hidden (or CASEBOOK_NEW_USER_PASSWORD, for scripts)."""
    return typer.Option(
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        show_default=False,  # the prompt reads "Password:", not "Password []:"
        envvar="CASEBOOK_NEW_USER_PASSWORD",
        help=f"{what} (asked for; or CASEBOOK_NEW_USER_PASSWORD).",
    )


WorksIn = Annotated[
    str | None,
    typer.Option(
        help="The languages of the customers served, comma apart (fr or en,fr): practice "
        "scenarios are in them. Default: the interface language."
    ),
]


def _languages(works_in: str | None) -> list[str] | None:
    return None if works_in is None else works_in.split(",")


@users_app.command("add")
@friendly
def users_add(
    username: str,
    role: Annotated[str, typer.Option(help="coach, advisor, leader or admin.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    team: Annotated[str | None, typer.Option()] = None,
    site: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str, typer.Option(help="Interface language: en or fr.")] = "en",
    level: Level = 1,
    works_in: WorksIn = None,
    actor: Actor = None,
    password: Annotated[str, _password_option("The password")] = "",
) -> None:
    """Add a dashboard account (the password is stored hashed); audited."""
    import getpass

    from store.db import transaction
    from store.users import create_user

    engine = store_engine(load_settings())  # the store checks the role, level and languages
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
            work_languages=_languages(works_in),
            actor=actor or getpass.getuser(),
        )
    console.print(f"user {username} ({role}) added")


@users_app.command("list")
@friendly
def users_list() -> None:
    """List the dashboard accounts."""
    from store.admin import list_users
    from store.db import transaction

    engine = store_engine(load_settings())
    with transaction(engine) as session:
        frame = list_users(session)
    if not len(frame):
        console.print("no users")
        return
    table = Table(title=counted(len(frame), "account"), title_justify="left")
    # lang: the interface's, then "→ fr" the customers' when theirs differ (practice is in them).
    for column in ("username", "name", "role", "team", "site", "lang", "level", "status"):
        table.add_column(column, overflow="fold")
    for row in frame.itertuples(index=False):
        status = "disabled " + _cell(row.disabled_at) if not _blank(row.disabled_at) else "active"
        serves = "" if row.work_languages == row.language else f" → {row.work_languages}"
        table.add_row(
            str(row.username),
            str(row.display_name),
            str(row.role) + (" (demo)" if row.is_demo else ""),
            "" if _blank(row.team) else str(row.team),
            "" if _blank(row.site) else str(row.site),
            f"{row.language}{serves}",
            str(row.level),
            status,
        )
    console.print(table)


def _blank(value: Any) -> bool:
    try:
        return bool(value is None or value != value)  # None, NaN or NaT
    except (TypeError, ValueError):
        return False


def _cell(value: Any) -> str:
    """A table cell: times to the minute, the rest as text."""
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d %H:%M"))
    return str(value)


def _account_change(username: str, actor: str | None, done: str, change: Any) -> None:
    """Run `change(session, actor)` on the store in one transaction and say what was done."""
    import getpass

    from store.db import transaction

    engine = store_engine(load_settings())
    with transaction(engine) as session:
        changed = change(session, actor or getpass.getuser())
    console.print(f"user {username} {done}" + ("" if changed in (None, True) else " already"))


@users_app.command("set")
@friendly
def users_set(
    username: str,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    role: Annotated[str | None, typer.Option(help="coach, advisor, leader or admin.")] = None,
    team: Annotated[str | None, typer.Option(help='Team ("" for none).')] = None,
    site: Annotated[str | None, typer.Option(help='Site ("" for none).')] = None,
    level: Annotated[int | None, LEVEL] = None,
    works_in: WorksIn = None,
    actor: Actor = None,
) -> None:
    """Change an account's name, role, team, site, level or customers' languages; audited."""
    import getpass

    from store.db import transaction
    from store.users import KEEP, update_user

    engine = store_engine(load_settings())
    with transaction(engine) as session:
        changed = update_user(
            session,
            username=username,
            actor=actor or getpass.getuser(),
            display_name=name,
            role=role,
            team=KEEP if team is None else team,
            site=KEEP if site is None else site,
            level=level,
            work_languages=KEEP if works_in is None else _languages(works_in),
        )
    if not changed:
        console.print(f"user {username} unchanged")
        return
    said = ", ".join(
        f"{SET_NAMES.get(field, field)} {_said(old)} -> {_said(new)}"
        for field, (old, new) in changed.items()
    )
    console.print(f"user {username} changed: {said}")


SET_NAMES = {"display_name": "name", "work_languages": "serves"}  # the fields as readers say them


def _said(value: Any) -> str:
    if value is None:
        return "(none)"
    return ",".join(value) if isinstance(value, list) else str(value)


@users_app.command("disable")
@friendly
def users_disable(username: str, actor: Actor = None) -> None:
    """Stop an account from signing in (its history stays); audited."""
    from store.users import set_disabled

    _account_change(
        username,
        actor,
        "disabled",
        lambda s, who: set_disabled(s, username=username, disabled=True, actor=who),
    )


@users_app.command("enable")
@friendly
def users_enable(username: str, actor: Actor = None) -> None:
    """Let a disabled account sign in again; audited."""
    from store.users import set_disabled

    _account_change(
        username,
        actor,
        "enabled",
        lambda s, who: set_disabled(s, username=username, disabled=False, actor=who),
    )


@users_app.command("reset-password")
@friendly
def users_reset_password(
    username: str,
    password: Annotated[str, _password_option("The new password")] = "",
    actor: Actor = None,
) -> None:
    """Give an account a new password (the password policy applies); audited."""
    from store.users import reset_password

    _account_change(
        username,
        actor,
        "has a new password",
        lambda s, who: reset_password(s, username=username, password=password, actor=who),
    )


@users_app.command("remove")
@friendly
def users_remove(
    username: str,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    actor: Actor = None,
) -> None:
    """Delete an account with its answers, votes and comments; audited."""
    if not yes:
        typer.confirm(f"remove {username} with their answers, votes and comments?", abort=True)
    from store.users import remove_user

    _account_change(
        username, actor, "removed", lambda s, who: remove_user(s, username=username, actor=who)
    )


def register(app: typer.Typer) -> None:
    """Add init, serve, dashboard, demo and users to the `casebook` command."""
    app.command("init")(friendly(init))
    app.command("serve")(friendly(serve))
    app.command("dashboard")(friendly(dashboard))
    app.command("demo")(friendly(demo))
    app.add_typer(users_app, name="users")
