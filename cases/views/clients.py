"""The client file: a one-page summary and a timeline."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access import gate
from access.declarations import Scope, declare

from ..constants import LifeDomain
from ..selectors import household_composition, latest_scores


@declare(Scope.CLIENT)
def client_detail(request: HttpRequest, uuid) -> HttpResponse:
    """The client's summary: their cases the user may see, the household, and a timeline of what the user may
    read (nothing of another team's case because the client took part in it)."""
    client = gate.client_for_user(request, uuid)
    cases = gate.client_cases(request, client)
    membership = gate.client_current_household(client)
    open_cases = [case for case in cases if case.is_open]
    latest_zrm = []
    if open_cases:
        scores = latest_scores(open_cases[0])
        latest_zrm = [(LifeDomain(domain).label, score) for domain, score in scores.items()]
    timeline = gate.client_timeline(request, client, cases)
    return render(
        request,
        "cases/client_detail.html",
        {
            "client": client,
            "membership": membership,
            "household": household_composition(membership.household) if membership else [],
            "cases": cases,
            "open_cases": open_cases,
            "latest_zrm": latest_zrm,
            "last_contact": next((e for e in timeline if e.kind == "contact"), None),
            "timeline": timeline[:100],
        },
    )
