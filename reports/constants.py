"""Thresholds and labels of the progress report (issue #8)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Small-cell suppression: every published count below this is shown as "<5".
SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "<5"
# A count of 5 or more hidden only so that a small one cannot be computed back (secondary suppression).
# Marked "x" as CBS does, rather than "<5", which would not be true.
SECONDARY = "x"
HIDDEN_MARKS = (SUPPRESSED, SECONDARY)


class PeriodKind(models.TextChoices):
    """The periods a report may cover (ADR 0003): two of them either do not overlap or one lies inside the
    other, so subtracting reports can give no day or week, only whole months."""

    MONTH = "month", _("maand")
    QUARTER = "quarter", _("kwartaal")
    YEAR = "year", _("jaar")


# How a figure relates to its period; it decides what subtracting two reports can reveal (ADR 0003).
# SUM: counts events on the days of the period (signals received, cases started): a quarter's count is the
# sum of its months' counts, so a quarter minus a month is the count of the other two months.
MEASURE_SUM = "sum"
# SPAN: counts what happened in the period judged at its end (signals received in it and triaged by its last
# day, ZRM movement over the cases that ran in it): not a sum of its parts, but a larger period mostly counts more.
MEASURE_SPAN = "span"
# STATE: a state on one day (when the report is drawn up, or the period's last day), not a count over the period.
MEASURE_STATE = "state"
MEASURES = (MEASURE_SUM, MEASURE_SPAN, MEASURE_STATE)

# A workplan counts as adopted in time when its first version is adopted within this many days of the
# case start (six weeks, the interval of duty a in workplans.constants).
WORKPLAN_ADOPTION_DAYS = 42

# Buckets of the caseload distribution: (lower bound inclusive, upper bound inclusive or None).
CASELOAD_BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 9), (10, 19), (20, 29), (30, 39), (40, None))

# Triage time buckets in days from receipt to triage.
TRIAGE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("within_1", 1),
    ("within_3", 3),
    ("within_5", 5),
    ("within_10", 10),
    ("later", None),
)
TRIAGE_BUCKET_LABELS = {
    "within_1": _("binnen 1 dag"),
    "within_3": _("2 tot en met 3 dagen"),
    "within_5": _("4 tot en met 5 dagen"),
    "within_10": _("6 tot en met 10 dagen"),
    "later": _("meer dan 10 dagen"),
}

# Time from handing over to acceptance, in calendar days (the deadline itself is 5 working days).
HANDOVER_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("within_1", 1),
    ("within_3", 3),
    ("within_7", 7),
    ("later", None),
)
HANDOVER_BUCKET_LABELS = {
    "within_1": _("binnen 1 dag"),
    "within_3": _("2 tot en met 3 dagen"),
    "within_7": _("4 tot en met 7 dagen"),
    "later": _("meer dan 7 dagen"),
}

ZRM_MOVEMENTS = ("improved", "same", "worse")
ZRM_MOVEMENT_LABELS = {"improved": _("verbeterd"), "same": _("gelijk"), "worse": _("verslechterd")}

# At most this many approved obstacle descriptions per category in the report.
OBSTACLE_DESCRIPTIONS_PER_CATEGORY = 3
OTHER_PARTY = _("Overige partij")
NO_PARTY = _("Geen partij genoemd")
