"""The involvement lookup (betrokkenheidscheck): is there a coordinated approach, and who coordinates it?

It answers only with who to call, never with what the case is about, and
every lookup is written to the access log (``selectors.involvement_lookup``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access import policy

from .. import selectors
from ..forms.clients import InvolvementLookupForm


@dataclass(frozen=True)
class LookupRow:
    involvement: selectors.Involvement
    may_open: bool


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Search by BSN, or by family name and date of birth. Only a POST searches: a BSN never goes in a URL."""
    if not policy.may_lookup_involvement(request.user):
        raise PermissionDenied(_("De betrokkenheidscheck is alleen voor professionals van de gemeente."))
    form = InvolvementLookupForm(request.POST if request.method == "POST" else None)
    rows: list[LookupRow] | None = None
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        found = selectors.involvement_lookup(
            request,
            bsn=cleaned["bsn"],
            family_name="" if cleaned["bsn"] else cleaned["family_name"],
            date_of_birth=None if cleaned["bsn"] else cleaned["date_of_birth"],
        )
        # "Not known" and "known without a coordinated case" look the same: the lookup tells no more than needed.
        involvements = found or []
        # The same policy as the case page, asked once for all cases found.
        visible = {
            str(case_uuid)
            for case_uuid in policy.filter_cases(request.user)
            .filter(uuid__in=[item.case_uuid for item in involvements])
            .values_list("uuid", flat=True)
        }
        rows = [LookupRow(item, item.case_uuid in visible) for item in involvements]
    return render(
        request,
        "cases/lookup.html",
        {"form": form, "rows": rows, "may_break_glass": policy.may_break_glass(request.user)},
    )
