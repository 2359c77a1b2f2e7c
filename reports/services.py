"""Drawing up a progress report: compute, publish, render, freeze (issue #8)."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .figures import compute
from .models import ProgressReport
from .periods import last_full_quarter
from .publish import publish
from .rendering import report_pdf

logger = logging.getLogger(__name__)

# A report covers at most a year: longer periods belong in a policy evaluation, not in duty d.
MAX_PERIOD_DAYS = 366


def validate_period(start: datetime.date, end: datetime.date, *, today: datetime.date) -> None:
    if end < start:
        raise ValidationError({"period_end": _("De einddatum ligt voor de begindatum.")})
    if end >= today:
        raise ValidationError(
            {"period_end": _("Een rapportage gaat over een afgelopen periode: kies een einddatum voor vandaag.")}
        )
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"period_start": _("Een rapportage beslaat hoogstens een jaar.")})


def report_generate(
    *,
    start: datetime.date,
    end: datetime.date,
    trigger: str = ProgressReport.Trigger.ON_DEMAND,
    actor=None,
    today: datetime.date | None = None,
) -> ProgressReport:
    """Compute, publish and freeze the report of ``start``–``end``; one report per period.

    Figures and PDF are made in Dutch whatever the requester's language: it is the document the college
    receives. Raises ``ValidationError`` for a bad period or when the period already has a report.
    """
    today = today or timezone.localdate()
    validate_period(start, end, today=today)
    if ProgressReport.objects.filter(period_start=start, period_end=end).exists():
        raise ValidationError(_("Voor deze periode is al een rapportage opgesteld."))
    with translation.override("nl"):
        figures = publish(compute(start, end, today=today))
        generated_at = timezone.now()
        pdf = report_pdf(figures, generated_at=generated_at)
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                period_start=start,
                period_end=end,
                trigger=trigger,
                generated_at=generated_at,
                generated_by=actor,
                figures=figures,
                pdf=pdf,
            )
    except IntegrityError as exc:  # a concurrent run froze this period first
        raise ValidationError(_("Voor deze periode is al een rapportage opgesteld.")) from exc
    logger.info("Progress report %s–%s drawn up (%s)", start, end, trigger)
    return report


def quarterly_report(*, today: datetime.date | None = None) -> ProgressReport | None:
    """The last full quarter's report, drawn up if it does not exist yet (the beat job; idempotent)."""
    today = today or timezone.localdate()
    start, end = last_full_quarter(today)
    existing = ProgressReport.objects.filter(period_start=start, period_end=end).first()
    if existing:
        return None
    try:
        return report_generate(start=start, end=end, trigger=ProgressReport.Trigger.SCHEDULE, today=today)
    except ValidationError:
        # Another worker froze it between the check and the insert: exactly one report per period.
        if ProgressReport.objects.filter(period_start=start, period_end=end).exists():
            return None
        raise
