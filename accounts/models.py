"""People, organisations, teams and roles.

This app depends on nothing else of ours (DESIGN.md, layers).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api_conventions.text import CleanTextModel

from .constants import OrganisationType, Role


class Organisation(CleanTextModel, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=200, unique=True)
    type = models.CharField(_("soort"), max_length=32, choices=OrganisationType.choices)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_municipality(self) -> bool:
        return self.type == OrganisationType.GEMEENTE


class Team(CleanTextModel, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="accounts_team_unique_name_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name


class User(CleanTextModel, AbstractUser):
    """A professional. The organisation is where they are employed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    job_title = models.CharField(_("functie"), max_length=120, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class Membership(CleanTextModel, models.Model):
    """A user's role in a team. A user may hold several (e.g. wijkcoach and regisseur)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    valid_from = models.DateField(_("vanaf"), default=timezone.localdate)
    valid_to = models.DateField(_("tot en met"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("teamlidmaatschap")
        verbose_name_plural = _("teamlidmaatschappen")
        ordering = ["team__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team", "role"],
                condition=Q(valid_to__isnull=True),
                name="accounts_membership_one_open_per_user_team_role",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="accounts_membership_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.team})"


class Notification(CleanTextModel, models.Model):
    """A message in a user's inbox (four-eyes decisions, reminders, handovers)."""

    class Kind(models.TextChoices):
        MESSAGE = "bericht", _("Bericht")
        REMINDER = "herinnering", _("Herinnering")
        ESCALATION = "escalatie", _("Escalatie")
        HANDOVER = "overdracht", _("Overdracht")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.MESSAGE)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("bericht"), blank=True, max_length=2000)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Reminders: the rule that produced it, the case it is about (by number only: never a name or BSN),
    # the date the thing is due, and a key that makes each occurrence unique (rule, object, due date,
    # recipient, kind): a rerun or a retried task never delivers a reminder twice (database constraint).
    rule = models.CharField(_("regel"), max_length=40, blank=True)
    case_number = models.CharField(_("casusnummer"), max_length=20, blank=True)
    due_on = models.DateField(_("uiterlijk op"), null=True, blank=True)
    occurrence_key = models.CharField(_("sleutel"), max_length=200, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    done_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    snoozed_until = models.DateField(_("uitgesteld tot"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("gemaild op"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding in inbox")
        verbose_name_plural = _("meldingen in inbox")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="accounts_notification_inbox"),
            models.Index(fields=["user", "done_at", "due_on"], name="accounts_notification_open"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence_key"],
                condition=models.Q(occurrence_key__isnull=False),
                name="accounts_notification_one_per_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return self.title
