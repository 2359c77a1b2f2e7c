"""Retention: held cases are kept, expired cases anonymised (or destroyed), report figures unchanged.

Cases are opened and filled through the services; closing is a queryset update so
the closing date can lie years back. ``run(today=...)`` sets the day of the run.
"""

from __future__ import annotations

import datetime
import importlib
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from cases import services as case_services
from cases.constants import CaseStatus, Channel, ClosingReason, Law, LifeDomain, Relation
from cases.models import Case, Client, ContactMoment, Household, LifeDomainAssessment, Signal
from consent import retention
from consent import services as consent_services
from consent.constants import RETENTION_DEFAULT_YEARS, RetentionLaw
from consent.models import AccessLogEntry, AppendOnlyError, RetentionPolicy, RetentionRecord
from consent.tasks import retention_sweep
from workplans import services as plan_services
from workplans.constants import GoalTerm
from workplans.models import Goal, WorkplanVersion

pytestmark = pytest.mark.django_db

CLOSED = datetime.date(2014, 3, 1)
# Past ten years (Participatiewet, Wmo, Wgs), before twenty (Jeugdwet).
RUN_DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def make_closed_case(wijkcoach, team):
    """A case for one new client, with a contact moment and ZRM scores, closed on ``closed_on``."""

    def make(*, laws=(Law.PARTICIPATIEWET,), closed_on=CLOSED, client=None, case_team=None, family_name="Jansen"):
        client = client or case_services.client_create(
            actor=wijkcoach,
            given_names="Jan",
            family_name=family_name,
            date_of_birth=datetime.date(1980, 5, 17),
            phone="0612345678",
            street="Dorpsstraat",
            house_number="1",
            city="Testdorp",
        )
        case = case_services.case_open(
            actor=wijkcoach, team=case_team or team, client=client, laws=laws, summary=f"{family_name} heeft schulden"
        )
        case_services.contact_record(
            actor=wijkcoach,
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(days=1),
            channel=Channel.HUISBEZOEK,
            summary=f"Gesprek met {family_name} over de huur",
            participants=[client],
        )
        case_services.assessments_record(
            actor=wijkcoach,
            case=case,
            scores=[
                case_services.ScoreInput(LifeDomain.FINANCIEN, 2, 4, f"{family_name} heeft een betalingsachterstand"),
                case_services.ScoreInput(LifeDomain.HUISVESTING, 3),
            ],
        )
        close(case, closed_on)
        return case

    return make


def close(case, closed_on, status=CaseStatus.AFGESLOTEN):
    Case.objects.filter(pk=case.pk).update(
        status=status, closing_reason=ClosingReason.DOELEN_BEHAALD, closed_on=closed_on
    )
    case.refresh_from_db()
    return case


def report_figures() -> dict:
    """What the reports count: cases per status, team and law; ZRM scores; contacts; goals."""
    return {
        "cases": list(Case.objects.values("status", "team_id").annotate(n=Count("id")).order_by("status", "team_id")),
        "laws": Case.objects.aggregate(
            wmo=Count("id", filter=Q(law_wmo=True)),
            jeugdwet=Count("id", filter=Q(law_jeugdwet=True)),
            participatiewet=Count("id", filter=Q(law_participatiewet=True)),
            wgs=Count("id", filter=Q(law_wgs=True)),
        ),
        "scores": list(
            LifeDomainAssessment.objects.values("domain", "score", "target_score")
            .annotate(n=Count("id"))
            .order_by("domain", "score", "target_score")
        ),
        "contacts": list(
            ContactMoment.objects.values("case_id", "channel").annotate(n=Count("id")).order_by("case_id")
        ),
        "goals": list(
            Goal.objects.values("life_domain", "status", "term").annotate(n=Count("id")).order_by("life_domain")
        ),
        "clients": Client.objects.count(),
    }


# --- Which cases are due -----------------------------------------------------------------


def test_expired_case_is_anonymised_and_its_figures_kept(make_closed_case):
    case = make_closed_case()
    client = case.client

    results = retention.run(today=RUN_DAY)

    assert [(r["number"], r["law"], r["due_on"], r["action"], r["done"]) for r in results] == [
        (case.number, RetentionLaw.PARTICIPATIEWET, datetime.date(2024, 3, 1), "anonimiseren", True)
    ]
    case.refresh_from_db()
    client.refresh_from_db()
    assert case.summary == ""
    assert (case.status, case.closed_on, case.law_participatiewet, case.team_id) == (
        CaseStatus.AFGESLOTEN,
        CLOSED,
        True,
        case.team_id,
    )
    assert (client.given_names, client.family_name, client.bsn) == ("Geanonimiseerd", "Geanonimiseerd", None)
    assert (client.phone, client.street, client.house_number, client.city) == ("", "", "", "")
    assert client.date_of_birth == datetime.date(1980, 1, 1)
    contact = ContactMoment.objects.get(case=case)
    assert contact.summary == ""
    assert list(contact.participants.all()) == [client]
    scores = {a.domain: (a.score, a.target_score, a.rationale) for a in LifeDomainAssessment.objects.filter(case=case)}
    assert scores == {LifeDomain.FINANCIEN: (2, 4, ""), LifeDomain.HUISVESTING: (3, None, "")}

    record = RetentionRecord.objects.get(case_id_value=case.pk)
    assert (record.case_number, record.law, record.closed_on, record.due_on, record.action) == (
        case.number,
        RetentionLaw.PARTICIPATIEWET,
        CLOSED,
        datetime.date(2024, 3, 1),
        "anonimiseren",
    )
    assert record.detail["velden"]["cases.Case"] == 1
    assert record.detail["velden"]["cases.ContactMoment"] == 1
    assert record.detail["velden"]["cases.LifeDomainAssessment"] == 1
    assert record.detail["clienten"] == 1
    log = AccessLogEntry.objects.get(route="retention")
    assert (log.case_id, log.action, log.user_id) == (case.pk, "change", None)
    assert "Jansen" not in log.detail


def test_held_case_is_kept_until_the_hold_is_lifted(make_closed_case, wijkcoach):
    case = make_closed_case()
    hold = consent_services.legal_hold_place(actor=wijkcoach, case=case, reason="Bezwaarprocedure loopt")

    assert retention.run(today=RUN_DAY) == []
    case.refresh_from_db()
    assert case.summary == "Jansen heeft schulden"
    assert case.client.family_name == "Jansen"
    assert not RetentionRecord.objects.exists()

    consent_services.legal_hold_lift(actor=wijkcoach, hold=hold)
    assert [r["number"] for r in retention.run(today=RUN_DAY)] == [case.number]


def test_longest_law_decides_and_open_cases_are_never_due(make_closed_case):
    youth = make_closed_case(laws=(Law.JEUGDWET, Law.PARTICIPATIEWET), family_name="Visser")
    work = make_closed_case(laws=(Law.PARTICIPATIEWET,), family_name="Bakker")
    lawless = make_closed_case(laws=(), closed_on=datetime.date(2018, 3, 1), family_name="Smit")
    aftercare = make_closed_case(family_name="de Vries")
    close(aftercare, CLOSED, status=CaseStatus.NAZORG)  # nazorg: the help still runs

    assert set(retention.due_cases(RUN_DAY)) == {work, lawless}
    assert not retention.due_cases(datetime.date(2025, 2, 28)).filter(pk=lawless.pk).exists()
    assert set(retention.due_cases(datetime.date(2034, 3, 1))) == {youth, work, lawless}
    assert not retention.due_cases(datetime.date(2034, 2, 28)).filter(pk=youth.pk).exists()
    plan = retention.plan_for(youth, retention.Policies.load())
    assert (plan.law, plan.years, plan.due_on) == (RetentionLaw.JEUGDWET, 20, datetime.date(2034, 3, 1))


def test_configured_period_overrides_the_default(make_closed_case):
    case = make_closed_case(laws=(Law.WMO,))
    RetentionPolicy.objects.update_or_create(law=RetentionLaw.WMO, defaults={"years": 15})

    assert retention.run(today=RUN_DAY, dry_run=True) == []
    assert [(r["number"], r["due_on"]) for r in retention.run(today=datetime.date(2029, 3, 1), dry_run=True)] == [
        (case.number, datetime.date(2029, 3, 1))
    ]


def test_leap_day_closing_date_is_due_on_the_first_of_march():
    assert retention.add_years(datetime.date(2016, 2, 29), 10) == datetime.date(2026, 3, 1)
    assert retention.add_years(datetime.date(2016, 2, 29), 4) == datetime.date(2020, 2, 29)


def test_rerun_does_nothing_more(make_closed_case):
    case = make_closed_case()
    retention.run(today=RUN_DAY)
    entries = AccessLogEntry.objects.count()

    assert retention.run(today=RUN_DAY) == []
    assert retention_sweep() == {"geanonimiseerd": 0, "vernietigd": 0, "mislukt": 0}
    assert RetentionRecord.objects.filter(case_id_value=case.pk).count() == 1
    assert AccessLogEntry.objects.count() == entries
    # The service itself refuses a second pass.
    with pytest.raises(Exception, match="al verwerkt"):
        retention.anonymise_case(case, run_at=timezone.now())


def test_dry_run_lists_and_changes_nothing(make_closed_case):
    case = make_closed_case()
    before = report_figures()

    out = StringIO()
    call_command("retention", "--dry-run", "--today", RUN_DAY.isoformat(), stdout=out)

    output = out.getvalue()
    assert case.number in output
    assert "Participatiewet" in output
    assert "01-03-2014" in output and "01-03-2024" in output
    assert "anonimiseren" in output
    assert "er is niets gewijzigd" in output
    case.refresh_from_db()
    assert case.summary == "Jansen heeft schulden"
    assert case.client.given_names == "Jan"
    assert not RetentionRecord.objects.exists()
    assert not AccessLogEntry.objects.filter(route="retention").exists()
    assert report_figures() == before


def test_command_without_dry_run_processes(make_closed_case):
    case = make_closed_case()
    out = StringIO()
    call_command("retention", "--today", RUN_DAY.isoformat(), stdout=out)

    assert "Verwerkt: 1 casus(sen)" in out.getvalue()
    assert RetentionRecord.objects.filter(case_id_value=case.pk).exists()


# --- What is kept ------------------------------------------------------------------------


@pytest.fixture
def household_case(wijkcoach, team):
    """A closed coordinated Wmo case for a household, with an adopted workplan (a version snapshot)."""
    mother = case_services.client_create(
        actor=wijkcoach, given_names="Anna", family_name="de Boer", date_of_birth=datetime.date(1985, 2, 3)
    )
    son = case_services.client_create(
        actor=wijkcoach, given_names="Tim", family_name="de Boer", date_of_birth=datetime.date(2014, 6, 1)
    )
    household = case_services.household_create(
        actor=wijkcoach, name="Huishouden De Boer", members=[(mother, Relation.OUDER), (son, Relation.KIND)]
    )
    case = case_services.case_open(actor=wijkcoach, team=team, household=household, laws=[Law.WMO])
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=wijkcoach, case=case, to_status=status)
    case_services.case_set_coordinator(actor=wijkcoach, case=case, user=wijkcoach)
    workplan = plan_services.workplan_create(actor=wijkcoach, case=case)
    plan_services.goal_add(
        actor=wijkcoach,
        workplan=workplan,
        term=GoalTerm.SHORT,
        life_domain=LifeDomain.FINANCIEN,
        description="Anna krijgt overzicht over de schulden",
        client_words="Ik wil weer rustig slapen",
    )
    plan_services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    return close(case, CLOSED)


def test_report_figures_are_unchanged(make_closed_case, household_case, other_team):
    youth = make_closed_case(laws=(Law.JEUGDWET,), family_name="Visser")  # not yet due
    debts = make_closed_case(laws=(Law.WGS, Law.WMO), case_team=other_team, family_name="Mulder")
    before = report_figures()

    results = retention.run(today=RUN_DAY)

    assert {r["case_id"] for r in results} == {household_case.pk, debts.pk}
    assert report_figures() == before
    household = Household.objects.get(pk=household_case.household_id)
    assert household.name == "Geanonimiseerd"
    assert set(
        Client.objects.filter(household_memberships__household=household).values_list("given_names", flat=True)
    ) == {"Geanonimiseerd"}
    goal = Goal.objects.get(workplan__case=household_case)
    assert (goal.description, goal.client_words, goal.status, goal.life_domain) == (
        "",
        "",
        "open",
        LifeDomain.FINANCIEN,
    )
    snapshot = WorkplanVersion.objects.get(workplan__case=household_case).snapshot
    assert "Anna krijgt" not in str(snapshot) and "de Boer" not in str(snapshot) and "slapen" not in str(snapshot)
    assert len(snapshot["goals"]) == 1 and snapshot["goals"][0]["status"]
    youth.refresh_from_db()
    assert youth.summary == "Visser heeft schulden"
    assert youth.client.family_name == "Visser"


def test_client_with_another_unprocessed_case_keeps_their_name(make_closed_case, wijkcoach, team):
    case = make_closed_case()
    case_services.case_open(actor=wijkcoach, team=team, client=case.client, laws=[Law.WMO])

    retention.run(today=RUN_DAY)

    case.refresh_from_db()
    assert case.summary == ""
    assert case.client.family_name == "Jansen"


def test_client_with_a_melding_without_case_keeps_their_name(make_closed_case, wijkcoach):
    case = make_closed_case()
    case_services.signal_record(
        actor=wijkcoach, team=case.team, source="buren", what_was_seen="Zorgen", client=case.client
    )

    retention.run(today=RUN_DAY)

    case.client.refresh_from_db()
    assert case.client.family_name == "Jansen"


def test_audit_log_keeps_who_and_when_but_not_the_old_values(make_closed_case):
    case = make_closed_case()
    client = case.client
    entries = LogEntry.objects.get_for_object(client).count()
    assert "Jansen" in str(list(LogEntry.objects.get_for_object(client).values_list("changes", "object_repr")))

    retention.run(today=RUN_DAY)

    assert LogEntry.objects.get_for_object(client).count() == entries
    for model_entries in (LogEntry.objects.get_for_object(client), LogEntry.objects.get_for_object(case)):
        for entry in model_entries:
            assert "Jansen" not in str(entry.changes) + entry.object_repr + entry.changes_text
    contact = ContactMoment.objects.get(case=case)
    assert "Jansen" not in str(list(LogEntry.objects.get_for_object(contact).values_list("changes", "object_repr")))
    assert "1980-05-17" not in str(list(LogEntry.objects.get_for_object(client).values_list("changes", flat=True)))


def test_destroy_deletes_the_file_and_keeps_the_record(make_closed_case, wijkcoach):
    RetentionPolicy.objects.update_or_create(law=RetentionLaw.PARTICIPATIEWET, defaults={"action": "vernietigen"})
    case = make_closed_case()
    client = case.client
    # A melding linked to the case protects it from deletion; it is part of the file and goes with it.
    signal = case_services.signal_record(
        actor=wijkcoach, team=case.team, source="buren", what_was_seen="Jansen roept om hulp", client=client
    )
    case_services.signal_triage(actor=wijkcoach, signal=signal, outcome="bestaande_casus", case=case)
    contact_pk = ContactMoment.objects.get(case=case).pk
    before = LogEntry.objects.count()
    assert LogEntry.objects.get_for_object(case).exists()

    results = retention.run(today=RUN_DAY)

    assert [r["action"] for r in results] == ["vernietigen"]
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not ContactMoment.objects.filter(pk=contact_pk).exists()
    assert not LifeDomainAssessment.objects.filter(case_id=case.pk).exists()
    assert not Signal.objects.filter(pk=signal.pk).exists()
    record = RetentionRecord.objects.get(case_id_value=case.pk)
    assert (record.case_number, record.action, record.law) == (case.number, "vernietigen", RetentionLaw.PARTICIPATIEWET)
    assert record.detail["verwijderd"]["cases.Case"] == 1
    assert not LogEntry.objects.filter(object_pk=str(case.pk), content_type__model="case").exists()
    assert LogEntry.objects.count() < before  # nothing new written by the deletion itself
    client.refresh_from_db()
    assert client.family_name == "Geanonimiseerd"
    assert retention.run(today=RUN_DAY) == []


def test_a_case_with_one_law_to_anonymise_is_not_destroyed(make_closed_case):
    RetentionPolicy.objects.update_or_create(law=RetentionLaw.WMO, defaults={"action": "vernietigen"})
    case = make_closed_case(laws=(Law.WMO, Law.WGS))

    assert [r["action"] for r in retention.run(today=RUN_DAY)] == ["anonimiseren"]
    assert Case.objects.filter(pk=case.pk).exists()


# --- The register, the wiring --------------------------------------------------------------


def test_retention_record_is_append_only(make_closed_case):
    make_closed_case()
    retention.run(today=RUN_DAY)
    record = RetentionRecord.objects.get()

    record.action = "iets anders"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        RetentionRecord.objects.update(action="iets anders")
    with pytest.raises(AppendOnlyError):
        RetentionRecord.objects.all().delete()


def test_sweep_task_runs_nightly_and_processes(make_closed_case):
    entry = settings.CELERY_BEAT_SCHEDULE["retention-sweep"]
    assert entry["task"] == retention_sweep.name == "consent.tasks.retention_sweep"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})
    assert retention_sweep.acks_late
    case = make_closed_case()  # closed in 2014 under the Participatiewet: due since 2024

    assert retention_sweep() == {"geanonimiseerd": 1, "vernietigd": 0, "mislukt": 0}
    assert retention_sweep() == {"geanonimiseerd": 0, "vernietigd": 0, "mislukt": 0}
    assert RetentionRecord.objects.filter(case_id_value=case.pk).count() == 1


def test_every_model_that_points_at_a_case_is_covered():
    """A new model hanging off a case must be added to CASE_RECORDS (or knowingly left out here)."""
    logs = {"consent.AccessLogEntry", "consent.Disclosure"}  # append-only logs: ids, no content
    permissions = {"cases.CaseUserObjectPermission", "cases.CaseGroupObjectPermission"}
    covered = {label for label, _lookup in retention.CASE_RECORDS} | logs | permissions

    def reachable(model, seen):
        for relation in model._meta.get_fields(include_hidden=True):
            if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one):
                related = relation.related_model
                if related._meta.label not in seen and not related._meta.auto_created:
                    seen.add(related._meta.label)
                    if related._meta.label not in logs:
                        reachable(related, seen)
        return seen

    assert reachable(django_apps.get_model("cases", "Case"), set()) - covered == set()


def test_default_policies_migration_is_reversible():
    migration = importlib.import_module("consent.migrations.0003_default_retention_policies")
    RetentionPolicy.objects.all().delete()

    migration.create_defaults(django_apps, None)
    rows = {p.law: p for p in RetentionPolicy.objects.all()}
    assert {law: p.years for law, p in rows.items()} == {str(k): v for k, v in RETENTION_DEFAULT_YEARS.items()}
    assert rows[RetentionLaw.JEUGDWET].years == 20
    assert all(
        p.source.startswith("Selectielijst gemeenten 2020") and p.action == "anonimiseren" for p in rows.values()
    )

    migration.remove_defaults(django_apps, None)
    assert not RetentionPolicy.objects.exists()


def test_finding_due_cases_is_one_query(make_closed_case, django_assert_num_queries):
    for name in ("Jansen", "Visser", "Bakker"):
        make_closed_case(family_name=name)
    policies = retention.Policies.load()

    # SELECT the cases with their legal-hold and register checks as NOT EXISTS subqueries.
    with django_assert_num_queries(1):
        assert len(retention.due_cases(RUN_DAY, policies=policies)) == 3
