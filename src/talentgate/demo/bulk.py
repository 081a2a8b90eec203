"""Fast multi-row inserts for rows nobody needs back as objects (a load's child rows).

``bulk_create`` builds a model instance and compiles every value of every row; for the
millions of child rows of a large demo that is most of the time spent. :class:`TableWriter`
prepares each value with the field's own ``get_db_prep_save`` (so encryption, JSON and
date adaptation are exactly the ORM's, on SQLite and PostgreSQL alike) and sends the rows
with one ``executemany`` per batch (``COPY`` on PostgreSQL). Defaults are the model's own;
``auto_now``/``auto_now_add`` fields without a value get the load's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from django.db import connections, models
from django.db.models.fields import NOT_PROVIDED

__all__ = ["TableWriter", "ids_by"]

# Stay well under SQLite's limit on bound parameters in one statement (32,766).
LOOKUP_CHUNK = 10_000

_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.EmailField,
    models.URLField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.FloatField,
)
_PLAIN_VALUES = (str, int, float, bool)


def _adapter(f: models.Field[Any, Any], connection: Any) -> tuple[type, Any] | None:
    """Dates and aware datetimes go straight to the backend's own adapter (what the field calls last)."""
    if type(f) is models.DateField:
        return (date, connection.ops.adapt_datefield_value)
    if type(f) is models.DateTimeField:
        return (datetime, connection.ops.adapt_datetimefield_value)
    return None


def _stores_as_is(f: models.Field[Any, Any]) -> bool:
    if type(f) in _PLAIN_FIELDS:
        return True
    # A foreign key stores its target's value; plain when the target is an integer or text key.
    if isinstance(f, models.ForeignKey):
        target = f.target_field
        return isinstance(target, models.AutoField | models.BigAutoField) or type(target) in _PLAIN_FIELDS
    return False


class TableWriter:
    """Insert rows of one model given as ``{attname: value}`` mappings; primary keys are left to the database."""

    def __init__(self, model: type[models.Model], using: str = "default") -> None:
        self.model = model
        self.connection = connections[using]
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # nosec B608  # quoted table and column names of our own models; values are parameters
        self.copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        self.now = datetime.now(UTC)
        self._defaults = {f.attname: self._default(f) for f in self.fields}
        self._attnames = [f.attname for f in self.fields]
        # Fields of these exact classes store a str/int/float/bool as it is; preparing it is pure
        # overhead. Only the other fields (dates, JSON, decimals, encrypted, FSM...) are converted.
        self._converted = [
            (i, f, _adapter(f, self.connection)) for i, f in enumerate(self.fields) if not _stores_as_is(f)
        ]
        self.rows: list[tuple[Any, ...]] = []

    def _default(self, f: models.Field[Any, Any]) -> Any:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return self.now
        if f.default is not NOT_PROVIDED:
            return f.get_default()
        return None if f.null else ""

    def add(self, values: Mapping[str, Any]) -> None:
        """Queue one row; attnames missing from ``values`` take the field's default."""
        merged = self._defaults | dict(values)
        row = [merged[name] for name in self._attnames]
        for i, f, adapter in self._converted:
            value = row[i]
            if value is None and not isinstance(f, models.JSONField):
                continue
            if (
                adapter is not None
                and type(value) is adapter[0]
                and (adapter[0] is date or getattr(value, "tzinfo", None) is not None)
            ):
                row[i] = adapter[1](value)
            else:
                row[i] = f.get_db_prep_save(value, self.connection)
        self.rows.append(tuple(row))

    def add_all(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for values in rows:
            self.add(values)

    def flush(self, batch_size: int = 5_000) -> int:
        """Send the queued rows (in the caller's transaction); return how many were written.

        PostgreSQL gets them through ``COPY ... FROM STDIN`` (psycopg adapts each prepared
        value, JSON included), several times faster than row-by-row statements; other
        databases through ``executemany``.
        """
        written = len(self.rows)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                for start in range(0, written, batch_size):
                    cursor.executemany(self.sql, self.rows[start : start + batch_size])
        self.rows = []
        return written


def ids_by(model: type[models.Model], key: str, values: list[Any], **filters: Any) -> dict[Any, int]:
    """Primary keys of rows just written, by a unique ``key`` column (looked up in chunks)."""
    found: dict[Any, int] = {}
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        rows = model._default_manager.filter(**{f"{key}__in": chunk}, **filters).values_list(key, "pk")
        found.update(rows)
    return found
