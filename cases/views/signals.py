"""The meldpunt: the team's inbox of meldingen, recording one, triage and informing both parties."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from access import gate, policy
from access.declarations import Scope, declare
from accounts.models import User
from api_conventions.numbers import query_int

from .. import intake_flow, services
from ..constants import SignalOutcome
from ..forms.clients import CLIENT_FORM_FIELDS, ClientForm, add_validation_error
from ..forms.signals import InformedWho, SignalForm, SignalTriageForm, informed_forms
from ..models import Signal

SIGNALS_PER_PAGE = 25
CLIENT_PREFIX = "client"


def unvalidated_client_form(data) -> ClientForm:
    """The client part when it was not chosen: keeps what was typed, shows no errors."""
    initial = {}
    if data is not None:
        initial = {name: data.get(f"{CLIENT_PREFIX}-{name}", "") for name in CLIENT_FORM_FIELDS}
    return ClientForm(initial=initial, prefix=CLIENT_PREFIX)


CASEWORK_ONLY = gettext_lazy(
    "Deze pagina is alleen voor professionals die aan casussen werken, zoals wijkcoaches en klantmanagers."
)


@declare(Scope.SIGNAL, allowed=policy.is_casework_professional, message=CASEWORK_ONLY)
@require_GET
def signal_list(request: HttpRequest) -> HttpResponse:
    """The team's open meldingen, the most urgent deadline first; ``?alle=1`` adds the triaged ones.

    Cost: memberships, a count, the page of signals with client, team and case, one access-log insert.
    """
    show_all = request.GET.get("alle") == "1"
    paginator = Paginator(gate.signals_for_user(request, open_only=not show_all), SIGNALS_PER_PAGE)
    page = paginator.get_page(query_int(request.GET, "pagina", default=1))
    signals = list(page.object_list)
    return render(
        request,
        "cases/signals/signal_list.html",
        {"page": page, "signals": signals, "show_all": show_all, "today": timezone.localdate()},
    )


@declare(Scope.ROLE, allowed=policy.is_casework_professional, message=CASEWORK_ONLY)
def signal_create(request: HttpRequest) -> HttpResponse:
    """Record a melding about somebody described in words, or about a new client created with it."""
    data = request.POST if request.method == "POST" else None
    form = SignalForm(data, user=request.user)
    about_new_client = form.about_new_client
    client_form = ClientForm(data, prefix=CLIENT_PREFIX) if about_new_client else unvalidated_client_form(data)
    if data is not None:
        client_valid = client_form.is_valid() if about_new_client else True
        if form.is_valid() and client_valid:
            try:
                if about_new_client:
                    signal = intake_flow.signal_record_about_new_client(
                        actor=request.user, client_fields=client_form.client_fields(), **form.signal_fields()
                    )
                else:
                    signal = services.signal_record(actor=request.user, **form.signal_fields())
            except intake_flow.ClientInvalid as exc:
                add_validation_error(client_form, exc)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("De melding is vastgelegd."))
                return redirect("cases:signal-detail", uuid=signal.uuid)
    return render(request, "cases/signals/signal_form.html", {"form": form, "client_form": client_form})


def _render_detail(
    request: HttpRequest,
    signal: Signal,
    *,
    triage_form: SignalTriageForm | None = None,
    client_form: ClientForm | None = None,
    informed: dict | None = None,
) -> HttpResponse:
    if signal.is_open:
        triage_form = triage_form or SignalTriageForm(user=request.user)
        if signal.client_id is None and client_form is None:
            client_form = unvalidated_client_form(request.POST if request.method == "POST" else None)
    context = {
        "signal": signal,
        "overdue": signal.is_overdue(),
        "triage_form": triage_form,
        "client_form": client_form if signal.client_id is None else None,
        "informed_forms": informed or informed_forms(),
        "triaged_by": User.objects.filter(pk=signal.triaged_by_id).first() if signal.triaged_by_id else None,
    }
    return render(request, "cases/signals/signal_detail.html", context)


@declare(Scope.SIGNAL)
@require_GET
def signal_detail(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    signal = gate.signal_for_user(request, uuid)
    return _render_detail(request, signal)


@declare(Scope.SIGNAL)
@require_POST
def signal_triage(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """Decide what happens with the melding; a new case continues with its intake."""
    signal = gate.signal_for_user(request, uuid, write=True)
    form = SignalTriageForm(request.POST, user=request.user)
    client_form = None
    if signal.client_id is None and form.opens_case:
        client_form = ClientForm(request.POST, prefix=CLIENT_PREFIX)
    client_valid = client_form.is_valid() if client_form is not None else True
    if form.is_valid() and client_valid:
        data = form.cleaned_data
        try:
            if client_form is not None:
                signal = intake_flow.signal_triage_new_client(
                    actor=request.user,
                    signal=signal,
                    client_fields=client_form.client_fields(),
                    note=data["note"],
                    laws=data["laws"],
                )
            else:
                signal = services.signal_triage(
                    actor=request.user,
                    signal=signal,
                    outcome=data["outcome"],
                    note=data["note"],
                    case=data["case"],
                    laws=data["laws"],
                )
        except intake_flow.ClientInvalid as exc:
            add_validation_error(client_form, exc)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            if signal.outcome == SignalOutcome.NIEUWE_CASUS:
                messages.success(
                    request, _("Casus %(number)s is geopend. Leg nu de intake vast.") % {"number": signal.case.number}
                )
                return redirect("cases:intake", uuid=signal.case.uuid)
            messages.success(request, _("De triage van de melding is vastgelegd."))
            return redirect("cases:signal-detail", uuid=signal.uuid)
    return _render_detail(request, signal, triage_form=form, client_form=client_form)


@declare(Scope.SIGNAL)
@require_POST
def signal_informed(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """Record that the reporter or the person reported was informed (the meldpunt informs both)."""
    signal = gate.signal_for_user(request, uuid, write=True)
    who = request.POST.get("who", "")
    if who not in InformedWho.values:
        raise BadRequest(_("Kies wie er is geïnformeerd."))
    forms = informed_forms(request.POST, who)
    form = forms[who]
    if form.is_valid():
        try:
            services.signal_record_informed(
                actor=request.user, signal=signal, who=who, how=form.cleaned_data["how"], at=form.cleaned_data["at"]
            )
        except ValidationError as exc:
            add_validation_error(form, exc, field_map={f"{who}_informed_how": "how", f"{who}_informed_at": "at"})
        else:
            messages.success(request, _("Vastgelegd wie er is geïnformeerd."))
            return redirect("cases:signal-detail", uuid=signal.uuid)
    return _render_detail(request, signal, informed=forms)
