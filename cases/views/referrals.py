"""Referrals (verwijzingen) to a partner or a provision, followed until the help has started."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access import gate
from access.declarations import Scope, declare

from .. import services
from ..constants import ReferralStatus
from ..forms.clients import add_validation_error
from ..forms.intake import ReferralForm, referral_transition_form
from .intake import case_url


@declare(Scope.CASE)
def referral_create(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    case = gate.case_for_user(request, uuid, write=True)
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data)
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        try:
            referral = services.referral_send(
                actor=request.user,
                case=case,
                organisation=cleaned["organisation"],
                provision=cleaned["provision"],
                question=cleaned["question"],
                category=cleaned["category"],
                expected_start_on=cleaned["expected_start_on"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request, _("De verwijzing naar %(recipient)s is verstuurd.") % {"recipient": referral.recipient_label}
            )
            return redirect(case_url(case))
    return render(request, "cases/referrals/referral_form.html", {"case": case, "form": form})


@declare(Scope.CASE)
def referral_transition(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """Record what became of a referral (accepted, declined with a reason, help started, withdrawn).

    The case page posts here; a refused post shows the form again on a page of its own.
    """
    referral = gate.referral_for_user(request, uuid, write=True)
    case = referral.case
    data = request.POST if request.method == "POST" else None
    form = referral_transition_form(referral, data)
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        try:
            referral = services.referral_transition(
                actor=request.user,
                referral=referral,
                to_status=cleaned["to_status"],
                reason=cleaned["decline_reason"],
                on=cleaned["on"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc, field_map={"status": "to_status"})
        else:
            messages.success(
                request,
                _("De verwijzing naar %(recipient)s heeft nu de status '%(status)s'.")
                % {"recipient": referral.recipient_label, "status": ReferralStatus(referral.status).label},
            )
            return redirect(case_url(case))
    return render(
        request, "cases/referrals/referral_transition.html", {"referral": referral, "case": case, "form": form}
    )
