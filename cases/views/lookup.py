"""The involvement lookup (betrokkenheidscheck): is there a coordinated approach, and who coordinates it?

It answers only with who to call, never with what the case is about, and
every lookup is written to the access log (``access.gate.involvement_lookup``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from access import gate, policy
from access.declarations import Scope, declare

from ..forms.clients import InvolvementLookupForm


@dataclass(frozen=True)
class LookupRow:
    involvement: gate.Involvement
    may_open: bool


@declare(
    Scope.CLIENT,
    allowed=policy.may_lookup_involvement,
    message=gettext_lazy("De betrokkenheidscheck is alleen voor professionals van de gemeente."),
)
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Search by BSN, or by family name and date of birth. Only a POST searches: a BSN never goes in a URL."""
    gate.consulted(request, gate.CLIENT)  # the empty form shows nobody
    form = InvolvementLookupForm(request.POST if request.method == "POST" else None)
    rows: list[LookupRow] | None = None
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        found = gate.involvement_lookup(
            request,
            bsn=cleaned["bsn"],
            family_name="" if cleaned["bsn"] else cleaned["family_name"],
            date_of_birth=None if cleaned["bsn"] else cleaned["date_of_birth"],
        )
        # "Not known" and "known without a coordinated case" look the same: the lookup tells no more than needed.
        involvements = found or []
        # The same policy as the case page, asked once for all cases found.
        visible = policy.readable_case_uuids(request.user, [item.case_uuid for item in involvements])
        rows = [LookupRow(item, item.case_uuid in visible) for item in involvements]
    return render(
        request,
        "cases/lookup.html",
        {"form": form, "rows": rows, "may_break_glass": policy.may_break_glass(request.user)},
    )
