from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Signaleringen")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cases.handovers import register_orphan_notifier

        from . import models
        from .sweep import notify_orphaned

        # Who changed which threshold, and when: the beheerder's edits are in the audit log.
        auditlog.register(models.TeamReminderSettings)
        # A deactivation tells the teamleider about orphaned cases with the sweep's own rule and keys.
        register_orphan_notifier(notify_orphaned)
