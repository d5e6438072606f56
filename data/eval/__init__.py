"""Evaluation sets of nlp/ (what `casebook evaluate` scores redaction on): generators of test sets
and hand-annotated sentences. In a checkout only: the wheel does not ship them (pyproject.toml)."""
