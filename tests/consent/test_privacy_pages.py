"""The FG's privacy pages under /privacy/: access, the access-log search, reviews, registers, subject access."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access import log as access_log
from accounts.constants import Role
from cases import services as case_services
from consent import services
from consent.constants import AccessAction, ConsentMethod, DisclosureChannel, LegalBasis, PurposeLaw
from consent.models import AccessLogEntry, CorrectionRequest, Disclosure, LegalHold, Purpose
from tests.factories import make_user

pytestmark = pytest.mark.django_db

BSN = "111222333"
OTHER_BSN = "123456782"
REASON = "Acute crisis buiten kantoortijd, de regievoerder is niet bereikbaar."

FG_PAGES = [
    ("consent:index", False),
    ("consent:access-log", False),
    ("consent:break-glass-list", False),
    ("consent:consent-register", False),
    ("consent:disclosure-register", False),
    ("consent:denied-report", False),
    ("consent:subject-access", False),
    ("consent:legal-holds", False),
    ("consent:subject-access-client", True),
]


@pytest.fixture
def fg(team):
    return make_user(Role.FG, team, username="t_fg", first_name="Fien", last_name="Gerritsen")


@pytest.fixture
def resident(wijkcoach):
    return case_services.client_create(
        actor=wijkcoach, given_names="Jan", family_name="Jansen", date_of_birth=datetime.date(1980, 5, 17), bsn=BSN
    )


@pytest.fixture
def other_resident(wijkcoach):
    return case_services.client_create(
        actor=wijkcoach,
        given_names="Piet",
        family_name="Pieters",
        date_of_birth=datetime.date(1975, 1, 2),
        bsn=OTHER_BSN,
    )


@pytest.fixture
def resident_case(wijkcoach, team, resident):
    return case_services.case_open(actor=wijkcoach, team=team, client=resident)


@pytest.fixture
def fg_client(client, fg):
    client.force_login(fg)
    return client


def _url(name: str, needs_client: bool, resident) -> str:
    return reverse(name, args=[resident.uuid]) if needs_client else reverse(name)


# --- Only the FG ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "needs_client"), FG_PAGES)
@pytest.mark.parametrize("persona", ["wijkcoach", "beleid"])
def test_privacy_pages_are_for_the_fg_only(client, request, persona, name, needs_client, resident):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_url(name, needs_client, resident))
    assert response.status_code == 403
    assert "functionaris gegevensbescherming" in response.content.decode()


@pytest.mark.parametrize(("name", "needs_client"), FG_PAGES)
def test_privacy_pages_open_for_the_fg(fg_client, name, needs_client, resident):
    assert fg_client.get(_url(name, needs_client, resident)).status_code == 200


@pytest.mark.parametrize(
    "name", ["consent:subject-access-json", "consent:subject-access-pdf", "consent:correction-record"]
)
def test_exports_and_writes_are_refused_for_others(client, wijkcoach, resident, name):
    client.force_login(wijkcoach)
    assert client.post(reverse(name, args=[resident.uuid])).status_code == 403
    assert not Disclosure.objects.exists()
    assert not CorrectionRequest.objects.exists()


def test_privacy_is_in_the_menu_of_the_fg_only(client, fg, wijkcoach):
    url = reverse("consent:index")
    client.force_login(fg)
    assert f'href="{url}"' in client.get(reverse("werkvoorraad")).content.decode()
    client.force_login(wijkcoach)
    assert f'href="{url}"' not in client.get(reverse("werkvoorraad")).content.decode()


# --- Access log search ---------------------------------------------------------------------


@pytest.fixture
def log_entries(wijkcoach, colleague, resident, other_resident, resident_case):
    """Entries of two users about two clients on different days."""
    now = timezone.now()
    rows = [
        AccessLogEntry(user=wijkcoach, action=AccessAction.VIEW, route="GET cases:case-detail", case=resident_case),
        AccessLogEntry(user=wijkcoach, action=AccessAction.VIEW, route="GET cases:client-detail", client=resident),
        AccessLogEntry(
            user=colleague, action=AccessAction.VIEW, route="GET cases:client-detail", client=other_resident
        ),
        AccessLogEntry(
            user=colleague,
            action=AccessAction.DENIED,
            route="GET cases:case-detail",
            case=resident_case,
            at=now - datetime.timedelta(days=10),
        ),
    ]
    return AccessLogEntry.objects.bulk_create(rows)


def _search(http, **data):
    return http.post(reverse("consent:access-log"), data)


def test_search_by_bsn_finds_the_client_and_their_cases_and_is_logged(fg_client, fg, log_entries, resident):
    response = _search(fg_client, client=BSN)
    assert response.status_code == 200
    found = response.context["page"].object_list
    assert {e.pk for e in found} == {log_entries[0].pk, log_entries[1].pk, log_entries[3].pk}
    search = AccessLogEntry.objects.get(user=fg, action=AccessAction.SEARCH)
    assert (search.client_id, search.detail) == (resident.pk, "toegangslog: bsn")


def test_bsn_that_fails_the_eleven_test_is_refused(fg_client, log_entries):
    response = _search(fg_client, client="111222334")
    assert response.status_code == 400
    assert "elfproef" in response.content.decode()


def test_search_by_client_name(fg_client, log_entries):
    found = _search(fg_client, client="piet").context["page"].object_list
    assert [e.pk for e in found] == [log_entries[2].pk]


def test_search_by_user_name(fg_client, colleague, log_entries):
    found = _search(fg_client, user=colleague.last_name).context["page"].object_list
    assert {e.pk for e in found} == {log_entries[2].pk, log_entries[3].pk}
    found = _search(fg_client, user="t_wijkcoach").context["page"].object_list
    assert {e.pk for e in found} == {log_entries[0].pk, log_entries[1].pk}


def test_search_by_period_and_action(fg_client, log_entries):
    today = timezone.localdate()
    old = today - datetime.timedelta(days=10)
    found = _search(fg_client, date_from=old, date_to=old).context["page"].object_list
    assert [e.pk for e in found] == [log_entries[3].pk]
    found = _search(fg_client, date_from=today - datetime.timedelta(days=1)).context["page"].object_list
    assert log_entries[3].pk not in {e.pk for e in found}
    found = _search(fg_client, action=AccessAction.DENIED).context["page"].object_list
    assert [e.pk for e in found] == [log_entries[3].pk]


def test_period_in_the_wrong_order_is_refused(fg_client):
    response = _search(fg_client, date_from="2025-02-01", date_to="2025-01-01")
    assert response.status_code == 400
    assert "einddatum ligt voor de begindatum" in response.content.decode()


def test_search_pages_through_the_results(fg_client, wijkcoach, resident):
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(user=wijkcoach, action=AccessAction.VIEW, route=f"GET r{i}", client=resident) for i in range(55)
    )
    first = _search(fg_client, client=BSN)
    second = _search(fg_client, client=BSN, page=2)
    assert len(first.context["page"].object_list) == 50
    # The first search was itself logged (a search for this client): 56 rows now.
    assert second.context["page"].paginator.count == 56
    assert len(second.context["page"].object_list) == 6
    assert 'name="page" value="2"' in first.content.decode()


def _log_page_queries(client, count: int, user, case, resident) -> int:
    existing = AccessLogEntry.objects.count()
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(user=user, action=AccessAction.VIEW, route="GET x", case=case, client=resident)
        for _ in range(count - existing)
    )
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("consent:access-log"))
    assert len(response.context["page"].object_list) == count
    return len(ctx.captured_queries)


def test_access_log_page_query_count_does_not_grow_with_rows(
    fg_client, wijkcoach, resident, resident_case, django_assert_max_num_queries
):
    few = _log_page_queries(fg_client, 5, wijkcoach, resident_case, resident)
    many = _log_page_queries(fg_client, 50, wijkcoach, resident_case, resident)
    assert few == many
    # session, user, memberships (roles), count, unread messages, page (user, organisation, case and client
    # joined), and the session save in a savepoint (three statements)
    with django_assert_max_num_queries(9):
        fg_client.get(reverse("consent:access-log"))


# --- Break-the-glass review ----------------------------------------------------------------------


def test_break_glass_review_flow(fg_client, fg, outsider, resident_case):
    grant = services.break_glass_grant(user=outsider, case=resident_case, reason=REASON, hours=2)
    listing = fg_client.get(reverse("consent:break-glass-list")).content.decode()
    assert resident_case.number in listing
    assert reverse("consent:break-glass-review", args=[grant.uuid]) in listing

    url = reverse("consent:break-glass-review", args=[grant.uuid])
    page = fg_client.get(url)
    assert page.status_code == 200
    assert REASON in page.content.decode()

    refused = fg_client.post(url, {"verdict": "niet_gerechtvaardigd", "note": ""})
    assert refused.status_code == 400
    assert "Licht toe waarom" in refused.content.decode()
    grant.refresh_from_db()
    assert grant.reviewed_at is None

    done = fg_client.post(url, {"verdict": "niet_gerechtvaardigd", "note": "Geen spoed aangetoond."})
    assert done.status_code == 302
    grant.refresh_from_db()
    assert (grant.verdict, grant.reviewed_by, grant.review_note) == (
        "niet_gerechtvaardigd",
        fg,
        "Geen spoed aangetoond.",
    )

    again = fg_client.post(url, {"verdict": "gerechtvaardigd", "note": ""})
    assert again.status_code == 400
    assert "al beoordeeld" in again.content.decode()


# --- Registers ---------------------------------------------------------------------------------


def test_consent_register_filters_by_status_and_purpose(fg_client, wijkcoach, resident, other_resident):
    purpose = Purpose.objects.create(
        code="ggz", name="Afstemming GGZ", legal_basis=LegalBasis.CONSENT, law=PurposeLaw.WAMS,
        recipient_types=["zorgaanbieder"],
    )  # fmt: skip
    other = Purpose.objects.create(
        code="school", name="Afstemming school", legal_basis=LegalBasis.CONSENT, law=PurposeLaw.WAMS,
        recipient_types=["onderwijs"],
    )  # fmt: skip
    given = timezone.now() - datetime.timedelta(days=1)
    kept = services.consent_record(
        actor=wijkcoach, client=resident, purpose=purpose, recipient_type="zorgaanbieder", given_at=given,
        method=ConsentMethod.WRITTEN,
    )  # fmt: skip
    gone = services.consent_record(
        actor=wijkcoach, client=other_resident, purpose=other, recipient_type="onderwijs", given_at=given,
        method=ConsentMethod.WRITTEN,
    )  # fmt: skip
    services.consent_withdraw(actor=wijkcoach, consent=gone, reason="Wil het niet meer.")

    url = reverse("consent:consent-register")
    assert [c.pk for c, _ in fg_client.get(url, {"status": "geldig"}).context["rows"]] == [kept.pk]
    assert [c.pk for c, _ in fg_client.get(url, {"status": "ingetrokken"}).context["rows"]] == [gone.pk]
    assert [c.pk for c, _ in fg_client.get(url, {"purpose": "school"}).context["rows"]] == [gone.pk]
    assert len(fg_client.get(url).context["rows"]) == 2


def test_disclosure_register_filters_by_channel(fg_client, fg, resident, partner_org):
    services.subject_access_disclosure_record(actor=fg, client=resident)
    Disclosure.objects.create(channel=DisclosureChannel.API, client=resident, recipient_organisation=partner_org)
    url = reverse("consent:disclosure-register")
    response = fg_client.get(url, {"channel": DisclosureChannel.SUBJECT_ACCESS})
    assert [d.channel for d in response.context["page"]] == [DisclosureChannel.SUBJECT_ACCESS]
    response = fg_client.get(url, {"organisation": str(partner_org.uuid)})
    assert [d.channel for d in response.context["page"]] == [DisclosureChannel.API]


def test_denied_report_counts_per_user(fg_client, outsider, colleague, resident_case):
    for user, times in ((outsider, 3), (colleague, 1)):
        for _ in range(times):
            access_log.record_now(
                user=user, action=AccessAction.DENIED, route="GET cases:case-detail", case=resident_case
            )
    access_log.record_now(user=colleague, action=AccessAction.VIEW, route="GET cases:case-detail", case=resident_case)
    response = fg_client.get(reverse("consent:denied-report"))
    assert [(row["user"], row["count"]) for row in response.context["rows"]] == [(outsider, 3), (colleague, 1)]
    assert len(response.context["latest"]) == 4


# --- Subject access ----------------------------------------------------------------------------


def test_subject_access_search_by_bsn_is_logged(fg_client, fg, resident):
    response = fg_client.post(reverse("consent:subject-access"), {"bsn": BSN})
    assert response.status_code == 302
    assert response["Location"] == reverse("consent:subject-access-client", args=[resident.uuid])
    entry = AccessLogEntry.objects.get(user=fg, action=AccessAction.SEARCH)
    assert (entry.client_id, entry.detail) == (resident.pk, "inzage: bsn")
    unknown = fg_client.post(reverse("consent:subject-access"), {"bsn": OTHER_BSN})
    assert unknown.status_code == 200
    assert "geen cliënt met dit BSN" in unknown.content.decode()


def test_subject_access_page_shows_counts(fg_client, resident, resident_case):
    response = fg_client.get(reverse("consent:subject-access-client", args=[resident.uuid]))
    assert response.status_code == 200
    assert dict(response.context["counts"])["Toestemmingen"] == 0
    assert "Download als PDF" in response.content.decode()


def test_subject_access_json_download_is_logged_and_registered(fg_client, fg, resident, resident_case):
    response = fg_client.post(reverse("consent:subject-access-json", args=[resident.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert BSN not in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["client"]["bsn"] == BSN
    disclosure = Disclosure.objects.get()
    assert (disclosure.channel, disclosure.recipient_description, disclosure.client_id, disclosure.disclosed_by) == (
        DisclosureChannel.SUBJECT_ACCESS,
        "betrokkene",
        resident.pk,
        fg,
    )
    assert AccessLogEntry.objects.filter(user=fg, action=AccessAction.EXPORT, client=resident).exists()


def test_subject_access_pdf_download(fg_client, fg, resident, resident_case):
    response = fg_client.post(reverse("consent:subject-access-pdf", args=[resident.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Disclosure.objects.filter(channel=DisclosureChannel.SUBJECT_ACCESS, client=resident).count() == 1
    assert AccessLogEntry.objects.filter(user=fg, action=AccessAction.EXPORT, detail="inzage: pdf").exists()


def test_exports_are_post_only(fg_client, resident):
    assert fg_client.get(reverse("consent:subject-access-json", args=[resident.uuid])).status_code == 405
    assert not Disclosure.objects.exists()


def test_correction_request_is_recorded_and_handled_on_the_page(fg_client, fg, resident):
    record_url = reverse("consent:correction-record", args=[resident.uuid])
    refused = fg_client.post(record_url, {"request_text": ""})
    assert refused.status_code == 400
    assert fg_client.post(record_url, {"request_text": "Mijn adres klopt niet."}).status_code == 302
    correction = CorrectionRequest.objects.get(client=resident)
    assert correction.recorded_by == fg

    handle_url = reverse("consent:correction-handle", args=[correction.uuid])
    prefix = f"c-{correction.uuid.hex}"
    missing = fg_client.post(handle_url, {f"{prefix}-status": "toegewezen", f"{prefix}-resolution": ""})
    assert missing.status_code == 400
    done = fg_client.post(handle_url, {f"{prefix}-status": "toegewezen", f"{prefix}-resolution": "Adres aangepast."})
    assert done.status_code == 302
    correction.refresh_from_db()
    assert (correction.status, correction.handled_by) == ("toegewezen", fg)


# --- Legal holds -------------------------------------------------------------------------------


def test_legal_hold_placed_by_case_number_and_lifted(fg_client, fg, resident_case):
    url = reverse("consent:legal-holds")
    unknown = fg_client.post(url, {"case_number": "XX-0000", "reason": "Rechtszaak."})
    assert unknown.status_code == 400
    assert "geen casus met dit nummer" in unknown.content.decode()
    assert fg_client.post(url, {"case_number": resident_case.number, "reason": "Rechtszaak loopt."}).status_code == 302
    hold = LegalHold.objects.get(case=resident_case)
    assert hold.placed_by == fg
    assert resident_case.number in fg_client.get(url).content.decode()
    assert fg_client.post(reverse("consent:legal-hold-lift", args=[hold.uuid])).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None
