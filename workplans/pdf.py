"""The client version of the plan as PDF, in plain Dutch (B1), rendered by WeasyPrint.

It holds only what the plan says to the client: the goals (in the client's
words where given), who does what, and who to call. It leaves out the
analysis of services other household members received, ZRM scores and notes.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .constants import CLOSED_GOAL_STATUSES, GoalStatus
from .models import Action, Goal


def client_version_context(workplan, case) -> dict:
    goals = list(
        Goal.objects.filter(workplan=workplan)
        .exclude(status=GoalStatus.VERVALLEN)
        .select_related("owner", "owner_organisation")
        .prefetch_related("actions__party", "actions__professional")
    )
    coordinator = case.coordinator
    return {
        "case": case,
        "workplan": workplan,
        "goals": goals,
        "open_statuses": CLOSED_GOAL_STATUSES,
        "coordinator": coordinator,
        "municipality": settings.MUNICIPALITY_NAME,
        "printed_on": timezone.localdate(),
        "version": workplan.versions.order_by("-number").first(),
        "action_model": Action,
    }


def client_version_html(workplan, case) -> str:
    return render_to_string("workplans/client_version.html", client_version_context(workplan, case))


def client_version_pdf(workplan, case) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint costs ~0.5 s at start-up

    return HTML(string=client_version_html(workplan, case), base_url=str(settings.BASE_DIR)).write_pdf()
