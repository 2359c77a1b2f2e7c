"""The case status machine: the transitions table and nothing else.

``cases.services.case_transition`` is the only code that applies a transition
and it appends a ``CaseStatusChange`` row in the same transaction.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .constants import CaseStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.AANGEMELD: frozenset({S.INTAKE}),
    S.INTAKE: frozenset({S.TRIAGE}),
    S.TRIAGE: frozenset({S.ENKELVOUDIG_DOORVERWEZEN, S.ACTIEF}),
    S.ENKELVOUDIG_DOORVERWEZEN: frozenset({S.AFGESLOTEN}),
    S.ACTIEF: frozenset({S.AFGESLOTEN}),
    S.AFGESLOTEN: frozenset({S.NAZORG}),
    S.NAZORG: frozenset({S.GEARCHIVEERD}),
    S.GEARCHIVEERD: frozenset(),
}

# Moving into these statuses needs a closing reason.
NEEDS_CLOSING_REASON = frozenset({S.AFGESLOTEN})

TRANSITION_LABELS = {
    S.INTAKE: _("Start intake"),
    S.TRIAGE: _("Naar triage"),
    S.ENKELVOUDIG_DOORVERWEZEN: _("Enkelvoudig doorverwijzen"),
    S.ACTIEF: _("Start gecoördineerde aanpak"),
    S.AFGESLOTEN: _("Casus afsluiten"),
    S.NAZORG: _("Start nazorg"),
    S.GEARCHIVEERD: _("Archiveren"),
}


def allowed_transitions(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in allowed_transitions(from_status)
