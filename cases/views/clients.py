"""The client file: a one-page summary and a timeline."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..constants import LifeDomain
from ..selectors import (
    client_cases,
    client_current_household,
    client_get_for_user,
    client_timeline,
    household_composition,
    latest_scores,
)


def client_detail(request: HttpRequest, uuid) -> HttpResponse:
    client = client_get_for_user(request, uuid)
    cases = client_cases(request.user, client)
    membership = client_current_household(client)
    open_cases = [case for case in cases if case.is_open]
    latest_zrm = []
    if open_cases:
        scores = latest_scores(open_cases[0])
        latest_zrm = [(LifeDomain(domain).label, score) for domain, score in scores.items()]
    timeline = client_timeline(client, cases, viewer=request.user)
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
