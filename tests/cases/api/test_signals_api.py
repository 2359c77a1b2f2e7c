"""/api/v1/signals: the team's inbox of meldingen, recording and triage."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from cases import services
from cases.constants import SignalOutcome, SignalSource
from cases.models import Case, Signal
from consent.constants import AccessAction
from consent.models import AccessLogEntry

from .conftest import count_queries, invalid_names, new_client, problem

pytestmark = pytest.mark.django_db

SIGNALS = "/api/v1/signals"


def detail(signal, suffix: str = "") -> str:
    return f"{SIGNALS}/{signal.uuid}{suffix}"


def valid_signal(team, /, **overrides) -> dict:
    return {
        "team": str(team.uuid),
        "source": "school",
        "whatWasSeen": "Kind komt al weken zonder lunch naar school.",
        "subjectDescription": "Leerling groep 5, achternaam Bakker",
        "reporterName": "Juf Ans",
        "reporterContact": "06-11111111",
        **overrides,
    }


# --- Record ------------------------------------------------------------------------


def test_record_signal(login, wijkcoach, team):
    response = login(wijkcoach).post(SIGNALS, valid_signal(team))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["open"] is True
    assert body["overdue"] is False
    assert body["team"]["name"] == "Wijkteam Noord"
    assert body["client"] is None
    assert body["case"] is None
    assert datetime.date.fromisoformat(body["triageDeadline"]) > timezone.localdate()
    assert response["Location"] == f"/api/v1/signals/{body['uuid']}"
    assert Signal.objects.get().created_by == wijkcoach


def test_record_signal_about_a_visible_client(login, wijkcoach, team, case, client_record):
    response = login(wijkcoach).post(SIGNALS, valid_signal(team, client=str(client_record.uuid), subjectDescription=""))
    assert response.status_code == 201, response.content
    assert response.json()["client"]["uuid"] == str(client_record.uuid)


def test_record_signal_about_an_invisible_client_does_not_reveal_it(login, outsider, other_team, case, client_record):
    response = login(outsider).post(SIGNALS, valid_signal(other_team, client=str(client_record.uuid)))
    assert problem(response, 400)["invalidParams"] == [
        {"name": "client", "code": "invalid", "reason": "Onbekende cliënt."}
    ]
    assert not Signal.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "beleid", "partner"])
def test_only_the_teams_professionals_record_its_signals(login, request, team, persona):
    problem(login(request.getfixturevalue(persona)).post(SIGNALS, valid_signal(team)), 403)
    assert not Signal.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"whatWasSeen": ""}, "whatWasSeen"),
        ({"whatWasSeen": "x" * 2001}, "whatWasSeen"),
        ({"whatWasSeen": "zag\x00iets"}, "whatWasSeen"),
        ({"reporterName": "\x00"}, "reporterName"),
        ({"reporterContact": "a\x00"}, "reporterContact"),
        ({"subjectDescription": "\x00"}, "subjectDescription"),
        ({"subjectDescription": "x" * 301}, "subjectDescription"),
        ({"subjectDescription": ""}, "subjectDescription"),
        ({"source": "roddel"}, "source"),
        ({"team": "00000000-0000-4000-8000-000000000000"}, "team"),
        ({"receivedAt": (timezone.now() + datetime.timedelta(days=1)).isoformat()}, "receivedAt"),
    ],
)
def test_invalid_signal_is_400_and_nothing_stored(login, wijkcoach, team, overrides, field):
    assert field in invalid_names(login(wijkcoach).post(SIGNALS, valid_signal(team, **overrides)))
    assert not Signal.objects.exists()


def test_html_in_a_signal_is_kept_as_text(login, wijkcoach, team):
    text = '<img src=x onerror="alert(1)"> zag iets'
    response = login(wijkcoach).post(SIGNALS, valid_signal(team, whatWasSeen=text))
    assert response.json()["whatWasSeen"] == text
    assert Signal.objects.get().what_was_seen == text


# --- Read -----------------------------------------------------------------------


def test_team_sees_its_inbox_and_reads_are_logged(login, colleague, signal, client_record):
    api = login(colleague)
    body = api.get(SIGNALS).json()
    assert [row["uuid"] for row in body["results"]] == [str(signal.uuid)]
    assert AccessLogEntry.objects.filter(user=colleague, action=AccessAction.LIST, client=client_record).exists()
    assert api.get(detail(signal)).json()["whatWasSeen"] == signal.what_was_seen
    assert AccessLogEntry.objects.filter(user=colleague, action=AccessAction.VIEW, client=client_record).exists()


def test_list_query_count_does_not_grow_with_rows(login, wijkcoach, team, signal, case):
    api = login(wijkcoach)
    one = count_queries(api, SIGNALS)
    for index in range(10):
        about = new_client(wijkcoach) if index % 2 else None
        services.signal_record(
            actor=wijkcoach,
            team=team,
            source=SignalSource.HUISARTS,
            what_was_seen="Zorgen",
            client=about,
            subject_description="" if about else "Onbekende buurvrouw",
        )
    services.signal_triage(actor=wijkcoach, signal=signal, outcome=SignalOutcome.BESTAANDE_CASUS, case=case)
    assert count_queries(api, SIGNALS) == one
    assert api.get(SIGNALS).json()["count"] == 11


@pytest.mark.parametrize("persona", ["outsider", "beleid", "partner"])
def test_others_see_no_signal(login, request, signal, persona):
    api = login(request.getfixturevalue(persona))
    assert api.get(SIGNALS).json()["count"] == 0
    problem(api.get(detail(signal)), 404)
    problem(api.post(detail(signal, "/triage"), {"outcome": "geen_actie"}), 404)


def test_filters_open_and_overdue(login, wijkcoach, team, signal):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30)):
        late = services.signal_record(
            actor=wijkcoach, team=team, source=SignalSource.POLITIE, what_was_seen="Oud", subject_description="X"
        )
    done = services.signal_record(
        actor=wijkcoach, team=team, source=SignalSource.BURGER, what_was_seen="Klaar", subject_description="Y"
    )
    services.signal_triage(actor=wijkcoach, signal=done, outcome=SignalOutcome.GEEN_ACTIE)
    api = login(wijkcoach)

    def uuids(query: str) -> list[str]:
        response = api.get(SIGNALS + query)
        assert response.status_code == 200, response.content
        return [row["uuid"] for row in response.json()["results"]]

    # Overdue first: ordered by triage deadline.
    assert uuids("") == [str(late.uuid), str(signal.uuid), str(done.uuid)]
    assert uuids("?open=true") == [str(late.uuid), str(signal.uuid)]
    assert uuids("?open=false") == [str(done.uuid)]
    assert uuids("?overdue=true") == [str(late.uuid)]
    assert uuids("?overdue=false") == [str(signal.uuid), str(done.uuid)]
    assert uuids(f"?team={team.uuid}&open=true&overdue=false") == [str(signal.uuid)]
    assert api.get(SIGNALS + "?overdue=true").json()["results"][0]["overdue"] is True


# --- Triage -----------------------------------------------------------------------


def test_triage_opens_a_new_case_for_the_signals_client(login, wijkcoach, signal, client_record):
    response = login(wijkcoach).post(
        detail(signal, "/triage"), {"outcome": "nieuwe_casus", "note": "Meervoudig", "laws": ["jeugdwet"]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["open"] is False
    assert body["outcome"] == "nieuwe_casus"
    new_case = Case.objects.get(uuid=body["case"])
    assert (new_case.client, new_case.laws, new_case.team) == (client_record, ["jeugdwet"], signal.team)


def test_triage_links_an_existing_case(login, wijkcoach, signal, case):
    response = login(wijkcoach).post(detail(signal, "/triage"), {"outcome": "bestaande_casus", "case": str(case.uuid)})
    assert response.status_code == 200, response.content
    assert response.json()["case"] == str(case.uuid)


def test_triage_cannot_link_a_case_the_user_may_not_change(login, wijkcoach, outsider, other_team, signal):
    foreign = services.case_open(actor=outsider, team=other_team, client=new_client(outsider))
    response = login(wijkcoach).post(
        detail(signal, "/triage"), {"outcome": "bestaande_casus", "case": str(foreign.uuid)}
    )
    assert problem(response, 400)["invalidParams"] == [
        {"name": "case", "code": "invalid", "reason": "Onbekende casus."}
    ]
    signal.refresh_from_db()
    assert signal.outcome == ""


@pytest.mark.parametrize(
    "body, field",
    [
        ({"outcome": "weggooien"}, "outcome"),
        ({"outcome": "bestaande_casus"}, "case"),
        ({"outcome": "geen_actie", "note": "x\x00"}, "note"),
        ({"outcome": "geen_actie", "note": "x" * 2001}, "note"),
        ({"outcome": "nieuwe_casus", "laws": ["geen"]}, "laws.0"),
    ],
)
def test_invalid_triage_changes_nothing(login, wijkcoach, signal, body, field):
    assert field in invalid_names(login(wijkcoach).post(detail(signal, "/triage"), body))
    signal.refresh_from_db()
    assert (signal.outcome, signal.case, signal.triaged_at) == ("", None, None)
    assert not Case.objects.exists()


def test_triage_twice_is_400(login, wijkcoach, signal):
    api = login(wijkcoach)
    assert api.post(detail(signal, "/triage"), {"outcome": "geen_actie"}).status_code == 200
    params = problem(api.post(detail(signal, "/triage"), {"outcome": "enkelvoudig_doorverwezen"}), 400)["invalidParams"]
    assert params[0]["reason"] == "Deze melding is al getrieerd."
    signal.refresh_from_db()
    assert signal.outcome == SignalOutcome.GEEN_ACTIE


def test_new_case_without_a_known_client_is_400(login, wijkcoach, team):
    anonymous = services.signal_record(
        actor=wijkcoach, team=team, source=SignalSource.BUREN, what_was_seen="Iets", subject_description="Buurman"
    )
    response = login(wijkcoach).post(detail(anonymous, "/triage"), {"outcome": "nieuwe_casus"})
    assert invalid_names(response) == {"client"}
    assert not Case.objects.exists()
