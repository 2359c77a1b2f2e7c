"""Monthly range partitions of the access log on PostgreSQL.

The access log grows with every read of personal data. On PostgreSQL it can be
turned into a table partitioned by month on ``at`` (``convert``), so old months
are archived or dropped as whole partitions and the indexes for "who looked at
client X" and "what did user Y look at" stay small per month. The model needs
nothing for it: the table has no inbound foreign keys, its references to
cases and clients carry no database constraint, and every index leads with or
includes ``at`` or is per month.

``ensure_partitions`` creates the coming months ahead of time (a monthly beat
job); a default partition catches anything outside them. SQLite, the embedded
quick-start database, is left as it is.
"""

from __future__ import annotations

import datetime

from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

from .models import AccessLogEntry

TABLE = AccessLogEntry._meta.db_table


def _supported(connection) -> bool:
    return connection.vendor == "postgresql"


def is_partitioned(connection=default_connection) -> bool:
    if not _supported(connection):
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = %s AND relkind IN ('r', 'p')", [TABLE])
        row = cursor.fetchone()
    return bool(row and row[0] == "p")


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def partition_name(month: datetime.date) -> str:
    return f"{TABLE}_y{month:%Y}m{month:%m}"


def _partition_sql(month: datetime.date) -> str:
    return (
        f'CREATE TABLE IF NOT EXISTS "{partition_name(month)}" PARTITION OF "{TABLE}" '
        f"FOR VALUES FROM ('{month:%Y-%m-%d}') TO ('{_next_month(month):%Y-%m-%d}')"
    )


def conversion_sql(connection=default_connection, *, months_ahead: int = 3, today=None) -> list[str]:
    """The statements that turn the access log into a partitioned table (nothing is executed)."""
    today = today or timezone.localdate()
    old = f"{TABLE}_unpartitioned"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
            [TABLE, "%_pkey"],
        )
        indexes = cursor.fetchall()
        cursor.execute(f'SELECT min("at") FROM "{TABLE}"')  # noqa: S608 - the table name is ours, not input
        oldest = cursor.fetchone()[0]
    first = _month(timezone.localtime(oldest).date() if oldest else today)
    # Deferred foreign-key checks of rows written earlier in the transaction must run before the old table goes.
    statements = ["SET CONSTRAINTS ALL IMMEDIATE", f'ALTER TABLE "{TABLE}" RENAME TO "{old}"']
    statements += [f'ALTER INDEX "{name}" RENAME TO "{name[:55]}_unpart"' for name, _ in indexes]
    statements += [
        f'ALTER TABLE "{old}" RENAME CONSTRAINT "{TABLE}_pkey" TO "{TABLE}_unpart_pkey"',
        f'CREATE TABLE "{TABLE}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE ("at")',
        f'CREATE SEQUENCE "{TABLE}_part_id_seq" AS bigint OWNED BY "{TABLE}"."id"',
        f'ALTER TABLE "{TABLE}" ALTER COLUMN "id" SET DEFAULT nextval(\'"{TABLE}_part_id_seq"\')',
        f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY ("id", "at")',
        f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_user_id_fk" FOREIGN KEY ("user_id") '
        'REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED',
        f'CREATE TABLE "{TABLE}_default" PARTITION OF "{TABLE}" DEFAULT',
    ]
    month = first
    last = _month(today)
    for _ in range(months_ahead):
        last = _next_month(last)
    while month <= last:
        statements.append(_partition_sql(month))
        month = _next_month(month)
    for _name, definition in indexes:
        statements.append(definition.replace(f" ON public.{TABLE} ", f' ON "{TABLE}" '))
    # The identifiers are the model's table name, never user input.
    statements += [
        f'INSERT INTO "{TABLE}" SELECT * FROM "{old}"',  # noqa: S608
        f'SELECT setval(\'"{TABLE}_part_id_seq"\', COALESCE((SELECT max("id") FROM "{old}"), 0) + 1, false)',  # noqa: S608
        f'DROP TABLE "{old}"',
    ]
    return statements


def convert(connection=default_connection, *, months_ahead: int = 3, today=None) -> list[str]:
    """Partition the access log by month, keeping every row (one transaction). Returns what was run."""
    if not _supported(connection):
        raise RuntimeError("Partitioning the access log needs PostgreSQL.")
    if is_partitioned(connection):
        return []
    with transaction.atomic(using=connection.alias):
        statements = conversion_sql(connection, months_ahead=months_ahead, today=today)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return statements


def ensure_partitions(connection=default_connection, *, months_ahead: int = 3, today=None) -> list[str]:
    """Create the partitions of this month and the next ``months_ahead`` months (idempotent)."""
    if not is_partitioned(connection):
        return []
    month = _month(today or timezone.localdate())
    created = []
    with connection.cursor() as cursor:
        for _ in range(months_ahead + 1):
            cursor.execute(_partition_sql(month))
            created.append(partition_name(month))
            month = _next_month(month)
    return created
