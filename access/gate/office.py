"""Choke points of the offices that see no case as such: the privacy officer's (FG) registers and subject
access, and beleid's review of obstacle descriptions. Their pages are declared for their role
(``access.declarations``); what they read of a person is handed out and logged here.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from access import log as access_log
from access import policy
from accounts.models import User
from cases.models import Case, Client
from consent import services as consent_services
from consent.constants import AccessAction
from consent.models import AccessLogEntry, BreakGlassGrant, Consent, CorrectionRequest, Disclosure, LegalHold
from workplans.models import Obstacle

from .core import consulted, logged, not_found

PRIVACY = "privacy"
REPORT = "report"


def _fg(request) -> None:
    consulted(request, PRIVACY)
    if not policy.is_privacy_officer(request.user):
        raise not_found(request, PRIVACY, detail="privacy office")


# --- Access log ----------------------------------------------------------------------------------


def access_log_entries(request) -> QuerySet:
    """The access log, newest first (the FG's search narrows it)."""
    _fg(request)
    return AccessLogEntry.objects.select_related("user__organisation", "case", "client").order_by("-at", "-id")


def clients_searched_in_log(request, *, bsn: str = "", name: str = "") -> list[int]:
    """Ids of the clients an FG looks up in the access log (at most 200); the look-up is itself logged as a
    search for personal data."""
    _fg(request)
    clients = Client.objects.all()
    if bsn:
        clients = clients.filter(bsn=bsn)
    else:
        for word in name.split():
            clients = clients.filter(Q(family_name__icontains=word) | Q(given_names__icontains=word))
    client_ids = list(clients.values_list("pk", flat=True)[:200])
    access_log.record(
        request, AccessAction.SEARCH, clients=client_ids, detail="toegangslog: bsn" if bsn else "toegangslog: naam"
    )
    return client_ids


def cases_of_clients(client_ids: list[int]) -> QuerySet:
    """ "Who looked at X" includes the cases of X and of X's household (most case pages log the case only)."""
    return Case.objects.filter(Q(client_id__in=client_ids) | Q(household__memberships__client_id__in=client_ids))


def denied_entries(request) -> QuerySet:
    _fg(request)
    return AccessLogEntry.objects.filter(action=AccessAction.DENIED)


def users_by_id(ids) -> dict:
    return User.objects.select_related("organisation").in_bulk([i for i in ids if i])


# --- Break-the-glass -----------------------------------------------------------------------------


def break_glass_grants(request) -> QuerySet:
    _fg(request)
    return BreakGlassGrant.objects.select_related("user__organisation", "case", "reviewed_by", "ended_by")


def break_glass_grant(request, grant_uuid) -> BreakGlassGrant:
    grant = break_glass_grants(request).filter(uuid=grant_uuid).first()
    if grant is None:
        raise not_found(request, PRIVACY)
    return grant


def grant_use(request, grant: BreakGlassGrant) -> list[AccessLogEntry]:
    """What the grantee did with a grant: their log entries on the case while it gave access."""
    _fg(request)
    return list(
        AccessLogEntry.objects.filter(
            user_id=grant.user_id, case_id=grant.case_id, at__gte=grant.granted_at, at__lte=grant.ends_at
        )
        .select_related("client")
        .order_by("at", "id")[:200]
    )


def own_grant(request, grant_uuid) -> BreakGlassGrant:
    """A break-the-glass grant of the user themselves (to end it early)."""
    consulted(request, PRIVACY)
    grant = BreakGlassGrant.objects.select_related("case").filter(uuid=grant_uuid, user=request.user).first()
    if grant is None:
        raise not_found(request, PRIVACY)
    return grant


# --- Registers -----------------------------------------------------------------------------------


def consent_register(request) -> QuerySet:
    _fg(request)
    return logged(
        request,
        Consent.objects.select_related(
            "client", "purpose", "recipient_organisation", "recorded_by", "withdrawn_recorded_by"
        ).order_by("-given_at", "-id"),
        kind=PRIVACY,
        detail="toestemmingenregister",
        client_of=lambda consent: consent.client_id,
    )


def disclosure_register(request) -> QuerySet:
    _fg(request)
    return logged(
        request,
        Disclosure.objects.select_related(
            "case", "client", "recipient_organisation", "recipient_user", "purpose", "disclosed_by"
        ).order_by("-at", "-id"),
        kind=PRIVACY,
        detail="verstrekkingenregister",
        client_of=lambda disclosure: disclosure.client_id,
    )


def privacy_counts(request) -> dict:
    _fg(request)
    return {
        "pending_reviews": BreakGlassGrant.objects.filter(reviewed_at__isnull=True).count(),
        "open_corrections": CorrectionRequest.objects.filter(status=CorrectionRequest.Status.OPEN).count(),
        "active_holds": LegalHold.objects.filter(lifted_at__isnull=True).count(),
    }


# --- Subject access ------------------------------------------------------------------------------


def subject_by_bsn(request, bsn: str) -> Client | None:
    """The client an FG searches for a subject access request; the search is logged."""
    _fg(request)
    client = Client.objects.filter(bsn=bsn).first()
    access_log.record(request, AccessAction.SEARCH, client=client, detail="inzage: bsn")
    return client


def subject(request, client_uuid, *, detail: str = "") -> Client:
    """The client of a subject access request (FG only); logged as a view when ``detail`` is given."""
    _fg(request)
    client = Client.objects.filter(uuid=client_uuid).first()
    if client is None:
        raise not_found(request, PRIVACY)
    if detail:
        access_log.record(request, AccessAction.VIEW, client=client, detail=detail)
    return client


def subject_export(request, client: Client, *, kind: str) -> None:
    """A subject access export leaves the FG's hands: logged as an export and recorded as a disclosure to the
    data subject."""
    _fg(request)
    access_log.record(request, AccessAction.EXPORT, client=client, detail=f"inzage: {kind}")
    route = f"{request.method} {request.resolver_match.view_name if request.resolver_match else request.path}"
    consent_services.subject_access_disclosure_record(actor=request.user, client=client, route=route)


def corrections_of(request, client: Client) -> list[CorrectionRequest]:
    _fg(request)
    return list(
        CorrectionRequest.objects.filter(client=client)
        .select_related("recorded_by", "handled_by")
        .order_by("-received_on", "-id")
    )


def correction(request, correction_uuid) -> CorrectionRequest:
    _fg(request)
    found = CorrectionRequest.objects.select_related("client").filter(uuid=correction_uuid).first()
    if found is None:
        raise not_found(request, PRIVACY)
    return found


# --- Legal holds ---------------------------------------------------------------------------------


def legal_holds(request) -> list[LegalHold]:
    _fg(request)
    return list(
        LegalHold.objects.select_related("case", "placed_by", "lifted_by").order_by("lifted_at", "-placed_at")[:200]
    )


def legal_hold(request, hold_uuid) -> LegalHold:
    _fg(request)
    hold = LegalHold.objects.filter(uuid=hold_uuid).first()
    if hold is None:
        raise not_found(request, PRIVACY)
    return hold


def case_by_number(request, number: str) -> Case | None:
    """A case an FG names by its number to place a legal hold (its content is not shown)."""
    _fg(request)
    return Case.objects.filter(number=number.strip()).first()


# --- Beleid: obstacle descriptions for publication ----------------------------------------------


def obstacles_for_review(request, *, since) -> QuerySet:
    """Obstacles raised since ``since``, newest first, for beleid to review without their case (the page shows
    only the masked text, ``reports.masking``): each one shown is logged against the case it came from."""
    consulted(request, REPORT)
    queryset = Obstacle.objects.filter(raised_on__gte=since).select_related("workplan").order_by("-raised_on", "-id")
    if not policy.may_review_obstacles(request.user):
        return queryset.none()
    return logged(
        request,
        queryset,
        kind=REPORT,
        detail="belemmeringen voor publicatie",
        case_of=lambda obstacle: obstacle.workplan.case_id,
    )


def obstacle_for_review(request, obstacle_uuid):
    """One obstacle beleid approves or withdraws; logged as a change against its case."""
    consulted(request, REPORT)
    if not policy.may_review_obstacles(request.user):
        raise not_found(request, REPORT)
    obstacle = Obstacle.objects.select_related("workplan").filter(uuid=obstacle_uuid).first()
    if obstacle is None:
        raise not_found(request, REPORT)
    access_log.record(request, AccessAction.CHANGE, case=obstacle.workplan.case_id, detail="belemmering publicatie")
    return obstacle


def report_read(request) -> None:
    """A report page: aggregates only, no person; the declaration already checked the role."""
    consulted(request, REPORT)
