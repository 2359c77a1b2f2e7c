"""Forms of the kitchen-table conversation (intake), the triage decision and referrals."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import CASEWORK_ROLES, OrganisationType
from accounts.models import Membership, Organisation, User
from consent.constants import RECORD_CATEGORY_CHOICES

from ..constants import LifeDomain, ReferralStatus, TriageDecision
from ..models import SUMMARY_MAX, TEXT_MAX, Case, Referral
from ..services import REFERRAL_TRANSITIONS, IntakeDomainInput
from .clients import DateInput, require, text_field


class IntakeForm(forms.Form):
    conducted_on = forms.DateField(label=_("Datum van het gesprek"), initial=timezone.localdate, widget=DateInput)
    notes = text_field(_("Algemene indruk"), max_length=TEXT_MAX, required=False, rows=5)

    def clean_conducted_on(self):
        value = self.cleaned_data["conducted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return value


class IntakeDomainForm(forms.Form):
    """One ZRM life domain in the conversation; the domain is the form's prefix."""

    situation = text_field(_("Situatie"), max_length=SUMMARY_MAX, required=False, rows=3)
    question = text_field(_("Vraag"), max_length=SUMMARY_MAX, required=False, rows=2)
    help_needed = forms.BooleanField(label=_("Hulp nodig"), required=False)

    def __init__(self, *args, domain: str, **kwargs):
        super().__init__(*args, prefix=domain, **kwargs)
        self.domain = domain
        self.label = LifeDomain(domain).label

    def to_input(self) -> IntakeDomainInput:
        data = self.cleaned_data
        return IntakeDomainInput(
            domain=self.domain,
            situation=data["situation"],
            question=data["question"],
            help_needed=data["help_needed"],
        )


def domain_forms(data=None) -> list[IntakeDomainForm]:
    """One form per ZRM domain, in the matrix's order. Every domain is offered, none is forced."""
    return [IntakeDomainForm(data, domain=domain) for domain in LifeDomain.values]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} – {obj.job_title}" if obj.job_title else str(obj)


def coordinator_candidates(case: Case):
    """Active casework professionals of the case's team: who can coordinate. One query."""
    memberships = Membership.objects.current().filter(team=case.team, role__in=CASEWORK_ROLES)
    return (
        User.objects.filter(is_active=True, memberships__in=memberships)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def partner_organisations():
    return Organisation.objects.exclude(type=OrganisationType.GEMEENTE).order_by("name")


class TriageForm(forms.Form):
    decision = forms.ChoiceField(label=_("Triagebesluit"), choices=TriageDecision.choices, widget=forms.RadioSelect)
    note = text_field(_("Onderbouwing"), max_length=SUMMARY_MAX, required=False, rows=3)
    referral_organisation = forms.ModelChoiceField(
        label=_("Partnerorganisatie"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Kies een partnerorganisatie"),
        to_field_name="uuid",
    )
    referral_provision = text_field(
        _("Of: voorziening"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: huishoudelijke hulp (Wmo)."),
    )
    referral_question = text_field(_("Hulpvraag voor de verwijzing"), max_length=SUMMARY_MAX, required=False, rows=3)
    coordinator = UserChoiceField(
        label=_("Regievoerder"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Kies de regievoerder"),
        to_field_name="uuid",
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral_organisation"].queryset = partner_organisations()
        self.fields["coordinator"].queryset = coordinator_candidates(case)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == TriageDecision.ENKELVOUDIG:
            if not cleaned.get("referral_organisation") and not (cleaned.get("referral_provision") or "").strip():
                require(self, "referral_organisation", _("Kies een partnerorganisatie of vul een voorziening in."))
            if not (cleaned.get("referral_question") or "").strip():
                require(self, "referral_question", _("Vul de hulpvraag voor de verwijzing in."))
        elif decision == TriageDecision.MEERVOUDIG and not cleaned.get("coordinator"):
            require(self, "coordinator", _("Kies de regievoerder van de gecoördineerde aanpak."))
        return cleaned


# What a service's error keys mean on this form.
TRIAGE_FIELD_MAP = {
    "triage_decision": "decision",
    "organisation": "referral_organisation",
    "provision": "referral_provision",
    "question": "referral_question",
    "user": "coordinator",
}


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partnerorganisatie"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Kies een partnerorganisatie"),
        to_field_name="uuid",
    )
    provision = text_field(
        _("Of: voorziening"), max_length=200, required=False, help_text=_("Bijvoorbeeld: huishoudelijke hulp (Wmo).")
    )
    question = text_field(_("Hulpvraag"), max_length=SUMMARY_MAX, rows=4)
    category = forms.ChoiceField(
        label=_("Leefgebied van de hulpvraag"),
        choices=[("", _("Volgt uit de soort organisatie")), *RECORD_CATEGORY_CHOICES],
        required=False,
        help_text=_("Een partner ziet de verwijzing alleen als het doel van zijn deelname dit onderwerp dekt."),
    )
    expected_start_on = forms.DateField(label=_("Verwachte start van de hulp"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partner_organisations()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation") and not (cleaned.get("provision") or "").strip():
            require(self, "organisation", _("Kies een partnerorganisatie of vul een voorziening in."))
        return cleaned


# The transitions a professional records, worded as what happened.
REFERRAL_ACTIONS = {
    ReferralStatus.GEACCEPTEERD: _("Geaccepteerd door de partner"),
    ReferralStatus.AFGEWEZEN: _("Afgewezen door de partner"),
    ReferralStatus.AFGEROND: _("Afgerond: de hulp is gestart"),
    ReferralStatus.INGETROKKEN: _("Ingetrokken door ons"),
}


class ReferralTransitionForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=list(REFERRAL_ACTIONS.items()),
        widget=forms.RadioSelect,
    )
    decline_reason = text_field(
        _("Reden van afwijzing"),
        max_length=SUMMARY_MAX,
        required=False,
        rows=3,
        help_text=_("Verplicht als de partner de verwijzing afwijst."),
    )
    on = forms.DateField(label=_("Datum"), required=False, widget=DateInput, help_text=_("Leeg laten voor vandaag."))

    def __init__(self, *args, allowed: frozenset[str] | set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["to_status"].choices = [
                choice for choice in self.fields["to_status"].choices if choice[0] in allowed
            ]

    def clean_on(self):
        value = self.cleaned_data["on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_status") == ReferralStatus.AFGEWEZEN and not (cleaned.get("decline_reason") or "").strip():
            require(self, "decline_reason", _("Vul de reden van afwijzing in."))
        return cleaned


def referral_transition_form(referral: Referral, data=None) -> ReferralTransitionForm:
    """The status form for one referral, offering only the transitions its status allows.

    Ids are made unique per referral, so a case page can show one form per referral.
    """
    return ReferralTransitionForm(
        data, allowed=REFERRAL_TRANSITIONS.get(referral.status, set()), auto_id=f"id_{referral.uuid}_%s"
    )
