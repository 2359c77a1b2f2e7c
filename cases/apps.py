from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cliënten en casussen")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # The audit log keeps what changed, but never a BSN in plain text.
        auditlog.register(models.Client, mask_fields=["bsn"])
        for model in (
            models.Household,
            models.HouseholdMember,
            models.Case,
            models.CaseMember,
            models.Signal,
            models.Referral,
            models.Intake,
            models.TeamCaseSettings,
        ):
            auditlog.register(model)
        auditlog.register(models.ContactMoment, m2m_fields={"participants"})

        # A user with open cases is not deactivated until they are handed over (or, forced, orphaned).
        from accounts import deactivation

        from . import handovers

        deactivation.register_guard(handovers.open_work_of)
        deactivation.register_on_forced(handovers.orphan_cases_of)
