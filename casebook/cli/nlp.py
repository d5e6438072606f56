"""`casebook enrich` (the store's comments), and `analyze`, `train` and `evaluate`: nlp/ on files,
without the store.

`--data` of train and evaluate defaults to CASEBOOK_TRAIN_DATA, else ../shared/data from the
current folder; `--models` defaults to the configured classifiers (CASEBOOK_MODELS_DIR).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from casebook.cli.common import UserError, command_group, console, counted, err, friendly, run_step
from casebook.cli.summaries import OutputFormat, check_output, enrich_line, show
from casebook.settings import get_settings

# The shared data folder of the training and evaluation sets: beside the checkout by default.
DEFAULT_DATA = Path("../shared/data")
DATA_ENV = "CASEBOOK_TRAIN_DATA"
# The options the training and evaluation commands share.
SharedData = Annotated[Path, typer.Option(envvar=DATA_ENV, help="The shared data folder.")]
ModelsDir = Annotated[
    Path | None, typer.Option(help="Folder of the classifiers (default: the configured ones).")
]
BATCH_SIZE = 500

csv.field_size_limit(10_000_000)


class InputFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    text = "text"


_EXTENSIONS = {
    ".csv": InputFormat.csv,
    ".jsonl": InputFormat.jsonl,
    ".ndjson": InputFormat.jsonl,
    ".txt": InputFormat.text,
    ".text": InputFormat.text,
}


def input_format(path: Path, given: InputFormat | None) -> InputFormat:
    """The format named by --format, else the one the extension says."""
    if given is not None:
        return given
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise UserError(
            f"cannot tell the format of {path.name} from its extension: "
            "pass --format csv, jsonl or text"
        )
    return found


def iter_texts(
    stream: IO[str], fmt: InputFormat, text_column: str, text_field: str, name: str
) -> Iterator[str]:
    """The texts of an input file, one per row, in order, read as they are needed."""
    if fmt == InputFormat.csv:
        reader = csv.DictReader(stream)
        columns = reader.fieldnames or []
        if text_column not in columns:
            raise UserError(
                f"{name} has no column {text_column!r} (columns: {', '.join(columns) or 'none'}); "
                "pass --text-column"
            )
        for rec in reader:
            yield rec.get(text_column) or ""
    elif fmt == InputFormat.jsonl:
        for number, line in enumerate(_lines(stream), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserError(f"{name} line {number} is not JSON: {exc.msg}") from None
            if not isinstance(rec, dict) or text_field not in rec:
                raise UserError(
                    f"{name} line {number} has no field {text_field!r}; pass --text-field"
                )
            value = rec[text_field]
            yield "" if value is None else value if isinstance(value, str) else str(value)
    else:
        for line in _lines(stream):
            yield line


def _lines(stream: IO[str], chunk_chars: int = 1 << 16) -> Iterator[str]:
    """The lines of a stream opened with newline="", split at "\n" only (a trailing "\r" of
    "\r\n" dropped): a lone "\r" inside a comment is not a line break, as iterating over the
    stream would take it, which shifted every following output row."""
    pending = ""
    while chunk := stream.read(chunk_chars):
        *complete, pending = (pending + chunk).split("\n")
        for line in complete:
            yield line[:-1] if line.endswith("\r") else line
    if pending:
        yield pending[:-1] if pending.endswith("\r") else pending


def _check_first_row(path: Path, fmt: InputFormat, text_column: str, text_field: str) -> None:
    """Raise UserError now (before the classifiers load) if the header or first record is wrong."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as stream:
        next(iter_texts(stream, fmt, text_column, text_field, path.name), None)


def batches(items: Iterator[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def analysis_record(analysis: Any) -> dict[str, Any]:
    """A CommentAnalysis as a JSON-ready dict (pii spans as {type, start, end})."""
    return asdict(analysis)


@contextmanager
def _bar(description: str, total: int | None) -> Iterator[tuple[Progress, Any]]:
    bars = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]} rows"),
        TimeElapsedColumn(),
        console=err,
    )
    with bars:
        yield bars, bars.add_task(description, total=total, rows=0)


def analyze(
    input: Annotated[Path, typer.Argument(help="A CSV, JSONL or text file (one comment a line).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the JSON lines.")],
    format: Annotated[
        InputFormat | None,
        typer.Option("--format", "-f", help="Input format (default: from the extension)."),
    ] = None,
    text_column: Annotated[str, typer.Option(help="CSV column holding the text.")] = "text",
    text_field: Annotated[str, typer.Option(help="JSONL field holding the text.")] = "text",
    situation_model: Annotated[
        Path | None,
        typer.Option(help="A situation classifier from `casebook train situation`."),
    ] = None,
    models: ModelsDir = None,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Comments analysed per batch.")
    ] = BATCH_SIZE,
    workers: Annotated[
        int,
        typer.Option(
            min=0,
            help="Processes that analyse (each holds the classifiers, about 400 MB); "
            "0: one per core, at most 2.",
        ),
    ] = 1,
) -> None:
    """Analyse every comment of a file; write one JSON object per row, in order."""
    if not input.exists():
        raise UserError(f"{input} does not exist")
    if input.is_dir():
        raise UserError(f"{input} is a folder, not a file")
    fmt = input_format(input, format)
    _check_first_row(input, fmt, text_column, text_field)
    if situation_model is not None and not (situation_model / "classifier.skops").exists():
        raise UserError(f"{situation_model} holds no situation classifier (classifier.skops)")
    from nlp.parallel import default_workers, open_analyzer

    models = models or get_settings().models_dir
    with contextlib.ExitStack() as stack:
        with err.status("loading the classifiers"):
            analyzer = stack.enter_context(
                open_analyzer(workers or default_workers(), models, None, situation_model)
            )
        _analyze_file(analyzer, input, output, fmt, text_column, text_field, batch_size)


def _analyze_file(
    analyzer: Any,
    input: Path,
    output: Path,
    fmt: str,
    text_column: str,
    text_field: str,
    batch_size: int,
) -> None:
    """Stream the file through the analyser into OUTPUT (written whole, or not at all)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    rows = 0
    try:
        with (
            input.open("rb") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="") as stream,
            partial.open("w", encoding="utf-8") as out,
            _bar(f"analysing {input.name}", input.stat().st_size or None) as (bars, task),
        ):
            texts = iter_texts(stream, fmt, text_column, text_field, input.name)
            for batch in batches(texts, batch_size):
                for result in analyzer.analyze(batch):
                    out.write(json.dumps(analysis_record(result), ensure_ascii=False) + "\n")
                rows += len(batch)
                bars.update(task, completed=raw.tell(), rows=rows)
            bars.update(task, completed=input.stat().st_size, rows=rows)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    err.print(f"{counted(rows, 'row')} analysed ({analyzer.version}) -> {output}")


train_app = command_group(
    help="Rebuild the shipped classifiers, or train a custom situation classifier.",
    invoke_without_command=True,
)


@train_app.callback()
@friendly
def train_all(
    ctx: typer.Context,
    data: SharedData = DEFAULT_DATA,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Where the classifiers go (default: the configured classifiers' folder)."
        ),
    ] = None,
    quick: Annotated[bool, typer.Option(help="One sentiment variant only (faster).")] = False,
) -> None:
    """Rebuild every shipped classifier (sentiment, emotion, language screen) from scratch, with
    their cards."""
    if ctx.invoked_subcommand is not None:
        return
    if not data.is_dir():
        raise UserError(f"{data} is not a folder: pass --data (the shared data sets of a checkout)")
    from nlp.emotion_train import train_emotion
    from nlp.language_train import train_language
    from nlp.sentiment_train import train_sentiment

    out = out or get_settings().models_dir
    figures = {}
    with err.status("training the sentiment classifier (minutes)"):
        figures["sentiment"] = train_sentiment(data, out, quick=quick)
    with err.status("training the emotion classifier"):
        figures["emotion"] = train_emotion(data, out)
    with err.status("training the language screen"):
        figures["language"] = train_language(data, out)
    for name, dev in figures.items():
        console.print(f"{name}: {out / name} " + ", ".join(f"{k} {v}" for k, v in dev.items()))


def evaluate(
    what: Annotated[
        str,
        typer.Argument(
            help="nlp (the classifiers' figures) or conversations (the outcome of whole threads "
            "on the annotated set, dev and test side by side)."
        ),
    ] = "nlp",
    split: Annotated[str, typer.Option(help="conversations only: dev, test or both.")] = "both",
    out: Annotated[
        Path | None, typer.Option(help="conversations only: also write the figures as JSON here.")
    ] = None,
    data: SharedData = DEFAULT_DATA,
    models: ModelsDir = None,
    situation_model: Annotated[
        Path | None, typer.Option(help="A situation classifier to score as well.")
    ] = None,
    situation_data: Annotated[
        str | None,
        typer.Option(
            help="'clinc150' (CLINC150 val from --data) or a labelled CSV (text,label columns)."
        ),
    ] = None,
    text_column: Annotated[str, typer.Option(help="Text column of --situation-data.")] = "text",
    label_column: Annotated[str, typer.Option(help="Label column of --situation-data.")] = "label",
    strict: Annotated[bool, typer.Option(help="Exit with 1 when a target is missed.")] = False,
    slow_pass: Annotated[
        bool,
        typer.Option(
            help="nlp only: also score the slow pass (sentence encoder; takes long unless "
            "--embedding-cache holds the embeddings)."
        ),
    ] = False,
    embedding_cache: Annotated[
        Path | None,
        typer.Option(
            help="nlp only: a folder of cached sentence embeddings (casebook train slow-pass)."
        ),
    ] = None,
) -> None:
    """Print the development figures of nlp/ beside their targets, or (`casebook evaluate
    conversations`) those of the conversation outcome on the annotated threads."""
    if what == "conversations":
        from casebook.cli.conversations import evaluate_conversations

        evaluate_conversations(data, models, split, out, strict)
        return
    if what != "nlp":
        raise UserError(f"evaluate nlp or conversations, not {what!r}")
    from nlp.evaluate import evaluate_all
    from nlp.evaluate_heldout import heldout_figures
    from nlp.evaluate_service import service_figures

    if not data.is_dir():
        raise UserError(f"{data} is not a folder: pass --data (the shared data sets of a checkout)")
    if (situation_model is None) != (situation_data is None):
        raise UserError("--situation-model and --situation-data go together")
    rows: list[tuple[str, str]] | None = None
    source = ""
    if situation_model is not None and situation_data is not None:
        if not (situation_model / "classifier.skops").exists():
            raise UserError(f"{situation_model} holds no situation classifier (classifier.skops)")
        rows, source = _situation_rows(situation_data, data, text_column, label_column)
    models = models or get_settings().models_dir
    with err.status("evaluating") as status:
        figures = evaluate_all(
            data,
            models,
            situation_model,
            rows,
            source,
            step=lambda what: status.update(f"evaluating {what}"),
            slow=slow_pass,
            cache=embedding_cache,
        )
        figures += heldout_figures(
            data, models, step=lambda what: status.update(f"evaluating {what}")
        )
        status.update("evaluating customer-service comments")
        figures += service_figures(data, models, slow=slow_pass)
    table = Table(title=f"nlp/ development figures ({data})")
    for column in ("figure", "value", "target", "met", "rows"):
        table.add_column(column, justify="left" if column == "figure" else "right", no_wrap=True)
    for f in figures:
        value = "n/a" if f.value is None else f"{f.value:.4f}"
        met = "-" if f.met is None else ("yes" if f.met else "NO")
        table.add_row(f.name, value, f">= {f.target:.2f}", met, str(f.rows))
    # Wide enough for the figure names even when the output is not a terminal.
    wide = Console(width=max(console.width, 100))
    wide.print(table)
    _print_pairs(wide, figures)
    for f in figures:
        if f.note:
            wide.print(f"{f.name}: {f.note}", highlight=False)
    if strict and any(f.met is False for f in figures):
        raise typer.Exit(1)


def _print_pairs(wide: Console, figures: list) -> None:
    """Development and untouched-test figures side by side (nlp.figures.PAIRS)."""
    from nlp.figures import PAIRS

    by_name = {f.name: f for f in figures}
    table = Table(title="development (seen while designing) and untouched test, side by side")
    for column in ("what", "dev", "test", "target", "test met"):
        table.add_column(column, justify="left" if column == "what" else "right", no_wrap=True)
    shown = 0
    for label, dev_name, test_name in PAIRS:
        dev, test = by_name.get(dev_name), by_name.get(test_name)
        if test is None:
            continue
        shown += 1
        table.add_row(
            label,
            "-" if dev is None or dev.value is None else f"{dev.value:.4f}",
            "n/a" if test.value is None else f"{test.value:.4f}",
            f">= {test.target:.2f}",
            "-" if test.met is None else ("yes" if test.met else "NO"),
        )
    if shown:
        wide.print(table)


def _situation_rows(
    spec: str, data: Path, text_column: str, label_column: str
) -> tuple[list[tuple[str, str]], str]:
    if spec.lower() in ("clinc150", "clinc"):
        from nlp.datasets import read_clinc150

        return read_clinc150(data, "val"), "CLINC150 val"
    from nlp.situation_model import read_labelled_csv

    return read_labelled_csv(Path(spec), text_column, label_column), Path(spec).name


def enrich(format: OutputFormat = "text") -> None:
    """Analyse the comments not yet analysed (as the enrich_feedback flow does)."""
    check_output(format)
    result = run_step("enrich")
    show(result, [enrich_line(result)], format)


def register(app: typer.Typer) -> None:
    """Add enrich, analyze, train (and train situation) and evaluate to the `casebook` command."""
    app.command("enrich")(friendly(enrich))
    app.command("analyze")(friendly(analyze))
    app.add_typer(train_app, name="train")
    app.command("evaluate")(friendly(evaluate))
