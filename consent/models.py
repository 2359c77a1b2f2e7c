"""Privacy by design: purposes, consents, disclosures, the access log, break-the-glass, retention.

Models refer to cases by string ("cases.Case") so this app does not import
``cases`` (DESIGN.md layers).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import OrganisationType
from api_conventions.text import CleanTextModel

from .constants import (
    CRIMINAL_CATEGORIES,
    RETENTION_DEFAULT_YEARS,
    SPECIAL_CATEGORIES,
    AccessAction,
    ConsentMethod,
    CriminalGround,
    DataCategory,
    DisclosureChannel,
    LegalBasis,
    PurposeLaw,
    RetentionLaw,
    SpecialGround,
)


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes: the registers that use it are append-only."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} is append-only.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} is append-only.")


class AppendOnlyModel(CleanTextModel, models.Model):
    """A register row that is written once: saving an existing row or deleting one is refused."""

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} is append-only.")


class AccessLogEntry(AppendOnlyModel):
    """Who read, searched, exported or changed which client's or case's data, when, how and why.

    Append-only: the model refuses updates and deletes. Rows are written in
    bulk at the end of a request (``access.log``), one INSERT per
    request whatever the page shows. Indexed for "who looked at client X"
    and "what did user Y look at".
    """

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), on_delete=models.PROTECT, related_name="+", null=True
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("casus"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
    )
    client = models.ForeignKey(
        "cases.Client",
        verbose_name=_("cliënt"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("handeling"), max_length=12, choices=AccessAction.choices)
    route = models.CharField(_("route"), max_length=200)
    purpose = models.CharField(_("doel"), max_length=100, blank=True)
    task = models.CharField(_("taak (pet)"), max_length=16, blank=True)
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    detail = models.CharField(_("toelichting"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["client", "at"], name="consent_accesslog_client_at"),
            models.Index(fields=["case", "at"], name="consent_accesslog_case_at"),
            models.Index(fields=["user", "at"], name="consent_accesslog_user_at"),
            models.Index(fields=["at"], name="consent_accesslog_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.route}"


class BreakGlassGrant(CleanTextModel, models.Model):
    """Temporary access to a case outside one's team, with a stated reason, reviewed by the FG."""

    class Verdict(models.TextChoices):
        JUSTIFIED = "gerechtvaardigd", _("Gerechtvaardigd")
        UNJUSTIFIED = "niet_gerechtvaardigd", _("Niet gerechtvaardigd")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.TextField(_("reden"), max_length=2000)
    granted_at = models.DateTimeField(_("verleend op"), default=timezone.now)
    expires_at = models.DateTimeField(_("verloopt op"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    verdict = models.CharField(_("oordeel"), max_length=24, choices=Verdict.choices, blank=True)
    review_note = models.TextField(_("toelichting oordeel"), max_length=2000, blank=True)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("doorbraak (break-the-glass)")
        verbose_name_plural = _("doorbraken (break-the-glass)")
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")), name="consent_breakglass_expires_after_grant"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_by__isnull=False),
                name="consent_breakglass_ended_by_someone",
            ),
        ]
        indexes = [models.Index(fields=["user", "case", "expires_at"], name="consent_breakglass_active")]

    def __str__(self) -> str:
        return f"{self.user} – {self.case} ({self.granted_at:%d-%m-%Y %H:%M})"

    def is_active(self, now=None) -> bool:
        """Gives access now: started, not expired, and not ended by a verdict or a withdrawal."""
        now = now or timezone.now()
        return self.ended_at is None and self.granted_at <= now < self.expires_at

    @property
    def ends_at(self):
        """When access ended or will end."""
        return min(self.ended_at, self.expires_at) if self.ended_at else self.expires_at


# --- Purposes, consents, disclosures ------------------------------------------------


class PurposeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Purpose(CleanTextModel, models.Model):
    """A doel: what data may be used and shared for, on which legal basis, with which kinds of organisation.

    Managed by the beheerder in the admin; every change is in the audit log.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), max_length=2000, blank=True)
    legal_basis = models.CharField(_("grondslag (AVG art. 6)"), max_length=8, choices=LegalBasis.choices)
    special_ground = models.CharField(
        _("uitzonderingsgrond bijzondere persoonsgegevens (AVG art. 9)"),
        max_length=8,
        choices=SpecialGround.choices,
        blank=True,
    )
    criminal_ground = models.CharField(
        _("grondslag strafrechtelijke gegevens (AVG art. 10)"),
        max_length=8,
        choices=CriminalGround.choices,
        blank=True,
    )
    law = models.CharField(_("wet"), max_length=16, choices=PurposeLaw.choices)
    categories = models.JSONField(_("gegevenscategorieën"), default=list, blank=True)
    recipient_types = models.JSONField(_("soorten ontvangende organisaties"), default=list, blank=True)
    active = models.BooleanField(_("actief"), default=True)

    objects = PurposeQuerySet.as_manager()

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        unknown = set(self.categories or []) - set(DataCategory.values)
        if unknown:
            errors["categories"] = _("Onbekende gegevenscategorie: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        if set(self.categories or []) & SPECIAL_CATEGORIES and not self.special_ground:
            errors["special_ground"] = _(
                "Bijzondere persoonsgegevens (gezondheid, psychische gezondheid, verslaving) vragen een "
                "uitzonderingsgrond uit AVG artikel 9."
            )
        if set(self.categories or []) & CRIMINAL_CATEGORIES and not self.criminal_ground:
            errors["criminal_ground"] = _("Strafrechtelijke gegevens vragen een grondslag uit AVG artikel 10.")
        if self.special_ground == SpecialGround.EXPLICIT_CONSENT and self.legal_basis != LegalBasis.CONSENT:
            errors["special_ground"] = _("Uitdrukkelijke toestemming past alleen bij grondslag toestemming.")
        if errors:
            raise ValidationError(errors)

    @property
    def needs_consent(self) -> bool:
        return self.legal_basis == LegalBasis.CONSENT

    def usable_categories(self) -> frozenset[str]:
        """The purpose's categories that its grounds allow: special and criminal data only with their ground.

        Registration data (case number, status, team) is always included: a case cannot be shown without it.
        """
        usable = set(self.categories or [])
        if not self.special_ground:
            usable -= SPECIAL_CATEGORIES
        if not self.criminal_ground:
            usable -= CRIMINAL_CATEGORIES
        usable.add(DataCategory.ADMINISTRATIEF)
        return frozenset(usable)

    def shares_with(self, organisation_type: str) -> bool:
        return organisation_type in (self.recipient_types or [])


class ConsentQuerySet(models.QuerySet):
    def valid(self, at=None):
        """Given, not expired, not withdrawn at ``at`` (default: now). Withdrawal takes effect at once."""
        at = at or timezone.now()
        return self.filter(
            models.Q(given_at__lte=at),
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at),
            models.Q(withdrawn_at__isnull=True) | models.Q(withdrawn_at__gt=at),
        )

    def for_recipient(self, organisation):
        return self.filter(
            models.Q(recipient_organisation=organisation)
            | models.Q(recipient_organisation__isnull=True, recipient_type=organisation.type)
        )


class Consent(CleanTextModel, models.Model):
    """A client's (or their legal representative's) consent for a purpose and a recipient."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        "cases.Client", verbose_name=_("cliënt"), on_delete=models.CASCADE, related_name="consents"
    )
    representative_name = models.CharField(
        _("gegeven door wettelijk vertegenwoordiger"),
        max_length=200,
        blank=True,
        help_text=_("Bij minderjarigen of curatele: naam van de wettelijk vertegenwoordiger."),
    )
    purpose = models.ForeignKey(Purpose, verbose_name=_("doel"), on_delete=models.PROTECT, related_name="consents")
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("ontvangende organisatie"),
        on_delete=models.PROTECT,
        related_name="consents_received",
        null=True,
        blank=True,
    )
    recipient_type = models.CharField(_("soort ontvanger"), max_length=32, blank=True)
    given_at = models.DateTimeField(_("gegeven op"), default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"), null=True, blank=True)
    method = models.CharField(_("hoe vastgelegd"), max_length=16, choices=ConsentMethod.choices)
    witness = models.CharField(_("getuige"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vastgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    scope_note = models.TextField(_("reikwijdte"), max_length=2000, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reden intrekking"), max_length=2000, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient_organisation__isnull=False) | ~models.Q(recipient_type=""),
                name="consent_consent_has_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("given_at")),
                name="consent_consent_expires_after_given",
            ),
            models.CheckConstraint(
                condition=~models.Q(method="mondeling") | ~models.Q(witness=""),
                name="consent_consent_oral_has_witness",
            ),
        ]
        indexes = [models.Index(fields=["client", "purpose"], name="consent_consent_client_purpose")]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.given_at:%d-%m-%Y})"

    @property
    def recipient_label(self) -> str:
        if self.recipient_organisation_id:
            return str(self.recipient_organisation)
        return str(OrganisationType(self.recipient_type).label) if self.recipient_type else ""

    def status(self, at=None) -> str:
        at = at or timezone.now()
        if self.withdrawn_at and self.withdrawn_at <= at:
            return "ingetrokken"
        if self.expires_at and self.expires_at <= at:
            return "verlopen"
        if self.given_at > at:
            return "toekomstig"
        return "geldig"


class Disclosure(AppendOnlyModel):
    """Data that left the municipality's own team: to which organisation and person, what, why, on which basis."""

    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    channel = models.CharField(_("hoe"), max_length=12, choices=DisclosureChannel.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("casus"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    client = models.ForeignKey(
        "cases.Client",
        verbose_name=_("cliënt"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    categories = models.JSONField(_("gegevenscategorieën"), default=list)
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("ontvangende organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ontvanger"), on_delete=models.PROTECT, related_name="+", null=True
    )
    recipient_description = models.CharField(_("ontvanger (omschrijving)"), max_length=200, blank=True)
    purpose = models.ForeignKey(Purpose, verbose_name=_("doel"), on_delete=models.PROTECT, related_name="+", null=True)
    legal_basis = models.CharField(_("grondslag"), max_length=8, choices=LegalBasis.choices, blank=True)
    consent = models.ForeignKey(
        Consent, verbose_name=_("toestemming"), on_delete=models.PROTECT, related_name="disclosures", null=True
    )
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verstrekt door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    route = models.CharField(_("route"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("verstrekking")
        verbose_name_plural = _("verstrekkingen")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "at"], name="consent_disclosure_case_at"),
            models.Index(fields=["client", "at"], name="consent_disclosure_client_at"),
            models.Index(fields=["recipient_organisation", "at"], name="consent_disclosure_org_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_channel_display()} -> {self.recipient_organisation_id}"

    @property
    def category_labels(self) -> list[str]:
        return [str(DataCategory(c).label) if c in DataCategory.values else c for c in self.categories or []]


class CorrectionRequest(CleanTextModel, models.Model):
    """A client's request to correct their data (GDPR art. 16); the changes themselves are in the audit log."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HONOURED = "toegewezen", _("Toegewezen, gegevens aangepast")
        REFUSED = "afgewezen", _("Afgewezen, met reden")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        "cases.Client", verbose_name=_("cliënt"), on_delete=models.CASCADE, related_name="correction_requests"
    )
    received_on = models.DateField(_("ontvangen op"), default=timezone.localdate)
    request = models.TextField(_("verzoek"), max_length=4000)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("afhandeling"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    handled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("correctieverzoek")
        verbose_name_plural = _("correctieverzoeken")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.received_on:%d-%m-%Y} {self.get_status_display()}"


# --- Retention ------------------------------------------------------------------------


class RetentionPolicy(CleanTextModel, models.Model):
    """How long a closed case is kept, per law, counted from its closing date."""

    law = models.CharField(_("wet"), max_length=16, choices=RetentionLaw.choices, unique=True)
    years = models.PositiveSmallIntegerField(_("bewaartermijn (jaren)"))
    action = models.CharField(
        _("handeling na termijn"),
        max_length=12,
        choices=[("anonimiseren", _("Anonimiseren")), ("vernietigen", _("Vernietigen"))],
        default="anonimiseren",
    )
    source = models.CharField(_("bron"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")
        ordering = ["law"]

    def __str__(self) -> str:
        return f"{self.get_law_display()}: {self.years}"

    @classmethod
    def years_by_law(cls) -> dict[str, int]:
        configured = dict(cls.objects.values_list("law", "years"))
        return {law: configured.get(law, default) for law, default in RETENTION_DEFAULT_YEARS.items()}


class LegalHold(CleanTextModel, models.Model):
    """Keeps a case beyond its retention period (a court case, an objection, a complaint)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("casus"), on_delete=models.CASCADE, related_name="legal_holds"
    )
    reason = models.TextField(_("reden"), max_length=2000)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("geplaatst op"), default=timezone.now)
    lifted_at = models.DateTimeField(_("opgeheven op"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("juridische bewaarplicht")
        verbose_name_plural = _("juridische bewaarplichten")
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reason[:40]}"


class RetentionRecord(AppendOnlyModel):
    """What the retention job did with a case (kept without personal data: number, law and dates only)."""

    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    case_number = models.CharField(_("casusnummer"), max_length=20)
    case_id_value = models.PositiveBigIntegerField(_("casus-id"))
    law = models.CharField(_("wet"), max_length=16, choices=RetentionLaw.choices)
    closed_on = models.DateField(_("afgesloten op"))
    due_on = models.DateField(_("termijn verstreken op"))
    action = models.CharField(_("handeling"), max_length=12)
    detail = models.JSONField(_("wat is verwijderd"), default=dict)

    class Meta:
        verbose_name = _("vernietigingsregel")
        verbose_name_plural = _("vernietigingsregister")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_number} {self.action} {self.at:%Y-%m-%d}"
