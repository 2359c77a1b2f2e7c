"""Retention: closed cases past their period are anonymised (or destroyed), unless a legal hold keeps them.

The period follows the law of the case (``RetentionPolicy``, defaults in
``RETENTION_DEFAULT_YEARS``), counted from ``Case.closed_on``. A case under
several laws is kept as long as the longest of them; a case without a law
falls under "overig".

Anonymising keeps what reports count: status, dates, law flags, team, ZRM
domains and scores, goal, action and agreement statuses, the number of
contact moments. It removes what identifies or describes the person: every
free-text field outside the category ``administratief`` (``access.registry``)
is blanked, the client's name, BSN and contact data go, the date of birth
becomes 1 January of the same year. Fields with choices, numbers, dates and
relations stay, so the rows and their counts stay.

The audit log (django-auditlog) holds earlier values of those same fields.
For anonymised objects the old values in ``LogEntry.changes`` are replaced by
a marker and the object description is rewritten; who changed what and when
stays, the personal values go. For destroyed objects the log entries are
deleted with them. ``RetentionRecord`` (number, law, dates, counts) is the
trace that remains, plus one access-log entry per case.

This module reaches cases and workplans through ``apps.get_model`` only
(DESIGN.md layers: consent does not import them).
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import operator
from collections.abc import Iterable
from dataclasses import dataclass

from auditlog import get_logentry_model
from auditlog.context import disable_auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.deletion import Collector
from django.db.models.functions import TruncYear
from django.utils import timezone

from access import log as access_log
from access.registry import field_category

from .constants import AccessAction, DataCategory, RetentionLaw
from .models import RetentionPolicy, RetentionRecord

logger = logging.getLogger(__name__)

ANONYMISE = "anonimiseren"
DESTROY = "vernietigen"
PLACEHOLDER = "Geanonimiseerd"
AUDIT_MARKER = "[geanonimiseerd]"
ROUTE = "retention"

# Case flag per law; the values of cases.constants.Law equal those of RetentionLaw.
LAW_FIELDS: dict[str, str] = {
    RetentionLaw.JEUGDWET: "law_jeugdwet",
    RetentionLaw.PARTICIPATIEWET: "law_participatiewet",
    RetentionLaw.WMO: "law_wmo",
    RetentionLaw.WGS: "law_wgs",
}

# Everything that belongs to one case file: model label -> lookup from that model to the case's pk.
# tests/consent/test_retention.py fails when a model that points at a case is missing here.
CASE_RECORDS: tuple[tuple[str, str], ...] = (
    ("cases.Case", "pk"),
    ("cases.CaseStatusChange", "case"),
    ("cases.CaseMember", "case"),
    ("cases.LifeDomainAssessment", "case"),
    ("cases.ContactMoment", "case"),
    ("cases.Signal", "case"),
    ("cases.Referral", "case"),
    ("cases.Intake", "case"),
    ("cases.IntakeDomain", "intake__case"),
    ("cases.ApprovalRequest", "case"),
    ("cases.Handover", "case"),
    ("workplans.Workplan", "case"),
    ("workplans.WorkplanVersion", "workplan__case"),
    ("workplans.AnalysisEntry", "workplan__case"),
    ("workplans.Goal", "workplan__case"),
    ("workplans.ProgressReview", "goal__workplan__case"),
    ("workplans.Action", "goal__workplan__case"),
    ("workplans.CoordinationDuty", "workplan__case"),
    ("workplans.DutyRecord", "duty__workplan__case"),
    ("workplans.Obstacle", "workplan__case"),
    ("workplans.ClientInvolvement", "workplan__case"),
    ("workplans.GoalView", "involvement__workplan__case"),
    ("workplans.AgendaItem", "case"),
    ("workplans.Agreement", "case"),
    ("consent.LegalHold", "case"),
    ("consent.BreakGlassGrant", "case"),
)
# What belongs to one client rather than to one case (lookup to the client's pk).
CLIENT_RECORDS: tuple[tuple[str, str], ...] = (
    ("cases.Client", "pk"),
    ("cases.HouseholdMember", "client"),  # no text, but its audit-log description names the client
    ("consent.Consent", "client"),
    ("consent.CorrectionRequest", "client"),
)
HOUSEHOLD_RECORDS: tuple[tuple[str, str], ...] = (("cases.Household", "pk"),)

# Keys of JSON snapshots (workplan versions, approval payloads) whose string values are codes, dates
# or labels of choices: kept so a scrubbed snapshot still shows how many goals and in which state.
JSON_KEEP_KEYS = frozenset(
    {
        "uuid",
        "workplan",
        "closing_reason",
        "term",
        "horizon_years",
        "life_domain",
        "status",
        "target_date",
        "start_on",
        "end_on",
        "period_from",
        "period_to",
        "review_interval_weeks",
    }
)

# How a personal field is scrubbed.
_EMPTY, _NULL, _PLACEHOLDER, _JSON, _YEAR = "empty", "null", "placeholder", "json", "year"


# --- Dates -----------------------------------------------------------------------------


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` plus whole years; 29 February moves to 1 March in a common year.

    The counterpart of ``_subtract_years``: ``closed_on <= _subtract_years(today, n)``
    holds exactly when ``add_years(closed_on, n) <= today``.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def _subtract_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return datetime.date(day.year - years, 2, 28)


# --- Policies and due cases ------------------------------------------------------------


@dataclass(frozen=True)
class Policies:
    years: dict[str, int]
    actions: dict[str, str]

    @classmethod
    def load(cls) -> Policies:
        """The configured policies, with the defaults for laws without a row. Two queries."""
        years = RetentionPolicy.years_by_law()
        configured = dict(RetentionPolicy.objects.values_list("law", "action"))
        return cls(years=years, actions={law: configured.get(law, ANONYMISE) for law in years})


@dataclass(frozen=True)
class Plan:
    """What retention means for one case: the deciding law, its period, the due date and the action."""

    law: str
    years: int
    due_on: datetime.date
    action: str


def laws_of(case) -> list[str]:
    """The retention laws of a case (instance or ``values()`` dict); "overig" when none is set."""
    get = case.get if isinstance(case, dict) else functools.partial(getattr, case)
    return [law for law, field in LAW_FIELDS.items() if get(field)] or [RetentionLaw.OVERIG]


def plan_for(case, policies: Policies) -> Plan:
    """The longest period of the case's laws decides; destroy only when every law says so.

    Destroying cannot be undone and loses the figures reports count, so one law
    that asks to anonymise is enough to anonymise.
    """
    laws = laws_of(case)
    law = max(laws, key=lambda name: policies.years[name])  # ties: the first in LAW_FIELDS order
    years = policies.years[law]
    action = DESTROY if all(policies.actions[name] == DESTROY for name in laws) else ANONYMISE
    closed_on = case["closed_on"] if isinstance(case, dict) else case.closed_on
    return Plan(law=law, years=years, due_on=add_years(closed_on, years), action=action)


def _closed_statuses() -> tuple[str, ...]:
    return apps.get_model("cases", "Case").CLOSED_STATUSES


def _processed() -> Exists:
    return Exists(RetentionRecord.objects.filter(case_id_value=OuterRef("pk")))


def due_cases(today: datetime.date | None = None, *, policies: Policies | None = None) -> QuerySet:
    """Closed cases whose period has passed, without an active legal hold, not yet processed.

    Set-based: one query, whatever the number of cases. A case is due when
    ``closed_on + years <= today`` for every law it is under (so for the longest),
    written per law as ``not flagged or closed_on <= today - years``.
    """
    Case = apps.get_model("cases", "Case")
    LegalHold = apps.get_model("consent", "LegalHold")
    today = today or timezone.localdate()
    policies = policies or Policies.load()
    condition = Q(status__in=_closed_statuses(), closed_on__isnull=False)
    for law, field in LAW_FIELDS.items():
        condition &= Q(**{field: False}) | Q(closed_on__lte=_subtract_years(today, policies.years[law]))
    any_law = functools.reduce(operator.or_, (Q(**{field: True}) for field in LAW_FIELDS.values()))
    condition &= any_law | Q(closed_on__lte=_subtract_years(today, policies.years[RetentionLaw.OVERIG]))
    active_hold = LegalHold.objects.filter(case=OuterRef("pk"), lifted_at__isnull=True)
    return Case.objects.filter(condition).filter(~Exists(active_hold), ~_processed())


# --- Scrubbing ---------------------------------------------------------------------------


def _constrained_fields(model) -> set[str]:
    """Fields named in a check constraint ("provision or organisation"): they get a placeholder, not ""."""
    names: set[str] = set()

    def walk(node):
        for child in getattr(node, "children", ()):
            if isinstance(child, tuple):
                names.add(child[0].split("__")[0])
            else:
                walk(child)

    for constraint in model._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if condition is not None:
            walk(condition)
    return names


@functools.cache
def _rules(label: str) -> tuple[tuple[str, str], ...]:
    """(field, how) for every field of ``label`` that anonymising changes."""
    model = apps.get_model(label)
    constrained = _constrained_fields(model)
    rules = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.is_relation or field.choices:
            continue
        # Unregistered fields count as personal: deny by default, as the registry does.
        if field_category(label, field.name) == DataCategory.ADMINISTRATIEF:
            continue
        if isinstance(field, models.CharField | models.TextField):
            if field.null:
                rules.append((field.name, _NULL))
            elif field.name in constrained or (not field.blank and not isinstance(field, models.TextField)):
                # A required name or label (client, household) reads "Geanonimiseerd"; free text goes empty.
                rules.append((field.name, _PLACEHOLDER))
            else:
                rules.append((field.name, _EMPTY))
        elif isinstance(field, models.JSONField):
            rules.append((field.name, _JSON))
        elif label == "cases.Client" and field.name == "date_of_birth":
            rules.append((field.name, _YEAR))
    return tuple(rules)


@functools.cache
def _audit_fields(label: str) -> frozenset[str]:
    """Keys of ``LogEntry.changes`` whose values are personal for this model."""
    model = apps.get_model(label)
    names = {name for name, _how in _rules(label)}
    names |= {
        field.name
        for field in model._meta.many_to_many
        if field_category(label, field.name) != DataCategory.ADMINISTRATIEF
    }
    return frozenset(names)


def scrub_json(value, key: str | None = None):
    """Blank the strings of a JSON document, except under ``JSON_KEEP_KEYS``; keep its shape and numbers."""
    if isinstance(value, dict):
        return {k: scrub_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_json(v, key) for v in value]
    if isinstance(value, str) and key not in JSON_KEEP_KEYS:
        return ""
    return value


def _scrub_rows(label: str, queryset: QuerySet) -> int:
    """Anonymise the rows of ``queryset``; returns how many field values changed. A few UPDATEs per field."""
    changed = 0
    for name, how in _rules(label):
        if how == _EMPTY:
            changed += queryset.exclude(**{name: ""}).update(**{name: ""})
        elif how == _PLACEHOLDER:
            changed += queryset.exclude(**{name: ""}).exclude(**{name: PLACEHOLDER}).update(**{name: PLACEHOLDER})
        elif how == _NULL:
            changed += queryset.filter(**{f"{name}__isnull": False}).update(**{name: None})
        elif how == _YEAR:
            changed += queryset.exclude(**{f"{name}__month": 1, f"{name}__day": 1}).update(**{name: TruncYear(name)})
        elif how == _JSON:
            for pk, value in queryset.values_list("pk", name):
                scrubbed = scrub_json(value)
                if scrubbed != value:
                    queryset.model._base_manager.filter(pk=pk).update(**{name: scrubbed})
                    changed += 1
    return changed


def _records(spec: Iterable[tuple[str, str]], pk) -> list[tuple[str, QuerySet]]:
    result = []
    for label, lookup in spec:
        model = apps.get_model(label)
        result.append((label, model._base_manager.filter(**{lookup: pk})))
    return result


def _scrub_scope(spec: Iterable[tuple[str, str]], pk, counts: dict[str, int], touched: dict[str, list]) -> None:
    for label, queryset in _records(spec, pk):
        pks = list(queryset.values_list("pk", flat=True))
        if not pks:
            continue
        touched.setdefault(label, []).extend(pks)
        changed = _scrub_rows(label, queryset.model._base_manager.filter(pk__in=pks))
        if changed:
            counts[label] = counts.get(label, 0) + changed


# --- The audit log ------------------------------------------------------------------------


def _log_entries(touched: dict[str, list]):
    LogEntry = get_logentry_model()
    conditions = [
        Q(content_type=ContentType.objects.get_for_model(apps.get_model(label)), object_pk__in=[str(pk) for pk in pks])
        for label, pks in touched.items()
        if pks
    ]
    if not conditions:
        return LogEntry.objects.none()
    return LogEntry.objects.filter(functools.reduce(operator.or_, conditions))


def _scrub_changes(changes, fields: frozenset[str]):
    if isinstance(changes, str):
        try:
            changes = json.loads(changes)
        except ValueError:
            return {}
    if not isinstance(changes, dict):
        return changes
    scrubbed = {}
    for name, value in changes.items():
        if name not in fields:
            scrubbed[name] = value
        elif isinstance(value, dict) and "objects" in value:
            scrubbed[name] = {**value, "objects": [AUDIT_MARKER for _obj in value["objects"]]}
        elif isinstance(value, list):
            scrubbed[name] = [v if v in (None, "", "None") else AUDIT_MARKER for v in value]
        else:
            scrubbed[name] = AUDIT_MARKER
    return scrubbed


def scrub_audit_log(touched: dict[str, list]) -> int:
    """Replace the personal values in the audit-log entries of anonymised objects; returns the entries changed.

    The entries stay (who changed which field, when); the values of personal fields
    become ``AUDIT_MARKER`` and the object description is taken anew from the
    anonymised object. Two queries plus one per model with entries.
    """
    entries = list(_log_entries(touched))
    if not entries:
        return 0
    label_by_ct = {
        ContentType.objects.get_for_model(apps.get_model(label)).pk: label for label in touched if touched[label]
    }
    by_label: dict[str, set[str]] = {}
    for entry in entries:
        by_label.setdefault(label_by_ct[entry.content_type_id], set()).add(entry.object_pk)
    reprs = {}
    for label, pks in by_label.items():
        for pk, obj in apps.get_model(label)._base_manager.in_bulk(list(pks)).items():
            reprs[(label, str(pk))] = str(obj)[:200]
    for entry in entries:
        label = label_by_ct[entry.content_type_id]
        entry.changes = _scrub_changes(entry.changes, _audit_fields(label))
        entry.changes_text = ""
        entry.serialized_data = None
        entry.object_repr = reprs.get((label, entry.object_pk), AUDIT_MARKER)
    get_logentry_model().objects.bulk_update(entries, ["changes", "changes_text", "serialized_data", "object_repr"])
    return len(entries)


# --- Clients and households -----------------------------------------------------------------


def _people_of(case) -> tuple[set[int], int | None]:
    HouseholdMember = apps.get_model("cases", "HouseholdMember")
    client_ids = {case.client_id} if case.client_id else set()
    if case.household_id:
        client_ids |= set(
            HouseholdMember.objects.filter(household_id=case.household_id).values_list("client_id", flat=True)
        )
    return client_ids, case.household_id


def _client_is_done(client_id: int, processed_now: set[int]) -> bool:
    """All cases of the client (own or through a household) processed, and no melding without a case.

    A melding that never became a case has no retention period of its own yet; while
    one exists, the client is kept rather than stripped from under it.
    """
    Case = apps.get_model("cases", "Case")
    Signal = apps.get_model("cases", "Signal")
    pending = (
        Case.objects.filter(Q(client_id=client_id) | Q(household__memberships__client_id=client_id))
        .exclude(pk__in=processed_now)
        .filter(~_processed())
        .exists()
    )
    return not pending and not Signal.objects.filter(client_id=client_id, case__isnull=True).exists()


def _household_is_done(household_id: int, processed_now: set[int]) -> bool:
    Case = apps.get_model("cases", "Case")
    return (
        not Case.objects.filter(household_id=household_id).exclude(pk__in=processed_now).filter(~_processed()).exists()
    )


def _scrub_people(case_id: int, client_ids: set[int], household_id: int | None, counts: dict, touched: dict) -> dict:
    clients = [cid for cid in sorted(client_ids) if _client_is_done(cid, {case_id})]
    for client_id in clients:
        _scrub_scope(CLIENT_RECORDS, client_id, counts, touched)
    households = 0
    if household_id and _household_is_done(household_id, {case_id}):
        _scrub_scope(HOUSEHOLD_RECORDS, household_id, counts, touched)
        households = 1
    return {"clienten": len(clients), "huishoudens": households}


# --- Processing one case -----------------------------------------------------------------


def _check_processable(case) -> None:
    LegalHold = apps.get_model("consent", "LegalHold")
    if case.status not in _closed_statuses() or case.closed_on is None:
        raise ValidationError("Alleen een afgesloten casus valt onder de bewaartermijn.")
    if LegalHold.objects.filter(case_id=case.pk, lifted_at__isnull=True).exists():
        raise ValidationError("Op deze casus rust een juridische bewaarplicht.")
    if RetentionRecord.objects.filter(case_id_value=case.pk).exists():
        raise ValidationError("Deze casus is al verwerkt.")


def _log_access(case, plan: Plan) -> None:
    # No names in the detail: the access log outlives the case file.
    access_log.record_now(
        user=None,
        action=AccessAction.CHANGE,
        route=ROUTE,
        case=case,
        detail=f"Bewaartermijn {plan.law} ({plan.years} jaar) verstreken op {plan.due_on:%d-%m-%Y}: {plan.action}",
    )


def _record(number: str, case_id: int, closed_on, plan: Plan, run_at, detail: dict) -> RetentionRecord:
    return RetentionRecord.objects.create(
        at=run_at,
        case_number=number,
        case_id_value=case_id,
        law=plan.law,
        closed_on=closed_on,
        due_on=plan.due_on,
        action=plan.action,
        detail=detail,
    )


def _with_action(plan: Plan, action: str) -> Plan:
    return Plan(law=plan.law, years=plan.years, due_on=plan.due_on, action=action)


@transaction.atomic
def anonymise_case(case, *, run_at: datetime.datetime, policies: Policies | None = None) -> RetentionRecord:
    """Remove the personal data of a case file and keep its figures; record what was done.

    One transaction: the case and all ``CASE_RECORDS`` are scrubbed, then its clients
    and household when none of their other cases is still unprocessed, then the
    audit-log entries of everything touched. Writes one ``RetentionRecord`` (detail:
    field values changed per model) and one access-log entry. Raises
    ``ValidationError`` for a case that is open, held or already processed.
    Cost: a few UPDATEs per personal field of each model, independent of row counts.
    """
    _check_processable(case)
    plan = _with_action(plan_for(case, policies or Policies.load()), ANONYMISE)
    counts: dict[str, int] = {}
    touched: dict[str, list] = {}
    _scrub_scope(CASE_RECORDS, case.pk, counts, touched)
    client_ids, household_id = _people_of(case)
    people = _scrub_people(case.pk, client_ids, household_id, counts, touched)
    audit = scrub_audit_log(touched)
    _log_access(case, plan)
    detail = {"velden": counts, **people, "auditlog": audit}
    return _record(case.number, case.pk, case.closed_on, plan, run_at, detail)


def _collect(objs) -> Collector | None:
    objs = list(objs)
    if not objs:
        return None
    collector = Collector(using=router.db_for_write(type(objs[0])), origin=objs[0])
    collector.collect(objs)
    return collector


def _delete(collector: Collector | None, touched: dict[str, list], counts: dict[str, int]) -> None:
    if collector is None:
        return
    for model, instances in collector.data.items():
        touched.setdefault(model._meta.label, []).extend(obj.pk for obj in instances)
    for queryset in collector.fast_deletes:
        touched.setdefault(queryset.model._meta.label, []).extend(queryset.values_list("pk", flat=True))
    # Without this, auditlog would write every deleted value into a fresh "delete" entry.
    with disable_auditlog():
        _total, per_model = collector.delete()
    for label, count in per_model.items():
        if count:
            counts[label] = counts.get(label, 0) + count


@transaction.atomic
def destroy_case(case, *, run_at: datetime.datetime, policies: Policies | None = None) -> RetentionRecord:
    """Delete a case file (policy action "vernietigen"); the ``RetentionRecord`` keeps number, law and dates.

    Its meldingen and agenda items protect the case from deletion; they are part of
    the file and go first. The audit-log entries of every deleted object are
    deleted too. Clients and the household are anonymised, not deleted, once none of
    their cases is left unprocessed: they may still appear in other files.
    Raises ``ValidationError`` like ``anonymise_case``.
    """
    _check_processable(case)
    plan = _with_action(plan_for(case, policies or Policies.load()), DESTROY)
    Signal = apps.get_model("cases", "Signal")
    AgendaItem = apps.get_model("workplans", "AgendaItem")
    client_ids, household_id = _people_of(case)
    _log_access(case, plan)
    number, case_id, closed_on = case.number, case.pk, case.closed_on
    counts: dict[str, int] = {}
    deleted: dict[str, list] = {}
    _delete(_collect(Signal._base_manager.filter(case_id=case_id)), deleted, counts)
    _delete(_collect(AgendaItem._base_manager.filter(case_id=case_id)), deleted, counts)
    _delete(_collect([case]), deleted, counts)
    audit, _per_model = _log_entries(deleted).delete()
    touched: dict[str, list] = {}
    people_counts: dict[str, int] = {}
    people = _scrub_people(case_id, client_ids, household_id, people_counts, touched)
    audit += scrub_audit_log(touched)
    detail = {"verwijderd": counts, "velden": people_counts, **people, "auditlog": audit}
    return _record(number, case_id, closed_on, plan, run_at, detail)


def process_case(case_id: int, *, today: datetime.date, run_at: datetime.datetime, policies: Policies):
    """Anonymise or destroy one due case under a row lock; ``None`` when it is no longer due.

    The lock and the second look make a rerun or a concurrent worker harmless:
    a processed or newly held case is skipped.
    """
    Case = apps.get_model("cases", "Case")
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).filter(pk=case_id).first()
        if case is None or not due_cases(today, policies=policies).filter(pk=case_id).exists():
            return None
        if plan_for(case, policies).action == DESTROY:
            return destroy_case(case, run_at=run_at, policies=policies)
        return anonymise_case(case, run_at=run_at, policies=policies)


def run(today: datetime.date | None = None, dry_run: bool = False) -> list[dict]:
    """Process every due case (or, with ``dry_run``, only list them); returns one dict per case.

    Each case is its own transaction, so one failure does not undo the others; a
    failed case is logged, reported with ``"fout"`` and tried again on the next run.
    """
    today = today or timezone.localdate()
    run_at = timezone.now()
    policies = Policies.load()
    fields = ["pk", "number", "closed_on", *LAW_FIELDS.values()]
    results = []
    for row in due_cases(today, policies=policies).order_by("closed_on", "pk").values(*fields):
        plan = plan_for(row, policies)
        item = {
            "case_id": row["pk"],
            "number": row["number"],
            "law": plan.law,
            "laws": laws_of(row),
            "closed_on": row["closed_on"],
            "due_on": plan.due_on,
            "action": plan.action,
            "done": False,
        }
        if not dry_run:
            try:
                record = process_case(row["pk"], today=today, run_at=run_at, policies=policies)
            except Exception as exc:  # one broken file must not stop the nightly run
                logger.exception("Retention failed for case %s", row["pk"])
                item["fout"] = type(exc).__name__
            else:
                if record is None:
                    continue
                item.update(done=True, detail=record.detail)
        results.append(item)
    return results
