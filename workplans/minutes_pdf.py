"""Minutes of a meeting as PDF, built per participant (purpose-limited: only their cases)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .meeting_models import Agreement


def minutes_html(meeting, items, participant) -> str:
    agreements: dict[int, list] = {}
    for agreement in Agreement.objects.filter(meeting=meeting, case_id__in=[i.case_id for i in items]).select_related(
        "owner", "owner_organisation"
    ):
        agreements.setdefault(agreement.case_id, []).append(agreement)
    for item in items:
        item.agreements_made = agreements.get(item.case_id, [])
    return render_to_string(
        "workplans/meetings/minutes_pdf.html",
        {
            "meeting": meeting,
            "items": items,
            "participant": participant,
            "participants": list(meeting.participants.select_related("organisation", "user")),
            "municipality": settings.MUNICIPALITY_NAME,
            "printed_at": timezone.localtime(),
        },
    )


def minutes_pdf(meeting, items, participant) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint costs time at start-up

    return HTML(string=minutes_html(meeting, items, participant), base_url=str(settings.BASE_DIR)).write_pdf()
