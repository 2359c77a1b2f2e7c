"""Forms for a new client and for the involvement lookup, and the shared pieces of the intake forms.

Forms check the shape of the input; the services enforce the domain rules and
their ``ValidationError`` is put back on the form with ``add_validation_error``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from access import policy
from accounts.models import Team
from api_conventions.text import MultiLineField, SingleLineField

from ..constants import Law
from ..validators import validate_bsn, validate_not_in_future, validate_postcode

CLIENT_FORM_FIELDS = (
    "given_names",
    "prefix",
    "family_name",
    "date_of_birth",
    "bsn",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
)


def add_validation_error(
    form: forms.Form, error: ValidationError, *, field_map: Mapping[str, str] | None = None
) -> None:
    """Show a service's ``ValidationError`` on ``form``.

    Errors keyed by a field the form has (after ``field_map``) appear next to that
    field; everything else appears above the form.
    """
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        name = field_map.get(key, key)
        form.add_error(name if name in form.fields else None, errors)


def require(form: forms.Form, name: str, message) -> None:
    """Mark ``name`` as missing, unless the field already shows an error of its own."""
    if name not in form.errors:
        form.add_error(name, message)


def normalise_bsn(raw: str) -> str:
    """The BSN without spaces or dots; empty when not given. Refuses what fails the 11-test."""
    value = re.sub(r"[\s.]", "", raw)
    if not value:
        return ""
    validate_bsn(value)
    return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def text_field(label, *, max_length: int, required: bool = True, rows: int | None = None, **kwargs) -> forms.CharField:
    """A one-line text field, or a text area when ``rows`` is given; both refuse control characters."""
    if rows:
        widget = forms.Textarea(attrs={"rows": rows})
        return MultiLineField(label=label, max_length=max_length, required=required, widget=widget, **kwargs)
    return SingleLineField(label=label, max_length=max_length, required=required, **kwargs)


def casework_teams(user) -> QuerySet[Team]:
    """The teams where ``user`` does casework: the only teams they may record for."""
    return Team.objects.filter(pk__in=policy.casework_team_ids(user)).order_by("name")


def team_field(user, *, required: bool = True) -> forms.ModelChoiceField:
    teams = casework_teams(user)
    return forms.ModelChoiceField(
        label=_("Team"),
        queryset=teams,
        required=required,
        empty_label=_("Kies een team"),
        to_field_name="uuid",
        error_messages={"invalid_choice": _("Kies een van uw eigen teams.")},
    )


class ClientForm(forms.Form):
    """Who the client is. The BSN is optional, but when given it must pass the 11-test."""

    given_names = text_field(_("Voornamen"), max_length=200)
    prefix = text_field(_("Tussenvoegsel"), max_length=20, required=False)
    family_name = text_field(_("Achternaam"), max_length=200)
    date_of_birth = forms.DateField(label=_("Geboortedatum"), widget=DateInput, validators=[validate_not_in_future])
    bsn = SingleLineField(
        label=_("BSN"),
        max_length=11,
        required=False,
        help_text=_("Burgerservicenummer van 9 cijfers."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    street = text_field(_("Straat"), max_length=200, required=False)
    house_number = text_field(_("Huisnummer"), max_length=10, required=False)
    house_number_addition = text_field(_("Toevoeging"), max_length=10, required=False)
    postcode = SingleLineField(label=_("Postcode"), max_length=7, required=False, help_text=_("Bijvoorbeeld 1234 AB."))
    city = text_field(_("Woonplaats"), max_length=100, required=False)

    def clean_bsn(self) -> str:
        return normalise_bsn(self.cleaned_data["bsn"])

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if value:
            validate_postcode(value)
        return value

    def client_fields(self) -> dict[str, Any]:
        """The cleaned values in the shape of ``services.client_create``."""
        return {name: self.cleaned_data[name] for name in CLIENT_FORM_FIELDS}


class ClientCreateForm(ClientForm):
    """A new client with a case opened for one of the user's teams.

    A client is always recorded with a case: the access policy shows clients
    through their cases, so a client without one would be reachable by nobody.
    """

    team = forms.ModelChoiceField(queryset=Team.objects.none())
    laws = forms.MultipleChoiceField(
        label=_("Wetten waaronder de hulp valt"),
        choices=Law.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = team_field(user, required=True)
        self.fields["team"].error_messages["required"] = _("Kies het team dat de casus behandelt.")
        teams = list(self.fields["team"].queryset)
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]


class InvolvementLookupForm(forms.Form):
    """Search by BSN, or by family name and date of birth. Posted only: a BSN never goes in a URL."""

    bsn = SingleLineField(
        label=_("BSN"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    family_name = text_field(_("Achternaam"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Geboortedatum"), required=False, widget=DateInput)

    def clean_bsn(self) -> str:
        return normalise_bsn(self.cleaned_data["bsn"])

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("bsn"):
            return cleaned
        family_name = (cleaned.get("family_name") or "").strip()
        date_of_birth = cleaned.get("date_of_birth")
        if not family_name and not date_of_birth:
            raise ValidationError(_("Vul een BSN in, of de achternaam en de geboortedatum."))
        if not family_name:
            self.add_error("family_name", _("Vul ook de achternaam in."))
        if not date_of_birth:
            self.add_error("date_of_birth", _("Vul ook de geboortedatum in."))
        return cleaned
