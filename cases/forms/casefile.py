"""Forms of the case page: search, case details, status, team, contacts and ZRM scores."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from api_conventions.text import MultiLineField, SingleLineField
from consent.constants import RECORD_CATEGORY_CHOICES, DataCategory
from consent.models import Purpose

from ..constants import CaseRole, CaseStatus, Channel, ClosingReason, Law, LifeDomain, SafetyConcern, Task, ZrmScore
from ..validators import validate_bsn, validate_postcode


class SearchForm(forms.Form):
    name = SingleLineField(label=_("Naam"), required=False, max_length=200)
    bsn = SingleLineField(label=_("BSN"), required=False, max_length=9, validators=[validate_bsn])
    date_of_birth = forms.DateField(
        label=_("Geboortedatum"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    postcode = SingleLineField(label=_("Postcode"), required=False, max_length=7, validators=[validate_postcode])

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(f) for f in ("name", "bsn", "date_of_birth", "postcode")):
            raise forms.ValidationError(_("Vul ten minste één zoekveld in."))
        return data


class CaseDetailsForm(forms.Form):
    laws = forms.MultipleChoiceField(
        label=_("Wetten"), choices=Law.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    safety_concern = forms.ChoiceField(label=_("Veiligheidssignaal"), choices=SafetyConcern.choices, required=False)
    summary = MultiLineField(label=_("Korte omschrijving"), required=False, max_length=2000, widget=forms.Textarea)
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Nieuwe status"), choices=CaseStatus.choices)
    closing_reason = forms.ChoiceField(
        label=_("Reden van afsluiten"), choices=[("", "—"), *ClosingReason.choices], required=False
    )
    reason = MultiLineField(
        label=_("Toelichting"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, allowed: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["to_status"].choices = [(s, CaseStatus(s).label) for s in allowed]


class ContactForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
    )
    channel = forms.ChoiceField(label=_("Kanaal"), choices=Channel.choices)
    participants = forms.MultipleChoiceField(
        label=_("Met wie"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    summary = MultiLineField(label=_("Korte samenvatting"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(
        label=_("Waar ging het over?"),
        choices=RECORD_CATEGORY_CHOICES,
        initial=DataCategory.NOTITIES,
        required=False,
        help_text=_("Een partner ziet dit contactmoment alleen als het doel van zijn deelname dit onderwerp dekt."),
    )
    restricted = forms.BooleanField(
        label=_("Beroepsgeheim: alleen voor mij en de wijkcoaches en regisseurs van mijn team"),
        required=False,
        help_text=_(
            "Klantmanagers, werkcoaches, partners en andere organisaties krijgen deze notitie nooit te zien, ook "
            "niet in exports, verslagen of herinneringen."
        ),
    )

    def __init__(self, *args, clients=(), may_restrict: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.clients = {str(c.uuid): c for c in clients}
        self.fields["participants"].choices = [(str(c.uuid), c.full_name) for c in clients]
        if not may_restrict:
            # Only those bound by the professional secrecy of social work write notes under it.
            del self.fields["restricted"]
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_category(self) -> str:
        return self.cleaned_data.get("category") or DataCategory.NOTITIES

    def chosen_clients(self):
        return [self.clients[u] for u in self.cleaned_data.get("participants", []) if u in self.clients]


SCORE_CHOICES = [("", _("Niet gescoord")), *[(str(v), label) for v, label in ZrmScore.choices]]


class AssessmentForm(forms.Form):
    """One field per ZRM domain: a professional scores only the domains that matter."""

    assessed_on = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    client = forms.ChoiceField(label=_("Voor wie"), required=False, choices=[])
    rationale = MultiLineField(
        label=_("Korte onderbouwing"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, clients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.clients = {str(c.uuid): c for c in clients}
        self.fields["client"].choices = [
            ("", _("Het huishouden als geheel")),
            *[(str(c.uuid), c.full_name) for c in clients],
        ]
        if not self.is_bound:
            self.initial.setdefault("assessed_on", timezone.localdate())
        for domain, label in LifeDomain.choices:
            self.fields[f"score_{domain}"] = forms.TypedChoiceField(
                label=label, choices=SCORE_CHOICES, required=False, coerce=int, empty_value=None
            )

    def domain_fields(self):
        return [self[f"score_{domain}"] for domain in LifeDomain.values]

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return value

    def clean(self):
        data = super().clean()
        if not self.errors and not self.scores():
            raise forms.ValidationError(_("Scoor ten minste één leefgebied."))
        return data

    def scores(self) -> list[tuple[str, int]]:
        return [
            (domain, self.cleaned_data[f"score_{domain}"])
            for domain in LifeDomain.values
            if self.cleaned_data.get(f"score_{domain}")
        ]

    def chosen_client(self):
        return self.clients.get(self.cleaned_data.get("client") or "")


class MemberForm(forms.Form):
    """Add a professional with an account, or a partner contact without one."""

    user = forms.ModelChoiceField(
        label=_("Professional"), queryset=User.objects.none(), required=False, to_field_name="uuid"
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie (voor een contactpersoon zonder account)"),
        queryset=Organisation.objects.all(),
        required=False,
        to_field_name="uuid",
    )
    contact_name = SingleLineField(label=_("Naam contactpersoon"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("E-mail contactpersoon"), required=False)
    contact_phone = SingleLineField(label=_("Telefoon contactpersoon"), required=False, max_length=40)
    role = forms.ChoiceField(
        label=_("Rol in de casus"), choices=[c for c in CaseRole.choices if c[0] != CaseRole.COORDINATOR]
    )
    task = forms.ChoiceField(label=_("Taak (pet)"), choices=Task.choices, initial=Task.HULPVERLENING)
    purpose = forms.ModelChoiceField(
        label=_("Doel (voor partners buiten de gemeente)"),
        queryset=Purpose.objects.active(),
        required=False,
        to_field_name="uuid",
        help_text=_("Het doel bepaalt welke gegevens de partner ziet en op welke grondslag."),
    )

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.organisation})"

    def clean(self):
        data = super().clean()
        if not data.get("user") and not data.get("contact_name"):
            raise forms.ValidationError(_("Kies een professional of vul de naam van de contactpersoon in."))
        if not data.get("user") and not data.get("organisation"):
            self.add_error("organisation", _("Kies de organisatie van de contactpersoon."))
        return data


class CoordinatorForm(forms.Form):
    coordinator = forms.ModelChoiceField(label=_("Regievoerder"), queryset=User.objects.none(), to_field_name="uuid")

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["coordinator"].queryset = users
        self.fields["coordinator"].label_from_instance = lambda u: u.get_full_name() or u.username
