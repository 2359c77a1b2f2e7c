"""The inbox: the bell in the header, filters, mark done, snooze and reopen; only the owner acts."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import Notification
from accounts.selectors import bell_count, inbox_items
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
WEDNESDAY = datetime.date(2026, 6, 10)
D = datetime.timedelta
Kind = Notification.Kind


@pytest.fixture(autouse=True)
def frozen():
    """Wednesday 10 June 2026, 09:00 in Amsterdam: "today", "this week" and "overdue" are fixed."""
    with time_machine.travel(datetime.datetime(2026, 6, 10, 9, 0, tzinfo=AMS), tick=False) as traveller:
        yield traveller


def reminder(user, title="Evaluatie werkplan (casus 2026-000001)", **fields):
    """An inbox item as the reminder rules deliver it (kind, case number, due date)."""
    fields = {"kind": Kind.REMINDER, "case_number": "2026-000001", **fields}
    return Notification.objects.create(user=user, title=title, **fields)


def titles(items):
    return [item.title for item in items]


# --- Header bell ---------------------------------------------------------------------------------


def test_bell_counts_open_unread_items_and_opening_marks_read(client, wijkcoach):
    note = services.notify(user=wijkcoach, title="Werkplan vaststellen (casus 2026-000001): Goedgekeurd", url="/")
    client.force_login(wijkcoach)
    page = client.get(reverse("werkvoorraad")).content.decode()
    assert (
        '<span class="app-badge app-badge--danger">1<span class="app-visually-hidden"> open bericht</span></span>'
        in page
    )
    assert "Goedgekeurd" in client.get(reverse("accounts:inbox")).content.decode()

    response = client.post(reverse("accounts:notification-read", args=[note.uuid]))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert "open bericht" not in client.get(reverse("werkvoorraad")).content.decode()


def test_bell_count_leaves_out_read_done_and_snoozed_items(wijkcoach, colleague):
    reminder(wijkcoach, title="nieuw")
    reminder(wijkcoach, title="nog een", kind=Kind.ESCALATION)
    services.notification_mark_read(user=wijkcoach, notification=reminder(wijkcoach, title="gelezen"))
    services.notification_mark_done(user=wijkcoach, notification=reminder(wijkcoach, title="klaar"))
    services.notification_snooze(
        user=wijkcoach, notification=reminder(wijkcoach, title="later"), until=WEDNESDAY + D(days=2)
    )
    reminder(colleague, title="van een ander")
    assert bell_count(wijkcoach) == 2


def test_bell_count_is_one_query(wijkcoach, django_assert_num_queries):
    for index in range(3):
        reminder(wijkcoach, title=f"item {index}")
    with django_assert_num_queries(1):
        assert bell_count(wijkcoach) == 3


def test_bell_plural_is_accessible(client, wijkcoach):
    reminder(wijkcoach)
    reminder(wijkcoach)
    client.force_login(wijkcoach)
    page = client.get(reverse("accounts:inbox")).content.decode()
    assert '2<span class="app-visually-hidden"> open berichten</span>' in page
    assert 'id="inbox-bell"' in page


# --- Services ------------------------------------------------------------------------------------


def test_mark_done_and_reopen(wijkcoach):
    item = reminder(wijkcoach)
    services.notification_mark_done(user=wijkcoach, notification=item)
    item.refresh_from_db()
    assert item.done_at is not None
    assert list(inbox_items(wijkcoach)) == []
    assert list(inbox_items(wijkcoach, status="done")) == [item]
    assert bell_count(wijkcoach) == 0

    services.notification_reopen(user=wijkcoach, notification=item)
    item.refresh_from_db()
    assert item.done_at is None
    assert list(inbox_items(wijkcoach)) == [item]


@pytest.mark.parametrize(
    ("days", "message"),
    [
        pytest.param(-1, "na vandaag", id="yesterday"),
        pytest.param(0, "na vandaag", id="today"),
        pytest.param(91, "hoogstens 90 dagen", id="too-far-ahead"),
    ],
)
def test_snooze_refuses_a_date_that_is_not_ahead_or_too_far(wijkcoach, days, message):
    item = reminder(wijkcoach)
    with pytest.raises(ValidationError, match=message):
        services.notification_snooze(user=wijkcoach, notification=item, until=WEDNESDAY + D(days=days))
    item.refresh_from_db()
    assert item.snoozed_until is None


def test_snooze_refuses_a_done_item(wijkcoach):
    item = services.notification_mark_done(user=wijkcoach, notification=reminder(wijkcoach))
    with pytest.raises(ValidationError, match="Heropen het eerst"):
        services.notification_snooze(user=wijkcoach, notification=item, until=WEDNESDAY + D(days=1))


@pytest.mark.parametrize(
    "act",
    [
        pytest.param(lambda u, n: services.notification_mark_done(user=u, notification=n), id="done"),
        pytest.param(lambda u, n: services.notification_reopen(user=u, notification=n), id="reopen"),
        pytest.param(
            lambda u, n: services.notification_snooze(user=u, notification=n, until=WEDNESDAY + D(days=1)),
            id="snooze",
        ),
        pytest.param(lambda u, n: services.notification_mark_read(user=u, notification=n), id="read"),
    ],
)
def test_only_the_owner_may_act_on_an_item(wijkcoach, colleague, act):
    item = reminder(colleague)
    with pytest.raises(ValidationError, match="niet voor u"):
        act(wijkcoach, item)
    item.refresh_from_db()
    assert (item.done_at, item.snoozed_until, item.read_at) == (None, None, None)


def test_a_snoozed_item_is_hidden_until_its_date_then_counts_again(wijkcoach, frozen):
    item = reminder(wijkcoach)
    services.notification_mark_read(user=wijkcoach, notification=item)
    item.emailed_at = item.read_at
    item.save(update_fields=["emailed_at"])
    services.notification_snooze(user=wijkcoach, notification=item, until=WEDNESDAY + D(days=2))

    assert list(inbox_items(wijkcoach)) == []
    assert list(inbox_items(wijkcoach, status="snoozed")) == [item]
    assert bell_count(wijkcoach) == 0

    frozen.move_to(datetime.datetime(2026, 6, 11, 9, 0, tzinfo=AMS))  # Thursday: still snoozed
    assert bell_count(wijkcoach) == 0
    frozen.move_to(datetime.datetime(2026, 6, 12, 7, 0, tzinfo=AMS))  # Friday: back, as if new
    assert list(inbox_items(wijkcoach)) == [item]
    assert list(inbox_items(wijkcoach, status="snoozed")) == []
    assert bell_count(wijkcoach) == 1
    item.refresh_from_db()
    assert item.emailed_at is None  # the next digest names it again


# --- Selector: filters and ordering --------------------------------------------------------------


def test_overdue_items_come_first_by_due_date_then_newest(wijkcoach, frozen):
    reminder(wijkcoach, title="oud zonder datum")
    frozen.shift(60)
    reminder(wijkcoach, title="te laat sinds maandag", due_on=WEDNESDAY - D(days=2))
    frozen.shift(60)
    reminder(wijkcoach, title="nieuw, vrijdag", due_on=WEDNESDAY + D(days=2))
    frozen.shift(60)
    reminder(wijkcoach, title="te laat sinds vorige week", due_on=WEDNESDAY - D(days=7))
    items = list(inbox_items(wijkcoach))
    assert titles(items) == [
        "te laat sinds vorige week",
        "te laat sinds maandag",
        "nieuw, vrijdag",
        "oud zonder datum",
    ]
    assert [item.is_overdue for item in items] == [True, True, False, False]


def test_selector_filters_by_kind_and_due(wijkcoach):
    reminder(wijkcoach, title="te laat", due_on=WEDNESDAY - D(days=1))
    reminder(wijkcoach, title="vandaag", due_on=WEDNESDAY, kind=Kind.ESCALATION)
    reminder(wijkcoach, title="zondag", due_on=WEDNESDAY + D(days=4), kind=Kind.HANDOVER)
    reminder(wijkcoach, title="volgende week", due_on=WEDNESDAY + D(days=5))
    assert titles(inbox_items(wijkcoach, due="overdue")) == ["te laat"]
    assert titles(inbox_items(wijkcoach, due="today")) == ["vandaag"]
    assert set(titles(inbox_items(wijkcoach, due="week"))) == {"vandaag", "zondag"}
    assert titles(inbox_items(wijkcoach, kind=Kind.HANDOVER)) == ["zondag"]
    assert len(inbox_items(wijkcoach, status="all")) == 4


# --- Pages ---------------------------------------------------------------------------------------


def test_inbox_page_filters_by_status_kind_and_due(client, wijkcoach):
    reminder(wijkcoach, title="Herinnering vandaag", due_on=WEDNESDAY)
    reminder(wijkcoach, title="Escalatie te laat", kind=Kind.ESCALATION, due_on=WEDNESDAY - D(days=3))
    services.notification_mark_done(user=wijkcoach, notification=reminder(wijkcoach, title="Al afgehandeld"))
    client.force_login(wijkcoach)
    url = reverse("accounts:inbox")

    page = client.get(url).content.decode()
    assert "Herinnering vandaag" in page
    assert "Escalatie te laat" in page
    assert "Al afgehandeld" not in page
    assert '<span class="app-overdue">7 ' in page
    assert "2026 (te laat)</span>" in page

    page = client.get(url, {"status": "done"}).content.decode()
    assert "Al afgehandeld" in page
    assert "Herinnering vandaag" not in page
    assert "Heropenen" in page

    page = client.get(url, {"kind": Kind.ESCALATION}).content.decode()
    assert "Escalatie te laat" in page
    assert "Herinnering vandaag" not in page

    page = client.get(url, {"due": "today"}).content.decode()
    assert "Herinnering vandaag" in page
    assert "Escalatie te laat" not in page

    # A value from a hand-made URL falls back to the default instead of failing.
    response = client.get(url, {"status": "kapot"})
    assert response.status_code == 200
    assert "Herinnering vandaag" in response.content.decode()


def test_inbox_page_has_labelled_controls(client, wijkcoach):
    item = reminder(wijkcoach)
    client.force_login(wijkcoach)
    page = client.get(reverse("accounts:inbox")).content.decode()
    assert f'<label class="utrecht-form-label" for="snooze-{item.uuid}">' in page
    assert f'id="snooze-{item.uuid}" name="until" min="2026-06-11" max="2026-09-08"' in page
    assert '<th scope="col">Uiterlijk op</th>' in page
    assert "style=" not in page
    assert "<script>" not in page


def test_done_snooze_and_reopen_through_the_page_keep_the_filters(client, wijkcoach):
    item = reminder(wijkcoach)
    client.force_login(wijkcoach)
    back = "kind=herinnering&pagina=1"

    response = client.post(reverse("accounts:notification-done", args=[item.uuid]), {"terug": back})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:inbox") + "?" + back
    item.refresh_from_db()
    assert item.done_at is not None

    client.post(reverse("accounts:notification-reopen", args=[item.uuid]), {"terug": back})
    item.refresh_from_db()
    assert item.done_at is None

    response = client.post(
        reverse("accounts:notification-snooze", args=[item.uuid]), {"until": "2026-06-15", "terug": back}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.snoozed_until == datetime.date(2026, 6, 15)
    assert "uitgesteld tot 15 juni 2026" in client.get(response["Location"]).content.decode()


def test_the_back_parameter_cannot_redirect_elsewhere(client, wijkcoach):
    item = reminder(wijkcoach)
    client.force_login(wijkcoach)
    response = client.post(
        reverse("accounts:notification-done", args=[item.uuid]), {"terug": "next=https://evil.example/&due=x"}
    )
    assert response["Location"] == reverse("accounts:inbox") + "?due=x"


def test_snoozing_to_a_past_date_through_the_page_shows_the_reason(client, wijkcoach):
    item = reminder(wijkcoach)
    client.force_login(wijkcoach)
    response = client.post(
        reverse("accounts:notification-snooze", args=[item.uuid]), {"until": "2026-06-01"}, follow=True
    )
    assert "Kies een datum na vandaag" in response.content.decode()
    response = client.post(reverse("accounts:notification-snooze", args=[item.uuid]), {"until": ""}, follow=True)
    assert "Kies een geldige datum" in response.content.decode()
    item.refresh_from_db()
    assert item.snoozed_until is None


def test_htmx_action_swaps_the_list_and_the_bell(client, wijkcoach):
    done = reminder(wijkcoach, title="Dit is klaar")
    reminder(wijkcoach, title="Dit blijft open")
    client.force_login(wijkcoach)
    response = client.post(
        reverse("accounts:notification-done", args=[done.uuid]), {"terug": "status=open"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "Het bericht is afgehandeld." in page
    assert "Dit blijft open" in page
    assert "Dit is klaar" not in page
    assert 'id="inbox-bell" href="/berichten/" hx-swap-oob="true"' in page
    assert '1<span class="app-visually-hidden"> open bericht</span>' in page

    response = client.post(
        reverse("accounts:notification-snooze", args=[done.uuid]), {"until": "2026-06-15"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "Heropen het eerst" in response.content.decode()


def test_another_users_item_is_404_and_an_outside_link_is_not_followed(client, wijkcoach):
    other = UserFactory()
    theirs = services.notify(user=other, title="Niet voor u")
    client.force_login(wijkcoach)
    for name in ("notification-read", "notification-done", "notification-reopen"):
        assert client.post(reverse(f"accounts:{name}", args=[theirs.uuid])).status_code == 404
    response = client.post(reverse("accounts:notification-snooze", args=[theirs.uuid]), {"until": "2026-06-15"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.read_at, theirs.done_at, theirs.snoozed_until) == (None, None, None)
    assert "Niet voor u" not in client.get(reverse("accounts:inbox"), {"status": "all"}).content.decode()

    mine = services.notify(user=wijkcoach, title="Extern", url="https://evil.example/")
    response = client.post(reverse("accounts:notification-read", args=[mine.uuid]))
    assert response["Location"] == reverse("accounts:inbox")


def test_actions_are_post_only(client, wijkcoach):
    item = reminder(wijkcoach)
    client.force_login(wijkcoach)
    assert client.get(reverse("accounts:notification-done", args=[item.uuid])).status_code == 405


def _inbox_queries(client, user, count):
    Notification.objects.filter(user=user).delete()
    Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=Kind.REMINDER,
            title=f"Evaluatie (casus 2026-{index:06d})",
            case_number=f"2026-{index:06d}",
            due_on=WEDNESDAY + D(days=index % 9 - 4),
        )
        for index in range(count)
    )
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("accounts:inbox"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 50)
    return len(ctx.captured_queries)


def test_inbox_query_count_does_not_grow_with_items(client, wijkcoach, django_assert_max_num_queries):
    client.force_login(wijkcoach)
    client.get(reverse("accounts:inbox"))  # warm caches (content types, session)
    few = _inbox_queries(client, wijkcoach, 5)
    many = _inbox_queries(client, wijkcoach, 50)
    assert few == many
    # session, user, the COUNT and the page of items, memberships (roles), the bell COUNT,
    # and the session save in a savepoint (three statements)
    with django_assert_max_num_queries(9):
        client.get(reverse("accounts:inbox"))


def test_inbox_pages_by_fifty_and_keeps_the_filters(client, wijkcoach):
    Notification.objects.bulk_create(
        Notification(user=wijkcoach, kind=Kind.REMINDER, title=f"Item {index}") for index in range(60)
    )
    client.force_login(wijkcoach)
    response = client.get(reverse("accounts:inbox"), {"kind": Kind.REMINDER, "pagina": 2})
    assert len(response.context["page"].object_list) == 10
    assert 'href="?kind=herinnering&amp;pagina=1"' in response.content.decode()
