"""Pure text analysis for Casebook: no database, no Prefect, no Streamlit."""

from nlp.analyze import Analyzer, CommentAnalysis, PiiSpan

__all__ = ["Analyzer", "CommentAnalysis", "PiiSpan"]
