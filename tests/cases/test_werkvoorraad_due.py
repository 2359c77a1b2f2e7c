"""Mijn werkvoorraad shows what is due today (and overdue) and later this week, by case number."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notification
from accounts.services import notification_mark_done, notification_snooze

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
WEDNESDAY = datetime.date(2026, 6, 10)
Kind = Notification.Kind


def day(offset: int) -> datetime.date:
    return WEDNESDAY + datetime.timedelta(days=offset)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 10, 9, 0, tzinfo=AMS), tick=False):
        yield


def item(user, number: str, due_on, **fields):
    return Notification.objects.create(
        user=user,
        kind=fields.pop("kind", Kind.REMINDER),
        title=f"Evaluatie werkplan (casus {number})",
        case_number=number,
        due_on=due_on,
        url=fields.pop("url", "/"),
        **fields,
    )


def section(page: str) -> str:
    start = page.index('id="due-heading"')
    return page[start : page.index("</section>", start)]


def test_due_section_shows_today_overdue_and_this_week_not_next_week(client, wijkcoach, colleague):
    item(wijkcoach, "2026-000001", day(-2))  # Monday: overdue
    item(wijkcoach, "2026-000002", day(0), url="/casussen/x/")  # today
    item(wijkcoach, "2026-000003", day(2), kind=Kind.HANDOVER)  # Friday
    item(wijkcoach, "2026-000004", day(4))  # Sunday: still this week
    item(wijkcoach, "2026-000005", day(5))  # next Monday
    item(wijkcoach, "2026-000006", None)  # no due date
    notification_mark_done(user=wijkcoach, notification=item(wijkcoach, "2026-000007", day(0)))
    notification_snooze(user=wijkcoach, notification=item(wijkcoach, "2026-000008", day(0)), until=day(7))
    item(colleague, "2026-000009", day(0))  # someone else's
    client.force_login(wijkcoach)

    due = section(client.get(reverse("werkvoorraad")).content.decode())

    for number in ("2026-000001", "2026-000002", "2026-000003", "2026-000004"):
        assert number in due
    for number in ("2026-000005", "2026-000006", "2026-000007", "2026-000008", "2026-000009"):
        assert number not in due
    today_part, week_part = due.split('id="due-week-heading"')
    assert "2026-000001" in today_part
    assert "2026-000002" in today_part
    assert "2026-000003" in week_part
    assert "2026-000004" in week_part
    assert today_part.index("2026-000001") < today_part.index("2026-000002")  # overdue first
    assert "(te laat)" in today_part
    assert '<a class="utrecht-link" href="/casussen/x/">2026-000002</a>' in due
    assert "Overdracht" in week_part
    assert '<th scope="col">Casus</th>' in due


def test_due_section_says_so_when_nothing_is_due(client, wijkcoach):
    item(wijkcoach, "2026-000005", day(5))
    client.force_login(wijkcoach)
    due = section(client.get(reverse("werkvoorraad")).content.decode())
    assert "Er loopt vandaag en deze week niets af." in due


def test_an_outside_link_goes_through_the_inbox(client, wijkcoach):
    item(wijkcoach, "2026-000001", day(0), url="https://evil.example/")
    client.force_login(wijkcoach)
    due = section(client.get(reverse("werkvoorraad")).content.decode())
    assert "evil.example" not in due
    assert '<a class="utrecht-link" href="/berichten/">2026-000001</a>' in due


def test_due_section_query_count_does_not_grow_with_items(client, wijkcoach):
    client.force_login(wijkcoach)
    client.get(reverse("werkvoorraad"))  # warm caches (content types, session)

    def queries(count):
        Notification.objects.filter(user=wijkcoach).delete()
        for index in range(count):
            item(wijkcoach, f"2026-{index:06d}", day(index % 7 - 3))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("werkvoorraad")).status_code == 200
        return len(ctx.captured_queries)

    # The due items are one query (split into today and this week in Python), whatever their number.
    assert queries(1) == queries(30)
