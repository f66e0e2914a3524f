"""Write millions of generated rows fast: explicit ids, raw multi-row statements, no ORM objects.

SQLite gets `executemany` in large batches inside one transaction; PostgreSQL gets `COPY … FROM
STDIN` through psycopg 3. Values are built chunk by chunk from numpy arrays, so memory stays
bounded whatever the count. For a large load, the secondary indexes are dropped and created
again afterwards (`indexes_rebuilt_after`), and on PostgreSQL the foreign keys too
(`foreign_keys_checked_after`): adding a key back checks every row in one join, where a deferred
key checks each inserted row with its own query at commit.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import OperationalError, connection, models

Columns = Sequence[Sequence[Any]]
# SQLite's default page cache (2 MB) makes every index insertion a disk read once the tables
# outgrow it; at 5 million activities the database weighs 2.6 GB, and the indexes created
# after the load read every table again: 3 GB keeps it all in memory (allocated as used).
SQLITE_CACHE_KIB = 3 * 1024 * 1024
CHUNK = 200_000
SQLITE_BATCH = 50_000


def _pragma(cursor: Any, name: str) -> Any:
    cursor.execute(f"PRAGMA {name}")
    return cursor.fetchone()[0]


@contextmanager
def large_cache() -> Iterator[None]:
    """On SQLite, for a bulk load: a page cache large enough for the whole database, and the
    sorts of CREATE INDEX in memory rather than in temporary files; restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    # The place of temporary storage cannot change inside a transaction.
    outside = not connection.in_atomic_block
    with connection.cursor() as cursor:
        previous = int(_pragma(cursor, "cache_size")), int(_pragma(cursor, "temp_store"))
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        if outside:
            cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous[0]}")
            if outside:
                cursor.execute(f"PRAGMA temp_store = {previous[1]}")


@contextmanager
def rollback_journal() -> Iterator[None]:
    """On SQLite in WAL mode, outside any transaction: a rollback journal for the block. A load
    of gigabytes is then written once, into the database file, instead of into the WAL first
    and again at the checkpoint; the journal only keeps the pages that existed before, so the
    transaction stays all or nothing. WAL again afterwards. When another connection holds the
    database, the mode cannot change: the load simply runs in WAL."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        previous = str(_pragma(cursor, "journal_mode")).lower()
        changed = False
        if previous == "wal":
            try:
                changed = str(_pragma(cursor, "journal_mode = TRUNCATE")).lower() == "truncate"
            except OperationalError:  # locked by another connection
                changed = False
    try:
        yield
    finally:
        if changed:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA journal_mode = {previous}")


def next_id(model: type[models.Model]) -> int:
    """First free primary key of `model`'s table."""
    highest = model._default_manager.aggregate(highest=models.Max("pk"))["highest"]
    return int(highest or 0) + 1


def timestamp_suffix() -> str:
    """How an aware UTC datetime written as text ends: SQLite stores naive UTC."""
    return "" if connection.vendor == "sqlite" else "+00:00"


def insert(
    model: type[models.Model],
    fields: Sequence[str],
    total: int,
    chunk: Callable[[int, int], Columns],
) -> None:
    """Insert `total` rows into `model`'s table; `chunk(start, stop)` returns their columns
    (one sequence per field, in `fields` order)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(model, name)) for name in fields)
    with connection.cursor() as cursor:
        for start in range(0, total, CHUNK):
            values = chunk(start, min(total, start + CHUNK))
            rows = zip(*values, strict=True)
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 — names from the model
                while batch := list(islice(rows, SQLITE_BATCH)):
                    cursor.executemany(sql, batch)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return str(field.column)


def reset_sequences(*models_: type[models.Model]) -> None:
    """After explicit ids, let PostgreSQL's sequences continue past them (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes that no constraint or primary key depends on."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [table],
            )
        else:
            return []
        return [(str(name), str(sql)) for name, sql in cursor.fetchall()]


@contextmanager
def indexes_rebuilt_after(*models_: type[models.Model], enabled: bool = True) -> Iterator[None]:
    """Drop the secondary indexes of `models_` for the block, then create them again: one sort
    per index instead of millions of random insertions. Same transaction, so all or nothing."""
    saved = [
        index
        for model in models_
        for index in (_secondary_indexes(model._meta.db_table) if enabled else [])
    ]
    with connection.cursor() as cursor:
        for name, _sql in saved:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        if saved and connection.vendor == "postgresql":
            # Foreign keys are deferred: their pending checks must run before CREATE INDEX.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Sort each index in memory even with the server's default (64 MB), for this
            # transaction only.
            cursor.execute(
                "SELECT set_config('maintenance_work_mem', '512MB', true) FROM pg_settings "
                "WHERE name = 'maintenance_work_mem' AND setting::bigint < 512 * 1024"
            )
        for _name, sql in saved:
            cursor.execute(sql)
        if saved and connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _foreign_keys(table: str) -> list[tuple[str, str]]:
    """(name, definition) of the foreign keys of a PostgreSQL table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [connection.ops.quote_name(table)],
        )
        return [(str(name), str(definition)) for name, definition in cursor.fetchall()]


@contextmanager
def foreign_keys_unchecked() -> Iterator[bool]:
    """On SQLite, foreign keys off for the block, which must enclose the load's transaction
    (the pragma is ignored inside one); yields whether they are off: the load then checks its
    tables with `foreign_keys_checked_after(..., unchecked=True)` before its commit. One lookup
    per row and key either way, but the check's scan costs a third of the insertions'."""
    disabled = connection.vendor == "sqlite" and connection.disable_constraint_checking()
    try:
        yield disabled
    finally:
        if disabled:
            connection.enable_constraint_checking()


@contextmanager
def foreign_keys_checked_after(
    *models_: type[models.Model], enabled: bool = True, unchecked: bool = False
) -> Iterator[None]:
    """Check the foreign keys of `models_` once, after the block.

    PostgreSQL (when `enabled`): drop the keys for the block, then add them again with the same
    name and definition: adding a key validates every row in one join (and fails the
    transaction on a dangling reference), instead of one query per row at commit. SQLite (when
    `unchecked`, see `foreign_keys_unchecked`): `PRAGMA foreign_key_check` of each table, an
    IntegrityError on a dangling reference. Same transaction, so all or nothing."""
    if connection.vendor == "sqlite":
        yield
        if unchecked:
            connection.check_constraints(table_names=[m._meta.db_table for m in models_])
        return
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    saved = [
        (model._meta.db_table, name, definition)
        for model in models_
        for name, definition in _foreign_keys(model._meta.db_table)
    ]
    with connection.cursor() as cursor:
        # A table with pending deferred checks cannot be altered: run them now (few rows).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition in saved:
            cursor.execute(
                f"ALTER TABLE {connection.ops.quote_name(table)} "
                f"DROP CONSTRAINT {connection.ops.quote_name(name)}"
            )
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, definition in saved:
            cursor.execute(
                f"ALTER TABLE {connection.ops.quote_name(table)} "
                f"ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
