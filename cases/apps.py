from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cliënten en casussen")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Client,
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
