"""Forms of the meldpunt: record a melding, triage it, record who was informed."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access import policy

from ..constants import OPEN_STATUSES, InformedHow, Law, SignalOutcome, SignalSource
from ..models import SUMMARY_MAX, Case
from .clients import DateTimeInput, require, team_field, text_field

# A clock a few minutes ahead on the user's computer is not "in the future".
CLOCK_SKEW = datetime.timedelta(minutes=5)


def validate_not_later_than_now(value: datetime.datetime | None) -> None:
    if value and value > timezone.now() + CLOCK_SKEW:
        raise ValidationError(_("Dit tijdstip ligt in de toekomst."), code="future")


class Subject:
    DESCRIBE = "beschrijving"
    NEW_CLIENT = "nieuwe_client"

    choices = [
        (DESCRIBE, _("Nog niet als cliënt vastleggen: ik beschrijf over wie het gaat")),
        (NEW_CLIENT, _("Nieuwe cliënt: ik vul de gegevens van de cliënt in")),
    ]


class SignalForm(forms.Form):
    """The melding itself. The client's data, when chosen, comes from a separate ``ClientForm``."""

    source = forms.ChoiceField(label=_("Bron van de melding"), choices=[("", _("Kies de bron")), *SignalSource.choices])
    reporter_name = text_field(_("Naam melder"), max_length=200, required=False)
    reporter_contact = text_field(
        _("Contactgegevens melder"),
        max_length=200,
        required=False,
        help_text=_("Telefoonnummer of e-mailadres, om de melder te kunnen informeren."),
    )
    subject = forms.ChoiceField(
        label=_("Over wie gaat de melding?"),
        choices=Subject.choices,
        widget=forms.RadioSelect,
        initial=Subject.DESCRIBE,
    )
    subject_description = text_field(
        _("Omschrijving van de persoon"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: de bewoner van Dorpsstraat 12, man van ongeveer 60 jaar."),
    )
    what_was_seen = text_field(_("Wat is er gezien of gehoord?"), max_length=SUMMARY_MAX, rows=6)
    received_at = forms.DateTimeField(
        label=_("Ontvangen op"),
        initial=timezone.now,
        widget=DateTimeInput,
        validators=[validate_not_later_than_now],
    )

    field_order = ["team", "source", "reporter_name", "reporter_contact", "subject", "subject_description"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = team_field(user)
        teams = list(self.fields["team"].queryset)
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]
        self.order_fields(self.field_order)

    @property
    def about_new_client(self) -> bool:
        return self.is_bound and self.data.get(self.add_prefix("subject")) == Subject.NEW_CLIENT

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("subject") == Subject.DESCRIBE and not (cleaned.get("subject_description") or "").strip():
            require(self, "subject_description", _("Beschrijf over wie de melding gaat."))
        return cleaned

    def signal_fields(self) -> dict:
        """The cleaned values in the shape of ``services.signal_record`` (without the client)."""
        data = self.cleaned_data
        return {
            "team": data["team"],
            "source": data["source"],
            "reporter_name": data["reporter_name"],
            "reporter_contact": data["reporter_contact"],
            "subject_description": data["subject_description"] if data["subject"] == Subject.DESCRIBE else "",
            "what_was_seen": data["what_was_seen"],
            "received_at": data["received_at"],
        }


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        name = obj.client.full_name if obj.client_id else obj.household.name
        return f"{obj.number} – {name} ({obj.team.name})"


def open_cases_for_linking(user):
    """Open cases the user may change: the only cases a melding can be added to. One query."""
    return (
        policy.filter_cases(user, write=True)
        .filter(status__in=OPEN_STATUSES)
        .select_related("client", "household", "team")
        .order_by("-opened_on", "-id")
    )


class SignalTriageForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst van de triage"), choices=SignalOutcome.choices, widget=forms.RadioSelect
    )
    note = text_field(_("Toelichting"), max_length=SUMMARY_MAX, required=False, rows=3)
    case = CaseChoiceField(
        label=_("Bestaande casus"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("Kies een casus"),
        help_text=_("Alleen bij de uitkomst 'Bij bestaande casus'."),
        to_field_name="uuid",
    )
    laws = forms.MultipleChoiceField(
        label=_("Wetten voor de nieuwe casus"),
        choices=Law.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen bij de uitkomst 'Nieuwe casus'."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = open_cases_for_linking(user)

    @property
    def opens_case(self) -> bool:
        return self.is_bound and self.data.get(self.add_prefix("outcome")) == SignalOutcome.NIEUWE_CASUS

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == SignalOutcome.BESTAANDE_CASUS and not cleaned.get("case"):
            require(self, "case", _("Kies de bestaande casus."))
        return cleaned


class InformedWho:
    REPORTER = "reporter"
    SUBJECT = "subject"
    values = (REPORTER, SUBJECT)


class SignalInformedForm(forms.Form):
    """That the reporter (melder) or the person reported (betrokkene) was informed, how and when."""

    how = forms.ChoiceField(choices=[("", _("Kies hoe")), *InformedHow.choices])
    at = forms.DateTimeField(initial=timezone.now, widget=DateTimeInput, validators=[validate_not_later_than_now])

    def __init__(self, *args, who: str, **kwargs):
        super().__init__(*args, prefix=who, **kwargs)
        self.who = who
        if who == InformedWho.REPORTER:
            self.fields["how"].label = _("Hoe is de melder geïnformeerd?")
            self.fields["at"].label = _("Wanneer is de melder geïnformeerd?")
        else:
            self.fields["how"].label = _("Hoe is de betrokkene geïnformeerd?")
            self.fields["at"].label = _("Wanneer is de betrokkene geïnformeerd?")


def informed_forms(data=None, who: str | None = None) -> dict[str, SignalInformedForm]:
    """Both 'informed' forms for the detail page; only the posted one (``who``) is bound."""
    return {name: SignalInformedForm(data if name == who else None, who=name) for name in InformedWho.values}
