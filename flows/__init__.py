"""Prefect flows: thin wrappers that schedule the pipeline steps of casebook.steps."""
