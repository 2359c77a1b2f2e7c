"""Drawing up a progress report: compute, publish, render, freeze (issue #8)."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from workplans.models import Obstacle
from workplans.services import obstacle_set_publication

from .differencing import Published
from .figures import compute
from .masking import fingerprint, identities_for, mask
from .models import ProgressReport
from .periods import last_full_quarter, period_kind
from .publish import publish
from .rendering import report_pdf

logger = logging.getLogger(__name__)

# First key of the advisory lock that serialises drawing up reports of one year (the second is the year).
REPORT_LOCK_NAMESPACE = 8_0003


def validate_period(start: datetime.date, end: datetime.date, *, today: datetime.date) -> None:
    """Refuse a period that is not a whole calendar month, quarter or year that has ended (ADR 0003)."""
    if end < start:
        raise ValidationError({"period_end": _("De einddatum ligt voor de begindatum.")})
    if period_kind(start, end) is None:
        raise ValidationError(
            _("Een rapportage gaat over een hele kalendermaand, een heel kwartaal of een heel kalenderjaar.")
        )
    if end >= today:
        raise ValidationError(
            {
                "period_end": _(
                    "Een rapportage gaat over een afgelopen periode: kies een periode die voor vandaag eindigt."
                )
            }
        )


def published_family(start: datetime.date, end: datetime.date) -> list[Published]:
    """The published reports a new report of ``start``–``end`` is checked against: every report that
    overlaps the calendar year of the period (the pairs that nest with it and the combinations within the
    year; ``reports.differencing``). One query."""
    year_start, year_end = datetime.date(start.year, 1, 1), datetime.date(end.year, 12, 31)
    rows = ProgressReport.objects.filter(period_start__lte=year_end, period_end__gte=year_start).values_list(
        "period_start", "period_end", "figures"
    )
    return [Published(first, last, figures) for first, last, figures in rows]


def _lock_reports_of_year(year: int) -> None:
    """Serialise drawing up reports of one calendar year until the transaction ends.

    Difference suppression compares a new report with the reports of its year that are already published;
    two reports of one year drawn up at the same moment (the quarterly job and beleid) would each miss the
    other. PostgreSQL takes a transaction-level advisory lock per year; SQLite (the quick start) already
    runs every transaction alone (``transaction_mode`` IMMEDIATE in settings).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [REPORT_LOCK_NAMESPACE, year])


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
    receives. Raises ``ValidationError`` for a period that is not a whole calendar month, quarter or year
    that has ended, or when the period already has a report. Holds a lock per calendar year from reading the
    published reports until the new one is stored, so the difference suppression sees every report of the
    year (the PDF is rendered inside it: a few seconds, a few times a quarter).
    """
    today = today or timezone.localdate()
    validate_period(start, end, today=today)
    try:
        with transaction.atomic():
            _lock_reports_of_year(start.year)
            if ProgressReport.objects.filter(period_start=start, period_end=end).exists():
                raise ValidationError(_("Voor deze periode is al een rapportage opgesteld."))
            family = published_family(start, end)
            with translation.override("nl"):
                figures = publish(compute(start, end, today=today), family=family)
                generated_at = timezone.now()
                pdf = report_pdf(figures, generated_at=generated_at)
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


def masked_descriptions(obstacles) -> dict[int, str]:
    """The description of each obstacle (``workplan`` loaded) with the people of its case masked, in Dutch as
    it will be stored, by id (``reports.masking``). Six queries, whatever the number of obstacles."""
    obstacles = list(obstacles)
    if not obstacles:
        return {}
    identities = identities_for(obstacles)
    with translation.override("nl"):
        return {o.pk: mask(o.description, identities[o.pk]) for o in obstacles}


def obstacle_texts_for_review(obstacles) -> dict[int, str]:
    """What beleid reads of each obstacle, by id: the masked text it approved, or, for one not approved, the
    description masked now. Never the description itself. Six queries at most."""
    obstacles = list(obstacles)
    masked = masked_descriptions([o for o in obstacles if not o.approved_for_publication])
    return {o.pk: o.published_description if o.approved_for_publication else masked[o.pk] for o in obstacles}


def obstacle_publication(*, actor, obstacle: Obstacle, approved: bool, read: str = "") -> Obstacle:
    """Beleid approves the masked description of ``obstacle`` for the report, or withdraws it.

    Approving stores the masked text (``reports.masking``), never the description itself, and only the text
    beleid read: ``read`` is the fingerprint of the text the review page showed; when the description or the
    people of the case changed since, the masked text differs and the approval is refused with a Dutch message,
    to be read again. Queries: the masking's six, then the update.
    """
    if not approved:
        return obstacle_set_publication(actor=actor, obstacle=obstacle, approved=False)
    masked = masked_descriptions([obstacle])[obstacle.pk]
    if fingerprint(masked) != read:
        raise ValidationError(_("De omschrijving is veranderd sinds u haar las. Lees haar opnieuw en keur dan goed."))
    return obstacle_set_publication(actor=actor, obstacle=obstacle, approved=True, published_description=masked)


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
