"""Per-team thresholds of the reminder rules. The reminders themselves are ``accounts.Notification`` rows."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import constants as c


def _threshold(verbose_name, default: int, help_text="", *, maximum: int = 365) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(maximum)],
        help_text=help_text,
    )


class TeamReminderSettings(models.Model):
    """The thresholds of the reminder rules for one team, managed by the functioneel beheerder.

    A team without a row uses the defaults (``reminders.constants``). Holds no personal data.
    """

    team = models.OneToOneField(
        "accounts.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="reminder_settings"
    )
    duty_lead_working_days = _threshold(
        _("herinnering coördinatietaak (werkdagen vooraf)"),
        c.DEFAULT_DUTY_LEAD_WORKING_DAYS,
        _("Zoveel werkdagen voordat een taak a–g verloopt, krijgt de regievoerder een herinnering."),
        maximum=60,
    )
    contact_days = _threshold(
        _("geen contact met de cliënt (dagen)"),
        c.DEFAULT_CONTACT_DAYS,
        _("Herinnering als er zoveel dagen geen contactmoment is vastgelegd."),
    )
    contact_days_safety = _threshold(
        _("geen contact bij veiligheidssignaal (dagen)"),
        c.DEFAULT_CONTACT_DAYS_SAFETY,
        _("Hetzelfde, voor casussen met een veiligheidssignaal."),
    )
    involvement_weeks = _threshold(
        _("cliënt niet betrokken (weken)"),
        c.DEFAULT_INVOLVEMENT_WEEKS,
        _("Taak f: herinnering als de cliënt zoveel weken niet bij het werkplan is betrokken."),
        maximum=52,
    )
    handover_working_days = _threshold(
        _("overdracht accepteren (werkdagen)"),
        c.DEFAULT_HANDOVER_WORKING_DAYS,
        _("Binnen zoveel werkdagen accepteert de ontvanger een overdracht."),
        maximum=60,
    )
    referral_response_working_days = _threshold(
        _("reactie op verwijzing (werkdagen)"),
        c.DEFAULT_REFERRAL_RESPONSE_WORKING_DAYS,
        _("Herinnering als een verwijzing na zoveel werkdagen niet is geaccepteerd of afgewezen."),
        maximum=120,
    )
    consent_expiry_days = _threshold(
        _("toestemming verloopt (dagen vooraf)"),
        c.DEFAULT_CONSENT_EXPIRY_DAYS,
        _("Zoveel dagen voordat een toestemming verloopt, krijgt de regievoerder een herinnering."),
    )
    escalation_days = _threshold(
        _("escalatie naar de teamleider (dagen te laat)"),
        c.DEFAULT_ESCALATION_DAYS,
        _("Is iets langer dan zoveel dagen te laat, dan krijgt ook de teamleider een melding."),
    )

    class Meta:
        verbose_name = _("signaleringsinstellingen van een team")
        verbose_name_plural = _("signaleringsinstellingen van teams")

    def __str__(self) -> str:
        return str(self.team)


THRESHOLD_FIELDS = (
    "duty_lead_working_days",
    "contact_days",
    "contact_days_safety",
    "involvement_weeks",
    "handover_working_days",
    "referral_response_working_days",
    "consent_expiry_days",
    "escalation_days",
)
