"""Forms of the privacy pages and of the case tab "Toestemming en delen".

Forms check the shape of the input; ``consent.services`` enforces the domain
rules, and its ``ValidationError`` goes back on the form with
``add_validation_error``. This module does not import ``cases`` (layers): the
case tab hands in the clients it may show.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.constants import OrganisationType
from accounts.models import Organisation
from api_conventions.text import MultiLineField, SingleLineField

from .constants import BREAK_GLASS_MAX_HOURS, AccessAction, ConsentMethod, DisclosureChannel, LegalBasis
from .models import BreakGlassGrant, CorrectionRequest, Purpose

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


def add_validation_error(
    form: forms.Form, error: ValidationError, *, field_map: Mapping[str, str] | None = None
) -> None:
    """Show a service's ``ValidationError`` next to the field it names, or above the form."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        name = field_map.get(key, key)
        form.add_error(name if name in form.fields else None, errors)


def date_field(label, *, required: bool = False, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET, **kwargs)


def text_area(label, *, max_length: int, required: bool = True, rows: int = 3, **kwargs) -> forms.CharField:
    return MultiLineField(
        label=label, max_length=max_length, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Local midnight at the start of ``day``, timezone-aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class PeriodForm(forms.Form):
    date_from = date_field(_("Van"))
    date_to = date_field(_("Tot en met"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("De einddatum ligt voor de begindatum."))
        return cleaned

    def period(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """[start, end) as aware datetimes; the end date is included."""
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        return (
            start_of_day(start) if start else None,
            start_of_day(end + datetime.timedelta(days=1)) if end else None,
        )


# --- BSN (the 11-test, kept here because consent does not import cases) ---------------


def bsn_passes_eleven_test(value: str) -> bool:
    if not re.fullmatch(r"\d{9}", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:8], range(9, 1, -1), strict=True)) - int(value[8])
    return total % 11 == 0 and value != "000000000"


def looks_like_bsn(raw: str) -> bool:
    return bool(re.fullmatch(r"[\d\s.]{8,12}", raw.strip()))


def clean_bsn(raw: str) -> str:
    value = re.sub(r"[\s.]", "", raw or "")
    if not bsn_passes_eleven_test(value):
        raise ValidationError(_("Dit is geen geldig BSN: het moet 9 cijfers hebben en de elfproef doorstaan."))
    return value


# --- Access log ---------------------------------------------------------------------------


class AccessLogSearchForm(PeriodForm):
    """Posted, not in the URL: the client criterion may be a BSN."""

    client = SingleLineField(
        label=_("Cliënt"),
        required=False,
        max_length=200,
        help_text=_("BSN of naam van de cliënt."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    user = SingleLineField(label=_("Gebruiker"), required=False, max_length=150, help_text=_("Gebruikersnaam of naam."))
    action = forms.ChoiceField(label=_("Handeling"), required=False, choices=[("", _("Alle")), *AccessAction.choices])
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    field_order = ["client", "user", "date_from", "date_to", "action"]

    def clean_client(self) -> str:
        raw = self.cleaned_data["client"].strip()
        if raw and looks_like_bsn(raw):
            return clean_bsn(raw)
        return raw

    def client_is_bsn(self) -> bool:
        return bool(re.fullmatch(r"\d{9}", self.cleaned_data.get("client") or ""))


# --- Break-the-glass ------------------------------------------------------------------------


class BreakGlassRequestForm(forms.Form):
    reason = text_area(
        _("Reden"),
        max_length=2000,
        rows=4,
        help_text=_(
            "Waarom heeft u nu toegang nodig? Schrijf een volledige zin. De functionaris gegevensbescherming "
            "beoordeelt uw reden."
        ),
    )
    hours = forms.TypedChoiceField(label=_("Hoe lang"), coerce=int, choices=[], initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].choices = [
            (h, _("1 uur") if h == 1 else _("%(hours)s uur") % {"hours": h})
            for h in range(1, BREAK_GLASS_MAX_HOURS + 1)
        ]


class BreakGlassReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Oordeel"), choices=BreakGlassGrant.Verdict.choices, widget=forms.RadioSelect)
    note = text_area(
        _("Toelichting"),
        max_length=2000,
        required=False,
        help_text=_("Verplicht bij “niet gerechtvaardigd”."),
    )


# --- Registers ------------------------------------------------------------------------------

CONSENT_STATUS_CHOICES = [
    ("", _("Alle")),
    ("geldig", _("Geldig")),
    ("verlopen", _("Verlopen")),
    ("ingetrokken", _("Ingetrokken")),
]


class ConsentRegisterFilterForm(forms.Form):
    purpose = forms.ModelChoiceField(
        label=pgettext_lazy("privacy purpose", "Doel"),
        required=False,
        queryset=Purpose.objects.none(),
        to_field_name="code",
        empty_label=_("Alle"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=CONSENT_STATUS_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].queryset = Purpose.objects.filter(legal_basis=LegalBasis.CONSENT).order_by("name")


class DisclosureFilterForm(PeriodForm):
    organisation = forms.ModelChoiceField(
        label=_("Ontvangende organisatie"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        empty_label=_("Alle"),
    )
    channel = forms.ChoiceField(label=_("Hoe"), required=False, choices=[("", _("Alle")), *DisclosureChannel.choices])

    field_order = ["organisation", "channel", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")


# --- Subject access and corrections -----------------------------------------------------------


class SubjectAccessSearchForm(forms.Form):
    """Posted only: a BSN never goes in a URL."""

    bsn = SingleLineField(
        label=_("BSN"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_bsn(self) -> str:
        return clean_bsn(self.cleaned_data["bsn"])


class CorrectionRequestForm(forms.Form):
    request_text = text_area(
        _("Verzoek"), max_length=4000, help_text=_("Welke gegevens wil de cliënt laten corrigeren?")
    )
    received_on = date_field(_("Ontvangen op"), help_text=_("Leeg laten voor vandaag."))


class CorrectionHandleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Besluit"),
        choices=[
            (CorrectionRequest.Status.HONOURED, CorrectionRequest.Status.HONOURED.label),
            (CorrectionRequest.Status.REFUSED, CorrectionRequest.Status.REFUSED.label),
        ],
        widget=forms.RadioSelect,
    )
    resolution = text_area(_("Afhandeling"), max_length=4000, help_text=_("Wat is aangepast, of waarom niet."))


# --- Legal holds ----------------------------------------------------------------------------


class LegalHoldForm(forms.Form):
    case_number = SingleLineField(label=_("Casusnummer"), max_length=20)
    reason = text_area(_("Reden"), max_length=2000, help_text=_("Bijvoorbeeld een lopende rechtszaak of klacht."))


# --- Case tab: consents -------------------------------------------------------------------


class ConsentRecordForm(forms.Form):
    client = forms.ChoiceField(label=_("Cliënt"), choices=[])
    purpose = forms.ModelChoiceField(
        label=pgettext_lazy("privacy purpose", "Doel"),
        queryset=Purpose.objects.none(),
        to_field_name="uuid",
        empty_label=_("Kies een doel"),
        help_text=_("Alleen doelen die op toestemming rusten. Wettelijke taken vragen geen toestemming."),
    )
    recipient_organisation = forms.ModelChoiceField(
        label=_("Ontvangende organisatie"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("Geen specifieke organisatie"),
    )
    recipient_type = forms.ChoiceField(
        label=_("Of: soort ontvanger"),
        required=False,
        choices=[],
        help_text=_("Als de toestemming geldt voor elke organisatie van deze soort."),
    )
    given_at = forms.DateTimeField(
        label=_("Gegeven op"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=DATETIME_FORMATS,
    )
    expires_on = date_field(_("Geldig tot"), help_text=_("De toestemming vervalt aan het begin van deze dag."))
    method = forms.ChoiceField(label=_("Hoe gegeven"), choices=ConsentMethod.choices)
    witness = SingleLineField(
        label=_("Getuige"), required=False, max_length=200, help_text=_("Verplicht bij mondelinge toestemming.")
    )
    representative_name = SingleLineField(
        label=_("Wettelijk vertegenwoordiger"),
        required=False,
        max_length=200,
        help_text=_("Bij minderjarigen (jonger dan 16) of curatele."),
    )
    scope_note = text_area(_("Reikwijdte"), max_length=2000, required=False, rows=2)

    def __init__(self, *args, clients: Iterable = (), **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("given_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)
        self.clients = {str(c.uuid): c for c in clients}
        self.fields["client"].choices = [(key, c.full_name) for key, c in self.clients.items()]
        self.fields["purpose"].queryset = Purpose.objects.active().filter(legal_basis=LegalBasis.CONSENT)
        self.fields["recipient_organisation"].queryset = Organisation.objects.exclude(
            type=OrganisationType.GEMEENTE
        ).order_by("name")
        self.fields["recipient_type"].choices = [
            ("", _("Geen")),
            *[(value, label) for value, label in OrganisationType.choices if value != OrganisationType.GEMEENTE],
        ]

    def chosen_client(self):
        return self.clients[self.cleaned_data["client"]]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "client": self.chosen_client(),
            "purpose": data["purpose"],
            "recipient_organisation": data["recipient_organisation"],
            "recipient_type": data["recipient_type"],
            "given_at": data["given_at"],
            "expires_at": start_of_day(data["expires_on"]) if data["expires_on"] else None,
            "method": data["method"],
            "witness": data["witness"],
            "representative_name": data["representative_name"],
            "scope_note": data["scope_note"],
        }


CONSENT_FIELD_MAP = {"expires_at": "expires_on"}


class ConsentWithdrawForm(forms.Form):
    reason = text_area(_("Reden van intrekking"), max_length=2000, rows=2)
