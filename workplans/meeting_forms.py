"""Forms of the casusoverleg pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from api_conventions.text import MultiLineField, SingleLineField
from consent.constants import RECORD_CATEGORY_CHOICES

from .meeting_models import AgreementStatus, Attendance, MeetingKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort overleg"), choices=MeetingKind.choices)
    title = SingleLineField(label=_("Titel"), max_length=200)
    team = forms.ChoiceField(label=_("Team"), choices=[])
    starts_at = forms.DateTimeField(label=_("Datum en tijd"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    duration_minutes = forms.IntegerField(label=_("Duur (minuten)"), min_value=10, max_value=480, initial=60)
    location = SingleLineField(label=_("Plaats"), required=False, max_length=200)
    video_link = forms.URLField(label=_("Videolink"), required=False, assume_scheme="https")

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.uuid): t for t in teams}
        self.fields["team"].choices = [(uid, t.name) for uid, t in self.teams.items()]

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]


class AgendaItemForm(forms.Form):
    case = forms.ChoiceField(label=_("Casus"), choices=[])
    minutes_planned = forms.IntegerField(label=_("Minuten"), min_value=1, max_value=240, initial=15)
    question = SingleLineField(label=_("Vraag aan het overleg"), required=False, max_length=1000)
    category = forms.ChoiceField(
        label=_("Onderwerp"),
        choices=RECORD_CATEGORY_CHOICES,
        initial="notities",
        required=False,
        help_text=_("Een partner krijgt vraag en verslag van dit punt alleen als zijn doel dit onderwerp dekt."),
    )

    def clean_category(self) -> str:
        return self.cleaned_data.get("category") or "notities"

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = {str(c.uuid): c for c in cases}
        self.fields["case"].choices = [(uid, c.number) for uid, c in self.cases.items()]

    def clean_case(self):
        return self.cases[self.cleaned_data["case"]]


class ParticipantForm(forms.Form):
    user = forms.ChoiceField(label=_("Professional"), required=False, choices=[])
    contact_name = SingleLineField(label=_("Of: naam contactpersoon"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("E-mail contactpersoon"), required=False)
    organisation = forms.ChoiceField(label=_("Organisatie contactpersoon"), required=False, choices=[])

    def __init__(self, *args, users=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {str(u.uuid): u for u in users}
        self.organisations = {str(o.uuid): o for o in organisations}
        self.fields["user"].choices = [("", "—")] + [(uid, f"{u} ({u.organisation})") for uid, u in self.users.items()]
        self.fields["organisation"].choices = [("", "—")] + [(uid, o.name) for uid, o in self.organisations.items()]

    def clean(self):
        data = super().clean()
        data["user"] = self.users.get(data.get("user") or "")
        data["organisation"] = self.organisations.get(data.get("organisation") or "")
        if data["user"] is None and not data.get("contact_email"):
            raise forms.ValidationError(_("Kies een professional of vul naam en e-mail van de contactpersoon in."))
        return data


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label=_("Aanwezigheid"), choices=Attendance.choices)
    absence_reason = SingleLineField(label=_("Reden van afwezigheid"), required=False, max_length=300)


class MinutesForm(forms.Form):
    decisions = MultiLineField(
        label=_("Besluiten"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    reasoning = MultiLineField(
        label=_("Overwegingen"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class AgreementForm(forms.Form):
    what = SingleLineField(label=_("Afspraak"), max_length=1000)
    owner = forms.ChoiceField(label=_("Eigenaar"), choices=[])
    due_on = forms.DateField(label=_("Uiterlijk"), widget=DATE)
    category = forms.ChoiceField(
        label=_("Onderwerp"),
        choices=[("", _("Zoals het agendapunt")), *RECORD_CATEGORY_CHOICES],
        required=False,
        help_text=_("Een partner ziet de afspraak alleen als zijn doel dit onderwerp dekt."),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(u.uuid): u for u in members}
        self.fields["owner"].choices = [(uid, f"{u} ({u.organisation})") for uid, u in self.members.items()]

    def clean_owner(self):
        return self.members[self.cleaned_data["owner"]]


class AgreementCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[c for c in AgreementStatus.choices if c[0] != AgreementStatus.OPEN]
    )
    note = SingleLineField(label=_("Toelichting"), required=False, max_length=1000)


class MeetingChangeForm(forms.Form):
    title = SingleLineField(label=_("Titel"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Datum en tijd"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    duration_minutes = forms.IntegerField(label=_("Duur (minuten)"), min_value=10, max_value=480)
    location = SingleLineField(label=_("Plaats"), required=False, max_length=200)
    video_link = forms.URLField(label=_("Videolink"), required=False, assume_scheme="https")
