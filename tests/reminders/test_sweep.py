"""The sweep as a whole: idempotent under reruns and retries (a database constraint), names cases by number
only, and costs the same number of queries per rule for 3 cases as for 30."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.constants import Role
from accounts.models import Notification
from cases import services as case_services
from cases.models import Case
from consent import services as consent_services
from consent.constants import ConsentMethod, LegalBasis, PurposeLaw
from consent.models import Purpose
from reminders import bench
from reminders import sweep as sweep_module
from reminders.constants import Rule
from reminders.rules import RULES, RuleContext
from reminders.sweep import notify_orphaned, run_sweep
from reminders.tasks import reminder_sweep
from tests.factories import make_user
from tests.reminders.builders import (
    CLIENT_FAMILY,
    CLIENT_GIVEN,
    HIRED,
    at,
    coordinated_case,
    handover,
    moment,
    open_case,
    signal,
    teamleider,
)
from workplans import meeting_services
from workplans import services as plan_services
from workplans.constants import GoalTerm

pytestmark = pytest.mark.django_db

D0 = datetime.date(2026, 3, 17)
SWEEP_DAY = D0 + datetime.timedelta(days=120)  # Wednesday 15 July 2026: everything below is due


@pytest.fixture(autouse=True)
def hired_long_ago():
    with at(HIRED):
        yield


@pytest.fixture
def leader(team):
    return teamleider(team)


@pytest.fixture
def purpose():
    return Purpose.objects.create(
        code="ggz",
        name="Afstemming met de GGZ",
        legal_basis=LegalBasis.CONSENT,
        law=PurposeLaw.WAMS,
        categories=["administratief"],
        recipient_types=["zorgaanbieder"],
    )


def everything_due(team, purpose, n: int, *, start: int = 0) -> list[Case]:
    """``n`` coordinated cases for which every rule has something due on ``SWEEP_DAY``, plus ``n`` orphaned
    cases. Each set has its own coordinator and receiver, so deliveries grow with ``n`` too."""
    cases = []
    for i in range(start, start + n):
        with at(HIRED):
            coordinator = make_user(Role.WIJKCOACH, team, username=f"t_regie_{i}")
            receiver = make_user(Role.WIJKCOACH, team, username=f"t_ontvanger_{i}")
            ghost = make_user(Role.WIJKCOACH, team, username=f"t_vertrokken_{i}")
        case = coordinated_case(coordinator, team, on=D0)
        with at(D0):
            meeting_services.agreement_make(
                actor=coordinator,
                case=case,
                what=f"{CLIENT_GIVEN} belt de woningcorporatie",
                due_on=D0,
                owner=coordinator,
            )
            plan_services.goal_add(
                actor=coordinator,
                workplan=case.workplan,
                term=GoalTerm.LONG,
                life_domain="huisvesting",
                description=f"{CLIENT_GIVEN} woont zelfstandig",
                horizon_years=2,
            )
            case_services.referral_send(actor=coordinator, case=case, question="Schulden", provision="Schuldhulp")
            consent_services.consent_record(
                actor=coordinator,
                client=case.client,
                purpose=purpose,
                recipient_type="zorgaanbieder",
                given_at=moment(D0, 8),
                expires_at=moment(SWEEP_DAY + datetime.timedelta(days=10)),
                method=ConsentMethod.WRITTEN,
            )
        signal(coordinator, team, on=D0 + datetime.timedelta(days=3), case=case)  # asks for a review
        signal(coordinator, team, on=D0)  # never triaged
        handover(case, from_user=coordinator, to_user=receiver, due_on=D0 + datetime.timedelta(days=7))
        open_case(ghost, team, on=D0)
        ghost.is_active = False
        ghost.save(update_fields=["is_active"])
        cases.append(case)
    return cases


def sweep_queries(today: datetime.date) -> dict[str, tuple[int, int]]:
    """Per rule: the queries (counted by Django's own test helper, not the sweep's counter) and the reminders."""
    counts = {}
    for code in RULES:
        with at(today, hour=7), CaptureQueriesContext(connection) as queries:
            report = run_sweep(today, rules=[code])
        counts[code] = (len(queries), report[code]["items"])
    return counts


def test_queries_per_rule_do_not_grow_with_the_number_of_cases():
    """3 cases and 30 cases (every rule due for each, seeded in bulk): the same queries per rule."""
    staff = bench.make_staff(teams=2, coordinators_per_team=3, prefix="budget")
    bench.seed_cases(staff, 3, today=SWEEP_DAY, dense=True, analyze=False)
    few = sweep_queries(SWEEP_DAY)
    Notification.objects.all().delete()
    bench.seed_cases(staff, 27, today=SWEEP_DAY, dense=True, first=3, analyze=False)
    many = sweep_queries(SWEEP_DAY)
    for code in RULES:
        (few_queries, few_items), (many_queries, many_items) = few[code], many[code]
        assert few_items >= 3 and many_items == 10 * few_items, (code, few[code], many[code])
        # The settings, the active professionals and the teamleiders (3); JIT off and back on (2); the rule's
        # one SELECT; per batch of reminders the case teams, the keys that exist already and one INSERT (3).
        assert many_queries == few_queries <= 9, (code, few[code], many[code])


def test_titles_name_the_case_by_number_never_the_client(team, leader, purpose):
    cases = everything_due(team, purpose, 1)
    with at(SWEEP_DAY, hour=7):
        run_sweep(SWEEP_DAY)
    notifications = list(Notification.objects.all())
    assert {n.rule for n in notifications} == set(RULES)
    numbers = set(Case.objects.values_list("number", flat=True))
    bsns = {c.client.bsn for c in Case.objects.select_related("client")}
    for n in notifications:
        text = f"{n.title} {n.body} {n.url}"
        assert CLIENT_GIVEN not in text and CLIENT_FAMILY not in text, text
        assert not any(bsn in text for bsn in bsns), text
        if n.rule != Rule.SIGNAL_TRIAGE:  # an untriaged signal has no case yet
            assert n.case_number in numbers
            assert n.case_number in n.title
        assert len(n.title) <= 200
        assert n.url.startswith("/")
    assert cases[0].number in {n.case_number for n in notifications}


def test_running_twice_sends_nothing_new(team, leader, purpose):
    everything_due(team, purpose, 2)
    with at(SWEEP_DAY, hour=7):
        first = run_sweep(SWEEP_DAY)
        count = Notification.objects.count()
        second = run_sweep(SWEEP_DAY)
    assert first["total"]["created"] == count > 0
    assert second["total"]["created"] == 0
    assert second["total"]["items"] == first["total"]["items"]
    assert Notification.objects.count() == count


def test_an_item_marked_done_stays_done(team, leader, purpose):
    everything_due(team, purpose, 1)
    with at(SWEEP_DAY, hour=7):
        run_sweep(SWEEP_DAY)
        count = Notification.objects.update(done_at=moment(SWEEP_DAY, 8))
        again = run_sweep(SWEEP_DAY)
    assert again["total"]["created"] == 0
    assert Notification.objects.filter(done_at__isnull=False).count() == Notification.objects.count() == count


def test_an_interrupted_run_then_retried_completes_without_duplicates(team, leader, purpose, monkeypatch):
    """A worker that dies half-way: what was committed stays, the retry adds the rest, nothing twice."""
    everything_due(team, purpose, 3)
    with at(SWEEP_DAY, hour=7):
        run_sweep(SWEEP_DAY)
    expected = set(Notification.objects.values_list("occurrence_key", flat=True))
    Notification.objects.all().delete()

    real_duty_due = RULES[Rule.DUTY_DUE]

    def dies_half_way(ctx):
        for number, reminder in enumerate(real_duty_due(ctx)):
            if number == 10:
                raise OperationalError("server closed the connection unexpectedly")
            yield reminder

    monkeypatch.setattr(sweep_module, "BATCH_SIZE", 4)
    monkeypatch.setitem(RULES, Rule.DUTY_DUE, dies_half_way)
    with at(SWEEP_DAY, hour=7), pytest.raises(OperationalError):
        run_sweep(SWEEP_DAY)
    partial = Notification.objects.count()
    assert 0 < partial < len(expected)

    monkeypatch.setitem(RULES, Rule.DUTY_DUE, real_duty_due)
    with at(SWEEP_DAY, hour=7):
        run_sweep(SWEEP_DAY)
    keys = list(Notification.objects.values_list("occurrence_key", flat=True))
    assert len(keys) == len(set(keys))
    assert set(keys) == expected


def test_the_task_retries_after_a_database_error_and_delivers_once(team, leader, purpose, monkeypatch):
    """``reminder_sweep`` retries on a database error (``autoretry_for``); run eagerly here, in-process."""
    everything_due(team, purpose, 1)
    calls = []
    real_run = sweep_module.run_sweep

    def flaky_run(today=None, **kwargs):
        calls.append(today)
        result = real_run(SWEEP_DAY, **kwargs)
        if len(calls) == 1:
            raise OperationalError("could not connect to server")  # after delivering everything once
        return result

    monkeypatch.setattr(sweep_module, "run_sweep", flaky_run)
    with at(SWEEP_DAY, hour=7):
        outcome = reminder_sweep.apply()
    assert outcome.successful(), outcome.traceback
    assert len(calls) == 2
    assert outcome.result["total"]["created"] == 0  # the retry found everything delivered
    keys = list(Notification.objects.values_list("occurrence_key", flat=True))
    assert keys and len(keys) == len(set(keys))


def test_the_database_refuses_a_second_item_for_one_occurrence(wijkcoach):
    key = "duty_due:duty:1:2026-04-28:1:herinnering"
    Notification.objects.create(user=wijkcoach, title="Eerste", occurrence_key=key)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=wijkcoach, title="Tweede", occurrence_key=key)
    # Plain messages have no key and are never refused.
    Notification.objects.create(user=wijkcoach, title="Bericht")
    Notification.objects.create(user=wijkcoach, title="Bericht")


def test_notify_orphaned_tells_at_once_and_the_sweep_not_again(wijkcoach, team, leader):
    case = coordinated_case(wijkcoach, team, on=D0)
    wijkcoach.is_active = False
    wijkcoach.save(update_fields=["is_active"])
    with at(D0 + datetime.timedelta(days=1)):
        assert notify_orphaned([case.pk]) == 1
        assert (
            notify_orphaned([case]) == 0
        )  # a second notice (the notifier the app registers with cases.handovers) adds nothing
    [item] = Notification.objects.all()
    assert (item.user, item.kind, item.rule) == (leader, Notification.Kind.ESCALATION, Rule.ORPHANED_CASE)
    with at(D0 + datetime.timedelta(days=2), hour=7):
        report = run_sweep(D0 + datetime.timedelta(days=2), rules=[Rule.ORPHANED_CASE])
    assert report[Rule.ORPHANED_CASE] == {**report[Rule.ORPHANED_CASE], "items": 1, "created": 0}
    assert notify_orphaned([]) == 0


def test_the_app_registers_its_orphan_notifier_with_cases():
    from cases import handovers

    # A deactivation in cases tells the teamleider through the sweep's rule (cases never imports reminders).
    assert handovers._orphan_notifier is notify_orphaned


def test_rule_context_uses_team_settings_and_defaults(team, other_team):
    from reminders.models import TeamReminderSettings

    TeamReminderSettings.objects.create(team=team, contact_days=12)
    ctx = RuleContext.load(D0)
    assert ctx.value(team.pk, "contact_days") == 12
    assert ctx.value(other_team.pk, "contact_days") == 30
    assert ctx.value(other_team.pk, "contact_days_safety") == 14
    assert ctx.escalates(team.pk, D0 - datetime.timedelta(days=6))
    assert not ctx.escalates(team.pk, D0 - datetime.timedelta(days=5))
