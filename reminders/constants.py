from django.db import models
from django.utils.translation import gettext_lazy as _


class Rule(models.TextChoices):
    """The reminder rules (issue #7). The value is stored in ``accounts.Notification.rule``."""

    DUTY_DUE = "duty_due", _("Coördinatietaak bijna of te laat")
    WORKPLAN_REVIEW = "workplan_review", _("Werkplan herzien")
    AGREEMENT_OVERDUE = "agreement_overdue", _("Afspraak te laat")
    NO_CONTACT = "no_contact", _("Geen contact met de cliënt")
    NO_INVOLVEMENT = "no_involvement", _("Cliënt niet betrokken")
    GOAL_OWNER = "goal_owner", _("Langetermijndoel zonder eigenaar")
    SIGNAL_TRIAGE = "signal_triage", _("Melding niet op tijd getrieerd")
    HANDOVER_PENDING = "handover_pending", _("Overdracht niet geaccepteerd")
    ORPHANED_CASE = "orphaned_case", _("Casus zonder actieve regievoerder")
    CONSENT_EXPIRING = "consent_expiring", _("Toestemming verloopt")
    REFERRAL_PENDING = "referral_pending", _("Verwijzing loopt niet")


# Defaults of the per-team thresholds (``TeamReminderSettings``); a team without a row uses these.
DEFAULT_DUTY_LEAD_WORKING_DAYS = 3
DEFAULT_CONTACT_DAYS = 30
DEFAULT_CONTACT_DAYS_SAFETY = 14
DEFAULT_INVOLVEMENT_WEEKS = 6
DEFAULT_HANDOVER_WORKING_DAYS = 5
DEFAULT_REFERRAL_RESPONSE_WORKING_DAYS = 10
DEFAULT_CONSENT_EXPIRY_DAYS = 30
DEFAULT_ESCALATION_DAYS = 5
