"""Forms of the workplan editor. Shapes only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from api_conventions.text import MultiLineField, SingleLineField
from cases.constants import LifeDomain

from .constants import ActionStatus, GoalStatus, GoalTerm, InvolvementHow, ObstacleCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberChoiceMixin:
    """A choice of case-team members from a list fetched once (no query per rendered form)."""

    member_field = "owner"

    def _set_members(self, members) -> None:
        self.members = {str(u.uuid): u for u in (members or [])}
        self.fields[self.member_field].choices = [("", "—")] + [
            (uid, f"{u.get_full_name() or u.username} ({u.organisation})") for uid, u in self.members.items()
        ]

    def clean_member(self):
        value = self.cleaned_data.get(self.member_field)
        return self.members.get(value) if value else None


class PlanTextForm(forms.Form):
    problem_analysis = MultiLineField(
        label=_("Problemen en hoe ze samenhangen"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    coordination_agreements = MultiLineField(
        label=_("Afspraken over coördinatie en het informeren van het college"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_support_agreements = MultiLineField(
        label=_("Afspraken over cliëntondersteuning en afstemming met partijen"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_interval_weeks = forms.IntegerField(label=_("Herzieningstermijn (weken)"), min_value=1, max_value=104)
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class AnalysisForm(forms.Form):
    client = forms.ChoiceField(label=_("Gezinslid"), choices=[])
    provision = SingleLineField(label=_("Voorziening of interventie"), max_length=200)
    party = SingleLineField(label=_("Partij"), max_length=200)
    period_from = forms.DateField(label=_("Vanaf"), required=False, widget=DATE)
    period_to = forms.DateField(
        label=_("Tot en met"), required=False, widget=DATE, help_text=_("Leeg als het nog loopt.")
    )
    outcome = MultiLineField(
        label=_("Resultaat"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, clients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.clients = {str(c.uuid): c for c in clients}
        self.fields["client"].choices = [(str(c.uuid), c.full_name) for c in clients]

    def clean(self):
        data = super().clean()
        if data.get("period_from") and data.get("period_to") and data["period_to"] < data["period_from"]:
            self.add_error("period_to", _("De einddatum ligt voor de begindatum."))
        return data


class GoalForm(MemberChoiceMixin, forms.Form):
    term = forms.ChoiceField(label=_("Termijn"), choices=GoalTerm.choices)
    horizon_years = forms.IntegerField(
        label=_("Horizon in jaren (bij lange termijn)"), required=False, min_value=1, max_value=20
    )
    life_domain = forms.ChoiceField(label=_("Leefgebied"), choices=LifeDomain.choices)
    description = MultiLineField(
        label=_("Doel in gewone taal"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    client_words = MultiLineField(
        label=_("In de woorden van de cliënt"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.ChoiceField(label=_("Eigenaar (professional)"), required=False, choices=[])
    target_date = forms.DateField(label=_("Streefdatum"), required=False, widget=DATE)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_members(members)

    def clean_owner(self):
        return self.clean_member()


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    status = forms.ChoiceField(label=_("Status van het doel"), choices=GoalStatus.choices)
    note = MultiLineField(
        label=_("Toelichting"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reviewed_on = forms.DateField(label=_("Datum"), widget=DATE)


class ActionForm(MemberChoiceMixin, forms.Form):
    member_field = "professional"

    description = SingleLineField(label=_("Actie"), max_length=1000)
    party = forms.ChoiceField(label=_("Partij"), choices=[])
    professional = forms.ChoiceField(label=_("Professional"), required=False, choices=[])
    start_on = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end_on = forms.DateField(label=_("Einde"), required=False, widget=DATE)

    def __init__(self, *args, members=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_members(members)
        self.organisations = {str(o.uuid): o for o in organisations}
        self.fields["party"].choices = [(uid, o.name) for uid, o in self.organisations.items()]

    def clean_professional(self):
        return self.clean_member()

    def clean_party(self):
        return self.organisations[self.cleaned_data["party"]]

    def clean(self):
        data = super().clean()
        if data.get("start_on") and data.get("end_on") and data["end_on"] < data["start_on"]:
            self.add_error("end_on", _("De einddatum ligt voor de startdatum."))
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class DutyRecordForm(forms.Form):
    done_on = forms.DateField(label=_("Gedaan op"), widget=DATE)
    what = MultiLineField(label=_("Wat is er gedaan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = MultiLineField(
        label=_("Uitkomst"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObstacleForm(forms.Form):
    category = forms.ChoiceField(label=_("Categorie"), choices=ObstacleCategory.choices)
    description = MultiLineField(label=_("Omschrijving"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    party = SingleLineField(label=_("Partij"), required=False, max_length=200)


class InvolvementForm(forms.Form):
    occurred_on = forms.DateField(label=_("Datum"), widget=DATE)
    how = forms.ChoiceField(label=_("Hoe"), choices=InvolvementHow.choices)
    participants = forms.MultipleChoiceField(label=_("Wie deed mee"), choices=[], widget=forms.CheckboxSelectMultiple)
    general_view = MultiLineField(
        label=_("Wat vindt de cliënt in het algemeen"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, clients=(), goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.clients = {str(c.uuid): c for c in clients}
        self.goals = {str(g.uuid): g for g in goals}
        self.fields["participants"].choices = [(str(c.uuid), c.full_name) for c in clients]
        for goal in goals:
            self.fields[f"view_{goal.uuid}"] = MultiLineField(
                label=_("Mening over: %(goal)s") % {"goal": goal.description[:80]},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def goal_fields(self):
        return [self[f"view_{uuid}"] for uuid in self.goals]

    def chosen_clients(self):
        return [self.clients[u] for u in self.cleaned_data.get("participants", []) if u in self.clients]

    def goal_views(self):
        return {goal: self.cleaned_data.get(f"view_{uuid}", "") for uuid, goal in self.goals.items()}


class AdoptForm(forms.Form):
    reason = MultiLineField(
        label=_("Reden van de wijziging"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij een herziening."),
    )
    confirm_gaps = forms.BooleanField(
        label=_("Ik heb de open punten gezien en stel het werkplan toch vast"), required=False
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Besluit"),
        choices=[("1", _("Goedkeuren")), ("0", _("Afwijzen"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = MultiLineField(
        label=_("Toelichting"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
