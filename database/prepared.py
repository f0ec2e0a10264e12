"""Prepared: a fixed Core statement compiled once per database and run on the DB-API cursor.

Every scan runs the same four or five statements (its caller's token, the barcode, the object, the
scan-log row). Through SQLAlchemy's Connection.execute each one costs about 100 µs of Python
(cache key, parameter and result processing) around 10 µs in the driver. A Prepared statement
keeps the Core statement as its one definition and does that work once per dialect: per call it
orders the parameters, runs the SQL on the session connection's own DB-API cursor (so it is part
of the session's transaction), and converts values with the type's own bind and result processors
(a DateTime is stored and read as SQLAlchemy stores it on SQLite). What SQLAlchemy's execution
adds around the driver is kept: engine `before/after_cursor_execute` listeners still see the
statement, and driver errors become SQLAlchemy's exceptions, a lost connection invalidated.
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement

from extensions import db

_NO_VALUE = object()


@dataclass
class _Compiled:
    """A statement's SQL for one dialect and how to pass parameters in and rows out."""

    sql: str
    positional: bool
    binds: tuple[tuple[str, str, Any, Callable | None], ...]  # (name in SQL, caller's key, default, processor)
    row_type: type | None
    result_types: tuple  # each column's type as the dialect implements it
    results: tuple[tuple[int, Callable], ...] | None = None  # (column index, processor), from the first cursor

    def parameters(self, given: Mapping[str, Any]) -> tuple | dict:
        """The driver's parameters, in its paramstyle, from the caller's values by bind name."""
        values = []
        for _name, key, default, process in self.binds:
            value = given.get(key, default)
            if value is _NO_VALUE:
                raise KeyError(f"no value for bind parameter {key!r}")
            values.append(value if process is None or value is None else process(value))
        if self.positional:
            return tuple(values)
        return {name: value for (name, *_rest), value in zip(self.binds, values)}

    def rows(self, raws: list[tuple], cursor, dialect: Dialect) -> list:
        """Fetched rows as named tuples of converted values."""
        if self.results is None:
            # A result processor may depend on the driver's type code (psycopg's numerics do), so
            # they are chosen once, from the first cursor's description, as SQLAlchemy does.
            self.results = tuple(
                (index, process) for index, (kind, described) in enumerate(zip(self.result_types, cursor.description))
                if (process := kind.result_processor(dialect, described[1])) is not None)
        made = []
        for raw in raws:
            if self.results:
                raw = list(raw)
                for index, process in self.results:
                    raw[index] = process(raw[index])
            made.append(self.row_type._make(raw))
        return made


class Prepared:
    """A Core statement run cheaply on the current session's connection (see the module)."""

    def __init__(self, statement: ClauseElement):
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        binds = []
        for name in compiled.positiontup if compiled.positional else compiled.binds:
            bind = compiled.binds[name]
            if bind.expanding:
                raise TypeError("Prepared statements cannot take expanding (IN) parameters")
            default = bind.effective_value if (bind.value is not None or bind.callable) else _NO_VALUE
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            binds.append((name, bind.key, default, process))
        columns = list(getattr(self.statement, "exported_columns", ()) or ())
        row_type = namedtuple("Row", [column.key for column in columns], rename=True) if columns else None
        return _Compiled(compiled.string, compiled.positional, tuple(binds), row_type,
                         tuple(column.type.dialect_impl(dialect) for column in columns))

    def _run(self, params: Mapping[str, Any]):
        connection: Connection = db.session.connection()
        dialect = connection.dialect
        compiled = self._by_dialect.get(dialect.name)
        if compiled is None:
            compiled = self._by_dialect[dialect.name] = self._compile(dialect)
        parameters = compiled.parameters(params)
        proxied = connection.connection
        cursor = proxied.cursor()
        listened = bool(connection.dispatch.before_cursor_execute or connection.dispatch.after_cursor_execute)
        if listened:
            for listener in connection.dispatch.before_cursor_execute:
                listener(connection, cursor, compiled.sql, parameters, None, False)
        try:
            cursor.execute(compiled.sql, parameters)
        except dialect.loaded_dbapi.Error as error:
            cursor.close()
            invalidated = dialect.is_disconnect(error, proxied, cursor)
            if invalidated:
                connection.invalidate(error)
            raise exc.DBAPIError.instance(compiled.sql, parameters, error, dialect.loaded_dbapi.Error,
                                          connection_invalidated=invalidated, dialect=dialect) from error
        if listened:
            for listener in connection.dispatch.after_cursor_execute:
                listener(connection, cursor, compiled.sql, parameters, None, False)
        return compiled, cursor, dialect

    def first(self, params: Mapping[str, Any] = {}):  # noqa: B006 (never mutated)
        """The first row (a named tuple) or None."""
        compiled, cursor, dialect = self._run(params)
        try:
            raw = cursor.fetchone()
            return None if raw is None else compiled.rows([raw], cursor, dialect)[0]
        finally:
            cursor.close()

    def all(self, params: Mapping[str, Any] = {}) -> list:  # noqa: B006
        """Every row, as named tuples."""
        compiled, cursor, dialect = self._run(params)
        try:
            return compiled.rows(cursor.fetchall(), cursor, dialect)
        finally:
            cursor.close()

    def scalar(self, params: Mapping[str, Any] = {}):  # noqa: B006
        """The first column of the first row, or None (e.g. an INSERT's RETURNING id)."""
        row = self.first(params)
        return None if row is None else row[0]
