"""Workplans with the coordinator's duties a–g.

The live plan (analysis, goals, actions, agreements) is edited through
``workplans.services``; adopting or revising it freezes an immutable
``WorkplanVersion`` snapshot with the reason for the change.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api_conventions.text import CleanTextModel
from cases.constants import LifeDomain
from cases.validators import validate_no_nul

from .constants import (
    DEFAULT_DUTY_INTERVAL_DAYS,
    DEFAULT_REVIEW_INTERVAL_WEEKS,
    ActionStatus,
    Duty,
    GoalStatus,
    GoalTerm,
    InvolvementHow,
    ObstacleCategory,
    WorkplanStatus,
)
from .fields import SHORT_TEXT_MAX, TEXT_MAX
from .fields import text_field as _text


class ImmutableError(Exception):
    pass


class TeamWorkplanSettings(models.Model):
    """Per-team defaults for new workplans, managed by the functioneel beheerder."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="workplan_settings")
    review_interval_weeks = models.PositiveSmallIntegerField(
        _("herzieningstermijn (weken)"), default=DEFAULT_REVIEW_INTERVAL_WEEKS, validators=[MinValueValidator(1)]
    )
    interval_a = models.PositiveSmallIntegerField(_("interval taak a (dagen)"), default=DEFAULT_DUTY_INTERVAL_DAYS["a"])
    interval_b = models.PositiveSmallIntegerField(_("interval taak b (dagen)"), default=DEFAULT_DUTY_INTERVAL_DAYS["b"])
    interval_c = models.PositiveSmallIntegerField(_("interval taak c (dagen)"), default=DEFAULT_DUTY_INTERVAL_DAYS["c"])
    interval_d = models.PositiveSmallIntegerField(_("interval taak d (dagen)"), default=DEFAULT_DUTY_INTERVAL_DAYS["d"])
    interval_e = models.PositiveSmallIntegerField(_("interval taak e (dagen)"), default=DEFAULT_DUTY_INTERVAL_DAYS["e"])
    interval_f = models.PositiveSmallIntegerField(_("interval taak f (dagen)"), default=DEFAULT_DUTY_INTERVAL_DAYS["f"])
    interval_g = models.PositiveSmallIntegerField(_("interval taak g (dagen)"), default=DEFAULT_DUTY_INTERVAL_DAYS["g"])

    class Meta:
        verbose_name = _("werkplaninstellingen van een team")
        verbose_name_plural = _("werkplaninstellingen van teams")

    def __str__(self) -> str:
        return str(self.team)

    def interval_for(self, duty: str) -> int:
        return getattr(self, f"interval_{duty}")


class Workplan(CleanTextModel, models.Model):
    """One per coordinated case. The coordinator is the case's coordinator (one truth)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="workplan")
    status = models.CharField(
        _("status"), max_length=12, choices=WorkplanStatus.choices, default=WorkplanStatus.CONCEPT
    )
    review_interval_weeks = models.PositiveSmallIntegerField(
        _("herzieningstermijn (weken)"),
        default=DEFAULT_REVIEW_INTERVAL_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
    )
    problem_analysis = _text(_("problemen en hun samenhang"))
    coordination_agreements = _text(_("afspraken over coördinatie en het informeren van het college"))
    client_support_agreements = _text(_("afspraken over cliëntondersteuning en afstemming"))
    adopted_at = models.DateTimeField(_("laatst vastgesteld op"), null=True, blank=True)
    review_due_on = models.DateField(_("herziening uiterlijk"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("werkplan")
        verbose_name_plural = _("werkplannen")

    def __str__(self) -> str:
        return f"{_('Werkplan')} {self.case}"

    @property
    def coordinator(self):
        return self.case.coordinator


class WorkplanVersion(CleanTextModel, models.Model):
    """An immutable snapshot of the whole plan, taken on adoption or revision."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    snapshot = models.JSONField(_("inhoud"))
    reason = _text(_("reden van de wijziging"), max_length=SHORT_TEXT_MAX, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(_("vastgesteld op"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("werkplanversie")
        verbose_name_plural = _("werkplanversies")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["workplan", "number"], name="workplans_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.workplan} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("A workplan version is never edited after adoption.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("A workplan version is never deleted.")


class AnalysisEntry(CleanTextModel, models.Model):
    """Services and interventions a household member receives now, or received before."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="analysis_entries")
    client = models.ForeignKey("cases.Client", verbose_name=_("gezinslid"), on_delete=models.PROTECT, related_name="+")
    provision = models.CharField(_("voorziening of interventie"), max_length=200, validators=[validate_no_nul])
    party = models.CharField(_("partij"), max_length=200, validators=[validate_no_nul])
    period_from = models.DateField(_("vanaf"), null=True, blank=True)
    period_to = models.DateField(_("tot en met"), null=True, blank=True, help_text=_("Leeg als het nog loopt."))
    outcome = _text(_("resultaat"), max_length=SHORT_TEXT_MAX)

    class Meta:
        verbose_name = _("analyse: ontvangen hulp")
        verbose_name_plural = _("analyse: ontvangen hulp")
        ordering = ["client_id", "-period_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__isnull=True)
                | Q(period_from__isnull=True)
                | Q(period_to__gte=models.F("period_from")),
                name="workplans_analysisentry_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.provision

    @property
    def is_current(self) -> bool:
        return self.period_to is None or self.period_to >= timezone.localdate()


class Goal(CleanTextModel, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="goals")
    term = models.CharField(_("termijn"), max_length=5, choices=GoalTerm.choices)
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon (jaren)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    life_domain = models.CharField(_("leefgebied"), max_length=32, choices=LifeDomain.choices)
    description = _text(_("doel in gewone taal"), max_length=SHORT_TEXT_MAX, blank=False)
    client_words = _text(_("in de woorden van de cliënt"), max_length=SHORT_TEXT_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar (professional)"),
        on_delete=models.PROTECT,
        related_name="owned_goals",
        null=True,
        blank=True,
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("eigenaar (partij)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=14, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    target_date = models.DateField(_("streefdatum"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term="kort") | Q(horizon_years__isnull=False), name="workplans_goal_long_term_has_horizon"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class ProgressReview(CleanTextModel, models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("datum"), default=timezone.localdate)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=14, choices=GoalStatus.choices)
    note = _text(_("toelichting"), max_length=SHORT_TEXT_MAX)

    class Meta:
        verbose_name = _("voortgangsbespreking")
        verbose_name_plural = _("voortgangsbesprekingen")
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.reviewed_on}: {self.get_status_display()}"


class Action(CleanTextModel, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = _text(_("actie"), max_length=SHORT_TEXT_MAX, blank=False)
    party = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("partij"), on_delete=models.PROTECT, related_name="+"
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.PROTECT,
        related_name="workplan_actions",
        null=True,
        blank=True,
    )
    start_on = models.DateField(_("start"), null=True, blank=True)
    end_on = models.DateField(_("einde"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.GEPLAND)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["start_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(start_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="workplans_action_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class CoordinationDuty(CleanTextModel, models.Model):
    """One of the duties a–g of a plan, with its schedule."""

    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="duties")
    duty = models.CharField(_("taak"), max_length=1, choices=Duty.choices)
    interval_days = models.PositiveSmallIntegerField(_("interval (dagen)"), validators=[MinValueValidator(1)])
    next_due_on = models.DateField(_("volgende keer uiterlijk"))
    last_done_on = models.DateField(_("laatst gedaan op"), null=True, blank=True)

    class Meta:
        verbose_name = _("coördinatietaak")
        verbose_name_plural = _("coördinatietaken")
        ordering = ["duty"]
        constraints = [
            models.UniqueConstraint(fields=["workplan", "duty"], name="workplans_duty_one_per_plan"),
        ]
        indexes = [models.Index(fields=["next_due_on"], name="workplans_duty_due")]

    def __str__(self) -> str:
        return self.get_duty_display()

    def is_overdue(self, today=None) -> bool:
        return self.next_due_on < (today or timezone.localdate())


class DutyRecord(CleanTextModel, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    duty = models.ForeignKey(CoordinationDuty, on_delete=models.CASCADE, related_name="records")
    done_on = models.DateField(_("gedaan op"), default=timezone.localdate)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = _text(_("wat is er gedaan"), max_length=SHORT_TEXT_MAX, blank=False)
    outcome = _text(_("uitkomst"), max_length=SHORT_TEXT_MAX)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("uitvoering coördinatietaak")
        verbose_name_plural = _("uitvoeringen coördinatietaken")
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.duty} {self.done_on}"


class Obstacle(CleanTextModel, models.Model):
    """A belemmering that blocks the plan; aggregated for the college (duty d)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="obstacles")
    category = models.CharField(_("categorie"), max_length=14, choices=ObstacleCategory.choices)
    description = _text(_("omschrijving"), max_length=SHORT_TEXT_MAX, blank=False)
    party = models.CharField(_("partij"), max_length=200, blank=True, validators=[validate_no_nul])
    raised_on = models.DateField(_("gesignaleerd op"), default=timezone.localdate)
    resolved_on = models.DateField(_("opgelost op"), null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_for_publication = models.BooleanField(
        _("omschrijving goedgekeurd voor publicatie"), default=False, help_text=_("Door beleid, voor de rapportage.")
    )
    # What beleid approved: the description with every identifier of the case's people masked
    # (``reports.masking``), frozen at approval, so a later change of a name cannot unmask it. Only this is quoted.
    published_description = _text(
        _("goedgekeurde omschrijving (zonder namen en gegevens)"), max_length=TEXT_MAX, blank=True
    )

    class Meta:
        verbose_name = _("belemmering")
        verbose_name_plural = _("belemmeringen")
        ordering = ["resolved_on", "-raised_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("raised_on")),
                name="workplans_obstacle_resolved_after_raised",
            ),
            models.CheckConstraint(
                condition=(Q(approved_for_publication=True) & ~Q(published_description=""))
                | (Q(approved_for_publication=False) & Q(published_description="")),
                name="workplans_obstacle_published_text_iff_approved",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class ClientInvolvement(CleanTextModel, models.Model):
    """Duty f: the client and family took part; their own view per goal, in their words."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="involvements")
    occurred_on = models.DateField(_("datum"), default=timezone.localdate)
    how = models.CharField(_("hoe"), max_length=14, choices=InvolvementHow.choices)
    participants = models.ManyToManyField("cases.Client", verbose_name=_("wie deed mee"), related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    general_view = _text(_("wat vindt de cliënt in het algemeen"), max_length=SHORT_TEXT_MAX)

    class Meta:
        verbose_name = _("betrokkenheid cliënt")
        verbose_name_plural = _("betrokkenheid cliënt")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_how_display()}"


class GoalView(CleanTextModel, models.Model):
    involvement = models.ForeignKey(ClientInvolvement, on_delete=models.CASCADE, related_name="goal_views")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="client_views")
    view = _text(_("wat vindt de cliënt van dit doel"), max_length=SHORT_TEXT_MAX, blank=False)

    class Meta:
        verbose_name = _("mening over een doel")
        verbose_name_plural = _("meningen over doelen")
        constraints = [
            models.UniqueConstraint(fields=["involvement", "goal"], name="workplans_goalview_one_per_goal"),
        ]

    def __str__(self) -> str:
        return self.view[:80]


# The casusoverleg models live in their own module; importing them here registers them with the app.
from .meeting_models import (  # noqa: E402
    AgendaItem,
    Agreement,
    AgreementStatus,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
)

__all__ = [
    "Action",
    "AgendaItem",
    "Agreement",
    "AgreementStatus",
    "AnalysisEntry",
    "Attendance",
    "ClientInvolvement",
    "CoordinationDuty",
    "DutyRecord",
    "Goal",
    "GoalView",
    "Meeting",
    "MeetingKind",
    "MeetingParticipant",
    "MeetingStatus",
    "Obstacle",
    "ProgressReview",
    "TeamWorkplanSettings",
    "Workplan",
    "WorkplanVersion",
]
