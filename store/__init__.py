"""The store: tables, sessions, migrations and query functions."""
