"""The casusoverleg pages: the policy on every route of ``workplans/urls_meetings.py``, the partner's view
of a meeting, minutes autosave over HTMX with optimistic locking, and a bounded number of queries for
the meeting page whatever the size of its agenda."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from cases import services as case_services
from cases.constants import CaseRole, CaseStatus, Law, SafetyConcern
from consent.models import AccessLogEntry
from tests.factories import TeamFactory, make_user, shared_purpose
from workplans import meeting_services, urls_meetings
from workplans.meeting_models import AgendaItem, Agreement, Meeting, MeetingKind, MeetingParticipant

pytestmark = pytest.mark.django_db

GET_ROUTES = ["meetings", "meeting-create", "meeting", "meeting-edit", "minutes", "minutes-pdf"]
POST_ROUTES = [
    "meeting-create",
    "meeting-edit",
    "agenda-add",
    "agenda-remove",
    "participant-add",
    "meeting-action",
    "minutes-save",
    "agreement-add",
    "attendance-save",
    "minutes-distribute",
    "agreement-close",
]
# Routes of one meeting (or its agreement): hidden from anybody outside the team and the participants.
MEETING_GET_ROUTES = ["meeting", "meeting-edit", "minutes", "minutes-pdf"]
MEETING_POST_ROUTES = [name for name in POST_ROUTES if name != "meeting-create"]


def make_case(actor, team, family_name: str, *, safety_concern: str = ""):
    adult = case_services.client_create(
        actor=actor, given_names="Piet", family_name=family_name, date_of_birth=datetime.date(1980, 1, 1)
    )
    household = case_services.household_create(
        actor=actor, name=f"Huishouden {family_name}", members=[(adult, "ouder")]
    )
    case = case_services.case_open(
        actor=actor, team=team, household=household, laws=[Law.WMO], safety_concern=safety_concern
    )
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=actor, case=case, to_status=status)
    return case


@pytest.fixture
def case_b(wijkcoach, team):
    return make_case(wijkcoach, team, "Jansen")


@pytest.fixture
def case_c(wijkcoach, team):
    """An active case of the team that is not on the agenda yet."""
    return make_case(wijkcoach, team, "Claes")


@pytest.fixture
def partner(partner_org, wijkcoach, active_case):
    user = make_user(Role.PARTNER, TeamFactory(organisation=partner_org, name="GGZ team"), username="t_partner")
    case_services.case_member_add(
        actor=wijkcoach, case=active_case, user=user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    return user


@pytest.fixture
def meeting(wijkcoach, team, partner, active_case, case_b, case_c):
    """A planned team meeting about ``active_case`` (A) and ``case_b`` (B); the partner, a member of A
    only, takes part. A has an open agreement."""
    meeting = meeting_services.meeting_plan(
        actor=wijkcoach,
        team=team,
        title="Teamoverleg Noord",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        chair=wijkcoach,
        kind=MeetingKind.TEAMOVERLEG,
        location="Stadskantoor",
    )
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=active_case, question="Vraag Alfa")
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=case_b, question="Vraag Bravo")
    meeting_services.participant_add(actor=wijkcoach, meeting=meeting, user=partner, notify=False)
    meeting_services.agreement_make(
        actor=wijkcoach, case=active_case, what="Afspraak Alfa", due_on=timezone.localdate(), owner=wijkcoach
    )
    return meeting


def _item(meeting, case) -> AgendaItem:
    return AgendaItem.objects.get(meeting=meeting, case=case)


def _url(name, meeting, active_case, case_b) -> str:
    item_a = _item(meeting, active_case)
    item_b = _item(meeting, case_b)
    participant = meeting.participants.order_by("id").first()
    agreement = Agreement.objects.get(case=active_case)
    args = {
        "meetings": [],
        "meeting-create": [],
        "meeting": [meeting.uuid],
        "meeting-edit": [meeting.uuid],
        "agenda-add": [meeting.uuid],
        "agenda-remove": [meeting.uuid, item_b.uuid],
        "participant-add": [meeting.uuid],
        "meeting-action": [meeting.uuid, "gehouden"],
        "minutes": [meeting.uuid],
        "minutes-save": [meeting.uuid, item_a.uuid],
        "agreement-add": [meeting.uuid, item_a.uuid],
        "attendance-save": [meeting.uuid, participant.uuid],
        "minutes-pdf": [meeting.uuid, participant.uuid],
        "minutes-distribute": [meeting.uuid],
        "agreement-close": [agreement.uuid],
    }[name]
    return reverse(f"workplans:{name}", args=args)


def _payload(name, meeting, team, active_case, case_c, wijkcoach, partner_org) -> dict:
    participant = meeting.participants.order_by("id").first()
    agreement = Agreement.objects.get(case=active_case)
    return {
        "meeting-create": {
            "kind": MeetingKind.CASUSOVERLEG,
            "title": "Nieuw overleg",
            "team": str(team.uuid),
            "starts_at": (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45,
            "location": "Buurthuis",
        },
        "meeting-edit": {
            "title": "Teamoverleg Noord (verplaatst)",
            "starts_at": (timezone.localtime() + datetime.timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 90,
            "location": "Buurthuis",
            "video_link": "",
        },
        "agenda-add": {"case": str(case_c.uuid), "minutes_planned": 15, "question": "Nieuwe vraag"},
        "agenda-remove": {},
        "participant-add": {
            "contact_name": "Karin Smit",
            "contact_email": "karin@ggz.example",
            "organisation": str(partner_org.uuid),
        },
        "meeting-action": {},
        "minutes-save": {"decisions": "Besloten", "reasoning": "Omdat", "lock_version": 1},
        "agreement-add": {
            "what": "Nieuwe afspraak",
            "owner": str(wijkcoach.uuid),
            "due_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        },
        "attendance-save": {f"p-{participant.uuid}-attendance": "aanwezig", f"p-{participant.uuid}-absence_reason": ""},
        "minutes-distribute": {},
        "agreement-close": {f"a-{agreement.uuid}-status": "gedaan", f"a-{agreement.uuid}-note": ""},
    }[name]


def _fingerprint() -> tuple:
    """Everything a write on these routes could change."""
    return (
        sorted(Meeting.objects.values_list("title", "status", "ics_sequence")),
        sorted(AgendaItem.objects.values_list("case_id", "decisions", "lock_version")),
        sorted(MeetingParticipant.objects.values_list("contact_email", "attendance")),
        sorted(Agreement.objects.values_list("what", "status")),
        len(mail.outbox),
        AccessLogEntry.objects.filter(action="export").count(),
    )


@pytest.fixture
def request_route(client, meeting, team, active_case, case_b, case_c, wijkcoach, partner_org):
    def _request(user, name, method):
        if user is not None:
            client.force_login(user)
        url = _url(name, meeting, active_case, case_b)
        if method == "get":
            return client.get(url)
        return client.post(url, _payload(name, meeting, team, active_case, case_c, wijkcoach, partner_org))

    return _request


def test_every_meeting_route_is_covered_here():
    names = {pattern.name for pattern in urls_meetings.urlpatterns}
    assert names == set(GET_ROUTES) | set(POST_ROUTES)


# --- Policy: the team -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GET_ROUTES)
def test_a_team_member_may_read(request_route, colleague, name):
    response = request_route(colleague, name, "get")
    assert response.status_code == 200, name


@pytest.mark.parametrize("name", POST_ROUTES)
def test_a_team_member_may_write(request_route, colleague, name, django_capture_on_commit_callbacks):
    before = _fingerprint()
    with django_capture_on_commit_callbacks(execute=True):
        response = request_route(colleague, name, "post")
    assert response.status_code == 302, response.content.decode()[:2000]
    if name != "minutes-distribute":  # only after the meeting was held: see the test below
        assert _fingerprint() != before, name


def test_minutes_are_distributed_once_the_meeting_was_held(request_route, colleague, meeting):
    assert request_route(colleague, "meeting-action", "post").status_code == 302  # gehouden
    before = len(mail.outbox)
    assert request_route(None, "minutes-distribute", "post").status_code == 302
    assert len(mail.outbox) == before + 2  # the chair and the partner
    assert AccessLogEntry.objects.filter(action="export", route="minutes_distribute").count() == 3


def test_the_minutes_pdf_download_is_logged_as_an_export(request_route, colleague, meeting, active_case, case_b):
    response = request_route(colleague, "minutes-pdf", "get")  # the chair's minutes: both cases
    assert response["Content-Type"] == "application/pdf"
    assert set(AccessLogEntry.objects.filter(user=colleague, action="export").values_list("case_id", flat=True)) == {
        active_case.pk,
        case_b.pk,
    }


# --- Policy: outsiders, policy staff, anonymous ------------------------------------------------------


@pytest.mark.parametrize("name", MEETING_GET_ROUTES)
@pytest.mark.parametrize("persona", ["outsider", "beleid"])
def test_outsiders_and_policy_staff_get_404_on_a_meeting(request, request_route, persona, name):
    assert request_route(request.getfixturevalue(persona), name, "get").status_code == 404


@pytest.mark.parametrize("name", MEETING_POST_ROUTES)
@pytest.mark.parametrize("persona", ["outsider", "beleid"])
def test_outsiders_and_policy_staff_may_not_write(request, request_route, persona, name):
    before = _fingerprint()
    assert request_route(request.getfixturevalue(persona), name, "post").status_code == 404
    assert _fingerprint() == before


def test_an_outsider_sees_no_meeting_of_another_team_in_the_list(request_route, outsider, meeting):
    response = request_route(outsider, "meetings", "get")
    assert response.status_code == 200
    assert meeting.title not in response.content.decode()


def test_an_outsider_may_not_plan_a_meeting_for_another_team(request_route, outsider, team):
    response = request_route(outsider, "meeting-create", "get")
    assert response.status_code == 200
    assert str(team.uuid) not in response.content.decode()
    before = _fingerprint()
    response = request_route(outsider, "meeting-create", "post")  # the payload names the other team
    assert response.status_code == 400
    assert _fingerprint() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_policy_staff_may_not_list_or_plan_meetings(request_route, beleid, method):
    before = _fingerprint()
    name = "meetings" if method == "get" else "meeting-create"
    assert request_route(beleid, name, method).status_code == 403
    assert request_route(beleid, "meeting-create", "get").status_code == 403
    assert _fingerprint() == before


@pytest.mark.parametrize("name", GET_ROUTES)
def test_an_anonymous_visitor_is_sent_to_log_in(request_route, name):
    response = request_route(None, name, "get")
    assert response.status_code == 302
    assert "login" in response["Location"] or "inloggen" in response["Location"]


# --- Policy: a partner participant ----------------------------------------------------------------------


def test_a_partner_participant_sees_only_the_item_of_their_case(request_route, partner, meeting, active_case, case_b):
    response = request_route(partner, "meeting", "get")
    assert response.status_code == 200
    content = response.content.decode()
    assert active_case.number in content
    assert "Vraag Alfa" in content
    assert "Afspraak Alfa" in content  # carried over agreement of their case
    assert case_b.number not in content
    assert "Vraag Bravo" not in content
    assert "Voorgestelde casussen" not in content  # the agenda builder is the team's
    assert AccessLogEntry.objects.filter(user=partner, action="view", case=active_case).exists()
    assert not AccessLogEntry.objects.filter(user=partner, case=case_b).exists()


def test_a_partner_participant_sees_the_meeting_in_the_list(request_route, partner, meeting):
    response = request_route(partner, "meetings", "get")
    assert response.status_code == 200
    assert meeting.title in response.content.decode()


@pytest.mark.parametrize("name", ["meeting-edit", "minutes", "minutes-pdf"])
def test_a_partner_participant_may_not_open_the_team_pages(request_route, partner, name):
    assert request_route(partner, name, "get").status_code in (403, 404)


@pytest.mark.parametrize("name", POST_ROUTES)
def test_a_partner_participant_may_not_write(request_route, partner, name):
    before = _fingerprint()
    assert request_route(partner, name, "post").status_code in (403, 404)
    assert _fingerprint() == before


def test_a_partner_who_is_not_a_participant_gets_404(request_route, partner_org, wijkcoach, active_case):
    other = make_user(Role.PARTNER, TeamFactory(organisation=partner_org, name="Ander team"), username="t_p2")
    case_services.case_member_add(
        actor=wijkcoach, case=active_case, user=other, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    assert request_route(other, "meeting", "get").status_code == 404


# --- Redirects stay on the site ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["agreement-close", "attendance-save"])
def test_the_next_parameter_does_not_redirect_off_site(
    client, colleague, meeting, team, active_case, case_b, case_c, wijkcoach, partner_org, name
):
    client.force_login(colleague)
    payload = _payload(name, meeting, team, active_case, case_c, wijkcoach, partner_org)
    payload["next"] = "https://evil.example/phish"
    response = client.post(_url(name, meeting, active_case, case_b), payload)
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


# --- Minutes autosave (HTMX) ----------------------------------------------------------------------------


def test_minutes_autosave_stores_the_decisions(client, colleague, meeting, active_case):
    item = _item(meeting, active_case)
    client.force_login(colleague)
    url = reverse("workplans:minutes-save", args=[meeting.uuid, item.uuid])
    response = client.post(
        url, {"decisions": "Schuldhulp starten", "reasoning": "", "lock_version": 1}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Opgeslagen" in response.content.decode()
    assert 'name="lock_version" value="2"' in response.content.decode()
    item.refresh_from_db()
    assert item.decisions == "Schuldhulp starten"
    assert item.lock_version == 2

    # The next keystroke, with the new version from the out-of-band swap.
    response = client.post(
        url, {"decisions": "Schuldhulp starten via GKB", "reasoning": "", "lock_version": 2}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.decisions == "Schuldhulp starten via GKB"


def test_a_stale_lock_version_returns_409_and_keeps_the_stored_text(client, colleague, wijkcoach, meeting, active_case):
    item = _item(meeting, active_case)
    meeting_services.agenda_item_record(actor=wijkcoach, item=item, expected_version=1, decisions="Tekst van Wim")
    client.force_login(colleague)
    response = client.post(
        reverse("workplans:minutes-save", args=[meeting.uuid, item.uuid]),
        {"decisions": "Tekst van Karel", "reasoning": "", "lock_version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "Vernieuw de pagina" in response.content.decode()
    item.refresh_from_db()
    assert item.decisions == "Tekst van Wim"
    assert item.lock_version == 2


def test_minutes_text_is_escaped_on_the_meeting_page(client, colleague, wijkcoach, meeting, active_case):
    item = _item(meeting, active_case)
    meeting_services.agenda_item_record(
        actor=wijkcoach, item=item, expected_version=1, decisions="<script>alert(1)</script>"
    )
    client.force_login(colleague)
    content = client.get(reverse("workplans:meeting", args=[meeting.uuid])).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# --- Bounded queries ----------------------------------------------------------------------------------------


def _agenda(wijkcoach, partner_org, meeting, cases, agreements_per_case: int, earlier: Meeting | None = None):
    """Put ``cases`` on the agenda, each with agreements made before the meeting (carried over), half of
    them overdue and half owned by a party instead of a person."""
    today = timezone.localdate()
    for i, case in enumerate(cases):
        meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=case, question=f"Vraag {i}")
        for j in range(agreements_per_case):
            by_party = j % 2 == 1
            meeting_services.agreement_make(
                actor=wijkcoach,
                case=case,
                what=f"Afspraak {i}-{j}",
                due_on=today + datetime.timedelta(days=-3 if j % 2 == 0 else 10),
                owner=None if by_party else wijkcoach,
                owner_organisation=partner_org if by_party else None,
            )


def test_the_meeting_page_runs_a_fixed_number_of_queries_whatever_the_agenda_size(
    client, wijkcoach, colleague, team, partner_org
):
    def plan(title):
        return meeting_services.meeting_plan(
            actor=wijkcoach,
            team=team,
            title=title,
            starts_at=timezone.now() + datetime.timedelta(days=7),
            chair=wijkcoach,
            kind=MeetingKind.TEAMOVERLEG,
            location="Stadskantoor",
        )

    cases = [
        make_case(wijkcoach, team, f"Familie{i:02d}", safety_concern=SafetyConcern.HUISELIJK_GEWELD if i % 4 else "")
        for i in range(21)
    ]

    small = plan("Klein overleg")
    _agenda(wijkcoach, partner_org, small, cases[:1], agreements_per_case=3)
    meeting_services.participant_add(actor=wijkcoach, meeting=small, user=colleague, notify=False)

    large = plan("Groot overleg")
    _agenda(wijkcoach, partner_org, large, cases[1:], agreements_per_case=3)
    meeting_services.participant_add(actor=wijkcoach, meeting=large, user=colleague, notify=False)
    assert large.agenda_items.count() == 20
    assert Agreement.objects.filter(case__in=cases[1:]).count() == 60

    client.force_login(wijkcoach)
    small_url = reverse("workplans:meeting", args=[small.uuid])
    large_url = reverse("workplans:meeting", args=[large.uuid])
    assert client.get(small_url).status_code == 200  # warm up (session, content types, translations)

    with CaptureQueriesContext(connection) as few:
        assert client.get(small_url).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(large_url)
    assert response.status_code == 200
    content = response.content.decode()
    assert cases[20].number in content
    assert "Afspraak 19-2" in content  # the last carried-over agreement is shown

    # The queries, whatever the size of the agenda:
    # - request: the session and the user;
    # - access (access.gate.meeting_for_user -> access.policy): the user's casework teams, the
    #   meeting (with team and chair) among the visible ones, and the team check again for may_change;
    # - meeting_page: the agenda items with their cases (one join), the visible case ids among them
    #   (policy.filter_cases), agreements made in this meeting, carried-over agreements (with owner,
    #   party and meeting), the participants with user and organisation;
    # - the agenda builder (agenda_suggestions): the annotated cases of the team and the ZRM scores;
    # - the forms: the team's visible active cases, the candidate users, the organisations;
    # - the end of the request: the one INSERT of the access log and the session save.
    # None of them is per agenda item or per agreement.
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
    assert len(few) <= 30, "\n".join(q["sql"] for q in few.captured_queries)


def test_the_minutes_mode_runs_a_fixed_number_of_queries_whatever_the_agenda_size(client, wijkcoach, team, partner_org):
    cases = [make_case(wijkcoach, team, f"Notulen{i:02d}") for i in range(21)]
    meetings = []
    for title, chunk in (("Klein", cases[:1]), ("Groot", cases[1:])):
        meeting = meeting_services.meeting_plan(
            actor=wijkcoach,
            team=team,
            title=title,
            starts_at=timezone.now() + datetime.timedelta(days=7),
            chair=wijkcoach,
            kind=MeetingKind.TEAMOVERLEG,
            location="Stadskantoor",
        )
        _agenda(wijkcoach, partner_org, meeting, chunk, agreements_per_case=3)
        meetings.append(meeting)

    client.force_login(wijkcoach)
    urls = [reverse("workplans:minutes", args=[m.uuid]) for m in meetings]
    assert client.get(urls[0]).status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert client.get(urls[0]).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(urls[1]).status_code == 200
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_editing_a_meeting_mails_an_update_of_the_same_event(
    request_route, colleague, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert request_route(colleague, "meeting-edit", "post").status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Teamoverleg Noord (verplaatst)"
    assert meeting.duration_minutes == 90
    assert meeting.ics_sequence == 1
    (update,) = mail.outbox
    assert update.subject.startswith("Gewijzigd")
    assert f"UID:{meeting.uuid}@casusregie" in str(update.attachments[0][1])


def test_a_meeting_may_not_be_moved_into_the_past(client, colleague, meeting):
    """Like meeting_plan, a change refuses a start in the past (no invitation for a meeting that was)."""
    client.force_login(colleague)
    response = client.post(
        reverse("workplans:meeting-edit", args=[meeting.uuid]),
        {
            "title": meeting.title,
            "starts_at": (timezone.localtime() - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 60,
            "location": "Stadskantoor",
            "video_link": "",
        },
    )
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.starts_at > timezone.now()
    assert meeting.ics_sequence == 0
