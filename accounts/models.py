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
    # Who ended the membership and when that was recorded (``valid_to`` is the last day of the role):
    # the FG's overview of role changes shows both. Empty for memberships ended before this was kept.
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        User,
        verbose_name=_("beëindigd door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

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


class RoleRequest(CleanTextModel, models.Model):
    """A request to give a user a role in a team. Granting a role always takes two people (four eyes).

    Who may ask and who may decide is ``accounts.privileges``; ``accounts.services`` enforces it. The
    database holds what must never happen whatever the code does: a request for oneself, a decision by
    the requester or by the person it is for, two open requests for the same role.
    """

    class Status(models.TextChoices):
        PENDING = "open", _("Wacht op besluit")
        APPROVED = "goedgekeurd", _("Goedgekeurd")
        REFUSED = "afgewezen", _("Afgewezen")
        WITHDRAWN = "ingetrokken", _("Ingetrokken")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, verbose_name=_("medewerker"), on_delete=models.PROTECT, related_name="role_requests")
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="role_requests")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    reason = models.TextField(_("reden"), max_length=2000)
    requested_by = models.ForeignKey(
        User, verbose_name=_("aangevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    # Who decided; empty while open and for a withdrawn request (then ``decided_at`` is when it was withdrawn).
    decided_by = models.ForeignKey(
        User, verbose_name=_("besloten door"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decision_note = models.TextField(_("toelichting bij het besluit"), max_length=2000, blank=True)
    # The membership an approval created: the FG's overview tells grants with and without a request apart.
    membership = models.OneToOneField(
        Membership,
        verbose_name=_("teamlidmaatschap"),
        on_delete=models.PROTECT,
        related_name="role_request",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("rolverzoek")
        verbose_name_plural = _("rolverzoeken")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(user=models.F("requested_by")),
                name="accounts_rolerequest_not_for_self",
                violation_error_message=_("U kunt geen rol voor uzelf aanvragen."),
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="accounts_rolerequest_decider_not_requester",
                violation_error_message=_("Wie een rol aanvraagt, besluit er niet zelf over."),
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("user")),
                name="accounts_rolerequest_decider_not_subject",
                violation_error_message=_("Niemand besluit over een rol voor zichzelf."),
            ),
            models.UniqueConstraint(
                fields=["user", "team", "role"],
                condition=Q(status="open"),
                name="accounts_rolerequest_one_pending_per_user_team_role",
                violation_error_message=_("Er staat al een verzoek open voor deze rol in dit team."),
            ),
            # Open: no decision yet. Withdrawn: a time, nobody decided. Approved or refused: who and when.
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True, decided_by__isnull=True)
                | Q(status="ingetrokken", decided_at__isnull=False, decided_by__isnull=True)
                | Q(status__in=["goedgekeurd", "afgewezen"], decided_at__isnull=False, decided_by__isnull=False),
                name="accounts_rolerequest_decision_recorded",
            ),
            models.CheckConstraint(
                condition=Q(status="goedgekeurd", membership__isnull=False)
                | (~Q(status="goedgekeurd") & Q(membership__isnull=True)),
                name="accounts_rolerequest_membership_iff_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status="afgewezen") | ~Q(decision_note=""),
                name="accounts_rolerequest_refusal_explained",
                violation_error_message=_("Geef aan waarom u het verzoek afwijst."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.team})"


class ApiToken(CleanTextModel, models.Model):
    """A personal API key. Only a SHA-256 hash of the key is stored: nobody can read it after creation.

    The key is 256 random bits, so a fast hash is enough (there is nothing to guess by brute force);
    ``prefix`` is its first characters, not secret, so the owner can tell their keys apart. A token
    always acts as its owner (``accounts.api.authentication``).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=16, editable=False)
    key_hash = models.CharField(_("hash van de sleutel"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("ingetrokken door"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key_hash"], name="accounts_apitoken_unique_key_hash"),
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="accounts_apitoken_one_active_name_per_user",
                violation_error_message=_("U heeft al een API-sleutel met deze naam."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="accounts_apitoken_revocation_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


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
