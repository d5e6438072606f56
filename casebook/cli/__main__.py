"""python -m casebook.cli: the `casebook` command."""

from casebook.cli import app

app(prog_name="casebook")
