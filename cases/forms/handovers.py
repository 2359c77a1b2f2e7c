"""Forms of the handover pages: one case, the caseload wizard, accept/return, and a colleague leaving.

Forms check the shape of the input; ``cases.handovers`` enforces the rules.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from api_conventions.text import MultiLineField

from ..handovers import EVEN
from ..models import Case

MANUAL = "hand"
ASSIGNMENT_CHOICES = [(EVEN, _("Gelijkmatig verdelen over de ontvangers")), (MANUAL, _("Zelf per casus kiezen"))]


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class HandoverForm(forms.Form):
    """Hand over one case. ``from_user`` is offered to a teamleider only; others hand over their own place."""

    from_user = UserChoiceField(label=_("Wie draagt over"), queryset=User.objects.none(), to_field_name="uuid")
    to_user = UserChoiceField(
        label=_("Naar wie"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        help_text=_("Een collega met een casusrol. De regievoerder komt uit het team dat de casus behandelt."),
    )
    note = MultiLineField(
        label=_("Wat wilt u de nieuwe professional meegeven?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Dit komt bij de overdrachtssamenvatting. Noem geen zaken die buiten de casus vallen."),
    )
    intro_meeting_on = _date_field(_("Kennismakingsgesprek met de cliënt op"))

    def __init__(self, *args, givers=None, receivers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if givers is None:
            del self.fields["from_user"]
        else:
            self.fields["from_user"].queryset = givers
        self.fields["to_user"].queryset = receivers if receivers is not None else User.objects.none()


class ReturnForm(forms.Form):
    reason = MultiLineField(
        label=_("Waarom geeft u de overdracht terug?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef aan waarom u de overdracht teruggeeft.")},
    )


class ChooseProfessionalForm(forms.Form):
    """Wizard step 1: whose caseload (GET)."""

    medewerker = UserChoiceField(
        label=_("Medewerker"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        error_messages={"required": _("Kies de medewerker van wie u casussen wilt overdragen.")},
    )

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medewerker"].queryset = professionals


class CaseloadPlanForm(forms.Form):
    """Wizard step 2: which cases, to whom, how spread, and what goes along."""

    cases = forms.ModelMultipleChoiceField(
        label=_("Casussen"),
        queryset=Case.objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één casus.")},
    )
    receivers = UserMultipleChoiceField(
        label=_("Ontvangers"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één ontvanger.")},
    )
    assignment = forms.ChoiceField(
        label=_("Verdeling"), choices=ASSIGNMENT_CHOICES, initial=EVEN, widget=forms.RadioSelect
    )
    note = MultiLineField(
        label=_("Wat wilt u de ontvangers meegeven?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Komt bij de samenvatting van elke casus."),
    )
    intro_meeting_on = _date_field(_("Kennismakingsgesprekken met de cliënten vóór"))

    def __init__(self, *args, cases, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["receivers"].queryset = receivers


class CaseloadAssignForm(forms.Form):
    """Wizard step 3: one receiver per case, among the receivers chosen (hidden when spread evenly)."""

    def __init__(
        self, *args, cases: list[Case], receivers: list[User], proposal: dict[int, User], manual: bool, **kwargs
    ):
        super().__init__(*args, **kwargs)
        choices = [(str(user.uuid), str(user)) for user in receivers]
        self.cases = cases
        self.receivers = {str(user.uuid): user for user in receivers}
        for case in cases:
            self.fields[self.field_name(case)] = forms.ChoiceField(
                label=_("Ontvanger van casus %(number)s") % {"number": case.number},
                choices=choices,
                initial=str(proposal[case.pk].uuid) if case.pk in proposal else None,
                widget=forms.Select if manual else forms.HiddenInput,
                error_messages={"required": _("Kies een ontvanger voor deze casus.")},
            )

    @staticmethod
    def field_name(case: Case) -> str:
        return f"to-{case.uuid}"

    def rows(self):
        """(case, bound field, proposed receiver) per case, for the confirmation table."""
        for case in self.cases:
            bound = self[self.field_name(case)]
            yield case, bound, self.receivers.get(str(bound.value()))

    def mapping(self) -> dict[int, User]:
        return {case.pk: self.receivers[self.cleaned_data[self.field_name(case)]] for case in self.cases}


class DeactivateForm(forms.Form):
    user = UserChoiceField(
        label=_("Medewerker"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        error_messages={"required": _("Kies de medewerker die uit dienst gaat.")},
    )
    force = forms.BooleanField(
        label=_("Toch uit dienst melden, ook met open casussen"),
        required=False,
        help_text=_(
            "Alleen als overdragen niet meer kan: de casussen verliezen hun regievoerder en u krijgt direct een "
            "signaal per casus."
        ),
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
