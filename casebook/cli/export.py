"""`casebook export`: published scenarios in the formats where learning already happens (SCORM,
cmi5, xAPI, quizzes, H5P, handouts). The formats are store.exports.FORMATS, as on the coach's pages.
`casebook scenarios` and `casebook campaigns` list the ids that `--scenario` and `--campaign` take."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from casebook.cli.common import (
    UserError,
    check_choice,
    console,
    counted,
    err,
    filter_choices,
    friendly,
    load_settings,
    store_engine,
)

LEVELS = (1, 2, 3)
LISTS_HINT = (
    "`casebook scenarios` lists the published scenarios, `casebook campaigns` the campaigns"
)


def export(
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="scorm12, scorm2004, cmi5, xapi, kahoot, gift, qti, h5p or handout.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    scenario: Annotated[
        int | None,
        typer.Option("--scenario", help="One published scenario, by id (`casebook scenarios`)."),
    ] = None,
    campaign: Annotated[
        int | None,
        typer.Option("--campaign", help="A campaign's published scenarios (`casebook campaigns`)."),
    ] = None,
    situation: Annotated[
        str | None, typer.Option("--situation", help="Every published scenario of a situation.")
    ] = None,
    level: Annotated[
        int | None, typer.Option("--level", help="Every published scenario of a level (1-3).")
    ] = None,
) -> None:
    """Export one published scenario or a pack (campaign, situation, level) to a file."""
    from store.bundles import Selection
    from store.db import transaction
    from store.exports import FORMATS, export_file

    if format not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}")
    if scenario is not None and campaign is not None:
        raise UserError("give --scenario or --campaign, not both")
    if scenario is None and campaign is None and situation is None and level is None:
        raise UserError("give --scenario ID, --campaign ID, --situation or --level")
    if level is not None and level not in LEVELS:
        raise UserError(f"--level must be 1, 2 or 3, not {level}")
    if out.exists() and out.is_dir():
        raise UserError(f"--out {out} is a folder: name the file to write")
    settings = load_settings()
    engine = store_engine(settings)
    if situation is not None:
        check_choice("--situation", situation, filter_choices(engine, settings)["situation"])
    selection = Selection(
        scenario_id=scenario, campaign_id=campaign, situation=situation, level=level
    )
    with transaction(engine) as session:
        try:
            name, content, _ = export_file(session, format=format, selection=selection)
        except ValueError as exc:
            message = str(exc)
            # No such scenario or campaign, or nothing published matches: say where the ids are.
            if message.startswith(("no published scenario", "scenario ", "campaign ")):
                message += f" ({LISTS_HINT})"
            raise UserError(message) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    partial.write_bytes(content)
    partial.replace(out)  # never a half-written file under the name asked for
    console.print(
        f"{FORMATS[format].help}: {out} ({counted(len(content), 'byte')})",
        highlight=False,
        soft_wrap=True,  # a path is never cut in two
    )
    suffix = FORMATS[format].suffix_for(selection)
    if not out.name.endswith(suffix):
        # A campaign's H5P export is a zip of .h5p packages: a site would refuse it as ".h5p".
        err.print(
            f"note: this file is what a name ending in {suffix} holds ({name})", soft_wrap=True
        )


def scenarios(
    state: Annotated[
        str,
        typer.Option(
            help="published (what export takes), in_review, approved, candidate, archived, "
            "rejected, or all."
        ),
    ] = "published",
) -> None:
    """List the scenarios (the published ones by default), newest first: the ids that
    `casebook export --scenario` takes, with state, language, level and title."""
    from curation.review import ReviewState
    from store.db import transaction
    from store.scenarios import list_scenarios

    check_choice("--state", state, [*(s.value for s in ReviewState), "all"])
    engine = store_engine(load_settings())
    with transaction(engine) as session:
        frame = list_scenarios(session, state=None if state == "all" else state)
    if not len(frame):
        console.print(
            "no scenarios yet: `casebook curate` drafts them"
            if state == "all"
            else f"no {state} scenarios (`--state all` lists every one)"
        )
        return
    table = Table(title=counted(len(frame), "scenario"), title_justify="left")
    table.add_column("id", justify="right")
    table.add_column("state")
    table.add_column("lang")
    table.add_column("level", justify="right")
    table.add_column("published")
    table.add_column("title", overflow="fold")
    for row in frame.itertuples(index=False):
        published = row.published_at
        table.add_row(
            str(row.scenario_id),
            str(row.state),
            str(row.language),
            str(row.level),
            published.strftime("%Y-%m-%d") if hasattr(published, "strftime") else "",
            str(row.title),
        )
    console.print(table)


def campaigns() -> None:
    """List the campaigns, the latest start first: the ids that `casebook export --campaign`
    takes, with name, status, the languages of their scenarios, dates, teams and scenario count."""
    from store.campaigns import campaign_languages, campaign_rows
    from store.db import transaction

    engine = store_engine(load_settings())
    with transaction(engine) as session:
        frame = campaign_rows(session)
        languages = campaign_languages(session, campaign_ids=[int(i) for i in frame.campaign_id])
    if not len(frame):
        console.print("no campaigns yet: coaches create them in the dashboard")
        return
    table = Table(title=counted(len(frame), "campaign"), title_justify="left")
    for column in ("id", "name", "status", "lang", "days", "teams", "scenarios"):
        justify = "right" if column in ("id", "scenarios") else "left"
        table.add_column(column, justify=justify, overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(
            str(row.campaign_id),
            str(row.name),
            str(row.status),
            ", ".join(sorted(languages.get(int(row.campaign_id), ()))),
            f"{row.first_day:%Y-%m-%d} to {row.last_day:%Y-%m-%d}",
            str(row.teams),
            str(row.scenarios),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `export`, `scenarios` and `campaigns` to the `casebook` command."""
    app.command("export")(friendly(export))
    app.command("scenarios")(friendly(scenarios))
    app.command("campaigns")(friendly(campaigns))
