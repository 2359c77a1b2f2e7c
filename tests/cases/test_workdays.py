"""Working days skip weekends and Dutch public holidays; the triage deadline of a signal is counted in them."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services
from cases.constants import DEFAULT_TRIAGE_WORKING_DAYS, SignalSource
from cases.models import TeamCaseSettings
from cases.workdays import add_working_days, is_working_day, working_days_between

AMS = ZoneInfo("Europe/Amsterdam")
D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        pytest.param(D(2026, 11, 19), 1, D(2026, 11, 20), id="thursday-to-friday"),
        pytest.param(D(2026, 11, 20), 1, D(2026, 11, 23), id="friday-skips-weekend"),
        pytest.param(D(2026, 11, 21), 1, D(2026, 11, 23), id="from-saturday"),
        pytest.param(D(2026, 11, 16), 5, D(2026, 11, 23), id="a-working-week"),
        pytest.param(D(2026, 12, 24), 1, D(2026, 12, 28), id="christmas-25-and-26-december"),
        pytest.param(D(2026, 4, 24), 1, D(2026, 4, 28), id="kings-day-27-april"),
        pytest.param(D(2026, 5, 13), 1, D(2026, 5, 15), id="ascension-day"),
        pytest.param(D(2026, 5, 22), 1, D(2026, 5, 26), id="whit-monday"),
        pytest.param(D(2026, 12, 31), 1, D(2027, 1, 4), id="new-year-across-the-year-end"),
        pytest.param(D(2026, 12, 24), 5, D(2027, 1, 4), id="christmas-and-new-year"),
        pytest.param(D(2026, 11, 21), 0, D(2026, 11, 21), id="zero-days-is-the-start"),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_add_working_days_refuses_negative_days():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 11, 23), -1)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 11, 23), True),  # Monday
        (D(2026, 11, 22), False),  # Sunday
        (D(2026, 11, 21), False),  # Saturday
        (D(2026, 4, 27), False),  # Koningsdag
        (D(2026, 12, 25), False),  # Eerste Kerstdag
        (D(2026, 1, 1), False),  # Nieuwjaarsdag
        (D(2026, 5, 25), False),  # Tweede Pinksterdag
        (D(2026, 12, 24), True),  # Christmas Eve is an ordinary working day
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(D(2026, 12, 24), D(2026, 12, 28), 1, id="over-christmas"),
        pytest.param(D(2026, 4, 24), D(2026, 5, 1), 4, id="over-kings-day"),
        pytest.param(D(2026, 11, 16), D(2026, 11, 23), 5, id="one-week"),
        pytest.param(D(2026, 11, 20), D(2026, 11, 22), 0, id="only-a-weekend"),
        pytest.param(D(2026, 11, 23), D(2026, 11, 23), 0, id="same-day"),
        pytest.param(D(2026, 11, 23), D(2026, 11, 16), 0, id="end-before-start"),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


@pytest.mark.parametrize("days", [1, 3, 5, 10, 20])
@pytest.mark.parametrize("start", [D(2026, 4, 23), D(2026, 12, 19), D(2026, 12, 24), D(2026, 5, 12)])
def test_add_and_between_agree(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days


# --- Triage deadline of a signal ------------------------------------------------------


def _record(actor, team, **kwargs):
    return services.signal_record(
        actor=actor,
        team=team,
        source=SignalSource.BUREN,
        what_was_seen="De buren maken zich zorgen: post stapelt zich op.",
        subject_description="Bewoner Dorpsstraat 12",
        **kwargs,
    )


@pytest.mark.django_db
def test_default_triage_deadline_is_five_working_days(wijkcoach, team):
    assert DEFAULT_TRIAGE_WORKING_DAYS == 5
    # Monday 21 December: 22, 23, 24, (Christmas and the weekend), 28, 29.
    with time_machine.travel(datetime.datetime(2026, 12, 21, 10, 0, tzinfo=AMS), tick=False):
        signal = _record(wijkcoach, team)
    signal.refresh_from_db()
    assert signal.triage_deadline == D(2026, 12, 29)
    assert not signal.is_overdue(today=D(2026, 12, 29))
    assert signal.is_overdue(today=D(2026, 12, 30))


@pytest.mark.django_db
def test_deadline_counts_from_the_received_date(wijkcoach, team):
    signal = _record(wijkcoach, team, received_at=datetime.datetime(2026, 12, 24, 16, 0, tzinfo=AMS))
    # 28, 29, 30, 31 December and (after New Year's Day and the weekend) 4 January.
    assert signal.triage_deadline == D(2027, 1, 4)


@pytest.mark.django_db
def test_deadline_uses_the_local_date(wijkcoach, team):
    # 23:30 UTC on Sunday 1 March is 00:30 on Monday 2 March in Amsterdam: the count starts on Monday.
    signal = _record(wijkcoach, team, received_at=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC))
    assert signal.triage_deadline == D(2026, 3, 9)


@pytest.mark.django_db
def test_team_setting_changes_the_triage_deadline(wijkcoach, outsider, team, other_team):
    TeamCaseSettings.objects.create(team=team, triage_working_days=2)
    received = datetime.datetime(2026, 12, 24, 9, 0, tzinfo=AMS)

    mine = _record(wijkcoach, team, received_at=received)
    theirs = _record(outsider, other_team, received_at=received)

    assert mine.triage_deadline == D(2026, 12, 29)
    assert theirs.triage_deadline == D(2027, 1, 4)  # the other team keeps the default of 5
    assert services.triage_working_days(team) == 2
    assert services.triage_working_days(other_team) == DEFAULT_TRIAGE_WORKING_DAYS
