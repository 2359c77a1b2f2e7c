"""The front door of a case: a new client, the kitchen-table conversation (intake) and the triage decision."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from access import gate, policy
from access.declarations import Scope, declare

from .. import intake_flow, services
from ..constants import CaseStatus, LifeDomain
from ..forms.clients import ClientCreateForm, add_validation_error
from ..forms.intake import TRIAGE_FIELD_MAP, IntakeForm, TriageForm, domain_forms
from .signals import CASEWORK_ONLY

# An intake can be recorded while the case is still at the front door.
INTAKE_STATUSES = frozenset({CaseStatus.AANGEMELD, CaseStatus.INTAKE})
DOMAIN_ORDER = {domain: index for index, domain in enumerate(LifeDomain.values)}


def case_url(case) -> str:
    return reverse("cases:case-detail", args=[case.uuid])


@declare(Scope.ROLE, allowed=policy.is_casework_professional, message=CASEWORK_ONLY)
def client_create(request: HttpRequest) -> HttpResponse:
    """A new client, for example a walk-in, with a case opened at once."""
    data = request.POST if request.method == "POST" else None
    form = ClientCreateForm(data, user=request.user)
    if data is not None and form.is_valid():
        team = form.cleaned_data["team"]
        try:
            client, case = intake_flow.client_create_with_case(
                actor=request.user, client_fields=form.client_fields(), team=team, laws=form.cleaned_data["laws"]
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            if case is not None:
                messages.success(
                    request,
                    _("%(client)s is vastgelegd en casus %(number)s is geopend.")
                    % {"client": client.full_name, "number": case.number},
                )
                return redirect(case_url(case))
            messages.success(request, _("%(client)s is vastgelegd.") % {"client": client.full_name})
            return redirect("cases:signal-list")
    return render(request, "cases/clients/client_form.html", {"form": form})


@declare(Scope.CASE)
def intake(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """The broad conversation over all 13 ZRM life domains; then on to triage."""
    case = gate.case_for_user(request, uuid, write=True)
    if hasattr(case, "intake"):
        messages.info(request, _("De intake van deze casus is al vastgelegd."))
        return redirect("cases:triage", uuid=case.uuid)
    data = request.POST if request.method == "POST" else None
    form = IntakeForm(data)
    domains = domain_forms(data)
    may_record = case.status in INTAKE_STATUSES
    if data is not None and may_record:
        domains_valid = all(domain_form.is_valid() for domain_form in domains)
        if form.is_valid() and domains_valid:
            try:
                services.intake_record(
                    actor=request.user,
                    case=case,
                    domains=[domain_form.to_input() for domain_form in domains],
                    notes=form.cleaned_data["notes"],
                    conducted_on=form.cleaned_data["conducted_on"],
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("De intake is vastgelegd. Neem nu het triagebesluit."))
                return redirect("cases:triage", uuid=case.uuid)
    context = {"case": case, "form": form, "domains": domains, "may_record": may_record}
    return render(request, "cases/intake/intake_form.html", context)


@declare(Scope.CASE)
def triage(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """Single problem: refer and route. Multi-problem: a coordinated case with a coordinator."""
    case = gate.case_for_user(request, uuid, write=True)
    intake_record = gate.intake_of_case(request, case)
    if intake_record is None:
        messages.warning(request, _("Leg eerst de intake vast."))
        return redirect("cases:intake", uuid=case.uuid)
    if intake_record.triage_decision:
        messages.info(request, _("Voor deze casus is het triagebesluit al genomen."))
        return redirect(case_url(case))
    data = request.POST if request.method == "POST" else None
    form = TriageForm(data, case=case)
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        try:
            case = services.intake_triage(
                actor=request.user,
                case=case,
                decision=cleaned["decision"],
                note=cleaned["note"],
                coordinator=cleaned["coordinator"],
                referral_organisation=cleaned["referral_organisation"],
                referral_provision=cleaned["referral_provision"],
                referral_question=cleaned["referral_question"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc, field_map=TRIAGE_FIELD_MAP)
        else:
            messages.success(
                request, _("Het triagebesluit is vastgelegd: %(status)s.") % {"status": case.get_status_display()}
            )
            return redirect(case_url(case))
    domains = sorted(intake_record.domains.all(), key=lambda row: DOMAIN_ORDER.get(row.domain, 99))
    context = {
        "case": case,
        "intake": intake_record,
        "help_domains": [row for row in domains if row.help_needed],
        "other_domains": [row for row in domains if not row.help_needed],
        "form": form,
    }
    return render(request, "cases/intake/triage_form.html", context)
