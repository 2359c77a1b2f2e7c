"""Writing the access log: every read of personal data, every search, export and refusal.

Within a request, entries are collected on the request and written by
``AccessLogMiddleware`` in one ``bulk_create`` when the response is ready:
at most one INSERT per request, whatever the page shows. Outside a request
(tasks, commands) use ``record_now``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from consent.constants import AccessAction
from consent.models import AccessLogEntry, Disclosure

_ATTR = "_access_log_entries"
_DISCLOSURES = "_access_log_disclosures"


def _http_request(request):
    # DRF wraps the Django request; the middleware sees the inner one.
    return getattr(request, "_request", request)


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match and match.view_name else ""
    return f"{request.method} {name or request.path}"[:200]


def record(
    request,
    action: str,
    *,
    case=None,
    client=None,
    cases: Iterable = (),
    clients: Iterable = (),
    task: str = "",
    purpose: str = "",
    reason: str = "",
    detail: str = "",
) -> None:
    """Queue access-log entries for this request (written once, after the response)."""
    http_request = _http_request(request)
    user = http_request.user if getattr(http_request, "user", None) and http_request.user.is_authenticated else None
    entries = http_request.__dict__.setdefault(_ATTR, [])
    now = timezone.now()
    route = _route(http_request)
    common = {
        "at": now,
        "user": user,
        "action": action,
        "route": route,
        "task": task,
        "purpose": purpose,
        "reason": reason[:500],
        "detail": detail[:200],
    }
    pairs: list[tuple] = []
    if case is not None or client is not None:
        pairs.append((case, client))
    pairs.extend((c, None) for c in cases)
    pairs.extend((None, c) for c in clients)
    if not pairs and action in (AccessAction.SEARCH, AccessAction.LOOKUP):
        pairs.append((None, None))  # a search or lookup that found nothing is still logged
    for case_obj, client_obj in pairs:
        entries.append(
            AccessLogEntry(
                case_id=getattr(case_obj, "pk", case_obj),
                client_id=getattr(client_obj, "pk", client_obj),
                **common,
            )
        )


def disclose(request, decision, *, channel: str, case=None, client=None, categories=None) -> None:
    """Queue a disclosure: data of the case left the municipality to a partner (written once, after the response).

    ``decision`` is the policy's ``Decision`` for the partner (purpose, basis, consent, organisation).
    """
    http_request = _http_request(request)
    user = http_request.user if getattr(http_request, "user", None) and http_request.user.is_authenticated else None
    shown = sorted(categories if categories is not None else (decision.categories or ()))
    http_request.__dict__.setdefault(_DISCLOSURES, {})[(getattr(case, "pk", case), channel)] = Disclosure(
        at=timezone.now(),
        channel=channel,
        case_id=getattr(case, "pk", case),
        client_id=getattr(client, "pk", client) or getattr(case, "client_id", None),
        categories=shown,
        recipient_organisation_id=decision.organisation_id,
        recipient_user=user,
        purpose_id=decision.purpose_id,
        legal_basis=decision.legal_basis,
        consent_id=decision.consent_id,
        route=_route(http_request),
    )


def flush(request) -> int:
    """Write the request's queued access-log entries (one INSERT) and disclosures (one INSERT, partners only)."""
    attrs = _http_request(request).__dict__
    disclosures = attrs.pop(_DISCLOSURES, None)
    if disclosures:
        Disclosure.objects.bulk_create(disclosures.values())
    entries = attrs.pop(_ATTR, None)
    if not entries:
        return 0
    AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


def record_now(
    *, user, action: str, route: str, case=None, client=None, detail: str = "", reason: str = "", purpose: str = ""
) -> None:
    """Write one entry immediately (for Celery tasks and management commands)."""
    AccessLogEntry.objects.create(
        user=user,
        action=action,
        route=route[:200],
        case=case,
        client=client,
        detail=detail[:200],
        reason=reason[:500],
        purpose=purpose[:100],
    )


class AccessLogMiddleware:
    """Writes the request's queued access-log entries in one INSERT."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            flush(request)
