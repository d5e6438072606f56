"""`casebook situations next | label`: a coach teaches the situations of a new domain.

The loop: `situations next` shows the customers' comments the current analysis is least sure of
(active learning), `situations label ID SITUATION` stores the coach's label (a label correction,
audited), `casebook train situation --from-store --out DIR` trains a classifier on those labels,
and CASEBOOK_SITUATION_MODEL=DIR makes `casebook enrich` use it; its own least sure comments
then come first in the queue.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from casebook.cli.common import UserError, console, friendly, load_settings, store_engine

situations_app = typer.Typer(
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


def register(app: typer.Typer) -> None:
    """Add `situations next` and `situations label` to the `casebook` command."""
    app.add_typer(situations_app, name="situations")
