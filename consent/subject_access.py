"""Subject access (GDPR art. 15, "inzage"): everything held about one client, as data and as a PDF.

``build`` collects every record of every model in the data-category registry
(``access.field_categories``) that relates to the client. Relations are found
from the models' metadata: every foreign-key or many-to-many path that leads to
the client, to one of the client's households, or to one of the client's cases
(cases of the client, and household cases while the client lived in that
household). A model added later is included without a change here; the test
``tests/consent/test_subject_access.py`` fails when a registered model is not.

What is left out, and why:

- Rows of a household case that name another household member (their ZRM
  score, a signal about them, help they received): that is the other person's
  data (GDPR art. 15(4)). The household composition itself is included.
- The name and contact details of a melder (``THIRD_PARTY_FIELDS``): the
  reporter's personal data, not the client's; the field is marked as withheld.
- Notes under professional secrecy (beroepsgeheim): the FG who compiles the
  export is not bound by it (ADR 0005). Their existence is shown with whose
  secrecy they fall under, their content is not; the person can ask that team.

This module refers to ``cases`` and ``workplans`` through ``apps.get_model`` only
(``consent`` is a lower layer). It only reads: the caller records the export in
the access log and the disclosure register.
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.field_categories import FIELD_CATEGORIES, NON_PERSONAL_MODELS
from access.registry import field_category

from .constants import AccessAction, DataCategory, LegalBasis
from .models import AccessLogEntry, Consent, CorrectionRequest, Disclosure, Purpose

CLIENT = "cases.Client"
CASE = "cases.Case"
HOUSEHOLD = "cases.Household"
# Where a path of relations may end: the sets of rows that belong to the client.
ANCHORS = (CLIENT, CASE, HOUSEHOLD)
# Longest chain of foreign keys followed (AgendaItem -> Meeting is 1, GoalView -> Goal -> Workplan -> Case is 3).
MAX_DEPTH = 5

# Models with their own section of the export instead of a place under "records".
SECTIONS = {
    "consent.Consent": "consents",
    "consent.Disclosure": "disclosures",
    "consent.AccessLogEntry": "accessLog",
    "consent.CorrectionRequest": "correctionRequests",
}

# Relations that only point away from the case (a meeting lists its agenda items, not the other way round).
# Only a casusoverleg is about one case; the notes of a periodic team meeting are about several clients.
REVERSE_PATHS: dict[str, tuple[str, Q]] = {
    "workplans.Meeting": ("agenda_items__case", Q(kind="casusoverleg")),
    "workplans.MeetingParticipant": ("meeting__agenda_items__case", Q(meeting__kind="casusoverleg")),
}

# Rows may name another client of a household case; these models describe the household itself.
HOUSEHOLD_COMPOSITION = frozenset({"cases.HouseholdMember"})

# Personal data of somebody else, kept out of the export (GDPR art. 15(4)).
THIRD_PARTY_FIELDS = {"cases.Signal": frozenset({"reporter_name", "reporter_contact"})}
WITHHELD = gettext_lazy("(afgeschermd: gegevens van iemand anders)")

# Labels for fields whose model gives none (Django then uses the field name).
FALLBACK_LABELS = {
    "id": gettext_lazy("nummer (intern)"),
    "uuid": gettext_lazy("kenmerk"),
    "created_at": gettext_lazy("aangemaakt op"),
    "updated_at": gettext_lazy("gewijzigd op"),
    "lock_version": gettext_lazy("versie"),
    "position": gettext_lazy("volgorde"),
    "ics_sequence": gettext_lazy("versie agenda-uitnodiging"),
    "status_changed_at": gettext_lazy("status gewijzigd op"),
    "payload": gettext_lazy("inhoud van het verzoek"),
    "case": gettext_lazy("casus"),
    "client": gettext_lazy("cliënt"),
    "household": gettext_lazy("huishouden"),
    "workplan": gettext_lazy("werkplan"),
    "goal": gettext_lazy("doel"),
    "intake": gettext_lazy("intake"),
    "meeting": gettext_lazy("overleg"),
    "duty": gettext_lazy("coördinatietaak"),
    "involvement": gettext_lazy("betrokkenheid"),
    "user": gettext_lazy("gebruiker"),
    "actor": gettext_lazy("door"),
    "reviewer": gettext_lazy("besproken door"),
    "created_by": gettext_lazy("aangemaakt door"),
    "requested_by": gettext_lazy("aangevraagd door"),
    "decided_by": gettext_lazy("besloten door"),
    "triaged_by": gettext_lazy("getrieerd door"),
    "conducted_by": gettext_lazy("gesprek gevoerd door"),
    "done_by": gettext_lazy("gedaan door"),
    "raised_by": gettext_lazy("gesignaleerd door"),
    "recorded_by": gettext_lazy("vastgelegd door"),
    "adopted_by": gettext_lazy("vastgesteld door"),
    "approved_by": gettext_lazy("goedgekeurd door"),
    "placed_by": gettext_lazy("geplaatst door"),
    "lifted_by": gettext_lazy("opgeheven door"),
    "handled_by": gettext_lazy("afgehandeld door"),
    "reviewed_by": gettext_lazy("beoordeeld door"),
    "withdrawn_recorded_by": gettext_lazy("intrekking vastgelegd door"),
}

# Left out of the readable document (still in the data): internal numbers mean nothing to the person.
HIDDEN_IN_DOCUMENT = frozenset({"id", "uuid", "lock_version", "ics_sequence"})


# --- Finding what relates to the client ----------------------------------------------------


def personal_models() -> list[str]:
    """Labels of the registered models that hold personal data of clients."""
    return [label for label in FIELD_CATEGORIES if label not in NON_PERSONAL_MODELS]


def _forward_relations(model) -> Iterable[models.Field]:
    """Foreign keys, one-to-one and many-to-many fields declared on ``model`` (reverse relations are auto-created)."""
    for field in model._meta.get_fields():
        if field.is_relation and not field.auto_created and field.related_model is not None:
            yield field


def relation_paths(label: str) -> list[tuple[str, str]]:
    """Every (lookup path, anchor label) by which rows of ``label`` lead to a client, case or household."""
    personal = set(personal_models())
    found: list[tuple[str, str]] = []

    def walk(model, prefix: str, seen: frozenset, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        for field in _forward_relations(model):
            target = field.related_model._meta.label
            if target not in personal or target in seen:
                continue
            path = f"{prefix}{field.name}"
            if target in ANCHORS:
                found.append((path, target))
            else:
                walk(field.related_model, f"{path}__", seen | {target}, depth + 1)

    walk(apps.get_model(label), "", frozenset({label}), 1)
    return found


def exported_models() -> set[str]:
    """The registered personal models the export looks for (under "records" or in their own section)."""
    labels = set()
    for label in personal_models():
        if label in ANCHORS or label in REVERSE_PATHS or relation_paths(label):
            labels.add(label)
    return labels


def _anchor_ids(client) -> dict[str, list[int]]:
    member_model = apps.get_model("cases", "HouseholdMember")
    case_model = apps.get_model(CASE)
    household_ids = list(member_model.objects.filter(client=client).values_list("household_id", flat=True).distinct())
    today = timezone.localdate()
    # A household case is the client's while the client lived in that household (one filter: one join).
    in_household = Q(
        Q(household__memberships__valid_to__isnull=True) | Q(household__memberships__valid_to__gte=F("opened_on")),
        household__memberships__client=client,
        household__memberships__valid_from__lte=Coalesce(F("closed_on"), Value(today)),
    )
    case_ids = list(case_model.objects.filter(Q(client=client) | in_household).values_list("pk", flat=True).distinct())
    return {CLIENT: [client.pk], CASE: sorted(case_ids), HOUSEHOLD: sorted(household_ids)}


def _queryset(label: str, anchors: dict[str, list[int]], client):
    model = apps.get_model(label)
    if label in ANCHORS:
        condition = Q(pk__in=anchors[label])
    else:
        condition = Q(pk__in=[])
        for path, anchor in relation_paths(label):
            condition |= Q(**{f"{path}__in": anchors[anchor]})
        if label in REVERSE_PATHS:
            path, extra = REVERSE_PATHS[label]
            condition |= Q(extra, **{f"{path}__in": anchors[CASE]})
    matching = model.objects.filter(condition).values("pk")
    queryset = model.objects.filter(pk__in=matching)
    if label not in HOUSEHOLD_COMPOSITION:
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model._meta.label == CLIENT:
                queryset = queryset.filter(Q(**{f"{field.name}__isnull": True}) | Q(**{field.name: client.pk}))
    m2m = [f.name for f in model._meta.many_to_many]
    return queryset.prefetch_related(*m2m).order_by("pk")


# --- Turning rows into data ----------------------------------------------------------------


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class _Names:
    """Readable names of related rows, each looked up once (a plan's goals share one workplan)."""

    def __init__(self):
        self._cache: dict[tuple[str, object], str] = {}

    def of(self, obj, field) -> str | None:
        pk = getattr(obj, field.attname)
        if pk is None:
            return None
        key = (field.related_model._meta.label, pk)
        if key not in self._cache:
            try:
                self._cache[key] = str(getattr(obj, field.name))
            except ObjectDoesNotExist:  # a log row of a case that no longer exists (no database constraint)
                self._cache[key] = _("(verwijderd)")
        return self._cache[key]

    def of_instance(self, related) -> str:
        key = (related._meta.label, related.pk)
        if key not in self._cache:
            self._cache[key] = str(related)
        return self._cache[key]


def _fields(model) -> list[models.Field]:
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


def _value(obj, field, names: _Names):
    if field.many_to_many:
        return [names.of_instance(related) for related in getattr(obj, field.name).all()]
    if field.is_relation:
        return names.of(obj, field)
    if field.choices and getattr(obj, field.attname) not in (None, ""):
        return str(obj._get_FIELD_display(field))
    return _plain(getattr(obj, field.attname))


def _withheld_note(obj, for_organisation) -> str | None:
    """A note under professional secrecy (beroepsgeheim) never enters an export: the FG who compiles it is not
    bound by that secrecy (ADR 0005). The overview says whose secrecy it is, so the person can ask that team."""
    if not getattr(obj, "restricted", False):
        return None
    team = obj.author_team if getattr(obj, "author_team_id", None) else None
    organisation = obj.author_organisation if getattr(obj, "author_organisation_id", None) else None
    keeper = team.name if team else (organisation.name if organisation else _("een andere organisatie"))
    return _(
        "Er is een notitie die onder het beroepsgeheim van %(keeper)s valt. "
        "De inhoud staat niet in dit overzicht; u kunt die bij %(keeper)s opvragen."
    ) % {"keeper": keeper}


def _row(obj, label: str, names: _Names, for_organisation) -> dict:
    note = _withheld_note(obj, for_organisation)
    if note is not None:
        return {"withheld": note, "values": {}, "categories": {}}
    model = type(obj)
    domain = getattr(obj, "domain", None) if any(f.name == "domain" for f in model._meta.concrete_fields) else None
    third_party = THIRD_PARTY_FIELDS.get(label, frozenset())
    values, categories = {}, {}
    for field in _fields(model):
        if field.name in third_party and getattr(obj, field.attname):
            values[field.name] = str(WITHHELD)
        else:
            values[field.name] = _value(obj, field, names)
        categories[field.name] = field_category(label, field.name, domain=domain)
    return {"title": str(obj), "values": values, "categories": categories}


def _label(field) -> str:
    verbose = str(field.verbose_name)
    if verbose == field.name.replace("_", " ") and field.name in FALLBACK_LABELS:
        return str(FALLBACK_LABELS[field.name])
    return verbose


def _labels(labels: Iterable[str]) -> dict:
    described = {}
    for label in labels:
        model = apps.get_model(label)
        described[label] = {
            "name": str(capfirst(model._meta.verbose_name_plural)),
            "fields": {field.name: str(capfirst(_label(field))) for field in _fields(model)},
        }
    return described


def _task_labels() -> dict[str, str]:
    try:
        field = apps.get_model("cases", "CaseMember")._meta.get_field("task")
    except LookupError:
        return {}
    return {value: str(text) for value, text in field.choices or []}


def _user(user) -> str:
    if user is None:
        return _("onbekend (systeem)")
    name = user.get_full_name() or user.username
    return f"{name} ({user.organisation.name})" if user.organisation_id else name


def _consents(client) -> list[dict]:
    rows = []
    queryset = Consent.objects.filter(client=client).select_related(
        "purpose", "recipient_organisation", "recorded_by", "withdrawn_recorded_by"
    )
    for consent in queryset:
        rows.append(
            {
                "purpose": consent.purpose.name,
                "recipient": consent.recipient_label,
                "givenAt": _plain(consent.given_at),
                "expiresAt": _plain(consent.expires_at),
                "method": consent.get_method_display(),
                "representativeName": consent.representative_name,
                "witness": consent.witness,
                "recordedBy": str(consent.recorded_by),
                "scopeNote": consent.scope_note,
                "status": consent.status(),
                "withdrawnAt": _plain(consent.withdrawn_at),
                "withdrawnReason": consent.withdrawn_reason,
            }
        )
    return rows


def _disclosures(client, case_ids: list[int], names: _Names) -> list[dict]:
    rows = []
    category_labels = dict(DataCategory.choices)
    queryset = Disclosure.objects.filter(Q(client=client) | Q(case_id__in=case_ids)).select_related(
        "recipient_organisation", "recipient_user", "purpose", "consent__purpose", "disclosed_by__organisation"
    )
    case_field = Disclosure._meta.get_field("case")
    for disclosure in queryset:
        rows.append(
            {
                "at": _plain(disclosure.at),
                "channel": disclosure.get_channel_display(),
                "case": names.of(disclosure, case_field),
                "recipientOrganisation": str(disclosure.recipient_organisation or ""),
                "recipient": str(disclosure.recipient_user or disclosure.recipient_description or ""),
                "categories": [str(category_labels.get(c, c)) for c in disclosure.categories or []],
                "purpose": disclosure.purpose.name if disclosure.purpose_id else "",
                "legalBasis": disclosure.get_legal_basis_display() if disclosure.legal_basis else "",
                "consent": str(disclosure.consent) if disclosure.consent_id else "",
                "disclosedBy": _user(disclosure.disclosed_by) if disclosure.disclosed_by_id else "",
            }
        )
    return rows


def _access_log(client, case_ids: list[int], names: _Names) -> list[dict]:
    entries = list(
        AccessLogEntry.objects.filter(Q(client=client) | Q(case_id__in=case_ids)).select_related("user__organisation")
    )
    purpose_names = dict(
        Purpose.objects.filter(code__in={e.purpose for e in entries if e.purpose}).values_list("code", "name")
    )
    tasks = _task_labels()
    case_field = AccessLogEntry._meta.get_field("case")
    return [
        {
            "at": _plain(entry.at),
            "who": _user(entry.user),
            "action": str(AccessAction(entry.action).label) if entry.action in AccessAction.values else entry.action,
            "route": entry.route,
            "case": names.of(entry, case_field),
            "purpose": purpose_names.get(entry.purpose, entry.purpose),
            "task": tasks.get(entry.task, entry.task),
            "reason": entry.reason,
            "detail": entry.detail,
        }
        for entry in entries
    ]


def _correction_requests(client) -> list[dict]:
    return [
        {
            "receivedOn": _plain(request.received_on),
            "request": request.request,
            "status": request.get_status_display(),
            "resolution": request.resolution,
            "handledAt": _plain(request.handled_at),
        }
        for request in CorrectionRequest.objects.filter(client=client)
    ]


def _purposes(client, case_ids: list[int]) -> list[dict]:
    via: dict[int, set[str]] = defaultdict(set)
    for purpose_id in Consent.objects.filter(client=client).values_list("purpose_id", flat=True):
        via[purpose_id].add(_("toestemming"))
    disclosed = Disclosure.objects.filter(Q(client=client) | Q(case_id__in=case_ids), purpose__isnull=False)
    for purpose_id in disclosed.values_list("purpose_id", flat=True):
        via[purpose_id].add(_("verstrekking"))
    member_model = apps.get_model("cases", "CaseMember")
    members = member_model.objects.filter(case_id__in=case_ids, purpose__isnull=False)
    for purpose_id in members.values_list("purpose_id", flat=True):
        via[purpose_id].add(_("deelname aan het casusteam"))
    category_labels = dict(DataCategory.choices)
    return [
        {
            "code": purpose.code,
            "name": purpose.name,
            "description": purpose.description,
            "legalBasis": str(LegalBasis(purpose.legal_basis).label) if purpose.legal_basis else "",
            "specialGround": purpose.get_special_ground_display() if purpose.special_ground else "",
            "criminalGround": purpose.get_criminal_ground_display() if purpose.criminal_ground else "",
            "law": purpose.get_law_display(),
            "categories": [str(category_labels.get(c, c)) for c in purpose.categories or []],
            "via": sorted(via[purpose.pk]),
        }
        for purpose in Purpose.objects.filter(pk__in=via)
    ]


def build(client, *, for_organisation=None) -> dict:
    """Everything held about ``client``, JSON-serialisable (GDPR art. 15).

    ``for_organisation`` is the organisation answering the request: notes under
    professional secrecy of other organisations are replaced by a line saying they
    exist. Reads only; a few queries per registered model plus one per distinct
    related row named in the export.
    """
    anchors = _anchor_ids(client)
    names = _Names()
    records: dict[str, list[dict]] = {}
    for label in sorted(exported_models()):
        if label == CLIENT or label in SECTIONS:
            continue
        rows = [_row(obj, label, names, for_organisation) for obj in _queryset(label, anchors, client)]
        if rows:
            records[label] = rows
    client_row = _row(client, CLIENT, names, None)
    return {
        "client": client_row["values"],
        "clientCategories": client_row["categories"],
        "generatedAt": _plain(timezone.now()),
        "records": records,
        "labels": _labels([CLIENT, *records]),
        "categories": {value: str(label) for value, label in DataCategory.choices},
        "purposes": _purposes(client, anchors[CASE]),
        "consents": _consents(client),
        "disclosures": _disclosures(client, anchors[CASE], names),
        "accessLog": _access_log(client, anchors[CASE], names),
        "correctionRequests": _correction_requests(client),
    }


# --- The readable document ----------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _display(value) -> str:
    """A value of the export as the person reads it (Dutch dates, ja/nee, lists as text)."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, indent=1)
    text = str(value)
    try:
        if _ISO_DATETIME.match(text):
            return datetime.datetime.fromisoformat(text).strftime("%d-%m-%Y %H:%M")
        if _ISO_DATE.match(text):
            return datetime.date.fromisoformat(text).strftime("%d-%m-%Y")
    except ValueError:  # free text that happens to start like a date
        pass
    return text


def _pairs(values: dict, field_labels: dict, only: Iterable[str] | None = None) -> list[tuple[str, str]]:
    names = values if only is None else [name for name in values if name in set(only)]
    pairs = []
    for name in names:
        if name in HIDDEN_IN_DOCUMENT:
            continue
        shown = _display(values[name])
        if shown:
            pairs.append((field_labels.get(name, name), shown))
    return pairs


def document_context(client, data: dict) -> dict:
    """What the template shows, grouped as the person reads it: per category, per kind of record."""
    labels = data["labels"]
    category_names = data["categories"]
    client_fields = labels[CLIENT]["fields"]
    by_category: dict[str, list[dict]] = defaultdict(list)
    for label, rows in data["records"].items():
        if label == CASE:
            continue
        per_category: dict[str, list] = defaultdict(list)
        for row in rows:
            if row.get("withheld"):
                per_category[DataCategory.NOTITIES.value].append({"withheld": row["withheld"]})
                continue
            for category in dict.fromkeys(c for c in row["categories"].values() if c):
                names = [n for n, c in row["categories"].items() if c == category]
                pairs = _pairs(row["values"], labels[label]["fields"], names)
                if pairs:
                    per_category[category].append({"title": row.get("title", ""), "pairs": pairs})
        for category, shown_rows in per_category.items():
            by_category[category].append({"name": labels[label]["name"], "rows": shown_rows})
    # Registration data last: it is the bulk, and the least telling for the person.
    order = [value for value in category_names if value != DataCategory.ADMINISTRATIEF] + [
        DataCategory.ADMINISTRATIEF.value
    ]
    categories = [
        {"name": category_names[value], "groups": by_category[value]} for value in order if by_category.get(value)
    ]
    client_sections = []
    for value in category_names:
        names = [n for n, c in data["clientCategories"].items() if c == value]
        pairs = _pairs(data["client"], client_fields, names)
        if pairs:
            client_sections.append({"name": category_names[value], "pairs": pairs})
    cases = [_pairs(row["values"], labels[CASE]["fields"]) for row in data["records"].get(CASE, []) if "values" in row]

    def dated(rows: list[dict], *keys: str) -> list[dict]:
        return [{**row, **{key: _display(row.get(key)) for key in keys}} for row in rows]

    return {
        "client": client,
        "client_sections": client_sections,
        "cases": cases,
        "categories": categories,
        "purposes": data["purposes"],
        "consents": dated(data["consents"], "givenAt", "expiresAt", "withdrawnAt"),
        "disclosures": dated(data["disclosures"], "at"),
        "access_log": dated(data["accessLog"], "at"),
        "correction_requests": dated(data["correctionRequests"], "receivedOn", "handledAt"),
        "generated_at": _display(data["generatedAt"]),
        "municipality": settings.MUNICIPALITY_NAME,
    }


def render_html(client, data: dict | None = None) -> str:
    data = build(client) if data is None else data
    return render_to_string("consent/subject_access_pdf.html", document_context(client, data))


def render_pdf(client, data: dict | None = None) -> bytes:
    """The export as a PDF for the person, in plain Dutch. ``data`` defaults to ``build(client)``."""
    from weasyprint import HTML  # imported here: loading WeasyPrint costs time at start-up

    return HTML(string=render_html(client, data), base_url=str(settings.BASE_DIR)).write_pdf()
