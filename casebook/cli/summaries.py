"""What the pipeline's commands print (`import`, `ingest`, `enrich`, `curate`, `refine`, `run`,
`families rebuild`): a line per source or step whose counts and nouns agree ("1 record read",
"2 new comments"), or with `--format json` the steps' own counts as JSON, for scripts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any

import typer

from casebook.cli.common import UserError, console, counted

OutputFormat = Annotated[
    str,
    typer.Option(
        "--format", help="text (a line per source or step) or json (the counts, for scripts)."
    ),
]


def check_output(format: str) -> None:
    """Refuse an output format other than text or json (one `error:` line)."""
    if format not in ("text", "json"):
        raise UserError(f"--format must be text or json, not {format!r}")


def ingest_line(result: Mapping[str, Any]) -> str:
    """One source's ingest: "crm: 1 record read, 1 new comment, 0 quarantined", or why it failed."""
    if "error" in result:
        return f"{result['source']}: failed: {result['error']}"
    line = (
        f"{result['source']}: {counted(result['read'], 'record')} read, "
        f"{counted(result['new'], 'new comment')}, {result['quarantined']:,} quarantined"
    )
    if result.get("edited"):
        line += f", {counted(result['edited'], 'comment')} edited"
    if result.get("linked"):
        line += f", {counted(result['linked'], 'cross-post')} linked"
    return line


def enrich_line(result: Mapping[str, Any]) -> str:
    """The enrichment's line: "6 comments analysed (analyser 2026.12-...)", with the worker
    processes when there were several."""
    processes = result.get("processes", 1)
    on = f" on {counted(processes, 'worker process', 'worker processes')}" if processes > 1 else ""
    return f"{counted(result['analysed'], 'comment')} analysed{on} (analyser {result['version']})"


def curate_line(counts: Mapping[str, int]) -> str:
    """The curation's line: "2 threads curated: 2 cases saved, 0 duplicates collapsed, 0 cases
    dropped, 2 families changed"."""
    return (
        f"{counted(counts['threads'], 'thread')} curated: "
        f"{counted(counts['cases'], 'case')} saved, "
        f"{counted(counts['duplicates'], 'duplicate')} collapsed, "
        f"{counted(counts['dropped'], 'case')} dropped, "
        f"{counted(counts['families'], 'family', 'families')} changed"
    )


def refine_line(result: Mapping[str, Any]) -> str:
    """The slow pass's line: "4 comments refined in 2 cases (slow pass 2026.12-...)", or why it
    was skipped."""
    if result.get("skipped"):
        return f"slow pass skipped: {result['skipped']}"
    return (
        f"{counted(result['refined'], 'comment')} refined in {counted(result['cases'], 'case')}"
        f" (slow pass {result['version']})"
    )


def ingest_lines(results: list[Mapping[str, Any]], prefix: str = "") -> list[str]:
    """A line per source (`prefix` before each), or one saying there was none to read."""
    if not results:
        return [f"{prefix}no enabled source: declare them in sources.yaml (see `casebook sources`)"]
    return [prefix + ingest_line(r) for r in results]


def check_sources(results: list[Mapping[str, Any]], rest: str = "") -> None:
    """After the summary, one `error:` line and exit code 1 when a source failed, so that a
    scheduler or a script sees it; the other sources were ingested (`rest` says what else ran)."""
    failed = [r["source"] for r in results if "error" in r]
    if failed:
        raise UserError(
            f"{len(failed)} of {counted(len(results), 'source')} failed ({', '.join(failed)}); "
            f"{'the other was' if len(results) - len(failed) == 1 else 'the others were'} "
            f"ingested{rest}"
        )


def pipeline_lines(result: Mapping[str, Any]) -> list[str]:
    """`casebook run`: a line per source ingested, then one per step."""
    return [
        *ingest_lines(result["ingest"], prefix="ingest "),
        f"enrich: {enrich_line(result['enrich'])}",
        f"curate: {curate_line(result['curate'])}",
        f"refine: {refine_line(result['refine'])}",
    ]


def show(result: Any, lines: list[str], format: str) -> None:
    """Print `lines`, or `result` as JSON when `format` is json."""
    if format == "json":
        console.print_json(json.dumps(result, default=str, ensure_ascii=False))
        return
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True)
