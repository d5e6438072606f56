"""Prefect flows: thin wrappers that schedule the pipeline steps of casebook.steps.

A flow called with no PREFECT_API_URL starts a temporary Prefect server; on a busy machine it
takes longer than Prefect's default 20 s to answer, so the flows give it 120 s (unless the
environment says otherwise). This must happen before Prefect reads its settings: this package
is imported before any flow module imports prefect.
"""

import os

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
