"""The figures of the progress report, computed in SQL (issue #8).

``compute(start, end)`` returns the *raw* figures of one period: exact counts in tables, before any
suppression. It never leaves this package: ``reports.services`` publishes it (``publish.publish``: small
counts hidden, complements closed) and stores only the published form.

Each table says how its figures relate to the period (``measure``, see ``reports.constants`` and ADR 0003),
which decides what subtracting two reports can reveal (``reports.differencing``):

- sum figures count what happened on the days of the period (signals received, intakes decided, agreements
  due, casusoverleggen held, handovers started, obstacles raised and resolved, duties carried out);
- span figures count what happened in the period judged at its last day (signals triaged by then, ZRM
  movement over the cases that ran in it);
- state figures describe the situation when the report is drawn up (``today``: cases by status, the laws
  of active cases, workplans and duties on schedule, open gaps, caseloads, orphaned cases), or on the period's
  last day (obstacles open). The quarterly job runs in the first days after the quarter, so that is the state
  at the end of the period.

Every figure is one aggregate query (``GROUP BY`` or conditional ``COUNT``), so the number of queries does
not depend on the number of cases. No query selects a name, a BSN, an address, a case number or free text;
the only text read is the masked obstacle description that ``beleid`` approved for publication.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .base import Period
from .casework import cases_section, laws_section, signals_section
from .coordination import agreements_section, workplans_section
from .outcomes import caseload_section, handovers_section, obstacles_section, zrm_section

__all__ = ["SECTIONS", "Period", "compute"]

# The sections of the report, in the order the report shows them.
SECTIONS = (
    cases_section,
    signals_section,
    laws_section,
    workplans_section,
    agreements_section,
    zrm_section,
    handovers_section,
    obstacles_section,
    caseload_section,
)


def compute(start: datetime.date, end: datetime.date, *, today: datetime.date | None = None) -> dict:
    """The raw figures of the period ``start``–``end`` (inclusive); stock figures as of ``today``."""
    period = Period(start, end, today or timezone.localdate())
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "as_of": period.today.isoformat(),
        # The same number published in two tables: hidden in one means hidden in both.
        "links": [
            [["cases_by_status_team", "open", "T"], ["laws_overlap", "open", 0]],
            [["signals_by_outcome", "triaged", 0], ["signals_triage_time", "T", 0]],
            [["handovers", "accepted", 0], ["handovers_time", "T", 0]],
        ],
        "sections": [section(period) for section in SECTIONS],
    }
