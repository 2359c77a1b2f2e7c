"""The frozen periodic progress report for the college (duty d). Holds aggregates only, never a person."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api_conventions.text import CleanTextModel

from .periods import period_label


class ProgressReport(CleanTextModel, models.Model):
    """One report per period, generated once and never changed.

    ``figures`` holds the published figures only (small counts already suppressed), so neither the page,
    nor the CSV, nor the PDF can show more than the college may see. The PDF is rendered at generation
    time and stored with it: what the college received stays what it was.
    """

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Automatisch (per kwartaal)")
        ON_DEMAND = "on_demand", _("Op verzoek")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period_start = models.DateField(_("periode vanaf"))
    period_end = models.DateField(_("periode tot en met"))
    trigger = models.CharField(_("aanleiding"), max_length=12, choices=Trigger.choices)
    generated_at = models.DateTimeField(_("opgesteld op"), default=timezone.now, editable=False)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgesteld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    figures = models.JSONField(_("cijfers"), editable=False)
    pdf = models.BinaryField(_("pdf"), editable=False)

    class Meta:
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")
        ordering = ["-period_end", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["period_start", "period_end"], name="reports_one_report_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="reports_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Frozen: a report is written once; a correction is a report for another period, never an edit.
        if self.pk is not None:
            raise ValueError("A progress report is frozen and cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return str(period_label(self.period_start, self.period_end))
