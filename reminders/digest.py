"""The daily e-mail digest: one mail per user per working day listing their open reminders.

The mail leaves the application, so it names cases by number only. It is built from the structured
fields of an inbox item (kind, rule, case number, due date, link) and never from its free text (title, body),
so a client's name or BSN that slipped into a text cannot reach a mailbox.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.selectors import open_items_q
from cases.workdays import is_working_day

from .constants import Rule

# Plain messages (four-eyes decisions and the like) stay in the inbox; these are the ones that have a deadline.
DIGEST_KINDS = (Notification.Kind.REMINDER, Notification.Kind.ESCALATION, Notification.Kind.HANDOVER)


@dataclass(frozen=True)
class DigestLine:
    kind: str
    rule: str
    case_number: str
    due_on: datetime.date | None
    overdue: bool
    link: str


def _link(path: str) -> str:
    """An absolute link when the deployment names its address (``SITE_URL``), else the path itself.

    Only paths inside the application are linked; anything else points to the inbox.
    """
    if not path.startswith("/") or path.startswith("//"):
        path = reverse("accounts:inbox")
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def digest_items_q(today: datetime.date) -> Q:
    """Which items a digest on ``today`` names: open reminder items of active users with an e-mail address,
    not mailed before, or overdue and not mailed yet today (an overdue item is repeated every working day)."""
    start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return (
        open_items_q(today)
        & Q(kind__in=DIGEST_KINDS, user__is_active=True)
        & ~Q(user__email="")
        & (Q(emailed_at__isnull=True) | Q(due_on__lt=today, emailed_at__lt=start_of_day))
    )


def _message(user, items: list[Notification], today: datetime.date, connection) -> EmailMessage:
    lines = [
        DigestLine(
            kind=item.get_kind_display(),
            # The rule's fixed label ("Werkplan herzien"); an unknown code shows nothing rather than itself.
            rule=Rule(item.rule).label if item.rule in Rule.values else "",
            case_number=item.case_number,
            due_on=item.due_on,
            overdue=item.due_on is not None and item.due_on < today,
            link=_link(item.url),
        )
        for item in items
    ]
    body = render_to_string(
        "reminders/digest_email.txt",
        {"lines": lines, "today": today, "inbox_link": _link(reverse("accounts:inbox"))},
    )
    subject = _("Casusregie: uw herinneringen van %(date)s") % {"date": date_format(today, "j F Y")}
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection)


def send_digests(today: datetime.date | None = None) -> int:
    """Send each user one e-mail with their open reminders, escalations and handovers; return the number sent.

    Only on working days (no mail on weekends or Dutch public holidays). Idempotent per day: the items
    included get ``emailed_at`` (one UPDATE), so a second run the same day finds nothing new. The rows are
    locked while the mails go out, and a concurrent run skips them. When sending fails nothing is marked and
    the next run tries again: a reminder may arrive twice, but is never lost.
    Queries: one SELECT (items with their users) and one UPDATE, whatever the number of users.
    """
    today = today or timezone.localdate()
    if not is_working_day(today):
        return 0
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        items = list(
            Notification.objects.filter(digest_items_q(today))
            .select_related("user")
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("user_id", "due_on", "created_at", "id")
        )
        if not items:
            return 0
        connection = get_connection()
        messages = [
            _message(user, list(user_items), today, connection)
            for user, user_items in groupby(items, key=lambda item: item.user)
        ]
        sent = connection.send_messages(messages) or 0
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(emailed_at=timezone.now())
    return sent
