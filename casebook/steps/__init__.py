"""The three steps of the pipeline over the store: ingest, enrich, curate.

Each module holds one step; the Prefect flows (flows/) and the `casebook` command call them.
"""
