"""Reads of the case file, always through ``access.policy``.

Access helpers (``case_get_for_user`` and friends) are the one choke point per
object type: 404 for what the user may not see (existence never leaks), 403
for a user who may see but not change. Refusals are written to the access log.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from access import log as access_log
from access import policy, registry
from consent.constants import AccessAction, DataCategory, DisclosureChannel

from .constants import OPEN_STATUSES, ZRM_DISAGREEMENT, CaseRole, CaseStatus, LifeDomain
from .models import (
    Case,
    CaseMember,
    CaseStatusChange,
    Client,
    ContactMoment,
    Household,
    HouseholdMember,
    LifeDomainAssessment,
    Referral,
    Signal,
)
from .validators import bsn_is_valid, normalise_postcode

# --- Access helpers ------------------------------------------------------------


def _deny_not_found(request, *, case=None, client=None, detail: str = ""):
    access_log.record(request, AccessAction.DENIED, case=case, client=client, detail=detail)
    raise Http404(_("Niet gevonden."))


def case_get_for_user(
    request,
    case_uuid,
    *,
    write: bool = False,
    queryset: QuerySet | None = None,
    partial: bool = False,
    needs: Iterable[str] = (),
) -> Case:
    """The case, if the policy lets ``request.user`` see it (or change it, with ``write``).

    Logs the view (or the refusal) in the access log. The policy's decision is
    attached as ``case.access`` for the banner and the log.

    A partner sees only the data categories of their purpose (``case.access.categories``).
    Views that leave out what a partner may not see say so with ``partial=True`` and name
    in ``needs`` the categories they cannot do without (the contacts tab needs "notities");
    any other view shows everything, so a partner needs every category to open it
    (deny by default). A partner's view is recorded as a disclosure.
    """
    queryset = (
        queryset if queryset is not None else Case.objects.select_related("team", "coordinator", "household", "client")
    )
    case = queryset.filter(uuid=case_uuid).first()
    if case is None:
        raise Http404(_("Niet gevonden."))
    decision = policy.case_decision(request.user, case)
    if not decision:
        if decision.basis == policy.Basis.PURPOSE:
            # An invited partner without a valid basis (e.g. consent withdrawn): refused, and told why.
            access_log.record(request, AccessAction.DENIED, case=case, task=decision.task, detail="no basis")
            raise PermissionDenied(decision.message)
        _deny_not_found(request, case=case, detail="case")
    if write:
        write_decision = policy.case_decision(request.user, case, write=True)
        if not write_decision:
            access_log.record(request, AccessAction.DENIED, case=case, detail="write")
            raise PermissionDenied(write_decision.message)
    # A view that does not leave anything out needs every category.
    required = needs if partial else DataCategory.values
    if decision.restricted and not policy.sees_all(decision, required):
        access_log.record(
            request, AccessAction.DENIED, case=case, task=decision.task, purpose=decision.purpose_code, detail="scope"
        )
        raise PermissionDenied(policy.DENIED_OUT_OF_SCOPE)
    case.access = decision
    access_log.record(
        request,
        AccessAction.CHANGE if write and request.method != "GET" else AccessAction.VIEW,
        case=case,
        task=decision.task,
        purpose=decision.purpose_code,
        reason="break-the-glass" if decision.basis == policy.Basis.BREAK_GLASS else "",
    )
    if decision.basis == policy.Basis.PURPOSE:
        channel = DisclosureChannel.API if hasattr(request, "_request") else DisclosureChannel.PAGE
        access_log.disclose(request, decision, channel=channel, case=case)
    return case


def client_get_for_user(request, client_uuid) -> Client:
    client = Client.objects.filter(uuid=client_uuid).first()
    if client is None:
        raise Http404(_("Niet gevonden."))
    if not policy.client_decision(request.user, client):
        _deny_not_found(request, client=client, detail="client")
    access_log.record(request, AccessAction.VIEW, client=client)
    return client


def signal_get_for_user(request, signal_uuid) -> Signal:
    signal = (
        policy.filter_signals(request.user).select_related("client", "team", "case").filter(uuid=signal_uuid).first()
    )
    if signal is None:
        raise Http404(_("Niet gevonden."))
    access_log.record(request, AccessAction.VIEW, client=signal.client, case=signal.case, detail="signal")
    return signal


# --- Lists and search -----------------------------------------------------------


def _with_list_annotations(queryset: QuerySet) -> QuerySet:
    last_contact = ContactMoment.objects.filter(case=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    return queryset.select_related("team", "coordinator", "household", "client").annotate(
        last_contact_at=Subquery(last_contact)
    )


def cases_visible(user) -> QuerySet:
    return _with_list_annotations(policy.filter_cases(user))


def orphaned_q() -> Q:
    """The one definition of an orphaned case (reminder rule 9, the progress report, the team dashboard).

    An open case that nobody active looks after: a coordinated case (actief) without a current coordinator
    who is an active user, or any open case without a single current, active professional (a deactivated
    user, an ended membership). Partners do not count: they cannot coordinate a municipal case.
    """
    current = CaseMember.objects.filter(case_id=OuterRef("pk"), valid_to__isnull=True, user__is_active=True)
    no_coordinator = Q(status=CaseStatus.ACTIEF) & ~Exists(current.filter(role=CaseRole.COORDINATOR))
    return Q(status__in=OPEN_STATUSES) & (no_coordinator | ~Exists(current.exclude(role=CaseRole.PARTNER)))


def werkvoorraad_cases(user) -> QuerySet:
    """My open cases: where I am a current case member or the coordinator.

    Cost: one query for the page of rows (annotations are subqueries).
    """
    mine = Q(pk__in=CaseMember.objects.filter(user=user, valid_to__isnull=True).values("case_id")) | Q(coordinator=user)
    return (
        _with_list_annotations(policy.filter_cases(user).filter(mine))
        .filter(status__in=OPEN_STATUSES)
        .order_by("-safety_concern", "status", "-opened_on", "-id")
    )


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


def case_search(request, criteria: SearchCriteria) -> QuerySet:
    """Cases visible to the user whose client, or a current household member, matches.

    Logs the search (one access-log row per case found, in the one INSERT of the request).
    """
    user = request.user
    if criteria.is_empty():
        return Case.objects.none()
    matching_clients = Client.objects.filter(_client_search_q(criteria))
    today = timezone.localdate()
    households = HouseholdMember.objects.current(today).filter(client__in=matching_clients).values("household_id")
    found = cases_visible(user).filter(Q(client__in=matching_clients) | Q(household_id__in=households))
    return found.order_by("-safety_concern", "-opened_on", "-id")


# --- Involvement lookup ------------------------------------------------------------


@dataclass(frozen=True)
class Involvement:
    team: str
    organisation: str
    coordinator_name: str
    coordinator_phone: str
    coordinator_email: str
    case_uuid: str


def involvement_lookup(
    request, *, bsn: str = "", family_name: str = "", date_of_birth=None
) -> list[Involvement] | None:
    """Is there an active coordinated case for this client, and who coordinates it?

    Nothing of the case's content is returned. ``None`` means the client is not
    known. Each lookup is logged.
    """
    if bsn:
        clients = Client.objects.filter(bsn=bsn) if bsn_is_valid(bsn) else Client.objects.none()
    else:
        clients = Client.objects.filter(family_name__iexact=family_name.strip(), date_of_birth=date_of_birth)
    clients = list(clients[:5])
    if not clients:
        access_log.record(request, AccessAction.LOOKUP, detail="no match")
        return None
    today = timezone.localdate()
    households = HouseholdMember.objects.current(today).filter(client__in=clients).values("household_id")
    cases = (
        Case.objects.filter(Q(client__in=clients) | Q(household_id__in=households), status=CaseStatus.ACTIEF)
        .select_related("team__organisation", "coordinator")
        .order_by("opened_on")
    )
    result = [
        Involvement(
            team=case.team.name,
            organisation=case.team.organisation.name,
            coordinator_name=str(case.coordinator) if case.coordinator else _("(nog geen regievoerder)"),
            coordinator_phone=case.coordinator.phone if case.coordinator else case.team.organisation.phone,
            coordinator_email=case.coordinator.email if case.coordinator else case.team.organisation.email,
            case_uuid=str(case.uuid),
        )
        for case in cases
    ]
    for client in clients:
        access_log.record(request, AccessAction.LOOKUP, client=client, detail=f"{len(result)} actief")
    return result


# --- The case page ------------------------------------------------------------------


def case_members(case: Case) -> list[CaseMember]:
    return list(
        CaseMember.objects.filter(case=case)
        .select_related("user", "organisation", "purpose")
        .order_by("valid_to", "role", "id")
    )


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


def case_contacts(case: Case, *, viewer, limit: int | None = None) -> list[ContactMoment]:
    """The case's contact moments ``viewer`` may read (no other organisation's restricted notes)."""
    queryset = (
        policy.filter_contact_moments(viewer, ContactMoment.objects.filter(case=case))
        .select_related("professional")
        .prefetch_related(
            Prefetch("participants", queryset=Client.objects.only("id", "given_names", "prefix", "family_name"))
        )
    )
    return list(queryset[:limit] if limit else queryset)


def case_status_history(case: Case) -> list[CaseStatusChange]:
    return list(CaseStatusChange.objects.filter(case=case).select_related("actor"))


def case_referrals(case: Case) -> list[Referral]:
    return list(Referral.objects.filter(case=case).select_related("organisation"))


def case_signals(case: Case) -> list[Signal]:
    return list(Signal.objects.filter(case=case).select_related("client"))


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str
    title: str
    text: str = ""


def client_timeline(client: Client, cases: list[Case], *, viewer) -> list[TimelineEntry]:
    """Contacts, signals and status changes about this client, newest first. Three queries."""
    entries: list[TimelineEntry] = []
    contacts = (
        policy.filter_contact_moments(viewer, ContactMoment.objects.filter(Q(participants=client) | Q(case__in=cases)))
        .select_related("case")
        .distinct()
    )
    for contact in contacts:
        entries.append(
            TimelineEntry(
                contact.occurred_at,
                "contact",
                f"{contact.get_channel_display()} ({contact.case.number})",
                contact.summary,
            )
        )
    for signal in Signal.objects.filter(Q(client=client) | Q(case__in=cases)).distinct():
        entries.append(
            TimelineEntry(
                signal.received_at,
                "signal",
                _("Melding: %(source)s") % {"source": signal.get_source_display()},
                signal.what_was_seen,
            )
        )
    for change in CaseStatusChange.objects.filter(case__in=cases).select_related("case"):
        entries.append(
            TimelineEntry(
                change.at,
                "status",
                _("%(case)s: %(status)s") % {"case": change.case.number, "status": change.get_to_status_display()},
                change.reason,
            )
        )
    return sorted(entries, key=lambda e: e.at, reverse=True)


def client_cases(user, client: Client) -> list[Case]:
    """The client's cases that the user may see (directly or through a household they belong to)."""
    households = HouseholdMember.objects.filter(client=client).values("household_id")
    return list(cases_visible(user).filter(Q(client=client) | Q(household_id__in=households)).order_by("-opened_on"))


def client_current_household(client: Client) -> HouseholdMember | None:
    return HouseholdMember.objects.current().filter(client=client).select_related("household").first()


def signals_inbox(user, *, open_only: bool = True) -> QuerySet:
    """The team's signals, overdue first (deadline ascending). One query."""
    queryset = policy.filter_signals(user).select_related("client", "team", "case")
    if open_only:
        queryset = queryset.filter(outcome="")
    # Open signals first (overdue ones at the top), then the triaged ones.
    return queryset.order_by(F("triaged_at").asc(nulls_first=True), "triage_deadline", "received_at")


def visible_domains(decision) -> list[str]:
    """The ZRM life domains whose records the holder of ``decision`` may see (all, for the team)."""
    return [domain for domain in LifeDomain.values if decision.sees(registry.domain_category(domain))]
