"""Choke points of the case file: cases, clients, households, signals, and the records under a case.

Each function asks ``access.policy``, writes the access-log entry (or the refusal) and, for a partner, the
disclosure; a view gets only what these hand out. Details raise 404 for what the user may not see (existence
never leaks) and 403 for a user who may see but not change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet, Subquery
from django.db.models import OuterRef as Outer
from django.utils import timezone
from django.utils.translation import gettext as _

from access import log as access_log
from access import policy, registry
from cases.constants import OPEN_STATUSES, CaseStatus, LifeDomain
from cases.models import (
    Case,
    CaseMember,
    CaseStatusChange,
    Client,
    ContactMoment,
    Household,
    HouseholdMember,
    Intake,
    LifeDomainAssessment,
    Referral,
    Signal,
)
from cases.validators import bsn_is_valid
from consent import services as consent_services
from consent.constants import AccessAction, DataCategory
from consent.models import Consent, Disclosure

from .core import channel, consulted, forbidden, logged, not_found

CASE = "case"
CLIENT = "client"
HOUSEHOLD = "household"
SIGNAL = "signal"
ALL = tuple(DataCategory.values)


# --- Cases ---------------------------------------------------------------------------------------


def with_list_annotations(queryset: QuerySet, user) -> QuerySet:
    """What a case row shows: team, coordinator, client, household, and the last contact the user may read."""
    last_contact = (
        ContactMoment.objects.filter(policy.last_contact_q(user), case=Outer("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return queryset.select_related("team", "coordinator", "household", "client").annotate(
        last_contact_at=Subquery(last_contact)
    )


def case_for_user(
    request,
    case_uuid,
    *,
    write: bool = False,
    needs: Iterable[str] | None = None,
    queryset: QuerySet | None = None,
    export: str = "",
) -> Case:
    """The case, if the policy lets ``request.user`` see it (or change it, with ``write``).

    Logs the view, the change or the refusal. The decision is attached as ``case.access``. A partner sees only
    the data categories of their purpose: a view that leaves the others out names in ``needs`` the categories
    it cannot do without (``()`` for none); ``needs=None`` means the view shows everything, so a partner needs
    every category to open it (deny by default). A partner's view is recorded as a disclosure. ``export`` names
    a download made of the case (logged as an export).
    """
    user = request.user
    queryset = with_list_annotations(Case.objects.all(), user) if queryset is None else queryset
    case = queryset.filter(uuid=case_uuid).first()
    if case is None:
        raise not_found(request, CASE)
    decision = policy.case_decision(user, case)
    if not decision:
        if decision.basis == policy.Basis.PURPOSE:
            # An invited partner without a valid basis (e.g. consent withdrawn): refused, and told why.
            raise forbidden(request, CASE, decision.message, case=case, task=decision.task, detail="no basis")
        raise not_found(request, CASE, case=case, detail="case")
    if write:
        write_decision = policy.case_decision(user, case, write=True)
        if not write_decision:
            raise forbidden(request, CASE, write_decision.message, case=case, detail="write")
    required = ALL if needs is None else tuple(needs)
    if decision.restricted and not policy.sees_all(decision, required):
        raise forbidden(
            request,
            CASE,
            str(policy.DENIED_OUT_OF_SCOPE),
            case=case,
            task=decision.task,
            purpose=decision.purpose_code,
            detail="scope",
        )
    consulted(request, CASE)
    case.access = decision
    if export:
        action = AccessAction.EXPORT
    else:
        action = AccessAction.CHANGE if write and request.method != "GET" else AccessAction.VIEW
    access_log.record(
        request,
        action,
        case=case,
        task=decision.task,
        purpose=decision.purpose_code,
        reason="break-the-glass" if decision.basis == policy.Basis.BREAK_GLASS else "",
        detail=export,
    )
    if decision.basis == policy.Basis.PURPOSE:
        access_log.disclose(request, decision, channel=channel(request), case=case)
    return case


def case_named(request, case_uuid, *, write: bool = False, detail: str = "") -> Case | None:
    """A case named in a request body (a new agenda item, agreement or workplan): ``None`` when the user may not
    see it (logged as refused, answered like an unknown case), else the case through ``case_for_user``."""
    consulted(request, CASE)
    case = Case.objects.filter(uuid=case_uuid).first()
    if case is None:
        return None
    if not policy.case_decision(request.user, case):
        access_log.record(request, AccessAction.DENIED, case=case, detail=detail or "case named")
        return None
    return case_for_user(request, case_uuid, write=write, needs=())


def may_change_case(request, case: Case) -> bool:
    """Whether the user may change a case they were handed (for showing forms; writes ask ``case_for_user``)."""
    return bool(policy.case_decision(request.user, case, write=True))


def _partner_rows(request):
    def on_fetch(rows: list) -> None:
        decisions = policy.partner_decisions(request.user, rows)
        for case in rows:
            case.row_access = decisions[case.pk]
            if case.row_access:
                access_log.disclose(request, case.row_access, channel=channel(request), case=case)

    return on_fetch


def cases_for_user(
    request,
    queryset: QuerySet | None = None,
    *,
    write: bool = False,
    action: str = AccessAction.LIST,
    detail: str = "",
) -> QuerySet:
    """The cases the user may see (or change), with the list annotations, as a list that logs the rows it shows
    and, for a partner, attaches each row's decision (``row_access``) and records the disclosure."""
    user = request.user
    queryset = Case.objects.all() if queryset is None else queryset
    visible = with_list_annotations(policy.filter_cases(user, queryset, write=write), user)
    return logged(
        request,
        visible,
        kind=CASE,
        action=action,
        detail=detail,
        case_of=lambda case: case,
        on_fetch=_partner_rows(request) if policy.is_partner(user) else None,
    )


def my_cases(request) -> QuerySet:
    """Mijn werkvoorraad: open cases where I am a current case member or the coordinator."""
    user = request.user
    mine = Q(pk__in=CaseMember.objects.filter(user=user, valid_to__isnull=True).values("case_id")) | Q(coordinator=user)
    return (
        cases_for_user(
            request, detail="werkvoorraad" if policy.is_casework_professional(user) else "werkvoorraad partner"
        )
        .filter(mine)
        .filter(status__in=OPEN_STATUSES)
        .order_by("-safety_concern", "status", "-opened_on", "-id")
    )


def case_search(request, clients_q: Q) -> QuerySet:
    """Cases the user may see whose client, or a current member of whose household, matches ``clients_q``.
    Logged as a search (also when nothing is found)."""
    matching = Client.objects.filter(clients_q)
    households = HouseholdMember.objects.current(timezone.localdate()).filter(client__in=matching)
    found = Case.objects.filter(Q(client__in=matching) | Q(household_id__in=households.values("household_id")))
    return cases_for_user(request, found, action=AccessAction.SEARCH, detail="werkvoorraad").order_by(
        "-safety_concern", "-opened_on", "-id"
    )


def case_unseen_for_break_glass(request, case_uuid) -> Case:
    """The case someone may break the glass on: only its number and team are used, and only by a user who may
    break the glass and cannot see it yet; the form view is logged."""
    if not policy.may_break_glass(request.user):
        raise not_found(request, CASE)
    case = Case.objects.filter(uuid=case_uuid).select_related("team").first()
    if case is None:
        raise not_found(request, CASE)
    consulted(request, CASE)
    case.access = policy.case_decision(request.user, case)
    if not case.access:
        access_log.record(request, AccessAction.VIEW, case=case, detail="break-the-glass: formulier")
    return case


def break_glass(request, case: Case, *, reason: str, hours):
    """Break the glass on a case outside one's team (``consent.services.break_glass_grant``), logged as a change
    with the stated reason so the FG finds it in the access log as well as in the review list."""
    grant = consent_services.break_glass_grant(user=request.user, case=case, reason=reason, hours=hours)
    policy.forget(request.user)
    access_log.record(
        request,
        AccessAction.CHANGE,
        case=case,
        reason=grant.reason,
        detail=f"break-the-glass aangevraagd ({hours} uur)",
    )
    return grant


def orphaned_cases_of_teams(request, team_ids: Iterable[int], orphaned: Q) -> QuerySet:
    """The teams' open cases that nobody looks after (team dashboard): through the policy, logged as a list."""
    return cases_for_user(request, Case.objects.filter(orphaned, team_id__in=list(team_ids)), detail="orphaned")


# --- Records of a case -------------------------------------------------------------------------


def record_of_case(
    request,
    case: Case,
    model,
    uuid,
    *,
    path: str = "case",
    related: Iterable[str] = (),
    kind: str = CASE,
    lookup: str = "uuid",
):
    """A record (goal, action, obstacle...) of a case the user was handed by ``case_for_user``: 404 when it
    belongs to another case or, for a partner, lies outside their purpose's categories.

    ``model`` is a model class or a queryset of it; ``path`` leads from the record to its case.
    """
    consulted(request, kind)
    queryset = model._default_manager.all() if isinstance(model, type) else model
    if related:
        queryset = queryset.select_related(*related)
    record = queryset.filter(**{path: case, lookup: uuid}).first()
    if record is None:
        raise not_found(request, kind)
    category = getattr(record, "category", None)
    if category and not case.access.sees(category):
        raise not_found(request, kind, case=case, detail="category")
    return record


def case_members(case: Case) -> list[CaseMember]:
    """Everyone on the case team, past and present (registration data of a case the user was handed)."""
    return list(
        CaseMember.objects.filter(case=case)
        .select_related("user", "organisation", "purpose")
        .order_by("valid_to", "role", "id")
    )


def case_member(request, case: Case, member_uuid) -> CaseMember | None:
    return CaseMember.objects.filter(case=case, uuid=member_uuid).select_related("user", "case").first()


def contacts_of_case(request, case: Case, *, limit: int | None = None) -> QuerySet | list:
    """The case's contact moments the user may read: no note under a secrecy they are not bound by, and for a
    partner only the categories of their purpose."""
    queryset = (
        policy.filter_contact_moments(
            request.user, ContactMoment.objects.filter(case=case), decision=case.access, case_checked=True
        )
        .select_related("professional")
        .prefetch_related(
            Prefetch("participants", queryset=Client.objects.only("id", "uuid", "given_names", "prefix", "family_name"))
        )
        .order_by("-occurred_at", "-id")
    )
    consulted(request, CASE)
    return list(queryset[:limit]) if limit else queryset


def visible_domains(decision) -> list[str]:
    """The ZRM life domains whose records the holder of ``decision`` may see (all, for the team)."""
    return [domain for domain in LifeDomain.values if decision.sees(registry.domain_category(domain))]


def assessments_of_case(request, case: Case) -> QuerySet:
    """ZRM assessments of the case in the life domains the user may see."""
    consulted(request, CASE)
    queryset = LifeDomainAssessment.objects.filter(case=case)
    if case.access.restricted:
        queryset = queryset.filter(domain__in=visible_domains(case.access))
    return queryset


def referrals_of_case(request, case: Case) -> list[Referral]:
    consulted(request, CASE)
    return list(Referral.objects.filter(policy.category_filter(case.access), case=case).select_related("organisation"))


def referral_for_user(request, referral_uuid, *, write: bool = False) -> Referral:
    """A referral, through the case it belongs to (logged as a view or change of that case)."""
    referral = Referral.objects.filter(uuid=referral_uuid).select_related("case", "organisation").first()
    if referral is None:
        raise not_found(request, CASE)
    case = case_for_user(request, referral.case.uuid, write=write, needs=())
    if not case.access.sees(referral.category):
        raise not_found(request, CASE, case=case, detail="category")
    referral.case = case
    return referral


def signals_of_case(request, case: Case) -> list[Signal]:
    consulted(request, CASE)
    if case.access.restricted:
        return []  # what a melder saw is never shared with a partner
    return list(Signal.objects.filter(case=case).select_related("client"))


def status_history(request, case: Case) -> list[CaseStatusChange]:
    consulted(request, CASE)
    return list(CaseStatusChange.objects.filter(case=case).select_related("actor"))


def intake_of_case(request, case: Case) -> Intake | None:
    consulted(request, CASE)
    return Intake.objects.filter(case=case).prefetch_related("domains").first()


def _consent_tab_case(request, case: Case) -> None:
    consulted(request, CASE)
    if case.access.restricted:
        # Partners see only the categories of their purpose; the consent register of a case is not among them.
        raise forbidden(
            request,
            CASE,
            _("Dit onderdeel van de casus is niet zichtbaar voor partnerorganisaties."),
            case=case,
            detail="consents",
        )


def consent_clients(request, case: Case) -> list[Client]:
    """The clients whose consents the case's consent tab shows: its client, or its household's current members."""
    _consent_tab_case(request, case)
    return list(Client.objects.filter(pk__in=policy.case_client_ids(case)).order_by("family_name", "given_names"))


def consents_of_clients(request, case: Case, clients: list[Client]) -> QuerySet:
    _consent_tab_case(request, case)
    return (
        Consent.objects.filter(client__in=clients)
        .select_related("client", "purpose", "recipient_organisation", "recorded_by", "withdrawn_recorded_by")
        .order_by("client__family_name", "-given_at", "-id")
    )


def consent_of_case(request, case: Case, clients: list[Client], consent_uuid) -> Consent:
    consent = consents_of_clients(request, case, clients).filter(uuid=consent_uuid).first()
    if consent is None:
        raise not_found(request, CASE)
    return consent


def disclosures_of_case(request, case: Case, *, limit: int = 100) -> list[Disclosure]:
    """What left the municipality from this case, newest first."""
    _consent_tab_case(request, case)
    return list(
        Disclosure.objects.filter(case=case)
        .select_related("client", "recipient_organisation", "recipient_user", "purpose", "disclosed_by")
        .order_by("-at", "-id")[:limit]
    )


# --- Clients -------------------------------------------------------------------------------------


def client_for_user(request, client_uuid, *, write: bool = False) -> Client:
    """The client, if the policy lets the user see (or change) them; logged."""
    client = Client.objects.filter(uuid=client_uuid).first()
    if client is None:
        raise not_found(request, CLIENT)
    decision = policy.client_decision(request.user, client)
    if not decision:
        raise not_found(request, CLIENT, client=client, detail="client")
    if write:
        write_decision = policy.client_decision(request.user, client, write=True)
        if not write_decision:
            raise forbidden(request, CLIENT, write_decision.message, client=client, detail="client write")
    consulted(request, CLIENT)
    action = AccessAction.CHANGE if write and request.method != "GET" else AccessAction.VIEW
    access_log.record(request, action, client=client)
    return client


def clients_for_user(
    request, queryset: QuerySet | None = None, *, write: bool = False, action: str = AccessAction.LIST, detail=""
) -> QuerySet:
    return logged(
        request,
        policy.filter_clients(request.user, queryset, write=write),
        kind=CLIENT,
        action=action,
        detail=detail,
        client_of=lambda client: client,
    )


def client_cases(request, client: Client) -> list[Case]:
    """The client's cases the user may see (directly or through a household they belong to)."""
    households = HouseholdMember.objects.filter(client=client).values("household_id")
    cases = Case.objects.filter(Q(client=client) | Q(household_id__in=households))
    return list(cases_for_user(request, cases, detail="client file").order_by("-opened_on"))


def client_current_household(client: Client) -> HouseholdMember | None:
    return HouseholdMember.objects.current().filter(client=client).select_related("household").first()


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str
    title: str
    text: str = ""


def client_timeline(request, client: Client, cases: list[Case]) -> list[TimelineEntry]:
    """Contacts, signals and status changes about this client that the user may read, newest first.

    Only from ``cases`` (the client's cases the user may see, from ``client_cases``) and the user's own team's
    signal inbox: a contact note of another team's case is not shown because the client took part in it, and
    no note under a secrecy the user is not bound by. Three queries.
    """
    user = request.user
    consulted(request, CLIENT)
    case_ids = [c.pk for c in cases]
    entries: list[TimelineEntry] = []
    contacts = (
        policy.filter_contact_moments(user, ContactMoment.objects.filter(case_id__in=case_ids))
        .select_related("case")
        .order_by("-occurred_at", "-id")
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
    for signal in policy.filter_signals(user, Signal.objects.filter(Q(client=client) | Q(case_id__in=case_ids))):
        entries.append(
            TimelineEntry(
                signal.received_at,
                "signal",
                _("Melding: %(source)s") % {"source": signal.get_source_display()},
                signal.what_was_seen,
            )
        )
    for change in CaseStatusChange.objects.filter(case_id__in=case_ids).select_related("case"):
        entries.append(
            TimelineEntry(
                change.at,
                "status",
                _("%(case)s: %(status)s") % {"case": change.case.number, "status": change.get_to_status_display()},
                change.reason,
            )
        )
    return sorted(entries, key=lambda e: e.at, reverse=True)


# --- Households ----------------------------------------------------------------------------------


def households_with_members(queryset: QuerySet | None = None) -> QuerySet:
    current = HouseholdMember.objects.current().select_related("client").order_by("valid_from", "id")
    queryset = Household.objects.all() if queryset is None else queryset
    return queryset.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_members"))


def household_for_user(request, household_uuid, *, write: bool = False) -> Household:
    """The household with its current members, when the policy lets the user see (or change) it; logged
    against each current member."""
    household = households_with_members().filter(uuid=household_uuid).first()
    if household is None:
        raise not_found(request, HOUSEHOLD)
    if not policy.household_decision(request.user, household):
        raise not_found(request, HOUSEHOLD, detail="household", clients=[])
    if write:
        decision = policy.household_decision(request.user, household, write=True)
        if not decision:
            raise forbidden(request, HOUSEHOLD, decision.message, detail="household write")
    consulted(request, HOUSEHOLD)
    action = AccessAction.CHANGE if write and request.method != "GET" else AccessAction.VIEW
    access_log.record(request, action, clients=[m.client for m in household.current_members], detail="household")
    return household


def households_for_user(request, queryset: QuerySet | None = None) -> QuerySet:
    return logged(
        request,
        households_with_members(policy.filter_households(request.user, queryset)),
        kind=HOUSEHOLD,
        detail="household",
        on_fetch=lambda rows: access_log.record(
            request, AccessAction.LIST, clients=[m.client for h in rows for m in h.current_members], detail="household"
        ),
    )


def household_history(request, household: Household) -> QuerySet:
    """The membership history of a household the user was handed (who lived there, when), logged per client."""
    return logged(
        request,
        HouseholdMember.objects.filter(household=household).select_related("client").order_by("valid_from", "id"),
        kind=HOUSEHOLD,
        detail="household",
        client_of=lambda member: member.client,
    )


def members_of_case(request, case: Case) -> QuerySet:
    """The case team, past and present, of a case the user was handed (registration data)."""
    consulted(request, CASE)
    return CaseMember.objects.filter(case=case).select_related("user", "organisation", "purpose")


# --- Signals -------------------------------------------------------------------------------------


def signal_for_user(request, signal_uuid, *, write: bool = False) -> Signal:
    """A signal of the user's team inbox (or of a case they may read); ``write`` (triage, informing) only for
    the team whose inbox it is in."""
    signal = (
        policy.filter_signals(request.user).select_related("client", "team", "case").filter(uuid=signal_uuid).first()
    )
    if signal is None:
        raise not_found(request, SIGNAL)
    if write and not policy.may_triage_signal(request.user, signal):
        raise forbidden(
            request,
            SIGNAL,
            _("Alleen het team van deze melding kan haar afhandelen."),
            client=signal.client,
            case=signal.case,
            detail="signal write",
        )
    consulted(request, SIGNAL)
    action = AccessAction.CHANGE if write and request.method != "GET" else AccessAction.VIEW
    access_log.record(request, action, client=signal.client, case=signal.case, detail="signal")
    return signal


def signals_for_user(request, *, open_only: bool = True) -> QuerySet:
    """The team's signal inbox, overdue first (deadline ascending). One query; the rows shown are logged."""
    queryset = policy.filter_signals(request.user).filter(team_id__in=sorted(policy.casework_team_ids(request.user)))
    queryset = queryset.select_related("client", "team", "case")
    if open_only:
        queryset = queryset.filter(outcome="")
    queryset = queryset.order_by(F("triaged_at").asc(nulls_first=True), "triage_deadline", "received_at")
    return logged(
        request,
        queryset,
        kind=SIGNAL,
        detail="signal inbox",
        client_of=lambda signal: signal.client,
        case_of=lambda signal: signal.case,
    )


def open_signal_count(request) -> int:
    """How many signals wait in the user's team inboxes (a count names nobody)."""
    consulted(request, SIGNAL)
    return (
        policy.filter_signals(request.user)
        .filter(team_id__in=sorted(policy.casework_team_ids(request.user)), outcome="")
        .count()
    )


# --- Involvement lookup ------------------------------------------------------------------------


@dataclass(frozen=True)
class Involvement:
    team: str
    organisation: str
    coordinator_name: str
    coordinator_phone: str
    coordinator_email: str
    case_uuid: str


def involvement_lookup(request, *, bsn: str = "", family_name: str = "", date_of_birth=None) -> list | None:
    """Is there an active coordinated case for this client, and who coordinates it?

    Nothing of the case's content is returned: the answer is who to call. ``None`` means the client is not
    known. Only for professionals of the municipality; each lookup is logged.
    """
    consulted(request, CLIENT)
    if bsn:
        clients = Client.objects.filter(bsn=bsn) if bsn_is_valid(bsn) else Client.objects.none()
    else:
        clients = Client.objects.filter(family_name__iexact=family_name.strip(), date_of_birth=date_of_birth)
    clients = list(clients[:5])
    if not clients:
        access_log.record(request, AccessAction.LOOKUP, detail="no match")
        return None
    households = HouseholdMember.objects.current().filter(client__in=clients).values("household_id")
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
