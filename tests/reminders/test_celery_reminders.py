"""The wiring, end to end: Celery beat schedules the sweep, Redis carries it, a real worker runs it on the
test database, and a reminder arrives in the coordinator's inbox."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Notification
from reminders.constants import Rule
from tests.celery_worker import celery_worker
from tests.factories import make_user
from tests.reminders.builders import HIRED, at, coordinated_case

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


def test_beat_and_a_real_worker_deliver_a_reminder_over_redis(settings, team):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    today = timezone.localdate()  # the worker's real today
    with at(HIRED):
        wijkcoach = make_user(Role.WIJKCOACH, team, username="t_regie_worker")
    # Sixty days ago: duties a and f (42 days) are overdue today.
    case = coordinated_case(wijkcoach, team, on=today - datetime.timedelta(days=60))
    assert not Notification.objects.exists()

    with celery_worker(beat=True, extra_env={"DJANGO_SETTINGS_MODULE": "tests.reminders.beat_settings"}) as worker:
        deadline = time.monotonic() + 45
        # Until the reminder is in the inbox and the task that delivered it has finished.
        while not (
            Notification.objects.filter(rule=Rule.DUTY_DUE, user=wijkcoach).exists()
            and "reminders.tasks.reminder_sweep[" in (log := worker.log_path.read_text())
            and "succeeded" in log
        ):
            assert time.monotonic() < deadline, worker.log_path.read_text()
            time.sleep(0.3)

    assert "Sending due task reminder-sweep (reminders.tasks.reminder_sweep)" in log
    reminder = Notification.objects.filter(rule=Rule.DUTY_DUE, user=wijkcoach).first()
    assert reminder.case_number == case.number
    assert reminder.kind == Notification.Kind.REMINDER
    # Beat fired every second: the reruns delivered nothing twice.
    keys = list(Notification.objects.values_list("occurrence_key", flat=True))
    assert len(keys) == len(set(keys))
