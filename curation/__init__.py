"""Pure domain rules: arcs, notability, scenario drafts, review workflow."""
