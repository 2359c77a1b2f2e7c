"""Thresholds and labels of the progress report (issue #8)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Small-cell suppression: every published count below this is shown as "<5".
SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "<5"
# A count of 5 or more hidden only so that a small one cannot be computed back (secondary suppression).
# Marked "x" as CBS does, rather than "<5", which would not be true.
SECONDARY = "x"
HIDDEN_MARKS = (SUPPRESSED, SECONDARY)

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
