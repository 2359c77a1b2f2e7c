from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Privacy, toestemming en toegang")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.BreakGlassGrant)
        for model in (
            models.Purpose,
            models.Consent,
            models.CorrectionRequest,
            models.RetentionPolicy,
            models.LegalHold,
        ):
            auditlog.register(model)
