"""Bulk writes shared by the store's writers: chunked key lists, dialect upserts, fast inserts.

`chunks` cuts key lists under the drivers' parameter limits, `among` binds a long key list as one
parameter, `dialect_insert` gives the INSERT that knows ON CONFLICT on SQLite and PostgreSQL, and
`bulk_insert` writes many rows without SQLAlchemy's per-row work (COPY on PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import partial
from json.encoder import encode_basestring_ascii
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Enum, any_, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import UTCDateTime

CHUNK = 2000  # keys per IN (...) list: well under SQLite's bound-parameter limit
INSERT_CHUNK = 10_000  # rows per executemany
LOOKUP_CHUNK = 50_000  # keys per lookup: bound as one JSON array (SQLite) or array (PostgreSQL)
SQLITE_CACHE_KB = 65_536  # page cache of a connection that bulk-inserts (SQLite's default: 2 MB)


def dialect_insert(session: Session, *, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def among(session: Session, *, column: Any, values: Sequence[Any]) -> Any:
    """`column IN values` bound as one parameter: a JSON array read by json_each (SQLite), an
    array (PostgreSQL). No statement with thousands of parameters to build and compile."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        each = func.json_each(json.dumps(list(values))).table_valued("value")
        return column.in_(select(each.c.value))
    if dialect == "postgresql":
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
    return column.in_(values)


def bulk_insert(session: Session, *, table: Any, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows (all with the same keys) unless their unique key is taken; returns how many
    went in.

    Values are converted column by column as the columns' types would convert them (dates as
    SQLAlchemy's SQLite DATETIME text, JSON dumped), without SQLAlchemy's per-row work. SQLite:
    a plain DB-API executemany. PostgreSQL: COPY into a temporary table, then INSERT ...
    SELECT ... ON CONFLICT DO NOTHING.
    """
    if not rows:
        return 0
    conn = session.connection()
    dialect = conn.dialect
    columns = list(rows[0])
    converters = [
        (i, conv)
        for i, name in enumerate(columns)
        if (conv := _converter(table.c[name].type, dialect))
    ]
    names = ", ".join(columns)
    conflict = "ON CONFLICT (source_id, external_id) DO NOTHING"

    def tuples(chunk: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
        values = [list(map(itemgetter(name), chunk)) for name in columns]
        for i, conv in converters:
            values[i] = conv(values[i])
        return list(zip(*values, strict=True))

    inserted = 0
    if dialect.name == "postgresql":
        scratch = f"cb_new_{table.name}"
        cursor = conn.connection.cursor()
        try:
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {scratch} ON COMMIT DROP AS "
                f"SELECT {names} FROM {table.name} WITH NO DATA"
            )
            for chunk in chunks(rows, INSERT_CHUNK):
                with cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy:
                    for values in tuples(chunk):
                        copy.write_row(values)
                cursor.execute(
                    f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {scratch} {conflict}"
                )
                inserted += cursor.rowcount
                cursor.execute(f"TRUNCATE {scratch}")
        finally:
            cursor.close()
        return inserted
    if dialect.name == "sqlite":
        # The comments' five indexes outgrow SQLite's default 2 MB page cache within a few
        # hundred thousand rows; a bigger one for this connection makes the inserts faster.
        conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table.name} ({names}) VALUES ({', '.join([mark] * len(columns))}) {conflict}"
    )
    for chunk in chunks(rows, INSERT_CHUNK):
        inserted += conn.exec_driver_sql(sql, tuples(chunk)).rowcount
    return inserted


Converter = Callable[[list[Any]], list[Any]]


def _converter(column_type: Any, dialect: Any) -> Converter | None:
    """A function giving the DB-API values of a column's Python values, or None when they are
    the same.

    Dates and JSON, the costly ones, are converted here as the column's type would convert
    them (checked in tests/store/test_ingest.py); other types use their own bind processor.
    """
    impl = column_type.dialect_impl(dialect)
    processor = impl.bind_processor(dialect)
    if processor is None:
        return None
    if isinstance(column_type, UTCDateTime):
        if dialect.name == "postgresql":
            return _aware  # psycopg sends aware datetimes as they are: timestamptz
        if dialect.name == "sqlite":
            return _sqlite_datetimes
    elif isinstance(column_type, JSON) and not getattr(dialect, "_json_serializer", None):
        return partial(_json_texts, null=processor(None))
    elif isinstance(column_type, Enum):
        valid = frozenset(column_type.enums)
        return lambda values: [v if type(v) is str and v in valid else processor(v) for v in values]
    return lambda values: list(map(processor, values))


def _sqlite_datetimes(values: list[datetime | None]) -> list[str | None]:
    """As SQLAlchemy's SQLite DATETIME stores UTC datetimes: "YYYY-MM-DD HH:MM:SS.ffffff"."""
    if all(v is not None and v.tzinfo is UTC for v in values):
        # The aware ISO form of a UTC time is the stored form followed by "+00:00".
        return [v.isoformat(" ", "microseconds")[:26] for v in values]  # type: ignore[union-attr]
    converted: list[str | None] = []
    for value in values:
        if value is None:
            converted.append(None)
            continue
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a time zone")
        converted.append(value.astimezone(UTC).isoformat(" ", "microseconds")[:26])
    return converted


def _json_texts(values: list[Any], null: Any) -> list[Any]:
    """Each value as json.dumps writes it; None as the JSON type binds it."""
    quote = encode_basestring_ascii  # what json.dumps uses for each string
    dumps = json.dumps
    texts = []
    for value in values:
        if value is None:
            texts.append(null)
            continue
        if type(value) is dict:
            try:  # a flat object of strings (a CSV row), written as json.dumps would
                texts.append(
                    "{" + ", ".join([quote(k) + ": " + quote(v) for k, v in value.items()]) + "}"
                )
                continue
            except TypeError:
                pass  # not only strings
        texts.append(dumps(value))
    return texts


def _aware(values: list[datetime | None]) -> list[datetime | None]:
    if any(v is not None and v.tzinfo is None for v in values):
        raise ValueError("naive datetime: give a time zone")
    return values
