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

A partner professional sees a case only as a case member, and never
changes it. ``beleid``, ``fg`` and ``beheerder`` see no case content.

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


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: str = ""
    task: str = ""
    message: str = ""
    break_glass_grant_id: int | None = None

    def __bool__(self) -> bool:
        return self.allowed


DENIED_NOT_VISIBLE = _(
    "U heeft geen toegang tot deze casus. Toegang krijgt u als lid van de casus of van het team dat de casus behandelt."
)
DENIED_READ_ONLY = _("U mag deze casus inzien, maar niet wijzigen.")


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
        allowed |= Q(pk__in=_member_subquery(user, VIEW_CASE))
    return queryset.filter(allowed)


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
        return Decision(True, Basis.MEMBER, membership.task)
    return Decision(False, message=str(DENIED_NOT_VISIBLE))


def _current_membership(user, case):
    cache = getattr(case, "_policy_memberships", None)
    if cache is None:
        cache = {
            m.user_id: m
            for m in _model("CaseMember").objects.filter(case=case, valid_to__isnull=True, user__isnull=False)
        }
        case._policy_memberships = cache
    return cache.get(user.pk)


def active_break_glass_grant(user, case):
    grant_model = apps.get_model("consent", "BreakGlassGrant")
    now = timezone.now()
    return grant_model.objects.filter(user=user, case=case, granted_at__lte=now, expires_at__gt=now).first()


def may_open_case_in_team(user, team) -> bool:
    return is_casework_professional(user) and team.pk in casework_team_ids(user)


def may_break_glass(user) -> bool:
    """Only professionals of the municipality with a casework role may break the glass."""
    return is_casework_professional(user) and bool(user.organisation and user.organisation.is_municipality)


# --- Clients and households -----------------------------------------------------


def filter_clients(user, queryset: QuerySet | None = None) -> QuerySet:
    """Clients of a visible case (directly, or as current household member), named in a signal of my
    team, or registered by my team (so a newly recorded client is reachable before a case exists)."""
    client_model = _model("Client")
    queryset = client_model.objects.all() if queryset is None else queryset
    if not _is_professional(user):
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
    if not _is_professional(user):
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
        return bool(case_decision(user, case))
    if not contact_email:
        return False
    member_model = _model("CaseMember")
    return member_model.objects.filter(
        case=case, valid_to__isnull=True, user__isnull=True, contact_email__iexact=contact_email
    ).exists()
