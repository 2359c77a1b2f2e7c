"""The access log (NEN 7513): append-only, and written in one INSERT per request."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from access import log as access_log
from cases import services
from cases.constants import CaseRole
from consent.constants import AccessAction
from consent.models import AccessLogEntry, AppendOnlyError
from tests.factories import shared_purpose

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(wijkcoach):
    return services.client_create(
        actor=wijkcoach, given_names="Jan", family_name="Jansen", date_of_birth=datetime.date(1980, 5, 17)
    )


@pytest.fixture
def resident_case(wijkcoach, team, resident):
    return services.case_open(actor=wijkcoach, team=team, client=resident)


@pytest.fixture
def entry(wijkcoach, resident_case):
    access_log.record_now(user=wijkcoach, action=AccessAction.VIEW, route="GET cases:detail", case=resident_case)
    return AccessLogEntry.objects.get()


def _request(user, path="/casussen/"):
    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = None
    return request


def _inserts(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]


# --- Append-only ----------------------------------------------------------------------


def test_saving_an_existing_entry_is_refused(entry):
    entry.detail = "achteraf aangepast"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AccessLogEntry.objects.get(pk=entry.pk).detail == ""


def test_saving_an_existing_entry_with_update_fields_is_refused(entry):
    entry.reason = "verzonnen reden"
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["reason"])
    assert AccessLogEntry.objects.get(pk=entry.pk).reason == ""


@pytest.mark.parametrize(
    "update",
    [
        pytest.param(lambda: AccessLogEntry.objects.filter().update(detail="x"), id="queryset-update"),
        pytest.param(lambda: AccessLogEntry.objects.update(detail="x"), id="manager-update"),
        pytest.param(lambda: AccessLogEntry.objects.all().update(user=None), id="update-user"),
    ],
)
def test_queryset_update_is_refused(entry, update):
    with pytest.raises(AppendOnlyError):
        update()
    entry_now = AccessLogEntry.objects.get(pk=entry.pk)
    assert (entry_now.detail, entry_now.user_id) == ("", entry.user_id)


def test_bulk_update_is_refused(entry):
    entry.detail = "x"
    # bulk_update opens an atomic block without a savepoint, so the refusal breaks the enclosing
    # transaction; the savepoint here keeps the test's own transaction usable.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AccessLogEntry.objects.bulk_update([entry], ["detail"])
    assert AccessLogEntry.objects.get(pk=entry.pk).detail == ""


def test_update_or_create_of_an_existing_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.update_or_create(pk=entry.pk, defaults={"detail": "x"})
    assert AccessLogEntry.objects.get(pk=entry.pk).detail == ""


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "delete",
    [
        pytest.param(lambda: AccessLogEntry.objects.all().delete(), id="all"),
        pytest.param(lambda: AccessLogEntry.objects.filter(action=AccessAction.VIEW).delete(), id="filtered"),
    ],
)
def test_queryset_delete_is_refused(entry, delete):
    with pytest.raises(AppendOnlyError):
        delete()
    assert AccessLogEntry.objects.count() == 1


def test_new_entries_can_still_be_added(entry, wijkcoach):
    access_log.record_now(user=wijkcoach, action=AccessAction.EXPORT, route="GET cases:export")
    assert AccessLogEntry.objects.count() == 2


# --- One INSERT per request --------------------------------------------------------------


def test_several_entries_of_a_request_are_written_in_one_insert(wijkcoach, team, resident, resident_case):
    other = services.client_create(
        actor=wijkcoach, given_names="Piet", family_name="Pieters", date_of_birth=datetime.date(1990, 1, 1)
    )
    other_case = services.case_open(actor=wijkcoach, team=team, client=other)
    request = _request(wijkcoach)

    access_log.record(request, AccessAction.VIEW, case=resident_case, task="toeleiding")
    access_log.record(request, AccessAction.LIST, cases=[resident_case, other_case])
    access_log.record(request, AccessAction.VIEW, client=resident, reason="r" * 600)
    access_log.record(request, AccessAction.SEARCH)  # a search that found nothing is logged too
    assert not AccessLogEntry.objects.exists()  # queued, not written yet

    with CaptureQueriesContext(connection) as ctx:
        written = access_log.flush(request)

    assert written == 5
    assert len(_inserts(ctx.captured_queries)) == 1
    rows = list(AccessLogEntry.objects.order_by("id"))
    assert len(rows) == 5
    assert {row.user for row in rows} == {wijkcoach}
    assert {row.route for row in rows} == {"GET /casussen/"}
    assert [(row.action, row.case_id, row.client_id) for row in rows] == [
        (AccessAction.VIEW, resident_case.pk, None),
        (AccessAction.LIST, resident_case.pk, None),
        (AccessAction.LIST, other_case.pk, None),
        (AccessAction.VIEW, None, resident.pk),
        (AccessAction.SEARCH, None, None),
    ]
    assert rows[0].task == "toeleiding"
    assert len(rows[3].reason) == 500  # cut to the column length instead of failing


def test_flushing_twice_writes_nothing_the_second_time(wijkcoach, resident_case):
    request = _request(wijkcoach)
    access_log.record(request, AccessAction.VIEW, case=resident_case)
    access_log.flush(request)

    with CaptureQueriesContext(connection) as ctx:
        assert access_log.flush(request) == 0
    assert ctx.captured_queries == []
    assert AccessLogEntry.objects.count() == 1


def test_request_without_entries_writes_nothing(wijkcoach):
    with CaptureQueriesContext(connection) as ctx:
        assert access_log.flush(_request(wijkcoach)) == 0
    assert ctx.captured_queries == []


def test_middleware_writes_the_request_entries_in_one_insert(wijkcoach, outsider, resident_case):
    services.case_member_add(
        actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.PARTNER, purpose=shared_purpose()
    )

    def view(request):
        for _ in range(3):
            access_log.record(request, AccessAction.VIEW, case=resident_case)
        return HttpResponse("ok")

    with CaptureQueriesContext(connection) as ctx:
        response = access_log.AccessLogMiddleware(view)(_request(outsider))

    assert response.status_code == 200
    assert len(_inserts(ctx.captured_queries)) == 1
    assert AccessLogEntry.objects.filter(user=outsider).count() == 3


def test_middleware_writes_the_entries_also_when_the_view_fails(wijkcoach, resident_case):
    def view(request):
        access_log.record(request, AccessAction.DENIED, case=resident_case, detail="case")
        raise RuntimeError("kapot")

    with pytest.raises(RuntimeError):
        access_log.AccessLogMiddleware(view)(_request(wijkcoach))

    assert AccessLogEntry.objects.filter(action=AccessAction.DENIED, case=resident_case).count() == 1


def test_anonymous_request_is_logged_without_user(resident_case):
    request = _request(AnonymousUser())
    access_log.record(request, AccessAction.DENIED, case=resident_case)
    access_log.flush(request)
    assert AccessLogEntry.objects.get().user is None
