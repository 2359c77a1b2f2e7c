"""Login throttling: django-axes with two rules on top (docs/adr/0004-login-throttling.md).

Axes keeps doing what it does well: its backend refuses a locked-out attempt before the password is
checked, it records every failure (``AccessAttempt`` per user name, address and browser, and one
``AccessFailureLog`` row per failure), resets a user name's attempts from an address on a correct log-in,
and its middleware turns a lockout into the response of :func:`lockout_response`. What it cannot
express is the policy, so :class:`LoginThrottleHandler` answers "is this attempt locked out?" with:

1. **An address** (password spraying): after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failed log-ins from one
   address within ``LOGIN_ADDRESS_WINDOW`` (whatever the user names), further attempts from that address
   are refused until the oldest of those failures leaves the window. A correct log-in does not reset it.
2. **A user name from one address**: after ``AXES_FAILURE_LIMIT`` failures a short delay, doubling with
   every further failure (1, 2, 4, 8 minutes…, at most ``LOGIN_MAX_DELAY``). When the delay has passed,
   the right password logs in and resets the count. Keyed on user name *and* address: colleagues behind
   one municipal NAT address never block each other, and an attacker elsewhere never blocks the owner.
   Attempts refused during a delay are not counted (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``
   off), so hammering does not lengthen it; only a wrong password after the delay does.

Failures are remembered for ``AXES_COOLOFF_TIME`` (a day): within it the delay keeps growing; axes
removes older attempts. API requests with a token never pass ``authenticate()`` and are not affected.
"""

from __future__ import annotations

import datetime
import ipaddress
import math
from dataclasses import dataclass

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

ADDRESS = "address"
ACCOUNT = "account"


@dataclass(frozen=True)
class Lockout:
    until: datetime.datetime
    reason: str  # ADDRESS or ACCOUNT


def client_ip(request) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``LOGIN_PROXY_COUNT`` trusted reverse proxies, each appends the address it received the request
    from to ``X-Forwarded-For``: the client is the N-th entry from the right. Entries further left were
    sent by the client itself and are never trusted. Without proxies: ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.LOGIN_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def account_delay(failures: int) -> datetime.timedelta:
    """The delay after ``failures`` wrong passwords for one user name from one address (0 below the limit).

    The limit-th failure gives 1 minute, each further one doubles it, up to ``LOGIN_MAX_DELAY``.
    """
    over = failures - settings.AXES_FAILURE_LIMIT
    if over < 0:
        return datetime.timedelta(0)
    maximum = settings.LOGIN_MAX_DELAY
    minutes = 2 ** min(over, 30)  # the exponent is capped before the maximum applies: no huge numbers
    return min(datetime.timedelta(minutes=minutes), maximum)


def lockout_for(request, credentials: dict | None = None) -> Lockout | None:
    """The lockout that applies to this attempt now, the one that lasts longest; ``None`` if it may go ahead.

    Cost: two queries (the address's recent failures, the user name's attempts from this address).
    """
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    ip = getattr(request, "axes_ip_address", None)
    found: list[Lockout] = []

    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    window = settings.LOGIN_ADDRESS_WINDOW
    if ip and limit:
        # The limit-th most recent failure in the window: once it is older than the window, fewer than
        # ``limit`` failures remain in it and the address may try again.
        oldest_counted = list(
            AccessFailureLog.objects.filter(ip_address=ip, attempt_time__gt=now - window)
            .order_by("-attempt_time")
            .values_list("attempt_time", flat=True)[limit - 1 : limit]
        )
        if oldest_counted:
            found.append(Lockout(oldest_counted[0] + window, ADDRESS))

    username = get_client_username(request, credentials)
    if username and ip:
        attempts = AccessAttempt.objects.filter(
            username=username, ip_address=ip, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        delay = account_delay(attempts["failures"] or 0)
        if delay and attempts["last"] + delay > now:
            found.append(Lockout(attempts["last"] + delay, ACCOUNT))

    found = [lockout for lockout in found if lockout.until > now]
    return max(found, key=lambda lockout: lockout.until) if found else None


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with the two rules above as the answer to "is this client locked out?"."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Axes locks out when this reaches ``AXES_FAILURE_LIMIT``, both before a password is checked and
        after a failure is recorded. The counts themselves are read by :func:`lockout_for`, so the answer
        here is "the limit" while a lockout lasts and 0 otherwise."""
        return settings.AXES_FAILURE_LIMIT if lockout_for(request, credentials) else 0


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """The Dutch lockout page (``AXES_LOCKOUT_CALLABLE``): 429, with when to try again."""
    lockout = lockout_for(request, credentials or getattr(request, "axes_credentials", None))
    context = {}
    if lockout is not None:
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        seconds = max(1, math.ceil((lockout.until - now).total_seconds()))
        # Shown to the minute, rounded up, so trying at the time shown always works.
        shown = timezone.localtime(lockout.until + datetime.timedelta(seconds=59)).replace(second=0, microsecond=0)
        context = {"reason": lockout.reason, "until": shown, "minutes": math.ceil(seconds / 60)}
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    if lockout is not None:
        response["Retry-After"] = str(seconds)
    return response
