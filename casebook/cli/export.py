"""`casebook export`: published scenarios in the formats where learning already happens (SCORM,
cmi5, xAPI, quizzes, H5P, handouts). The formats are store.exports.FORMATS, as on the coach's pages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from casebook.cli.common import UserError, console, friendly, load_settings, store_engine


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
        int | None, typer.Option("--scenario", help="One published scenario, by id.")
    ] = None,
    campaign: Annotated[
        int | None, typer.Option("--campaign", help="A campaign's published scenarios.")
    ] = None,
    situation: Annotated[
        str | None, typer.Option("--situation", help="Every published scenario of a situation.")
    ] = None,
    level: Annotated[
        int | None, typer.Option("--level", help="Every published scenario of a level (1-3).")
    ] = None,
) -> None:
    """Export one published scenario or a pack (campaign, situation, level) to a file."""
    from store.db import transaction
    from store.exports import FORMATS, Selection, export_file

    if format not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}")
    if scenario is not None and campaign is not None:
        raise UserError("give --scenario or --campaign, not both")
    if scenario is None and campaign is None and situation is None and level is None:
        raise UserError("give --scenario ID, --campaign ID, --situation or --level")
    if out.exists() and out.is_dir():
        raise UserError(f"--out {out} is a folder: name the file to write")
    selection = Selection(
        scenario_id=scenario, campaign_id=campaign, situation=situation, level=level
    )
    engine = store_engine(load_settings())
    with transaction(engine) as session:
        _, content, _ = export_file(session, format=format, selection=selection)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    partial.write_bytes(content)
    partial.replace(out)  # never a half-written file under the name asked for
    console.print(f"{FORMATS[format].help}: {out} ({len(content):,} bytes)")


def register(app: typer.Typer) -> None:
    """Add `export` to the `casebook` command."""
    app.command("export")(friendly(export))
