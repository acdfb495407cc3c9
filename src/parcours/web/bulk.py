"""Bulk writes of generated data (``generate_population``): plain tuples instead of model instances.

``write_rows`` inserts rows given as tuples of values; on PostgreSQL through COPY (one round trip a table instead
of building hundreds of thousands of model instances for bulk_create), elsewhere (SQLite, the tests) through
bulk_create. ``reserve_ids`` hands out the primary keys the rows will have, from the table's own sequence and in
the order bulk_create would have given them, so that rows pointing at them can be written without reading back.
No signals, no history rows: like bulk_create. ``Pipeline`` writes batches on a second connection while the next
one is computed.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import Max

from parcours.web import clock


def reserve_ids(model, count: int) -> list[int]:
    """The next ``count`` primary keys of ``model``'s table, taken from its sequence (PostgreSQL) — those a
    bulk_create of ``count`` rows would have got. Elsewhere the keys after the largest one in use."""
    if count <= 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
                           [table, pk, count])
            return [row[0] for row in cursor.fetchall()]
    start = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    if connection.vendor == "sqlite":  # AUTOINCREMENT: never a key used before, even by a deleted row
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(start, (row[0] if row else 0) + 1)
    return list(range(start, start + count))


def write_rows(model, names: list[str], rows: list[tuple], *, now: dt.datetime | None = None) -> None:
    """Insert plain rows: values in the order of ``names``, every other column at its model default (``auto_now``
    ones at ``now``). PostgreSQL: one COPY; elsewhere bulk_create. JSON values are dumped once per distinct object:
    the rule results are memoised, so the same reasons list comes back for thousands of rows."""
    if not rows:
        return
    now = now or clock.now()
    fields = [model._meta.get_field(n) for n in names]
    if connection.vendor != "postgresql":
        _bulk_create(model, fields, rows)
        return
    rest = [f for f in model._meta.concrete_fields if f not in fields and not (f.primary_key and f.auto_created)
            and not (f.primary_key and getattr(f, "db_returning", False))]
    for f in rest:
        if f.unique and callable(f.default):
            raise ValueError(f"{model.__name__}.{f.name} : valeur unique à fournir pour chaque ligne")
    constants = tuple(now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
                      for f in rest)
    fields += rest
    json_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    dumped: dict[int, str] = {}

    def dump(value, encoder):
        if id(value) not in dumped:
            dumped[id(value)] = json.dumps(value, cls=encoder)
        return dumped[id(value)]

    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            row = row + constants if constants else row
            if json_at:
                row = tuple(dump(v, fields[i].encoder) if i in json_at else v for i, v in enumerate(row))
            copy.write_row(row)


def _bulk_create(model, fields, rows) -> None:
    """The same rows through bulk_create; a date given for an ``auto_now_add`` field is kept (bulk_create would
    stamp them all with now)."""
    stamped = [(f, f.auto_now, f.auto_now_add) for f in fields
               if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)]
    for f, _, _ in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        model.objects.bulk_create([model(**{f.attname: v for f, v in zip(fields, row, strict=True)}) for row in rows],
                                  batch_size=5000)
    finally:
        for f, auto_now, auto_now_add in stamped:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class Pipeline:
    """Batches written on a second connection, in order, each in its own transaction, while the caller computes the
    next one: the database's work and Python's overlap (two cores, about half the time of generating). Only on
    PostgreSQL outside any transaction; elsewhere (SQLite, a test's transaction) each batch is written at once.

    A submitted function must not touch what the caller goes on changing (pass it its own rows). An error in the
    writer is raised in the caller at its next ``submit`` or at the end of the ``with`` block."""

    def __init__(self, *, threaded: bool = True, depth: int = 2):
        self.threaded = threaded and connection.vendor == "postgresql" and not connection.in_atomic_block
        self.error: BaseException | None = None
        if self.threaded:
            self.queue: queue.Queue = queue.Queue(maxsize=depth)
            self.thread = threading.Thread(target=self._run, name="parcours-bulk-writer", daemon=True)
            self.thread.start()

    def submit(self, write: Callable[[], None]) -> None:
        if not self.threaded:
            with transaction.atomic():
                write()
            return
        self._raise()
        self.queue.put(write)

    def _run(self) -> None:
        try:
            while (write := self.queue.get()) is not None:
                if self.error is None:  # after an error, only drain: the caller learns of it at its next submit
                    try:
                        with transaction.atomic():
                            write()
                    except BaseException as exc:  # handed over to the caller
                        self.error = exc
        finally:
            connection.close()  # this thread's own connection

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.threaded:
            self.queue.put(None)
            self.thread.join()
        if exc_info[0] is None:
            self._raise()
