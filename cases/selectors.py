"""Reads of the case file that start from what the access layer handed out (``access.gate``): the case page's
ZRM overview, a household's composition, the one definition of an orphaned case, and search criteria.

Who may see which case, client or signal is decided and logged in ``access.gate``; nothing here decides access.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from .constants import OPEN_STATUSES, ZRM_DISAGREEMENT, CaseRole, CaseStatus, LifeDomain
from .models import (
    Case,
    CaseMember,
    Client,
    Household,
    HouseholdMember,
    LifeDomainAssessment,
)
from .validators import normalise_postcode


def orphaned_q() -> Q:
    """The one definition of an orphaned case (reminder rule 9, the progress report, the team dashboard).

    An open case that nobody active looks after: a coordinated case (actief) without a current coordinator
    who is an active user, or any open case without a single current, active professional (a deactivated
    user, an ended membership). Partners do not count: they cannot coordinate a municipal case.
    """
    current = CaseMember.objects.filter(case_id=OuterRef("pk"), valid_to__isnull=True, user__is_active=True)
    no_coordinator = Q(status=CaseStatus.ACTIEF) & ~Exists(current.filter(role=CaseRole.COORDINATOR))
    return Q(status__in=OPEN_STATUSES) & (no_coordinator | ~Exists(current.exclude(role=CaseRole.PARTNER)))


@dataclass
class SearchCriteria:
    name: str = ""
    bsn: str = ""
    date_of_birth: datetime.date | None = None
    postcode: str = ""

    def is_empty(self) -> bool:
        return not (self.name.strip() or self.bsn.strip() or self.date_of_birth or self.postcode.strip())


def _client_search_q(criteria: SearchCriteria, prefix: str = "") -> Q:
    q = Q()
    if criteria.name.strip():
        for word in criteria.name.split():
            q &= Q(**{f"{prefix}family_name__icontains": word}) | Q(**{f"{prefix}given_names__icontains": word})
    if criteria.bsn.strip():
        q &= Q(**{f"{prefix}bsn": criteria.bsn.strip()})
    if criteria.date_of_birth:
        q &= Q(**{f"{prefix}date_of_birth": criteria.date_of_birth})
    if criteria.postcode.strip():
        q &= Q(**{f"{prefix}postcode": normalise_postcode(criteria.postcode)})
    return q


def client_search_q(criteria: SearchCriteria) -> Q:
    """Clients matching the criteria (name words, BSN, date of birth, postcode), for ``access.gate.case_search``."""
    return _client_search_q(criteria)


# --- The case page ------------------------------------------------------------------


def household_composition(household: Household | None, on: datetime.date | None = None) -> list[HouseholdMember]:
    """The current composition, derived from the membership history."""
    if household is None:
        return []
    return list(HouseholdMember.objects.current(on).filter(household=household).select_related("client"))


def case_clients(case: Case) -> list[Client]:
    if case.client_id:
        return [case.client]
    return [m.client for m in household_composition(case.household)]


@dataclass
class DomainRow:
    domain: str
    label: str
    latest: dict[int, LifeDomainAssessment] = field(default_factory=dict)  # assessor id -> latest
    history: list[LifeDomainAssessment] = field(default_factory=list)

    @property
    def scores(self) -> list[int]:
        return [a.score for a in self.latest.values()]

    @property
    def disagreement(self) -> bool:
        scores = self.scores
        return len(scores) > 1 and max(scores) - min(scores) >= ZRM_DISAGREEMENT

    @property
    def current_score(self) -> int | None:
        """The most recent score by anyone (used for gap rules and trends)."""
        return self.history[-1].score if self.history else None


@dataclass
class ZrmOverview:
    assessors: list
    rows: list[DomainRow]

    @property
    def has_scores(self) -> bool:
        return any(row.history for row in self.rows)


def zrm_overview(case: Case, *, domains: Iterable[str] | None = None) -> ZrmOverview:
    """Latest score per domain per assessor, side by side, with the history per domain.

    ``domains`` limits the overview to the life domains the viewer may see (a partner's purpose).
    Cost: one query (assessments with their assessor).
    """
    assessments = LifeDomainAssessment.objects.filter(case=case)
    if domains is not None:
        assessments = assessments.filter(domain__in=list(domains))
    assessments = list(assessments.select_related("assessor").order_by("assessed_on", "id"))
    rows: dict[str, DomainRow] = {}
    assessors: dict[int, object] = {}
    for assessment in assessments:
        row = rows.setdefault(assessment.domain, DomainRow(assessment.domain, LifeDomain(assessment.domain).label))
        row.history.append(assessment)
        row.latest[assessment.assessor_id] = assessment
        assessors[assessment.assessor_id] = assessment.assessor
    ordered = [rows[d] for d in LifeDomain.values if d in rows]
    return ZrmOverview(assessors=list(assessors.values()), rows=ordered)


def latest_scores(case: Case) -> dict[str, int]:
    """Most recent score per domain (by anyone)."""
    return {row.domain: row.current_score for row in zrm_overview(case).rows}
