"""Casusoverleg (duty c): meetings, participants, agenda items and agreements.

Imported by ``workplans.models`` so Django registers them with this app.
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
from cases.validators import validate_no_nul
from consent.constants import RECORD_CATEGORY_CHOICES, DataCategory

from .fields import SHORT_TEXT_MAX, TEXT_MAX
from .fields import text_field as _text


class MeetingKind(models.TextChoices):
    CASUSOVERLEG = "casusoverleg", _("Casusoverleg (één casus)")
    TEAMOVERLEG = "teamoverleg", _("Periodiek teamoverleg (meerdere casussen)")


class MeetingStatus(models.TextChoices):
    GEPLAND = "gepland", _("Gepland")
    GEHOUDEN = "gehouden", _("Gehouden")
    GEANNULEERD = "geannuleerd", _("Geannuleerd")


class Attendance(models.TextChoices):
    UITGENODIGD = "uitgenodigd", _("Uitgenodigd")
    AANWEZIG = "aanwezig", _("Aanwezig")
    AFWEZIG = "afwezig", _("Afwezig")


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    GEDAAN = "gedaan", _("Gedaan")
    NIET_GEDAAN = "niet_gedaan", _("Niet gedaan")
    VERVALLEN = "vervallen", _("Vervallen")


class Meeting(CleanTextModel, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("soort"), max_length=14, choices=MeetingKind.choices, default=MeetingKind.CASUSOVERLEG)
    title = models.CharField(_("titel"), max_length=200, validators=[validate_no_nul])
    team = models.ForeignKey("accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("begint om"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duur (minuten)"), default=60, validators=[MinValueValidator(10), MaxValueValidator(480)]
    )
    location = models.CharField(_("plaats"), max_length=200, blank=True, validators=[validate_no_nul])
    video_link = models.URLField(_("videolink"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorzitter"),
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
    )
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.GEPLAND)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    general_notes = _text(_("algemene aantekeningen"), max_length=TEXT_MAX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(video_link=""), name="workplans_meeting_has_place_or_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timezone.timedelta(minutes=self.duration_minutes)


class MeetingParticipant(CleanTextModel, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    contact_name = models.CharField(_("naam"), max_length=200, blank=True, validators=[validate_no_nul])
    contact_email = models.EmailField(_("e-mail"), blank=True)
    attendance = models.CharField(
        _("aanwezigheid"), max_length=12, choices=Attendance.choices, default=Attendance.UITGENODIGD
    )
    absence_reason = models.CharField(
        _("reden van afwezigheid"), max_length=300, blank=True, validators=[validate_no_nul]
    )

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="workplans_participant_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(contact_email=""), name="workplans_participant_user_or_email"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else self.contact_name or self.contact_email

    @property
    def email(self) -> str:
        return self.user.email if self.user_id else self.contact_email


class AgendaItem(CleanTextModel, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("casus"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    minutes_planned = models.PositiveSmallIntegerField(
        _("minuten"), default=15, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    question = _text(_("vraag aan het overleg"), max_length=SHORT_TEXT_MAX)
    decisions = _text(_("besluiten"), max_length=TEXT_MAX)
    reasoning = _text(_("overwegingen"), max_length=TEXT_MAX)
    category = models.CharField(
        _("gegevenscategorie"),
        max_length=24,
        choices=RECORD_CATEGORY_CHOICES,
        default=DataCategory.NOTITIES,
        help_text=_(
            "Waar gaat dit agendapunt over? Een partner krijgt vraag en verslag alleen als het doel deze categorie dekt."
        ),
    )
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="workplans_agendaitem_case_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.case}"


class Agreement(CleanTextModel, models.Model):
    """An afspraak: what, who, by when. Carried over to the next meeting until closed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", verbose_name=_("casus"), on_delete=models.CASCADE, related_name="agreements")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("gemaakt in overleg"),
        on_delete=models.SET_NULL,
        related_name="agreements",
        null=True,
        blank=True,
    )
    what = _text(_("wat"), max_length=SHORT_TEXT_MAX, blank=False)
    category = models.CharField(
        _("gegevenscategorie"),
        max_length=24,
        choices=RECORD_CATEGORY_CHOICES,
        default=DataCategory.NOTITIES,
        help_text=_(
            "Standaard het leefgebied van het doel. Een partner ziet de afspraak alleen als het doel het dekt."
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        related_name="owned_agreements",
        null=True,
        blank=True,
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("partij"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("uiterlijk"))
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.OPEN)
    status_note = _text(_("toelichting"), max_length=SHORT_TEXT_MAX)
    goal = models.ForeignKey(
        "workplans.Goal",
        verbose_name=_("hoort bij doel"),
        on_delete=models.SET_NULL,
        related_name="agreements",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="workplans_agreement_closed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "status"], name="workplans_agreement_case_open"),
            models.Index(fields=["status", "due_on"], name="workplans_agreement_due"),
        ]

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def is_open(self) -> bool:
        return self.status == AgreementStatus.OPEN

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())
