from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    name = "workplans"
    verbose_name = _("Werkplannen en casusoverleg")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Workplan,
            models.AnalysisEntry,
            models.Goal,
            models.ProgressReview,
            models.Action,
            models.CoordinationDuty,
            models.DutyRecord,
            models.Obstacle,
            models.ClientInvolvement,
            models.TeamWorkplanSettings,
        ):
            auditlog.register(model)
