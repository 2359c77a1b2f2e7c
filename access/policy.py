"""The one access decision point (DESIGN.md, "One access decision point").

This module decides; it neither fetches pages nor writes the access log. The
choke points in ``access.gate`` ask it and log what they hand out.

The rule for cases is stated once, as *scopes*: the small sets of case ids
and team ids a user may read or change (``case_scope``). Everything else is
derived from a scope: the list filter (``filter_cases``: ``pk IN ids OR
team_id IN ids``, which PostgreSQL answers from two indexes), the decision on
one case (``case_decision``), and the reminder sweep's recipients
(``scope_covers``, the same test on facts the sweep loads in bulk).

A professional with a casework role reads a case when they are

1. a current member of the case (object permission from django-guardian,
   granted and revoked by the case-membership services), or
2. a member of the owning team with a team role (wijkcoach, klantmanager,
   werkcoach, regisseur, teamleider), or
3. holder of an active break-the-glass grant (read only; not ended by the FG's
   verdict "niet gerechtvaardigd" or by a withdrawal).

They change a case as 1 or 2. A partner professional (outside the
municipality) reads a case only when invited as a case member AND the purpose
of that membership covers it (``partner_decisions``, the one implementation):
the purpose is active and may be shared with their kind of organisation, and,
for a consent-based purpose, one of the case's clients gave a consent for that
purpose and recipient that is given, not expired and not withdrawn. They see
only the purpose's data categories and never change the case. ``beleid``,
``fg`` and ``beheerder`` see no case content.

Clients, households, signals, contact moments, agreements and the other records
of a case are visible through the cases they belong to, narrowed by data
category (partners) and professional secrecy (``secrecy_q``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import CASEWORK_ROLES, SECRECY_ROLES, Role
from accounts.models import Team
from accounts.selectors import user_has_role, user_roles, user_team_ids
from cases.models import (
    Case,
    CaseMember,
    CaseUserObjectPermission,
    Client,
    ContactMoment,
    Household,
    HouseholdMember,
    Signal,
)
from consent.constants import DataCategory
from consent.models import BreakGlassGrant, Consent, Purpose

VIEW_CASE = "view_case"
CHANGE_CASE = "change_case"

# Request-scoped cache of a user's scope: set on the user object of a request by ``access.log``'s
# middleware, so a scope is resolved once per request but never outlives it (tasks and tests
# always see fresh facts).
REQUEST_CACHE_FLAG = "_access_request_scoped"
_SCOPE_CACHE = "_access_case_scope"


class Basis:
    MEMBER = "member"
    TEAM = "team"
    BREAK_GLASS = "break_glass"
    PURPOSE = "purpose"  # a partner, through the purpose of their case membership
    REGISTERED = "registered"  # a client or household registered by the user's team, before any case


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: str = ""
    task: str = ""
    message: str = ""
    break_glass_grant_id: int | None = None
    break_glass_grant_uuid: str = ""
    # None: all data of the case; a set: only these data categories (partners).
    categories: frozenset | None = None
    purpose_id: int | None = None
    purpose_code: str = ""
    legal_basis: str = ""
    consent_id: int | None = None
    organisation_id: int | None = None

    def __bool__(self) -> bool:
        return self.allowed

    def sees(self, category: str) -> bool:
        """May the user see data of this category of the case?"""
        return self.allowed and (self.categories is None or category in self.categories)

    @property
    def see(self) -> dict[str, bool]:
        """Per data category: may the user see it? (for templates: ``access.see.identiteit``)"""
        return {category: self.sees(category) for category in DataCategory.values}

    @property
    def restricted(self) -> bool:
        """Only part of the case is visible (a partner): pages must leave the other categories out."""
        return self.categories is not None


def sees_all(decision: Decision, categories) -> bool:
    return all(decision.sees(c) for c in categories)


DENIED_NOT_VISIBLE = _(
    "U heeft geen toegang tot deze casus. Toegang krijgt u als lid van de casus of van het team dat de casus behandelt."
)
DENIED_READ_ONLY = _("U mag deze casus inzien, maar niet wijzigen.")
DENIED_OUT_OF_SCOPE = _(
    "Dit onderdeel van de casus valt buiten het doel waarvoor u aan de casus deelneemt. U ziet alleen de gegevens "
    "die voor dat doel gedeeld mogen worden."
)
DENIED_NO_BASIS = _(
    "U bent lid van het casusteam, maar er is nu geen geldige grondslag of toestemming om gegevens van deze casus "
    "met uw organisatie te delen. Neem contact op met de regievoerder."
)
DENIED_CLIENT = _("U heeft geen toegang tot deze cliënt. Gebruik de betrokkenheidscheck om de regievoerder te vinden.")
DENIED_CLIENT_READ_ONLY = _("U mag deze cliënt inzien, maar niet wijzigen.")


def _is_professional(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def casework_team_ids(user) -> set[int]:
    return user_team_ids(user, roles=CASEWORK_ROLES)


def secrecy_team_ids(user) -> set[int]:
    """Teams where ``user`` is bound by the professional secrecy of social work (wijkcoach, regisseur)."""
    if not _is_professional(user):
        return set()
    return user_team_ids(user, roles=SECRECY_ROLES)


def is_casework_professional(user) -> bool:
    return _is_professional(user) and user_has_role(user, *CASEWORK_ROLES)


def is_partner(user) -> bool:
    return _is_professional(user) and Role.PARTNER in user_roles(user) and not user_has_role(user, *CASEWORK_ROLES)


# --- The case rule: scopes ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseScope:
    """What a user may reach, as small id sets resolved up front (two or three small queries).

    ``read_case_ids``/``read_team_ids``: cases readable by id or by team (casework); ``write_*`` the same for
    changes. ``break_glass``: case id -> (id, uuid) of the active grant.
    """

    casework: bool = False
    partner: bool = False
    member_view_ids: frozenset[int] = frozenset()
    member_change_ids: frozenset[int] = frozenset()
    team_ids: frozenset[int] = frozenset()
    break_glass: Mapping[int, tuple[int, str]] = field(default_factory=dict)

    def ids(self, *, write: bool) -> tuple[frozenset[int], frozenset[int]]:
        """(case ids, team ids) of the cases the user may read, or change with ``write``."""
        if not self.casework:
            return frozenset(), frozenset()
        if write:
            return self.member_change_ids, self.team_ids
        return self.member_view_ids | frozenset(self.break_glass), self.team_ids


def scope_covers(*, case_ids: Iterable[int], team_ids: Iterable[int], case_id: int, case_team_id: int) -> bool:
    """THE rule for casework professionals: a case is in scope by its id (member, break-the-glass) or by its
    team. ``filter_cases`` says the same in SQL (``pk IN case_ids OR team_id IN team_ids``)."""
    return case_id in case_ids or case_team_id in team_ids


def case_scope(user) -> CaseScope:
    """Resolve ``user``'s scope. Cost: one query for the object permissions and one for active grants (casework),
    none for roles without case access. Cached for the rest of a request."""
    cached = getattr(user, _SCOPE_CACHE, None) if user is not None else None
    if cached is not None:
        return cached
    scope = _load_scope(user)
    if getattr(user, REQUEST_CACHE_FLAG, False):
        setattr(user, _SCOPE_CACHE, scope)
    return scope


def forget(user) -> None:
    """Drop a cached scope, after a service changed what ``user`` may reach within the same request."""
    if user is not None and hasattr(user, _SCOPE_CACHE):
        delattr(user, _SCOPE_CACHE)


def _load_scope(user) -> CaseScope:
    if not _is_professional(user):
        return CaseScope()
    roles = user_roles(user)
    casework = bool(roles & CASEWORK_ROLES)
    partner = not casework and Role.PARTNER in roles
    if not (casework or partner):
        return CaseScope()
    view_ids: set[int] = set()
    change_ids: set[int] = set()
    for case_id, codename in CaseUserObjectPermission.objects.filter(
        user=user, permission__codename__in=(VIEW_CASE, CHANGE_CASE)
    ).values_list("content_object_id", "permission__codename"):
        (view_ids if codename == VIEW_CASE else change_ids).add(case_id)
    grants: dict[int, tuple[int, str]] = {}
    if casework:
        for case_id, grant_id, grant_uuid in active_grants(user).values_list("case_id", "pk", "uuid"):
            grants.setdefault(case_id, (grant_id, str(grant_uuid)))
    return CaseScope(
        casework=casework,
        partner=partner,
        member_view_ids=frozenset(view_ids),
        member_change_ids=frozenset(change_ids),
        team_ids=frozenset(casework_team_ids(user)) if casework else frozenset(),
        break_glass=grants,
    )


def active_grants(user, *, now=None) -> QuerySet:
    """The user's break-the-glass grants that give access now: started, not expired, not ended."""
    now = now or timezone.now()
    return BreakGlassGrant.objects.filter(
        user=user, granted_at__lte=now, expires_at__gt=now, ended_at__isnull=True
    ).order_by("-granted_at")


def active_break_glass_grant(user, case):
    return active_grants(user).filter(case=case).first()


def _scope_q(scope: CaseScope, *, write: bool, prefix: str = "") -> Q:
    case_ids, team_ids = scope.ids(write=write)
    return Q(**{f"{prefix}pk__in": sorted(case_ids)}) | Q(**{f"{prefix}team_id__in": sorted(team_ids)})


def filter_cases(user, queryset: QuerySet | None = None, *, write: bool = False) -> QuerySet:
    """The cases of ``queryset`` this user may see (or change, with ``write``). Deny by default.

    Cost: the scope (two small queries, once per request); the filter itself is ``pk IN (...) OR team_id IN
    (...)`` with literal id lists, so the planner uses the primary key and the team index instead of scanning
    every case. A partner's cases are decided case by case (they are invited to a handful).
    """
    queryset = Case.objects.all() if queryset is None else queryset
    scope = case_scope(user)
    if scope.casework:
        return queryset.filter(_scope_q(scope, write=write))
    if scope.partner and not write:
        candidates = list(Case.objects.filter(pk__in=sorted(scope.member_view_ids)).only("pk", "client", "household"))
        allowed = [pk for pk, decision in partner_decisions(user, candidates).items() if decision]
        return queryset.filter(pk__in=allowed)
    return queryset.none()


def case_decision(user, case, *, write: bool = False) -> Decision:
    """May ``user`` see (or change) ``case``, and on which basis? Costs the scope (cached per request) and,
    for a partner, the purpose check of ``partner_decisions``."""
    scope = case_scope(user)
    if scope.casework:
        task = _task(user, case)
        if case.pk in (scope.member_change_ids if write else scope.member_view_ids):
            return Decision(True, Basis.MEMBER, task)
        if case.team_id in scope.team_ids:
            return Decision(True, Basis.TEAM, task)
        grant = scope.break_glass.get(case.pk)
        if grant is not None:
            if write:
                return Decision(False, Basis.BREAK_GLASS, message=str(DENIED_READ_ONLY))
            return Decision(True, Basis.BREAK_GLASS, break_glass_grant_id=grant[0], break_glass_grant_uuid=grant[1])
        return Decision(False, message=str(DENIED_NOT_VISIBLE))
    if scope.partner and case.pk in scope.member_view_ids:
        if write:
            return Decision(False, message=str(DENIED_READ_ONLY))
        return partner_decisions(user, [case])[case.pk]
    return Decision(False, message=str(DENIED_NOT_VISIBLE))


def _current_memberships(user, case) -> list:
    cache = getattr(case, "_policy_memberships", None)
    if cache is None:
        cache = {}
        for m in CaseMember.objects.filter(case=case, valid_to__isnull=True, user__isnull=False):
            cache.setdefault(m.user_id, []).append(m)
        case._policy_memberships = cache
    return cache.get(user.pk, [])


def _task(user, case) -> str:
    memberships = _current_memberships(user, case)
    return memberships[0].task if memberships else ""


def readable_case_ids(user, case_ids: Iterable[int]) -> set[int]:
    """Which of ``case_ids`` the user may read. One query (or none for roles without case access)."""
    ids = list(case_ids)
    if not ids:
        return set()
    return set(filter_cases(user, Case.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def readable_case_uuids(user, case_uuids: Iterable) -> set[str]:
    """Which of ``case_uuids`` the user may read (as strings). One query."""
    uuids = [str(u) for u in case_uuids]
    if not uuids:
        return set()
    return {str(u) for u in filter_cases(user, Case.objects.filter(uuid__in=uuids)).values_list("uuid", flat=True)}


# --- Partners: purpose and consent -------------------------------------------------------------


def _shareable_purposes(organisation) -> dict[int, Purpose]:
    """Active purposes that may be shared with the organisation's kind (one small query)."""
    if organisation is None:
        return {}
    return {p.pk: p for p in Purpose.objects.active() if p.shares_with(organisation.type)}


def _clients_of(cases: list) -> dict[int, set[int]]:
    """Per case: its client and the current members of its household. One query for all households."""
    clients_of = {c.pk: {c.client_id} if c.client_id else set() for c in cases}
    household_cases: dict[int, list[int]] = {}
    for case in cases:
        if case.household_id:
            household_cases.setdefault(case.household_id, []).append(case.pk)
    if household_cases:
        for household_id, client_id in (
            HouseholdMember.objects.current()
            .filter(household_id__in=list(household_cases))
            .values_list("household_id", "client_id")
        ):
            for case_id in household_cases[household_id]:
                clients_of[case_id].add(client_id)
    return clients_of


def case_client_ids(case) -> list[int]:
    """The case's client and the current members of its household."""
    return sorted(_clients_of([case])[case.pk])


def _purpose_decisions(organisation, memberships: Iterable, cases: list, *, user=None) -> dict[int, Decision]:
    """THE partner rule, for a batch of cases: per case, the decision of the first of ``memberships`` (current
    memberships of one user, or of one contact without an account) whose purpose covers the case.

    Cost: at most three small queries (purposes, household members, consents), none per case.
    """
    purposes = _shareable_purposes(organisation)
    by_case: dict[int, list] = {}
    for membership in memberships:
        if membership.purpose_id in purposes:
            by_case.setdefault(membership.case_id, []).append(membership)
    consent_purposes = {m.purpose_id for ms in by_case.values() for m in ms if purposes[m.purpose_id].needs_consent}
    clients_of: dict[int, set[int]] = {}
    consents: dict[tuple[int, int], int] = {}
    if consent_purposes:
        clients_of = _clients_of([c for c in cases if c.pk in by_case])
        all_clients = set().union(*clients_of.values()) if clients_of else set()
        for consent_id, purpose_id, client_id in (
            Consent.objects.valid()
            .for_recipient(organisation)
            .filter(purpose_id__in=consent_purposes, client_id__in=all_clients)
            .order_by("given_at", "id")
            .values_list("pk", "purpose_id", "client_id")
        ):
            consents[(purpose_id, client_id)] = consent_id  # the latest wins
    decisions = {}
    for case in cases:
        memberships_here = by_case.get(case.pk, [])
        decisions[case.pk] = Decision(
            False,
            basis=Basis.PURPOSE,
            task=memberships_here[0].task if memberships_here else "",
            message=str(DENIED_NO_BASIS),
        )
        for membership in memberships_here:
            purpose = purposes[membership.purpose_id]
            consent_id = None
            if purpose.needs_consent:
                consent_id = next(
                    (
                        consents[(purpose.pk, c)]
                        for c in sorted(clients_of.get(case.pk, ()))
                        if (purpose.pk, c) in consents
                    ),
                    None,
                )
                if consent_id is None:
                    continue
            decisions[case.pk] = Decision(
                True,
                Basis.PURPOSE,
                membership.task,
                categories=purpose.usable_categories(),
                purpose_id=purpose.pk,
                purpose_code=purpose.code,
                legal_basis=purpose.legal_basis,
                consent_id=consent_id,
                organisation_id=organisation.pk,
            )
            break
    return decisions


def partner_decisions(user, cases) -> dict:
    """Per case a partner is invited to: the decision of the purpose of their membership, with the consent it
    rests on (denied with ``DENIED_NO_BASIS`` when no purpose covers it). At most four small queries for the
    whole list, none per row."""
    cases = list(cases)
    if not _is_professional(user) or not cases:
        return {c.pk: Decision(False, message=str(DENIED_NOT_VISIBLE)) for c in cases}
    scope = case_scope(user)
    invited = [c for c in cases if c.pk in scope.member_view_ids]
    memberships = CaseMember.objects.filter(case__in=[c.pk for c in invited], user=user, valid_to__isnull=True)
    decisions = _purpose_decisions(user.organisation, memberships, invited, user=user) if invited else {}
    for case in cases:
        decisions.setdefault(case.pk, Decision(False, message=str(DENIED_NOT_VISIBLE)))
    return decisions


def partner_basis(user, case, membership, *, organisation=None):
    """(purpose, consent id or None) when ``membership``'s purpose covers ``case`` for this partner (or, for a
    contact without an account, for ``organisation``), else None. The same rule as ``partner_decisions``."""
    organisation = organisation or user.organisation
    decision = _purpose_decisions(organisation, [membership], [case])[case.pk]
    if not decision:
        return None
    return Purpose.objects.get(pk=decision.purpose_id), decision.consent_id


# --- Roles without a case ----------------------------------------------------------------------


def may_open_case_in_team(user, team) -> bool:
    return is_casework_professional(user) and team.pk in casework_team_ids(user)


def may_view_reports(user) -> bool:
    """The periodic progress reports (aggregates only): beleid, and the teamleider for their teams' work."""
    return _is_professional(user) and user_has_role(user, Role.BELEID, Role.TEAMLEIDER)


def may_generate_reports(user) -> bool:
    """Drawing up a report on demand and approving obstacle descriptions for it: beleid only."""
    return _is_professional(user) and user_has_role(user, Role.BELEID)


def may_review_obstacles(user) -> bool:
    """Beleid reads obstacle descriptions (masked free text from a workplan, without the case) to approve them for
    publication in the report. Every read is logged against the case it came from."""
    return may_generate_reports(user)


def dashboard_team_ids(user) -> set[int]:
    """The teams whose dashboard (caseloads with names) a user may see: the teams they lead."""
    if not _is_professional(user):
        return set()
    return user_team_ids(user, roles={Role.TEAMLEIDER})


def may_view_dashboard(user) -> bool:
    return bool(dashboard_team_ids(user))


def may_break_glass(user) -> bool:
    """Only professionals of the municipality with a casework role may break the glass."""
    return is_casework_professional(user) and bool(user.organisation and user.organisation.is_municipality)


def is_privacy_officer(user) -> bool:
    return _is_professional(user) and user_has_role(user, Role.FG)


def is_approver(user) -> bool:
    """Teamleiders decide four-eyes requests (plan adoption, case closure) of their teams."""
    return bool(dashboard_team_ids(user))


def may_work_with_meetings(user) -> bool:
    return is_casework_professional(user) or is_partner(user)


# --- Clients and households ----------------------------------------------------------------------


def _cases_with_clients(cases: QuerySet) -> tuple[QuerySet, QuerySet]:
    today = timezone.localdate()
    direct = cases.filter(client__isnull=False).values("client_id")
    household = HouseholdMember.objects.current(today).filter(household__cases__in=cases).values("client_id")
    return direct, household


def _no_case_yet_q() -> Q:
    """A client with no case of their own and none of a household they belong to now."""
    households = HouseholdMember.objects.current().filter(client_id=OuterRef("pk")).values("household_id")
    return ~Exists(Case.objects.filter(client_id=OuterRef("pk"))) & ~Exists(
        Case.objects.filter(household_id__in=households)
    )


def filter_clients(user, queryset: QuerySet | None = None, *, write: bool = False) -> QuerySet:
    """Clients of a case the user may read (or change, with ``write``): its client or a current member of its
    household; and clients registered by the user's team (to read always, to change only before any case).

    Nothing else widens it: a signal the user's team recorded about a client does not, nor did it ever
    let a break-the-glass reader keep the client after the grant ended. Partners see clients only within a case.
    """
    queryset = Client.objects.all() if queryset is None else queryset
    scope = case_scope(user)
    if not scope.casework:
        return queryset.none()
    direct, household = _cases_with_clients(filter_cases(user, write=write))
    allowed = Q(pk__in=direct) | Q(pk__in=household)
    registered = Q(registered_by_team_id__in=sorted(scope.team_ids))
    allowed |= (registered & _no_case_yet_q()) if write else registered
    return queryset.filter(allowed)


def client_decision(user, client, *, write: bool = False) -> Decision:
    if filter_clients(user, Client.objects.filter(pk=client.pk), write=write).exists():
        return Decision(True, Basis.TEAM)
    if write and filter_clients(user, Client.objects.filter(pk=client.pk)).exists():
        return Decision(False, Basis.TEAM, message=str(DENIED_CLIENT_READ_ONLY))
    return Decision(False, message=str(DENIED_CLIENT))


def filter_households(user, queryset: QuerySet | None = None, *, write: bool = False) -> QuerySet:
    """Households of a case the user may read (or change); and households registered by the user's team (to
    read always, to change only before their first case)."""
    queryset = Household.objects.all() if queryset is None else queryset
    scope = case_scope(user)
    if not scope.casework:
        return queryset.none()
    allowed = Q(pk__in=filter_cases(user, write=write).filter(household__isnull=False).values("household_id"))
    registered = Q(registered_by_team_id__in=sorted(scope.team_ids))
    if write:
        registered &= ~Exists(Case.objects.filter(household_id=OuterRef("pk")))
    return queryset.filter(allowed | registered)


def household_decision(user, household, *, write: bool = False) -> Decision:
    if filter_households(user, Household.objects.filter(pk=household.pk), write=write).exists():
        return Decision(True, Basis.TEAM)
    if write and filter_households(user, Household.objects.filter(pk=household.pk)).exists():
        return Decision(False, Basis.TEAM, message=str(_("U mag dit huishouden inzien, maar niet wijzigen.")))
    return Decision(False, message=str(DENIED_NOT_VISIBLE))


# --- Signals ------------------------------------------------------------------------------------


def filter_signals(user, queryset: QuerySet | None = None) -> QuerySet:
    """Signals land in a team's inbox; every casework professional of that team sees them, and whoever may
    read the case a signal was attached to sees it with that case."""
    queryset = Signal.objects.all() if queryset is None else queryset
    scope = case_scope(user)
    if not scope.casework:
        return queryset.none()
    return queryset.filter(Q(team_id__in=sorted(scope.team_ids)) | Q(case__in=filter_cases(user)))


def may_triage_signal(user, signal) -> bool:
    """Triage and follow-up belong to the team whose inbox the signal is in."""
    return is_casework_professional(user) and signal.team_id in casework_team_ids(user)


def may_record_signal(user, team) -> bool:
    return may_open_case_in_team(user, team)


# --- Involvement lookup (Verwijsindex-like) -----------------------------------------------------


def may_lookup_involvement(user) -> bool:
    """Every professional of the municipality may ask whether a client has a coordinated case."""
    return is_casework_professional(user) and bool(user.organisation and user.organisation.is_municipality)


def registering_team(user, team_uuid=None):
    """The team a new client or household is registered for: the given one if it is one of
    the user's casework teams, else the user's only casework team. ``None`` when ambiguous."""
    team_ids = casework_team_ids(user)
    if team_uuid:
        return Team.objects.filter(uuid=team_uuid, pk__in=team_ids).first()
    if len(team_ids) == 1:
        return Team.objects.get(pk=next(iter(team_ids)))
    return None


# --- Professional secrecy (beroepsgeheim) ------------------------------------------------------


def secrecy_q(user, prefix: str = "") -> Q:
    """Records under professional secrecy (``restricted``) are for those bound by the same secrecy: the author,
    and the wijkcoaches and regisseurs of the author's team. Never a klantmanager or werkcoach, never another
    organisation (ADR 0005). Unrestricted records pass."""
    if not _is_professional(user):
        return Q(**{f"{prefix}restricted": False})
    return (
        Q(**{f"{prefix}restricted": False})
        | Q(**{f"{prefix}professional_id": user.pk})
        | Q(**{f"{prefix}author_team_id__in": sorted(secrecy_team_ids(user))})
    )


def may_read_restricted(user, *, author_id: int | None, author_team_id: int | None) -> bool:
    """``secrecy_q`` for one record already copied out of the database (a frozen handover summary)."""
    if not _is_professional(user):
        return False
    return (author_id is not None and author_id == user.pk) or (
        author_team_id is not None and author_team_id in secrecy_team_ids(user)
    )


def filter_contact_moments(
    user, queryset: QuerySet | None = None, *, decision: Decision | None = None, case_checked: bool = False
) -> QuerySet:
    """Contact moments of cases the user may read, without the notes under a secrecy they are not bound by.

    ``case_checked``: ``queryset`` holds the contacts of one case already decided (``decision``); for a
    partner's decision only the categories of their purpose remain.
    """
    queryset = ContactMoment.objects.all() if queryset is None else queryset
    queryset = queryset.filter(secrecy_q(user))
    if decision is not None:
        queryset = queryset.filter(category_filter(decision))
    if not case_checked:
        queryset = queryset.filter(case__in=filter_cases(user))
    return queryset


def last_contact_q(user) -> Q:
    """Which contacts count for the "last contact" a user is shown: those the user may read."""
    return secrecy_q(user)


def may_record_restricted_note(user) -> bool:
    """Only professionals bound by the secrecy of social work may mark a note "beroepsgeheim"."""
    return bool(secrecy_team_ids(user))


# --- Casusoverleg minutes -----------------------------------------------------------------------


def may_receive_case_minutes(*, case, user=None, contact_email: str = "") -> Decision:
    """May a meeting participant see (and be sent) the agenda item of ``case``, and which categories of it?

    A professional with an account: as the policy lets them see the case. A contact without an account: only as a
    current member of the case team with that e-mail address (a municipal contact sees what the team sees; a
    partner contact what their membership's purpose covers).
    """
    if user is not None:
        return case_decision(user, case)
    if not contact_email:
        return Decision(False, message=str(DENIED_NOT_VISIBLE))
    members = list(
        CaseMember.objects.filter(
            case=case, valid_to__isnull=True, user__isnull=True, contact_email__iexact=contact_email
        ).select_related("organisation")
    )
    if not members:
        return Decision(False, message=str(DENIED_NOT_VISIBLE))
    if members[0].organisation.is_municipality:
        return Decision(True, Basis.MEMBER, members[0].task)
    return _purpose_decisions(members[0].organisation, members, [case])[case.pk]


def category_filter(decision: Decision, prefix: str = "") -> Q:
    """Records of a case whose ``category`` the decision covers (all for the municipality's own staff)."""
    if decision.categories is None:
        return Q()
    return Q(**{f"{prefix}category__in": sorted(decision.categories)})
