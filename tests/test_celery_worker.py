"""Prove the wiring: a task queued over Redis is run by a real worker on the test database."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from tests.celery_worker import celery_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


def test_real_worker_runs_a_task_over_redis(settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    expired = SessionStore()
    expired["x"] = 1
    expired.set_expiry(timezone.now() - datetime.timedelta(minutes=1))
    expired.save()
    alive = SessionStore()
    alive["x"] = 2
    alive.save()

    with celery_worker():
        result = clear_expired_sessions.delay()
        assert result.get(timeout=30) == 1

    assert not Session.objects.filter(session_key=expired.session_key).exists()
    assert Session.objects.filter(session_key=alive.session_key).exists()
