"""Mijn werkvoorraad: where every professional lands after logging in."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, policy
from access.declarations import Scope, declare
from accounts.selectors import inbox_due_this_week, user_memberships
from api_conventions.numbers import query_int

from ..forms.casefile import SearchForm
from ..selectors import SearchCriteria, client_search_q

PAGE_SIZE = 25
# "Vandaag en deze week" is a glance, not the inbox: more than this and the inbox link says the rest.
DUE_LIMIT = 20


@declare(Scope.CASE)
def werkvoorraad(request: HttpRequest) -> HttpResponse:
    """My open cases, with a search over everything the policy lets me see.

    A search is a POST so that a BSN never appears in a URL or a server log.
    Queries: a constant number, whatever the number of cases (see the tests).
    """
    user = request.user
    search_form = SearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and search_form.is_valid():
        criteria = SearchCriteria(**search_form.cleaned_data)
        results = list(gate.case_search(request, client_search_q(criteria))[:50]) if not criteria.is_empty() else []

    # Open inbox items due by Sunday (overdue ones first): one query, split in Python.
    today = timezone.localdate()
    due = list(inbox_due_this_week(user, today=today)[: DUE_LIMIT + 1])
    due_more = len(due) > DUE_LIMIT
    due = due[:DUE_LIMIT]
    inbox_url = reverse("accounts:inbox")
    for item in due:
        # Only links inside the application; anything else goes through the inbox.
        item.link = item.url if item.url.startswith("/") and not item.url.startswith("//") else inbox_url

    page = None
    signal_count = None
    invited = None
    gate.consulted(request, gate.CASE)  # beleid, fg and beheerder get a page without cases
    if policy.is_partner(user):
        # A partner's cases: only those their purpose covers, each row showing only what that purpose allows.
        invited = list(gate.my_cases(request)[:PAGE_SIZE])
    if policy.is_casework_professional(user):
        page = Paginator(gate.my_cases(request), PAGE_SIZE).get_page(query_int(request.GET, "pagina", default=1))
        signal_count = gate.open_signal_count(request)
    return render(
        request,
        "cases/werkvoorraad.html",
        {
            "memberships": user_memberships(user),
            "page": page,
            "search_form": search_form,
            "results": results,
            "signal_count": signal_count,
            "is_casework": page is not None,
            # Beleid works with aggregates only: the home page points to the reports, never to a case.
            "reports_only": page is None and invited is None and policy.may_view_reports(user),
            "invited": invited,
            "due_groups": [
                group
                for group in (
                    {
                        "id": "due-today",
                        "title": _("Vandaag en te laat"),
                        "items": [i for i in due if i.due_on <= today],
                    },
                    {"id": "due-week", "title": _("Later deze week"), "items": [i for i in due if i.due_on > today]},
                )
                if group["items"]
            ],
            "due_more": due_more,
        },
    )
