"""The daily digest: one mail per user per working day, cases by number only, idempotent per day."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification
from accounts.services import notification_mark_done, notification_snooze
from cases import services as case_services
from cases.constants import Law
from reminders.digest import send_digests
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
Kind = Notification.Kind
WEDNESDAY = datetime.date(2026, 6, 10)
THURSDAY = datetime.date(2026, 6, 11)
SATURDAY = datetime.date(2026, 6, 13)
KINGS_DAY = datetime.date(2026, 4, 27)  # a Monday
CHRISTMAS = datetime.date(2026, 12, 25)  # a Friday
SECOND_CHRISTMAS_DAY = datetime.date(2026, 12, 26)

CLIENT_NAME = "Zwaantje"
CLIENT_FAMILY = "Vermeulen-Oosterhuis"
CLIENT_BSN = "111222333"


def at(day: datetime.date, hour: int = 7):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMS), tick=False)


@pytest.fixture
def frozen():
    with at(WEDNESDAY) as traveller:
        yield traveller


@pytest.fixture
def case(frozen, wijkcoach, team):
    client = case_services.client_create(
        actor=wijkcoach,
        given_names=CLIENT_NAME,
        family_name=CLIENT_FAMILY,
        bsn=CLIENT_BSN,
        date_of_birth=datetime.date(1975, 3, 2),
    )
    return case_services.case_open(actor=wijkcoach, team=team, client=client, laws=[Law.WMO])


def item(user, *, kind=Kind.REMINDER, case_number="2026-000123", due_on=WEDNESDAY, **fields):
    """An inbox item as the reminder rules deliver it."""
    fields.setdefault("title", f"Evaluatie werkplan (casus {case_number})")
    return Notification.objects.create(user=user, kind=kind, case_number=case_number, due_on=due_on, **fields)


def test_one_mail_per_user_listing_case_numbers_never_a_name_or_bsn(frozen, wijkcoach, colleague, case):
    careless = f"{CLIENT_NAME} {CLIENT_FAMILY} (BSN {CLIENT_BSN}) is niet bereikbaar"
    first = item(wijkcoach, case_number=case.number, title=careless, body=careless, url=f"/casussen/{case.uuid}/")
    second = item(
        wijkcoach,
        kind=Kind.ESCALATION,
        case_number="2026-000777",
        due_on=WEDNESDAY - datetime.timedelta(1),
        rule="workplan_review",
    )
    third = item(colleague, kind=Kind.HANDOVER, case_number=case.number, due_on=None)

    assert send_digests() == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted([wijkcoach.email, colleague.email])
    mine = next(m for m in mail.outbox if m.to == [wijkcoach.email])
    for text in (mine.subject, mine.body):
        assert CLIENT_NAME not in text
        assert CLIENT_FAMILY not in text
        assert CLIENT_BSN not in text
    assert f"casus {case.number}" in mine.body
    assert "casus 2026-000777" in mine.body
    assert "Herinnering" in mine.body
    assert "Escalatie: Werkplan herzien, casus 2026-000777" in mine.body
    assert "(te laat)" in mine.body
    assert f"/casussen/{case.uuid}/" in mine.body
    assert "/berichten/" in mine.body
    assert "2 punten" in mine.body
    theirs = next(m for m in mail.outbox if m.to == [colleague.email])
    assert "Overdracht" in theirs.body
    assert CLIENT_FAMILY not in theirs.body

    for notification in (first, second, third):
        notification.refresh_from_db()
        assert notification.emailed_at is not None


def test_a_second_run_the_same_day_sends_nothing(frozen, wijkcoach):
    item(wijkcoach)
    assert send_digests() == 1
    assert send_digests() == 0
    assert len(mail.outbox) == 1
    # A new reminder the same day goes out in the next run, alone.
    item(wijkcoach, case_number="2026-000999")
    assert send_digests() == 1
    assert "2026-000999" in mail.outbox[1].body
    assert "2026-000123" not in mail.outbox[1].body


def test_an_overdue_item_is_repeated_the_next_working_day_a_future_one_is_not(frozen, wijkcoach):
    item(wijkcoach, case_number="2026-000001", due_on=WEDNESDAY)
    item(wijkcoach, case_number="2026-000002", due_on=WEDNESDAY + datetime.timedelta(days=7))
    assert send_digests() == 1
    frozen.move_to(datetime.datetime(2026, 6, 11, 7, 0, tzinfo=AMS))
    assert send_digests(THURSDAY) == 1
    assert "2026-000001" in mail.outbox[1].body
    assert "2026-000002" not in mail.outbox[1].body
    assert send_digests(THURSDAY) == 0


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(SATURDAY, id="saturday"),
        pytest.param(SATURDAY + datetime.timedelta(days=1), id="sunday"),
        pytest.param(KINGS_DAY, id="kings-day"),
        pytest.param(CHRISTMAS, id="christmas"),
        pytest.param(SECOND_CHRISTMAS_DAY, id="second-christmas-day"),
    ],
)
def test_no_digest_on_weekends_and_public_holidays(wijkcoach, day):
    with at(day):
        item(wijkcoach, due_on=day)
        assert send_digests() == 0
        assert send_digests(day) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0


def test_items_that_do_not_belong_in_a_digest(frozen, wijkcoach, colleague):
    # Plain messages, done and snoozed items; users without an e-mail address or no longer active.
    item(wijkcoach, kind=Kind.MESSAGE)
    notification_mark_done(user=wijkcoach, notification=item(wijkcoach))
    notification_snooze(user=wijkcoach, notification=item(wijkcoach), until=THURSDAY)
    item(UserFactory(email=""))
    item(UserFactory(is_active=False))
    assert send_digests() == 0
    assert mail.outbox == []
    # The snoozed item is back the next day, and mailed then.
    with at(THURSDAY):
        assert send_digests() == 1


def test_an_outside_link_is_replaced_by_the_inbox(frozen, wijkcoach):
    item(wijkcoach, url="https://evil.example/phish")
    send_digests()
    assert "evil.example" not in mail.outbox[0].body
    assert "/berichten/" in mail.outbox[0].body


def test_queries_do_not_grow_with_users(frozen, team):
    def run(users):
        for _ in range(users):
            item(UserFactory())
        with CaptureQueriesContext(connection) as ctx:
            assert send_digests() == users
        return len(ctx.captured_queries)

    # a savepoint, one SELECT (items with their users, locked), one UPDATE, the release
    assert run(1) == run(5) <= 4
