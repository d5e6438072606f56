"""`casebook train turns`: the turn reader (nlp/turns.py) trained on the annotated development
threads (casebook/turn_training.py), a checkout tool like `casebook evaluate conversations`."""

from __future__ import annotations

import typer

from casebook.cli.common import UserError, console, err, friendly
from casebook.cli.conversations import figure_cell
from casebook.cli.nlp import DEFAULT_DATA, ModelsDir, SharedData, train_app


@train_app.command("turns")
@friendly
def train_turns(data: SharedData = DEFAULT_DATA, models: ModelsDir = None) -> None:
    """Train the turn reader (nlp/turns.py: does a customer's first turn complain, does their
    last turn say they are better off) on the annotated development threads, its threshold
    chosen by cross-validation over them, into MODELS/turns with its cards (checkout only)."""
    from casebook.settings import get_settings
    from casebook.turn_training import train_turns as train

    if not data.is_dir():
        raise UserError(f"{data} is not a folder: pass --data (the shared data sets of a checkout)")
    models = models or get_settings().models_dir
    with err.status("training the turn reader (cross-validation over the dev threads)"):
        result = train(models / "turns", data, models)
    console.print(f"turn reader: {models / 'turns'}, chosen: {result['chosen']}")
    for trial, figs in result["trials"].items():
        for part, f in figs.items():
            console.print(
                f"  {trial} | {part}: recovery precision {figure_cell(f['recovery_precision'])}"
                f" recall {figure_cell(f['recovery_recall'])}, escalation precision"
                f" {figure_cell(f['escalation_precision'])}, arc accuracy {figure_cell(f['arc_accuracy'])}",
                highlight=False,
            )


def register(app: typer.Typer) -> None:
    """Nothing to add to `app`: `train turns` is on `casebook train` (casebook.cli.nlp's
    train_app) once this module is imported."""
