"""Settings for the real worker of ``test_celery_reminders``: the test settings with a beat schedule that runs
the reminder sweep every second, so the test sees beat, the broker and the worker deliver a reminder quickly."""

from socialdomain.test_settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {"task": "reminders.tasks.reminder_sweep", "schedule": 1.0},
}
