"""The one access decision point (DESIGN.md, "One access decision point").

Every page, API endpoint, export, list and search asks this module whether a
user may see or change a case or a client, and on which basis. Lists are
filtered by the same rules as detail pages (``filter_cases``,
``filter_clients``), so a search never shows what a detail page would refuse.

A professional sees and changes a case when they are

1. a current member of the case (object permission from django-guardian,
   granted and revoked by the case-membership services), or
2. a member of the owning team with a team role (wijkcoach, klantmanager,
   werkcoach, regisseur, teamleider), or
3. holder of an active break-the-glass grant (read only).

A partner professional (outside the municipality) sees a case only when
invited as a case member AND the purpose of that membership covers it:
the purpose is active and may be shared with their kind of organisation,
and, for a consent-based purpose, one of the case's clients gave a consent
for that purpose and recipient that is given, not expired and not
withdrawn. They see only the purpose's data categories
(``Decision.categories``; special and criminal data only with their art. 9
or art. 10 ground) and never change the case. ``beleid``, ``fg`` and
``beheerder`` see no case content.

This module refers to the cases app through ``apps.get_model`` and field
paths only, so that ``consent`` does not import ``cases`` (layers).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import CASEWORK_ROLES, Role
from accounts.selectors import user_has_role, user_roles, user_team_ids

VIEW_CASE = "view_case"
CHANGE_CASE = "change_case"


class Basis:
    MEMBER = "member"
    TEAM = "team"
    BREAK_GLASS = "break_glass"
    PURPOSE = "purpose"  # a partner, through the purpose of their case membership


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: str = ""
    task: str = ""
    message: str = ""
    break_glass_grant_id: int | None = None
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
        from .constants import DataCategory

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


def _model(name: str):
    return apps.get_model("cases", name)


def _is_professional(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def casework_team_ids(user) -> set[int]:
    return user_team_ids(user, roles=CASEWORK_ROLES)


def is_casework_professional(user) -> bool:
    return _is_professional(user) and user_has_role(user, *CASEWORK_ROLES)


def is_partner(user) -> bool:
    return _is_professional(user) and Role.PARTNER in user_roles(user) and not user_has_role(user, *CASEWORK_ROLES)


def _member_subquery(user, codename: str):
    permission_model = _model("CaseUserObjectPermission")
    return permission_model.objects.filter(user=user, permission__codename=codename).values("content_object_id")


# --- Cases ------------------------------------------------------------------------


def filter_cases(user, queryset: QuerySet | None = None, *, write: bool = False) -> QuerySet:
    """The cases of ``queryset`` this user may see (or change, with ``write``). Deny by default.

    Cost: adds subqueries to the query, no extra round trip.
    """
    case_model = _model("Case")
    queryset = case_model.objects.all() if queryset is None else queryset
    if not _is_professional(user):
        return queryset.none()
    roles = user_roles(user)
    allowed = Q(pk__in=[])
    if roles & CASEWORK_ROLES:
        allowed |= Q(pk__in=_member_subquery(user, CHANGE_CASE if write else VIEW_CASE))
        allowed |= Q(team_id__in=casework_team_ids(user))
        if not write:
            grant_model = apps.get_model("consent", "BreakGlassGrant")
            now = timezone.now()
            allowed |= Q(
                Exists(
                    grant_model.objects.filter(case=OuterRef("pk"), user=user, granted_at__lte=now, expires_at__gt=now)
                )
            )
    elif Role.PARTNER in roles and not write:
        allowed |= Q(pk__in=_member_subquery(user, VIEW_CASE)) & _partner_basis_q(user)
    return queryset.filter(allowed)


def _shareable_purposes(user=None, *, organisation=None) -> dict:
    """Active purposes that may be shared with the organisation's kind (one small query)."""
    organisation = organisation or getattr(user, "organisation", None)
    if organisation is None:
        return {}
    purpose_model = apps.get_model("consent", "Purpose")
    return {p.pk: p for p in purpose_model.objects.active() if p.shares_with(organisation.type)}


def _partner_basis_q(user) -> Q:
    """Set-based version of ``partner_basis``: an open membership whose purpose covers the case."""
    purposes = _shareable_purposes(user)
    if not purposes:
        return Q(pk__in=[])
    public_ids = [pk for pk, p in purposes.items() if not p.needs_consent]
    consent_ids = [pk for pk, p in purposes.items() if p.needs_consent]
    members = _model("CaseMember").objects.filter(case=OuterRef("pk"), user=user, valid_to__isnull=True)
    household_clients = (
        _model("HouseholdMember")
        .objects.current()
        .filter(household_id=OuterRef(OuterRef(OuterRef("household_id"))))
        .values("client_id")
    )
    consents = (
        apps.get_model("consent", "Consent")
        .objects.valid()
        .for_recipient(user.organisation)
        .filter(purpose_id=OuterRef("purpose_id"))
        .filter(Q(client_id=OuterRef(OuterRef("client_id"))) | Q(client_id__in=household_clients))
    )
    return Q(Exists(members.filter(purpose_id__in=public_ids))) | Q(
        Exists(members.filter(purpose_id__in=consent_ids).filter(Exists(consents)))
    )


def case_client_ids(case) -> list[int]:
    """The case's client and the current members of its household."""
    ids = [case.client_id] if case.client_id else []
    if case.household_id:
        ids += list(
            _model("HouseholdMember")
            .objects.current()
            .filter(household_id=case.household_id)
            .values_list("client_id", flat=True)
        )
    return ids


def partner_basis(user, case, membership, *, organisation=None):
    """(purpose, consent or None) when the membership's purpose covers the case for this partner
    (or, for a contact without an account, for ``organisation``), else None."""
    organisation = organisation or user.organisation
    purpose = _shareable_purposes(organisation=organisation).get(membership.purpose_id)
    if purpose is None:
        return None
    if not purpose.needs_consent:
        return purpose, None
    consent = (
        apps.get_model("consent", "Consent")
        .objects.valid()
        .for_recipient(organisation)
        .filter(purpose=purpose, client_id__in=case_client_ids(case))
        .order_by("-given_at")
        .first()
    )
    if consent is None:
        return None
    return purpose, consent


def case_decision(user, case, *, write: bool = False) -> Decision:
    """May ``user`` see (or change) ``case``, and on which basis? Costs at most three small queries."""
    if not _is_professional(user):
        return Decision(False, message=str(DENIED_NOT_VISIBLE))
    roles = user_roles(user)
    membership = _current_membership(user, case)
    if roles & CASEWORK_ROLES:
        if membership is not None and user.has_perm(f"cases.{CHANGE_CASE if write else VIEW_CASE}", case):
            return Decision(True, Basis.MEMBER, membership.task)
        if case.team_id in casework_team_ids(user):
            return Decision(True, Basis.TEAM, membership.task if membership else "")
        grant = active_break_glass_grant(user, case)
        if grant is not None:
            if write:
                return Decision(False, message=str(DENIED_READ_ONLY))
            return Decision(True, Basis.BREAK_GLASS, break_glass_grant_id=grant.pk)
        return Decision(False, message=str(DENIED_NOT_VISIBLE))
    if Role.PARTNER in roles and membership is not None and user.has_perm(f"cases.{VIEW_CASE}", case):
        if write:
            return Decision(False, message=str(DENIED_READ_ONLY))
        # Any current membership whose purpose covers the case will do (the same rule as ``filter_cases``).
        for candidate in _current_memberships(user, case):
            basis = partner_basis(user, case, candidate)
            if basis is not None:
                purpose, consent = basis
                return _purpose_decision(user, candidate, purpose, consent.pk if consent else None)
        return Decision(False, basis=Basis.PURPOSE, task=membership.task, message=str(DENIED_NO_BASIS))
    return Decision(False, message=str(DENIED_NOT_VISIBLE))


def _purpose_decision(user, membership, purpose, consent_id: int | None) -> Decision:
    """A partner's read access through the purpose of their membership: only the purpose's categories."""
    return Decision(
        True,
        Basis.PURPOSE,
        membership.task,
        categories=purpose.usable_categories(),
        purpose_id=purpose.pk,
        purpose_code=purpose.code,
        legal_basis=purpose.legal_basis,
        consent_id=consent_id,
        organisation_id=user.organisation_id,
    )


def _current_memberships(user, case) -> list:
    cache = getattr(case, "_policy_memberships", None)
    if cache is None:
        cache = {}
        for m in _model("CaseMember").objects.filter(case=case, valid_to__isnull=True, user__isnull=False):
            cache.setdefault(m.user_id, []).append(m)
        case._policy_memberships = cache
    return cache.get(user.pk, [])


def _current_membership(user, case):
    memberships = _current_memberships(user, case)
    return memberships[0] if memberships else None


def active_break_glass_grant(user, case):
    grant_model = apps.get_model("consent", "BreakGlassGrant")
    now = timezone.now()
    return grant_model.objects.filter(user=user, case=case, granted_at__lte=now, expires_at__gt=now).first()


def may_open_case_in_team(user, team) -> bool:
    return is_casework_professional(user) and team.pk in casework_team_ids(user)


def may_view_reports(user) -> bool:
    """The periodic progress reports (aggregates only): beleid, and the teamleider for their teams' work."""
    return _is_professional(user) and user_has_role(user, Role.BELEID, Role.TEAMLEIDER)


def may_generate_reports(user) -> bool:
    """Drawing up a report on demand and approving obstacle descriptions for it: beleid only."""
    return _is_professional(user) and user_has_role(user, Role.BELEID)


def may_review_obstacles(user) -> bool:
    """Beleid reads obstacle descriptions (free text from a workplan, without the case) to approve them for
    publication in the report. Every read is logged against the case it came from."""
    return may_generate_reports(user)


def dashboard_team_ids(user) -> set[int]:
    """The teams whose dashboard (caseloads with names) a user may see: the teams they lead."""
    if not _is_professional(user):
        return set()
    return user_team_ids(user, roles={Role.TEAMLEIDER})


def may_break_glass(user) -> bool:
    """Only professionals of the municipality with a casework role may break the glass."""
    return is_casework_professional(user) and bool(user.organisation and user.organisation.is_municipality)


# --- Clients and households -----------------------------------------------------


def filter_clients(user, queryset: QuerySet | None = None) -> QuerySet:
    """Clients of a visible case (directly, or as current household member), named in a signal of my
    team, or registered by my team (so a newly recorded client is reachable before a case exists)."""
    client_model = _model("Client")
    queryset = client_model.objects.all() if queryset is None else queryset
    if not _is_professional(user) or is_partner(user):
        # A partner sees a client only within a case, and only the categories of their purpose.
        return queryset.none()
    visible_cases = filter_cases(user)
    today = timezone.localdate()
    member_model = _model("HouseholdMember")
    in_visible_household = member_model.objects.filter(
        Q(valid_from__lte=today),
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        household__cases__in=visible_cases,
    ).values("client_id")
    allowed = Q(pk__in=visible_cases.filter(client__isnull=False).values("client_id")) | Q(pk__in=in_visible_household)
    if is_casework_professional(user):
        allowed |= Q(registered_by_team_id__in=casework_team_ids(user))
        signal_model = _model("Signal")
        allowed |= Q(
            pk__in=signal_model.objects.filter(team_id__in=casework_team_ids(user), client__isnull=False).values(
                "client_id"
            )
        )
    return queryset.filter(allowed)


def client_decision(user, client) -> Decision:
    if filter_clients(user, _model("Client").objects.filter(pk=client.pk)).exists():
        return Decision(True, Basis.TEAM)
    return Decision(
        False,
        message=str(
            _("U heeft geen toegang tot deze cliënt. Gebruik de betrokkenheidscheck om de regievoerder te vinden.")
        ),
    )


def filter_households(user, queryset: QuerySet | None = None) -> QuerySet:
    """Households of a visible case, or registered by my team (before their first case)."""
    household_model = _model("Household")
    queryset = household_model.objects.all() if queryset is None else queryset
    if not _is_professional(user) or is_partner(user):
        return queryset.none()
    allowed = Q(pk__in=filter_cases(user).filter(household__isnull=False).values("household_id"))
    if is_casework_professional(user):
        allowed |= Q(registered_by_team_id__in=casework_team_ids(user))
    return queryset.filter(allowed)


# --- Signals --------------------------------------------------------------------


def filter_signals(user, queryset: QuerySet | None = None) -> QuerySet:
    """Signals land in a team's inbox; every casework professional of that team sees them."""
    signal_model = _model("Signal")
    queryset = signal_model.objects.all() if queryset is None else queryset
    if not is_casework_professional(user):
        return queryset.none()
    return queryset.filter(team_id__in=casework_team_ids(user))


def may_record_signal(user, team) -> bool:
    return may_open_case_in_team(user, team)


# --- Involvement lookup (Verwijsindex-like) ---------------------------------------


def may_lookup_involvement(user) -> bool:
    """Every professional of the municipality may ask whether a client has a coordinated case."""
    return is_casework_professional(user) and bool(user.organisation and user.organisation.is_municipality)


def registering_team(user, team_uuid=None):
    """The team a new client or household is registered for: the given one if it is one of
    the user's casework teams, else the user's only casework team. ``None`` when ambiguous."""
    team_ids = casework_team_ids(user)
    team_model = apps.get_model("accounts", "Team")
    if team_uuid:
        return team_model.objects.filter(uuid=team_uuid, pk__in=team_ids).first()
    if len(team_ids) == 1:
        return team_model.objects.get(pk=next(iter(team_ids)))
    return None


# --- Casusoverleg minutes ---------------------------------------------------------


def may_receive_case_minutes(*, case, user=None, contact_email: str = "") -> bool:
    """May a meeting participant see (and be sent) the agenda item of ``case``?

    A professional with an account: when the policy lets them see the case
    (case member, or a team role in the owning team). A contact without an
    account: only as a current member of the case team with that e-mail address.
    """
    if user is not None:
        decision = case_decision(user, case)
        # Minutes hold free text of the case: only for those who may see the notes.
        return decision.sees("notities")
    if not contact_email:
        return False
    member_model = _model("CaseMember")
    member = (
        member_model.objects.filter(
            case=case, valid_to__isnull=True, user__isnull=True, contact_email__iexact=contact_email
        )
        .select_related("organisation")
        .first()
    )
    if member is None:
        return False
    if member.organisation.is_municipality:
        return True
    basis = partner_basis(None, case, member, organisation=member.organisation)
    return basis is not None and "notities" in basis[0].usable_categories()


# --- Restricted notes (beroepsgeheim) ----------------------------------------------


def filter_contact_moments(user, queryset: QuerySet) -> QuerySet:
    """Leave out notes under professional secrecy of another organisation, and all notes for whom the
    case's notes are out of scope. Applies to pages, the API, exports and minutes alike."""
    organisation_id = getattr(user, "organisation_id", None)
    return queryset.filter(Q(restricted=False) | Q(restricted=True, author_organisation_id=organisation_id))


def partner_decisions(user, cases) -> dict:
    """Per case of a list a partner may see (already filtered by ``filter_cases``): the decision of
    the purpose of their membership, with the consent it rests on. At most four small queries for the
    whole page (purposes, memberships, household members, consents), none per row."""
    purposes = _shareable_purposes(user)
    memberships = list(
        _model("CaseMember").objects.filter(
            case__in=[c.pk for c in cases], user=user, valid_to__isnull=True, purpose_id__in=list(purposes)
        )
    )
    by_case: dict[int, list] = {}
    for membership in memberships:
        by_case.setdefault(membership.case_id, []).append(membership)
    consent_purposes = {m.purpose_id for m in memberships if purposes[m.purpose_id].needs_consent}
    clients_of = {c.pk: {c.client_id} if c.client_id else set() for c in cases}
    consents: dict[tuple[int, int], int] = {}
    if consent_purposes:
        household_cases = {c.household_id: c.pk for c in cases if c.household_id}
        if household_cases:
            for household_id, client_id in (
                _model("HouseholdMember")
                .objects.current()
                .filter(household_id__in=list(household_cases))
                .values_list("household_id", "client_id")
            ):
                for case in cases:
                    if case.household_id == household_id:
                        clients_of[case.pk].add(client_id)
        all_clients = set().union(*clients_of.values()) if clients_of else set()
        for consent_id, purpose_id, client_id in (
            apps.get_model("consent", "Consent")
            .objects.valid()
            .for_recipient(user.organisation)
            .filter(purpose_id__in=consent_purposes, client_id__in=all_clients)
            .order_by("given_at")
            .values_list("pk", "purpose_id", "client_id")
        ):
            consents[(purpose_id, client_id)] = consent_id  # the latest wins
    decisions = {}
    for case in cases:
        decisions[case.pk] = Decision(False, message=str(DENIED_NO_BASIS))
        for membership in by_case.get(case.pk, []):
            purpose = purposes[membership.purpose_id]
            consent_id = None
            if purpose.needs_consent:
                consent_id = next(
                    (consents[(purpose.pk, c)] for c in clients_of[case.pk] if (purpose.pk, c) in consents), None
                )
                if consent_id is None:
                    continue
            decisions[case.pk] = _purpose_decision(user, membership, purpose, consent_id)
            break
    return decisions
