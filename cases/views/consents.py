"""The case tab "Toestemming en delen", and the break-the-glass request for a case.

The tab shows the consents of the case's clients (the client, or the current
members of the household) with their validity, lets the case team record and
withdraw consents, and lists what was disclosed from this case. Writes go
through ``consent.services``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access import gate
from access.declarations import Scope, declare
from consent import services as consent_services
from consent.constants import BREAK_GLASS_MAX_HOURS
from consent.forms import CONSENT_FIELD_MAP, BreakGlassRequestForm, ConsentRecordForm, ConsentWithdrawForm
from consent.models import Consent

from ..forms.clients import add_validation_error
from ..models import Case, Client
from .casefile import case_context

EXPIRING_SOON = datetime.timedelta(days=30)


@dataclass
class ConsentRow:
    consent: Consent
    status: str
    expiring_soon: bool
    withdraw_form: ConsentWithdrawForm | None


def _get_case(request: HttpRequest, uuid, *, write: bool = False) -> Case:
    return gate.case_for_user(request, uuid, write=write, needs=())


def _withdraw_prefix(consent: Consent) -> str:
    return f"w-{consent.uuid.hex}"


def _render(
    request: HttpRequest,
    case: Case,
    *,
    clients: list[Client] | None = None,
    record_form: ConsentRecordForm | None = None,
    withdraw_form: tuple[int, ConsentWithdrawForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The tab. Cost: clients, consents (with client, purpose, recipients), disclosures, purposes: four queries."""
    clients = clients if clients is not None else gate.consent_clients(request, case)
    context = case_context(request, case, "consents")
    may_change = context["may_change"]
    now = timezone.now()
    consents = gate.consents_of_clients(request, case, clients)
    rows = []
    for consent in consents:
        state = consent.status(now)
        form = None
        if may_change and state in ("geldig", "toekomstig"):
            if withdraw_form and withdraw_form[0] == consent.pk:
                form = withdraw_form[1]
            else:
                form = ConsentWithdrawForm(prefix=_withdraw_prefix(consent))
        rows.append(
            ConsentRow(
                consent=consent,
                status=state,
                expiring_soon=state == "geldig"
                and consent.expires_at is not None
                and consent.expires_at - now <= EXPIRING_SOON,
                withdraw_form=form,
            )
        )
    disclosures = gate.disclosures_of_case(request, case)
    record_form = (record_form or ConsentRecordForm(clients=clients)) if may_change else None
    shown = {row.consent.pk for row in rows if row.withdraw_form is not None}
    context.update(
        rows=rows,
        # The errors of a withdrawal whose row has no form any more (already withdrawn meanwhile) go on top.
        withdraw_errors=withdraw_form[1] if withdraw_form and withdraw_form[0] not in shown else None,
        disclosures=disclosures,
        record_form=record_form,
        has_purposes=record_form is not None and record_form.fields["purpose"].queryset.exists(),
        open_withdraw=withdraw_form[0] if withdraw_form else None,
    )
    return render(request, "cases/case/consents.html", context, status=status)


@declare(Scope.CASE)
@require_http_methods(["GET"])
def case_consents(request: HttpRequest, uuid) -> HttpResponse:
    return _render(request, _get_case(request, uuid))


@declare(Scope.CASE)
@require_POST
def case_consent_record(request: HttpRequest, uuid) -> HttpResponse:
    case = _get_case(request, uuid, write=True)
    clients = gate.consent_clients(request, case)
    form = ConsentRecordForm(request.POST, clients=clients)
    if form.is_valid():
        try:
            consent_services.consent_record(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_validation_error(form, exc, field_map=CONSENT_FIELD_MAP)
        else:
            messages.success(request, _("De toestemming is vastgelegd."))
            return redirect("cases:case-consents", uuid=case.uuid)
    return _render(request, case, clients=clients, record_form=form, status=400)


@declare(Scope.CASE)
@require_POST
def case_consent_withdraw(request: HttpRequest, uuid, consent_uuid) -> HttpResponse:
    case = _get_case(request, uuid, write=True)
    clients = gate.consent_clients(request, case)
    consent = gate.consent_of_case(request, case, clients, consent_uuid)
    form = ConsentWithdrawForm(request.POST, prefix=_withdraw_prefix(consent))
    if form.is_valid():
        try:
            consent_services.consent_withdraw(actor=request.user, consent=consent, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("De toestemming is ingetrokken. Vanaf nu wordt er niet meer op gedeeld."))
            return redirect("cases:case-consents", uuid=case.uuid)
    return _render(request, case, clients=clients, withdraw_form=(consent.pk, form), status=400)


# --- Break-the-glass ------------------------------------------------------------------


@declare(Scope.CASE)
@require_http_methods(["GET", "POST"])
def case_break_glass(request: HttpRequest, uuid) -> HttpResponse:
    """Ask for temporary read access to a case outside one's team.

    The case is fetched without the usual policy check (the user cannot see it
    yet), but only for users who may break the glass; the page shows the case
    number and nothing else. Both the form and the grant are logged.
    """
    case = gate.case_unseen_for_break_glass(request, uuid)
    if case.access:
        # Already visible (team, membership or a running grant): nothing to break.
        return redirect("cases:case-detail", uuid=case.uuid)
    form = BreakGlassRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grant = gate.break_glass(
                    request, case, reason=form.cleaned_data["reason"], hours=form.cleaned_data["hours"]
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.warning(
                    request,
                    _(
                        "U heeft tijdelijk toegang tot deze casus tot %(until)s. De functionaris gegevensbescherming beoordeelt uw reden."
                    )
                    % {"until": timezone.localtime(grant.expires_at).strftime("%d-%m-%Y %H:%M")},
                )
                return redirect("cases:case-detail", uuid=case.uuid)
        status = 400
    context = {"case_number": case.number, "case_uuid": case.uuid, "form": form, "max_hours": BREAK_GLASS_MAX_HOURS}
    return render(request, "consent/break_glass_request.html", context, status=status)
