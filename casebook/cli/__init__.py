"""The `casebook` command: one Typer app gathering the command modules, one per concern.

store.py: init, serve, dashboard, demo, users. sources.py: import, ingest, sources, quarantine,
erase. nlp.py: enrich, analyze, train, evaluate. curation.py: curate, refine, run, cases, corrections,
families. turns.py: train turns. slow_pass.py: train slow-pass, train finetuned. situations.py: situations next, label, train situation (a coach teaches a new
domain). export.py: export (SCORM, cmi5, xAPI, quizzes, H5P, handouts), and scenarios and campaigns
(the ids it takes). xapi.py: xapi send, status, backfill (the outbox of xAPI statements).
common.py: what they share (settings, the migrated store, the `error:` exit, counts with their
nouns, the filters' values, progress). summaries.py: the lines the pipeline's commands print.
"""

from __future__ import annotations

from casebook.cli import curation, export, nlp, situations, slow_pass, sources, store, turns, xapi
from casebook.cli.common import command_group, friendly
from casebook.logs import configure_logging
from casebook.settings import get_settings

app = command_group(
    help="Casebook: real customer cases, turned into training that advisors share.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
for module in (store, sources, nlp, curation, situations, turns, slow_pass, export, xapi):
    module.register(app)


@app.callback()
@friendly
def _set_up() -> None:
    # Before every command: logging as CASEBOOK_LOG_LEVEL and CASEBOOK_LOG_FORMAT say.
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
