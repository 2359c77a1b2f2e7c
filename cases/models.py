"""Clients, households and cases: the shared case file.

Writes go through ``cases.services``; reads that span relations through
``cases.selectors``, filtered by ``access.policy``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from api_conventions.text import CleanTextModel
from consent.constants import RECORD_CATEGORY_CHOICES, DataCategory

from .constants import (
    DEFAULT_TRIAGE_WORKING_DAYS,
    OPEN_STATUSES,
    CaseRole,
    CaseStatus,
    Channel,
    ClosingReason,
    Gender,
    InformedHow,
    Law,
    LifeDomain,
    ReferralStatus,
    Relation,
    SafetyConcern,
    SignalOutcome,
    SignalSource,
    Task,
    TriageDecision,
    ZrmScore,
)
from .validators import validate_bsn, validate_no_nul, validate_not_in_future, validate_postcode

SUMMARY_MAX = 2000
TEXT_MAX = 4000


def _text(verbose_name, *, max_length: int = TEXT_MAX, blank: bool = False) -> models.TextField:
    return models.TextField(
        verbose_name, blank=blank, validators=[MaxLengthValidator(max_length), validate_no_nul], max_length=max_length
    )


class TimestampedModel(CleanTextModel, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


# --- Clients and households ---------------------------------------------------


class Client(TimestampedModel):
    bsn = models.CharField(
        _("BSN"), max_length=9, null=True, blank=True, validators=[validate_bsn], help_text=_("Niet verplicht.")
    )
    given_names = models.CharField(_("voornamen"), max_length=200, validators=[validate_no_nul])
    prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True, validators=[validate_no_nul])
    family_name = models.CharField(_("achternaam"), max_length=200, validators=[validate_no_nul])
    date_of_birth = models.DateField(_("geboortedatum"), validators=[validate_not_in_future])
    gender = models.CharField(_("geslacht"), max_length=10, choices=Gender.choices, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True, validators=[validate_no_nul])
    email = models.EmailField(_("e-mail"), blank=True)
    street = models.CharField(_("straat"), max_length=200, blank=True, validators=[validate_no_nul])
    house_number = models.CharField(_("huisnummer"), max_length=10, blank=True, validators=[validate_no_nul])
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True, validators=[validate_no_nul])
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validate_postcode])
    city = models.CharField(_("woonplaats"), max_length=100, blank=True, validators=[validate_no_nul])
    registered_by_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("geregistreerd door team"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Het team dat de cliënt vastlegde; dat team ziet de cliënt ook voordat er een casus is."),
    )

    class Meta:
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        ordering = ["family_name", "given_names"]
        constraints = [
            models.UniqueConstraint(fields=["bsn"], condition=Q(bsn__isnull=False), name="cases_client_unique_bsn"),
        ]
        indexes = [
            models.Index(fields=["family_name", "date_of_birth"], name="cases_client_name_dob"),
            models.Index(fields=["postcode"], name="cases_client_postcode"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.prefix, self.family_name) if part)

    @property
    def address(self) -> str:
        number = f"{self.house_number}{('-' + self.house_number_addition) if self.house_number_addition else ''}"
        line1 = " ".join(p for p in (self.street, number) if p)
        line2 = "  ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (line1, line2) if p)

    def age_on(self, day) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Household(TimestampedModel):
    name = models.CharField(_("naam"), max_length=200, validators=[validate_no_nul])
    registered_by_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("geregistreerd door team"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HouseholdMemberQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class HouseholdMember(CleanTextModel, models.Model):
    """Membership of a household, with history: the composition is derived from these rows."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="household_memberships")
    relation = models.CharField(_("relatie"), max_length=12, choices=Relation.choices)
    valid_from = models.DateField(_("vanaf"), default=timezone.localdate)
    valid_to = models.DateField(_("tot en met"), null=True, blank=True)

    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("lid van huishouden")
        verbose_name_plural = _("leden van huishoudens")
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(valid_to__isnull=True), name="cases_householdmember_one_open_per_client"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="cases_householdmember_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} ({self.get_relation_display()})"


# --- Cases ------------------------------------------------------------------------


class TeamCaseSettings(models.Model):
    """Per-team settings of the case file, managed by the functioneel beheerder."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="case_settings")
    triage_working_days = models.PositiveSmallIntegerField(
        _("termijn triage (werkdagen)"), default=DEFAULT_TRIAGE_WORKING_DAYS, validators=[MinValueValidator(1)]
    )
    four_eyes = models.BooleanField(
        _("vier-ogenprincipe"),
        default=False,
        help_text=_("De teamleider keurt het vaststellen van een werkplan en het afsluiten van een casus goed."),
    )

    class Meta:
        verbose_name = _("casusinstellingen van een team")
        verbose_name_plural = _("casusinstellingen van teams")

    def __str__(self) -> str:
        return str(self.team)


class Case(TimestampedModel):
    # The statuses of a finished case, for apps that reach this model by ``apps.get_model`` and do not
    # import ``cases`` (consent's retention). Nazorg counts as open: the help is still running.
    CLOSED_STATUSES = tuple(status for status in CaseStatus.values if status not in OPEN_STATUSES)

    number = models.CharField(_("casusnummer"), max_length=20, unique=True, editable=False)
    household = models.ForeignKey(
        Household, verbose_name=_("huishouden"), on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    client = models.ForeignKey(
        Client, verbose_name=_("cliënt"), on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=32, choices=CaseStatus.choices, default=CaseStatus.AANGEMELD)
    closing_reason = models.CharField(
        _("reden van afsluiten"), max_length=32, choices=ClosingReason.choices, blank=True
    )
    team = models.ForeignKey("accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regievoerder"),
        on_delete=models.PROTECT,
        related_name="coordinated_cases",
        null=True,
        blank=True,
    )
    law_wmo = models.BooleanField(Law.WMO.label, default=False)
    law_jeugdwet = models.BooleanField(Law.JEUGDWET.label, default=False)
    law_participatiewet = models.BooleanField(Law.PARTICIPATIEWET.label, default=False)
    law_wgs = models.BooleanField(Law.WGS.label, default=False)
    safety_concern = models.CharField(
        _("veiligheidssignaal"), max_length=24, choices=SafetyConcern.choices, blank=True, default=""
    )
    opened_on = models.DateField(_("gestart op"), default=timezone.localdate)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    summary = _text(_("korte omschrijving"), max_length=SUMMARY_MAX, blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(household__isnull=False) & Q(client__isnull=True))
                | (Q(household__isnull=True) & Q(client__isnull=False)),
                name="cases_case_household_xor_client",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["afgesloten", "nazorg", "gearchiveerd"]) | ~Q(closing_reason=""),
                name="cases_case_closed_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["team", "status"], name="cases_case_team_status")]
        permissions = [("work_on_case", _("Mag aan de casus werken"))]

    def __str__(self) -> str:
        return self.number

    LAW_FIELDS = {
        Law.WMO: "law_wmo",
        Law.JEUGDWET: "law_jeugdwet",
        Law.PARTICIPATIEWET: "law_participatiewet",
        Law.WGS: "law_wgs",
    }

    @property
    def laws(self) -> list[str]:
        return [law for law, field in self.LAW_FIELDS.items() if getattr(self, field)]

    @property
    def law_labels(self) -> list[str]:
        return [Law(law).label for law in self.laws]

    @property
    def has_safety_flag(self) -> bool:
        return bool(self.safety_concern)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseCounter(models.Model):
    """One row per year; ``case_open`` increments it under a row lock for readable numbers."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("casusteller")
        verbose_name_plural = _("casustellers")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class CaseStatusChange(CleanTextModel, models.Model):
    """Append-only history of status transitions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("van"), max_length=32, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=32, choices=CaseStatus.choices)
    reason = _text(_("toelichting"), max_length=SUMMARY_MAX, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class CaseMemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(valid_to__isnull=True)


class CaseMember(CleanTextModel, models.Model):
    """A professional (user) or a partner organisation contact on the case team."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.PROTECT,
        related_name="case_memberships",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="case_memberships",
    )
    contact_name = models.CharField(_("naam contactpersoon"), max_length=200, blank=True, validators=[validate_no_nul])
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=40, blank=True)
    role = models.CharField(_("rol in de casus"), max_length=16, choices=CaseRole.choices)
    task = models.CharField(_("taak (pet)"), max_length=16, choices=Task.choices, default=Task.HULPVERLENING)
    purpose = models.ForeignKey(
        "consent.Purpose",
        verbose_name=_("doel van deelname"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Verplicht voor partners buiten de gemeente: bepaalt welke gegevens zij zien."),
    )
    valid_from = models.DateField(_("vanaf"), default=timezone.localdate)
    valid_to = models.DateField(_("tot en met"), null=True, blank=True)

    objects = CaseMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("lid van casusteam")
        verbose_name_plural = _("leden van casusteams")
        ordering = ["valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "role"],
                condition=Q(valid_to__isnull=True, user__isnull=False),
                name="cases_casemember_one_open_role_per_user",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(valid_to__isnull=True, role="coordinator"),
                name="cases_casemember_one_open_coordinator",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(contact_name=""), name="cases_casemember_user_or_contact"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="cases_casemember_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["user", "valid_to"], name="cases_casemember_user_open")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        if self.user_id:
            return str(self.user)
        return self.contact_name


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key object permissions (django-guardian) for fast policy queries."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("objectrecht gebruiker op casus")


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("objectrecht groep op casus")


# --- Life domains, contacts ---------------------------------------------------------


class LifeDomainAssessment(CleanTextModel, models.Model):
    """One dated ZRM score for one domain by one assessor. Never edited afterwards."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    client = models.ForeignKey(
        Client, verbose_name=_("cliënt"), on_delete=models.CASCADE, related_name="assessments", null=True, blank=True
    )
    domain = models.CharField(_("leefgebied"), max_length=32, choices=LifeDomain.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), choices=ZrmScore.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    target_score = models.PositiveSmallIntegerField(
        _("doelscore"),
        choices=ZrmScore.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("beoordelaar"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("datum"), default=timezone.localdate, validators=[validate_not_in_future])
    rationale = _text(_("korte onderbouwing"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ZRM-score")
        verbose_name_plural = _("ZRM-scores")
        ordering = ["assessed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="cases_assessment_score_1_to_5"),
            models.CheckConstraint(
                condition=Q(target_score__isnull=True) | Q(target_score__gte=1, target_score__lte=5),
                name="cases_assessment_target_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["case", "domain", "assessed_on"], name="cases_assessment_case_domain")]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.score}"


class ContactMoment(CleanTextModel, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField(_("datum en tijd"))
    channel = models.CharField(_("kanaal"), max_length=12, choices=Channel.choices)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("professional"), on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField(Client, verbose_name=_("met wie"), related_name="contact_moments", blank=True)
    summary = _text(_("korte samenvatting"), max_length=SUMMARY_MAX)
    category = models.CharField(
        _("gegevenscategorie"),
        max_length=24,
        choices=RECORD_CATEGORY_CHOICES,
        default=DataCategory.NOTITIES,
        help_text=_("Waar gaat het contact over? Een partner ziet het alleen als het doel deze categorie dekt."),
    )
    restricted = models.BooleanField(
        _("beroepsgeheim"),
        default=False,
        help_text=_(
            "Alleen zichtbaar voor u en de wijkcoaches en regisseurs van uw team; nooit voor klantmanagers, "
            "werkcoaches of partners, ook niet in exports, verslagen of herinneringen."
        ),
    )
    author_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team van de auteur"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    author_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisatie van de auteur"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "occurred_at"], name="cases_contact_case_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(restricted=False) | Q(author_team__isnull=False), name="cases_contact_restricted_has_team"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.occurred_at:%d-%m-%Y}"


# --- Signals, referrals, intake ---------------------------------------------------


class Signal(TimestampedModel):
    """A melding: somebody is worried about a resident. Triage within the deadline."""

    team = models.ForeignKey("accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="signals")
    source = models.CharField(_("bron"), max_length=12, choices=SignalSource.choices)
    reporter_name = models.CharField(_("naam melder"), max_length=200, blank=True, validators=[validate_no_nul])
    reporter_contact = models.CharField(
        _("contactgegevens melder"), max_length=200, blank=True, validators=[validate_no_nul]
    )
    client = models.ForeignKey(
        Client, verbose_name=_("over cliënt"), on_delete=models.PROTECT, related_name="signals", null=True, blank=True
    )
    subject_description = models.CharField(
        _("over wie (als de cliënt nog niet bekend is)"), max_length=300, blank=True, validators=[validate_no_nul]
    )
    what_was_seen = _text(_("wat is er gezien of gehoord"), max_length=SUMMARY_MAX)
    received_at = models.DateTimeField(_("ontvangen op"), default=timezone.now)
    triage_deadline = models.DateField(_("triage uiterlijk"))
    outcome = models.CharField(_("uitkomst triage"), max_length=32, choices=SignalOutcome.choices, blank=True)
    outcome_note = _text(_("toelichting uitkomst"), max_length=SUMMARY_MAX, blank=True)
    triaged_at = models.DateTimeField(_("getrieerd op"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    case = models.ForeignKey(
        Case, verbose_name=_("casus"), on_delete=models.PROTECT, related_name="signals", null=True, blank=True
    )
    reporter_informed_at = models.DateTimeField(_("melder geïnformeerd op"), null=True, blank=True)
    reporter_informed_how = models.CharField(
        _("melder geïnformeerd hoe"), max_length=16, choices=InformedHow.choices, blank=True
    )
    subject_informed_at = models.DateTimeField(_("betrokkene geïnformeerd op"), null=True, blank=True)
    subject_informed_how = models.CharField(
        _("betrokkene geïnformeerd hoe"), max_length=16, choices=InformedHow.choices, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["triage_deadline", "received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False) | ~Q(subject_description=""), name="cases_signal_has_subject"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(triaged_at__isnull=False), name="cases_signal_outcome_has_date"
            ),
        ]
        indexes = [models.Index(fields=["team", "outcome", "triage_deadline"], name="cases_signal_inbox")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_at:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return not self.outcome

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.triage_deadline < (today or timezone.localdate())

    @property
    def subject_label(self) -> str:
        return self.client.full_name if self.client_id else self.subject_description


class Referral(TimestampedModel):
    """A verwijzing to a partner or provision, followed until the help has started."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("partnerorganisatie"),
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    provision = models.CharField(_("voorziening"), max_length=200, blank=True, validators=[validate_no_nul])
    question = _text(_("hulpvraag"), max_length=SUMMARY_MAX)
    category = models.CharField(
        _("gegevenscategorie"),
        max_length=24,
        choices=RECORD_CATEGORY_CHOICES,
        default=DataCategory.NOTITIES,
        help_text=_("Het leefgebied van de hulpvraag. Een partner ziet de verwijzing alleen als het doel het dekt."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.VERSTUURD
    )
    sent_on = models.DateField(_("verstuurd op"), default=timezone.localdate)
    expected_start_on = models.DateField(_("verwachte start hulp"), null=True, blank=True)
    accepted_on = models.DateField(_("geaccepteerd op"), null=True, blank=True)
    declined_on = models.DateField(_("afgewezen op"), null=True, blank=True)
    decline_reason = _text(_("reden van afwijzing"), max_length=SUMMARY_MAX, blank=True)
    completed_on = models.DateField(_("hulp gestart op"), null=True, blank=True)
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(provision=""), name="cases_referral_has_recipient"
            ),
            models.CheckConstraint(
                condition=~Q(status="afgewezen") | ~Q(decline_reason=""), name="cases_referral_decline_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.recipient_label

    @property
    def recipient_label(self) -> str:
        return self.organisation.name if self.organisation_id else self.provision


class Intake(TimestampedModel):
    """The broad kitchen-table conversation over all life domains, and its triage decision."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="intake")
    conducted_on = models.DateField(
        _("gesprek gevoerd op"), default=timezone.localdate, validators=[validate_not_in_future]
    )
    conducted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = _text(_("algemene indruk"), max_length=TEXT_MAX, blank=True)
    triage_decision = models.CharField(_("triagebesluit"), max_length=16, choices=TriageDecision.choices, blank=True)
    triage_note = _text(_("onderbouwing triage"), max_length=SUMMARY_MAX, blank=True)
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")

    def __str__(self) -> str:
        return f"Intake {self.conducted_on:%d-%m-%Y}"


class IntakeDomain(CleanTextModel, models.Model):
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("leefgebied"), max_length=32, choices=LifeDomain.choices)
    situation = _text(_("situatie"), max_length=SUMMARY_MAX, blank=True)
    question = _text(_("vraag"), max_length=SUMMARY_MAX, blank=True)
    help_needed = models.BooleanField(_("hulp nodig"), default=False)

    class Meta:
        verbose_name = _("leefgebied in intake")
        verbose_name_plural = _("leefgebieden in intake")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "domain"], name="cases_intakedomain_one_per_domain"),
        ]

    def __str__(self) -> str:
        return self.get_domain_display()


class ApprovalRequest(TimestampedModel):
    """Four eyes: a request to the teamleider to approve a plan adoption or a case closure."""

    class Kind(models.TextChoices):
        WORKPLAN_ADOPT = "werkplan_vaststellen", _("Werkplan vaststellen")
        CASE_CLOSE = "casus_afsluiten", _("Casus afsluiten")

    class Status(models.TextChoices):
        PENDING = "open", _("Wacht op besluit")
        APPROVED = "goedgekeurd", _("Goedgekeurd")
        REJECTED = "afgewezen", _("Afgewezen")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approval_requests")
    kind = models.CharField(_("soort"), max_length=24, choices=Kind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = _text(_("toelichting"), max_length=SUMMARY_MAX, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decision_note = _text(_("toelichting besluit"), max_length=SUMMARY_MAX, blank=True)

    class Meta:
        verbose_name = _("verzoek om goedkeuring")
        verbose_name_plural = _("verzoeken om goedkeuring")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(status="open"), name="cases_approvalrequest_one_open_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case}"


# --- Handovers --------------------------------------------------------------------


class Handover(TimestampedModel):
    """The transfer of one case from a professional to a receiver (warm handover).

    A caseload transfer is a ``batch`` of handovers. The summary is generated and frozen at the
    moment of transfer. Until the receiver accepts, both see the handover and the reminder
    "handover not accepted" runs; on acceptance the membership, goal ownership and duties move to
    the receiver in one transaction (``cases.handovers``).
    """

    class Status(models.TextChoices):
        PENDING = "open", _("Wacht op acceptatie")
        ACCEPTED = "geaccepteerd", _("Geaccepteerd")
        RETURNED = "teruggegeven", _("Teruggegeven")
        CANCELLED = "ingetrokken", _("Ingetrokken")

    case = models.ForeignKey(Case, verbose_name=_("casus"), on_delete=models.CASCADE, related_name="handovers")
    batch = models.UUIDField(_("overdrachtsbatch"), null=True, blank=True, db_index=True)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("van"), on_delete=models.PROTECT, related_name="handovers_given"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("naar"), on_delete=models.PROTECT, related_name="handovers_received"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.JSONField(_("overdrachtssamenvatting"), default=dict, blank=True)
    note = models.TextField(_("toelichting van de vorige professional"), max_length=4000, blank=True)
    intro_meeting_on = models.DateField(_("kennismakingsgesprek met de cliënt"), null=True, blank=True)
    due_on = models.DateField(_("accepteren uiterlijk"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    returned_reason = models.TextField(_("reden van teruggeven"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="open"), name="cases_handover_one_open_per_case"
            ),
            models.CheckConstraint(condition=~Q(from_user=models.F("to_user")), name="cases_handover_to_someone_else"),
        ]
        indexes = [models.Index(fields=["to_user", "status"], name="cases_handover_inbox")]

    def __str__(self) -> str:
        return f"{self.case.number}: {self.from_user} -> {self.to_user} ({self.get_status_display()})"
