"""Casebook: real customer cases, turned into training that advisors share."""

__version__ = "0.1.0"
