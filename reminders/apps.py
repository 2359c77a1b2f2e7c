from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Signaleringen")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Who changed which threshold, and when: the beheerder's edits are in the audit log.
        auditlog.register(models.TeamReminderSettings)
