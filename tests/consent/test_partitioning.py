"""The access log can be partitioned by month on PostgreSQL, keeping every row and the append-only rules."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from consent import partitioning
from consent.constants import AccessAction
from consent.models import AccessLogEntry, AppendOnlyError

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitioning is PostgreSQL-only")


def _partition_of(entry_id: int) -> str:
    with connection.cursor() as cursor:
        sql = f'SELECT tableoid::regclass::text FROM "{partitioning.TABLE}" WHERE id = %s'  # noqa: S608
        cursor.execute(sql, [entry_id])
        return cursor.fetchone()[0].strip('"')


@pytest.mark.django_db
def test_convert_keeps_rows_routes_new_ones_to_their_month_and_stays_append_only(wijkcoach):
    old = AccessLogEntry.objects.create(
        user=wijkcoach, action=AccessAction.VIEW, route="GET x", at=timezone.now() - datetime.timedelta(days=70)
    )
    assert not partitioning.is_partitioned(connection)

    partitioning.convert(connection, months_ahead=2)

    assert partitioning.is_partitioned(connection)
    assert AccessLogEntry.objects.filter(pk=old.pk).exists()
    assert _partition_of(old.pk) == partitioning.partition_name(timezone.localtime(old.at).date().replace(day=1))
    (new,) = AccessLogEntry.objects.bulk_create(
        [AccessLogEntry(user=wijkcoach, action=AccessAction.SEARCH, route="GET y", at=timezone.now())]
    )
    assert new.pk > old.pk
    assert _partition_of(new.pk) == partitioning.partition_name(timezone.localdate().replace(day=1))
    far = AccessLogEntry.objects.create(
        user=wijkcoach, action=AccessAction.VIEW, route="GET z", at=timezone.now() + datetime.timedelta(days=400)
    )
    assert _partition_of(far.pk) == f"{partitioning.TABLE}_default"
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=new.pk).update(route="tampered")
    # Idempotent, and the coming months are created ahead.
    assert partitioning.convert(connection) == []
    created = partitioning.ensure_partitions(connection, months_ahead=4)
    assert len(created) == 5
