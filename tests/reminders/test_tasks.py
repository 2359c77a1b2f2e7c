"""The reminder tasks and their schedule: queued after commit, best effort when the broker is down."""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time

import pytest
import redis
from django.conf import settings
from django.db import transaction

from reminders.tasks import enqueue_sweep, reminder_sweep, send_digests
from socialdomain.celery import app as celery_app
from tests.reminders.builders import at

pytestmark = pytest.mark.django_db


def queued() -> int:
    return redis.Redis.from_url(os.environ["REDIS_URL"]).llen("celery")


@pytest.fixture
def clean_queue():
    celery_app.control.purge()
    yield
    celery_app.control.purge()


def test_sweep_is_queued_after_commit_only(clean_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_sweep()
        assert queued() == 0  # nothing leaves before the data it depends on is committed
    assert len(callbacks) == 1
    assert queued() == 1


@pytest.fixture
def broker_down(monkeypatch):
    """A broker address nothing listens on: Redis is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setitem(celery_app.conf, "broker_url", f"redis://127.0.0.1:{port}/0")


def test_pages_keep_working_when_the_broker_is_down(broker_down, django_capture_on_commit_callbacks, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="reminders.tasks"), django_capture_on_commit_callbacks(execute=True):
        enqueue_sweep()  # no exception reaches the view
    assert time.monotonic() - started < 2  # and it does not hang
    assert "Reminder sweep not queued" in caplog.text


def test_the_schedule_runs_the_sweep_before_the_digest_on_weekdays():
    schedule = settings.CELERY_BEAT_SCHEDULE
    sweep, digest = schedule["reminder-sweep"], schedule["reminder-digest"]
    assert sweep["task"] == reminder_sweep.name == "reminders.tasks.reminder_sweep"
    assert digest["task"] == send_digests.name == "reminders.tasks.send_digests"
    assert sweep["schedule"].hour == set(range(6, 18)) and sweep["schedule"].minute == {30}
    assert digest["schedule"].hour == {7} and digest["schedule"].minute == {0}
    assert sweep["schedule"].day_of_week == digest["schedule"].day_of_week == {1, 2, 3, 4, 5}
    assert {sweep["task"], digest["task"]} <= set(celery_app.tasks)


def test_task_options_make_a_redelivery_safe():
    assert reminder_sweep.acks_late
    assert reminder_sweep.max_retries and reminder_sweep.retry_backoff


def test_the_digest_task_calls_the_digest():
    with at(datetime.date(2026, 6, 13)):  # a Saturday: no digest
        assert send_digests.apply().get() == 0
