"""The reminder rules of issue #7: one function per rule, each finding its due items with set-based queries.

A rule takes a ``RuleContext`` (today, the per-team thresholds) and yields ``Reminder`` records. It never
loops over all cases in Python: the database selects the due rows (per-team thresholds become one ``Q`` per
distinct value, joined with OR), and the rows are streamed with ``.iterator(chunk_size=...)`` so memory does
not grow with the number of cases. Each rule costs exactly one SELECT, whatever the number of rows.

A record names its case by number only: titles and bodies never hold a client's name, a BSN or free text
typed by a professional (a goal or agreement text may contain a name). Who receives it is decided by
``reminders.sweep``: the candidate recipients below, checked against the access policy, with the team's
teamleiders on escalation.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from django.db.models import DateField, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least, NullIf, TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.constants import OPEN_STATUSES, CaseRole, CaseStatus, ReferralStatus
from cases.models import Case, CaseMember, ContactMoment, Handover, HouseholdMember, LifeDomainAssessment, Referral
from cases.models import Signal as SignalModel
from cases.selectors import orphaned_q
from cases.workdays import add_working_days
from consent.models import Consent
from workplans.constants import CLOSED_GOAL_STATUSES, Duty, GoalStatus, GoalTerm, WorkplanStatus
from workplans.models import (
    Agreement,
    AgreementStatus,
    ClientInvolvement,
    CoordinationDuty,
    DutyRecord,
    Goal,
    Workplan,
)

from .constants import Rule
from .models import THRESHOLD_FIELDS, TeamReminderSettings

CHUNK_SIZE = 2000
ONE_DAY = datetime.timedelta(days=1)
ADOPTED = (WorkplanStatus.VASTGESTELD, WorkplanStatus.HERZIEN)
OPEN = sorted(OPEN_STATUSES)
# Aftercare is low-touch by design: no "no contact" reminder there.
CONTACT_STATUSES = sorted(OPEN_STATUSES - {CaseStatus.NAZORG})
# The ZRM drop that asks for a review (``workplans.selectors.ZRM_DROP``).
ZRM_DROP = 2


@dataclass(frozen=True, slots=True)
class Reminder:
    """One occurrence of a rule for one object. ``recipients`` are candidates the sweep checks against the
    access policy; ``entitled`` are parties the object itself entitles (the giver and receiver of a
    handover), only checked for being active professionals."""

    rule: str
    object_key: str
    due_on: datetime.date
    case_id: int | None
    case_number: str
    team_id: int
    title: str
    body: str
    url: str
    recipients: tuple[int, ...] = ()
    entitled: tuple[int, ...] = ()
    escalate: bool = False
    # Orphaned cases have no due date of their own: the occurrence is the situation, not a date; and they go
    # to the teamleiders only.
    due_in_key: bool = True
    teamleiders_only: bool = False


def _ids(*user_ids: int | None) -> tuple[int, ...]:
    return tuple(dict.fromkeys(u for u in user_ids if u))


def _d(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


@cache
def _url_template(name: str) -> str:
    """The path of a view taking one ``uuid``, with ``{}`` for it: one ``reverse`` per process, not per row."""
    marker = uuid.UUID(int=0)
    return reverse(name, kwargs={"uuid": marker}).replace(str(marker), "{}")


def url_for(name: str, object_uuid) -> str:
    return _url_template(name).format(object_uuid)


# --- Context: today and the per-team thresholds -------------------------------------------------------


@dataclass
class RuleContext:
    today: datetime.date
    now: datetime.datetime
    # team_id -> {threshold field: value}; only teams with a settings row (few), the rest use the defaults.
    team_values: dict[int, dict[str, int]] = field(default_factory=dict)
    _working_day_cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, today: datetime.date | None = None) -> RuleContext:
        """One query: the settings rows of the teams that have one."""
        today = today or timezone.localdate()
        now = timezone.now()
        if today != timezone.localdate(now):
            # A sweep "as of" another day (tests, the benchmark): the moment is early that morning.
            now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(6, 0)))
        values = {row["team_id"]: row for row in TeamReminderSettings.objects.values("team_id", *THRESHOLD_FIELDS)}
        return cls(today=today, now=now, team_values=values)

    def value(self, team_id: int, name: str) -> int:
        row = self.team_values.get(team_id)
        return row[name] if row else DEFAULTS[name]

    def per_team(self, name: str, team_path: str, make_q: Callable[[int], Q]) -> Q:
        """``make_q(threshold)`` for every team, as one condition: an OR over the distinct values in use."""
        by_value: dict[int, list[int]] = defaultdict(list)
        for team_id, row in self.team_values.items():
            by_value[row[name]].append(team_id)
        default = DEFAULTS[name]
        non_default = [t for value, teams in by_value.items() if value != default for t in teams]
        condition = make_q(default)
        if non_default:
            condition &= ~Q(**{f"{team_path}__in": non_default})
        for value, teams in by_value.items():
            if value != default:
                condition |= make_q(value) & Q(**{f"{team_path}__in": teams})
        return condition

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        key = (start, days)
        if key not in self._working_day_cache:
            self._working_day_cache[key] = add_working_days(start, days)
        return self._working_day_cache[key]

    def latest_start_overdue_after(self, days: int) -> datetime.date:
        """The latest day ``d`` with ``add_working_days(d, days) < today``: what was sent on or before it is late."""
        day = self.today - datetime.timedelta(days=1)
        while self.add_working_days(day, days) >= self.today:
            day -= datetime.timedelta(days=1)
        return day

    def escalates(self, team_id: int, due_on: datetime.date) -> bool:
        """Overdue by more than the team's escalation days (calendar days)."""
        return (self.today - due_on).days > self.value(team_id, "escalation_days")

    def start_of(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


DEFAULTS: dict[str, int] = {name: TeamReminderSettings._meta.get_field(name).default for name in THRESHOLD_FIELDS}


def _local_date(expression):
    return TruncDate(expression, tzinfo=timezone.get_current_timezone())


def _first(queryset, name: str, *, descending: bool = False):
    """The smallest (or largest) ``name`` of a correlated queryset, as a scalar subquery."""
    return Subquery(queryset.order_by(f"-{name}" if descending else name).values(name)[:1])


# --- 1. Coordination duties a–g ---------------------------------------------------------------------------


def duty_due(ctx: RuleContext) -> Iterator[Reminder]:
    """A duty a–g due within the team's lead time (working days) or overdue, on a plan that has not ended."""
    rows = (
        CoordinationDuty.objects.filter(workplan__case__status__in=OPEN)
        .exclude(workplan__status=WorkplanStatus.BEEINDIGD)
        .filter(
            ctx.per_team(
                "duty_lead_working_days",
                "workplan__case__team_id",
                lambda n: Q(next_due_on__lte=ctx.add_working_days(ctx.today, n)),
            )
        )
        .order_by()
        .values_list(
            "pk",
            "duty",
            "next_due_on",
            "workplan__case_id",
            "workplan__case__number",
            "workplan__case__uuid",
            "workplan__case__team_id",
            "workplan__case__coordinator_id",
        )
    )
    labels = {code: str(label) for code, label in Duty.choices}
    soon = _("Casus %(number)s: coördinatietaak %(duty)s uiterlijk %(date)s")
    late = _("Casus %(number)s: coördinatietaak %(duty)s is te laat (uiterlijk %(date)s)")
    body = _("Voer de taak uit en leg dat vast in het werkplan. Daarmee wordt de volgende keer ingepland.")
    for pk, duty, due_on, case_id, number, case_uuid, team_id, coordinator in rows.iterator(chunk_size=CHUNK_SIZE):
        values = {"number": number, "duty": labels[duty], "date": _d(due_on)}
        yield Reminder(
            rule=Rule.DUTY_DUE,
            object_key=f"duty:{pk}",
            due_on=due_on,
            case_id=case_id,
            case_number=number,
            team_id=team_id,
            title=(late if due_on < ctx.today else soon) % values,
            body=body,
            url=url_for("workplans:plan", case_uuid),
            recipients=_ids(coordinator),
            escalate=ctx.escalates(team_id, due_on),
        )


# --- 2. Workplan review: overdue, or an event asks for it (duty e) -------------------------------------------


def _review_event_dates(ctx: RuleContext):
    """Per workplan, the local date of the first event since its last review that asks for a new one.

    The same events as ``workplans.selectors.review_events`` (a household change, a signal on the case, a ZRM
    score that dropped 2 or more, a goal not reached), as correlated subqueries on the plan's reference
    moment ``ref`` (the last adoption or duty-e record). Each event counts from the moment it became known.
    """
    signal_moment = Greatest("received_at", Coalesce("triaged_at", "received_at"))
    signals = (
        SignalModel.objects.filter(case_id=OuterRef("case_id"))
        .filter(Q(received_at__gt=OuterRef("ref")) | Q(triaged_at__gt=OuterRef("ref")))
        .annotate(moment=signal_moment)
    )
    goals = Goal.objects.filter(
        workplan_id=OuterRef("pk"), status=GoalStatus.NIET_BEHAALD, status_changed_at__gt=OuterRef("ref")
    )
    previous_score = LifeDomainAssessment.objects.filter(case_id=OuterRef("case_id"), domain=OuterRef("domain")).filter(
        Q(assessed_on__lt=OuterRef("assessed_on")) | Q(assessed_on=OuterRef("assessed_on"), pk__lt=OuterRef("pk"))
    )
    drops = (
        LifeDomainAssessment.objects.filter(case_id=OuterRef("case_id"), created_at__gt=OuterRef("ref"))
        .annotate(previous=Subquery(previous_score.order_by("-assessed_on", "-pk").values("score")[:1]))
        .filter(previous__gte=F("score") + ZRM_DROP)
    )
    moved_in = HouseholdMember.objects.filter(
        household_id=OuterRef("case__household_id"), valid_from__gt=OuterRef("ref_day"), valid_from__lte=ctx.today
    )
    moved_out = HouseholdMember.objects.filter(
        household_id=OuterRef("case__household_id"), valid_to__gte=OuterRef("ref_day"), valid_to__lt=ctx.today
    )
    firsts = (
        _local_date(_first(signals, "moment")),
        _local_date(_first(goals, "status_changed_at")),
        _local_date(_first(drops, "created_at")),
        _first(moved_in, "valid_from"),
        _first(moved_out, "valid_to"),
    )
    # LEAST() skips NULLs on PostgreSQL but returns NULL on SQLite (the quick start): NULL-safe on both.
    never = Value(datetime.date.max, output_field=DateField())
    return NullIf(Least(*(Coalesce(first, never) for first in firsts)), never)


def workplan_review(ctx: RuleContext) -> Iterator[Reminder]:
    """An adopted plan whose review date has passed, or where an event since the last review asks for one."""
    last_duty_e = _first(
        DutyRecord.objects.filter(duty__workplan_id=OuterRef("pk"), duty__duty=Duty.E), "created_at", descending=True
    )
    plans = (
        Workplan.objects.filter(status__in=ADOPTED, case__status__in=OPEN)
        .annotate(last_e=last_duty_e)
        .annotate(ref=Greatest(Coalesce("adopted_at", "last_e"), Coalesce("last_e", "adopted_at")))
        .annotate(ref_day=_local_date("ref"))
    )
    overdue = plans.filter(review_due_on__lt=ctx.today).annotate(kind=Value("review"), due=F("review_due_on"))
    # The first event of any kind, or NULL when there is none.
    events = plans.annotate(kind=Value("event"), due=_review_event_dates(ctx)).filter(due__isnull=False)
    fields = ("pk", "kind", "due", "case_id", "case__number", "case__uuid", "case__team_id", "case__coordinator_id")
    rows = overdue.order_by().values_list(*fields).union(events.order_by().values_list(*fields), all=True)
    late = _("Casus %(number)s: het werkplan had uiterlijk %(date)s herzien moeten worden")
    late_body = _("Bespreek de voortgang met de cliënt en het casusteam en stel het werkplan opnieuw vast.")
    event = _("Casus %(number)s: er is iets gebeurd dat om herziening van het werkplan vraagt (%(date)s)")
    event_body = _(
        "Sinds de laatste herziening is er een gebeurtenis geweest (zie het werkplan). "
        "Beoordeel of het werkplan moet worden herzien (taak e) en leg dat vast."
    )
    for pk, kind, due_on, case_id, number, case_uuid, team_id, coordinator in rows.iterator(chunk_size=CHUNK_SIZE):
        values = {"number": number, "date": _d(due_on)}
        yield Reminder(
            rule=Rule.WORKPLAN_REVIEW,
            object_key=f"{'review' if kind == 'review' else 'review-event'}:{pk}",
            due_on=due_on,
            case_id=case_id,
            case_number=number,
            team_id=team_id,
            title=(late if kind == "review" else event) % values,
            body=late_body if kind == "review" else event_body,
            url=url_for("workplans:plan", case_uuid),
            recipients=_ids(coordinator),
            escalate=ctx.escalates(team_id, due_on),
        )


# --- 3. Agreements -----------------------------------------------------------------------------------------


def agreement_overdue(ctx: RuleContext) -> Iterator[Reminder]:
    """An open agreement (afspraak) past its date: to its owner and the coordinator."""
    rows = (
        Agreement.objects.filter(status=AgreementStatus.OPEN, due_on__lt=ctx.today, case__status__in=OPEN)
        .order_by()
        .values_list(
            "pk",
            "due_on",
            "owner_id",
            "meeting__uuid",
            "case_id",
            "case__number",
            "case__uuid",
            "case__team_id",
            "case__coordinator_id",
        )
    )
    title = _("Casus %(number)s: een afspraak is niet op tijd nagekomen (uiterlijk %(date)s)")
    body = _("Ga na of de afspraak is nagekomen en sluit haar af, of maak een nieuwe afspraak.")
    for pk, due_on, owner, meeting_uuid, case_id, number, case_uuid, team_id, coordinator in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield Reminder(
            rule=Rule.AGREEMENT_OVERDUE,
            object_key=f"agreement:{pk}",
            due_on=due_on,
            case_id=case_id,
            case_number=number,
            team_id=team_id,
            title=title % {"number": number, "date": _d(due_on)},
            body=body,
            url=url_for("workplans:meeting", meeting_uuid) if meeting_uuid else url_for("cases:case-detail", case_uuid),
            recipients=_ids(owner, coordinator),
            escalate=ctx.escalates(team_id, due_on),
        )


# --- 4. No contact with the client -------------------------------------------------------------------------


def no_contact(ctx: RuleContext) -> Iterator[Reminder]:
    """An open case (not in aftercare) without a contact moment for the team's number of days (fewer with a
    safety flag). Counted from the last contact, or from the opening of the case when there is none.

    Notes under professional secrecy do not count and are never named: the reminder and its date reach
    professionals who are not bound by that secrecy (ADR 0005)."""
    shared = ContactMoment.objects.filter(case_id=OuterRef("pk"), restricted=False)

    def quiet_since(days: int) -> Q:
        cutoff = ctx.today - datetime.timedelta(days=days)
        recent = shared.filter(occurred_at__gte=ctx.start_of(cutoff) + ONE_DAY)
        return Q(opened_on__lte=cutoff) & ~Exists(recent)

    safety = ~Q(safety_concern="")
    rows = (
        Case.objects.filter(status__in=CONTACT_STATUSES)
        .filter(
            (safety & ctx.per_team("contact_days_safety", "team_id", quiet_since))
            | (~safety & ctx.per_team("contact_days", "team_id", quiet_since))
        )
        .annotate(last_contact=_first(shared, "occurred_at", descending=True))
        .order_by()
        .values_list("pk", "number", "uuid", "team_id", "coordinator_id", "opened_on", "safety_concern", "last_contact")
    )
    title = _("Casus %(number)s: al %(days)s dagen geen contact met de cliënt")
    body = _("Er is sinds %(date)s geen contactmoment vastgelegd. Neem contact op en leg het contactmoment vast.")
    for pk, number, case_uuid, team_id, coordinator, opened_on, safety_concern, last_contact in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        since = max(opened_on, timezone.localdate(last_contact)) if last_contact else opened_on
        days = ctx.value(team_id, "contact_days_safety" if safety_concern else "contact_days")
        due_on = since + datetime.timedelta(days=days)
        yield Reminder(
            rule=Rule.NO_CONTACT,
            object_key=f"case:{pk}",
            due_on=due_on,
            case_id=pk,
            case_number=number,
            team_id=team_id,
            title=title % {"number": number, "days": (ctx.today - since).days},
            body=body % {"date": _d(since)},
            url=url_for("cases:case-contacts", case_uuid),
            recipients=_ids(coordinator),
            escalate=ctx.escalates(team_id, due_on),
        )


# --- 5. No client involvement (duty f) ---------------------------------------------------------------------


def no_involvement(ctx: RuleContext) -> Iterator[Reminder]:
    """An adopted plan where the client was not involved (duty f) for the team's number of weeks, counted from
    the last recorded involvement, or from the start of the plan when there is none."""

    def quiet_since(weeks: int) -> Q:
        cutoff = ctx.today - datetime.timedelta(weeks=weeks)
        recent = ClientInvolvement.objects.filter(workplan_id=OuterRef("pk"), occurred_on__gt=cutoff)
        return Q(created_at__lt=ctx.start_of(cutoff) + ONE_DAY) & ~Exists(recent)

    rows = (
        Workplan.objects.filter(status__in=ADOPTED, case__status__in=OPEN)
        .filter(ctx.per_team("involvement_weeks", "case__team_id", quiet_since))
        .annotate(
            last=_first(ClientInvolvement.objects.filter(workplan_id=OuterRef("pk")), "occurred_on", descending=True)
        )
        .order_by()
        .values_list(
            "pk", "created_at", "last", "case_id", "case__number", "case__uuid", "case__team_id", "case__coordinator_id"
        )
    )
    title = _("Casus %(number)s: de cliënt is sinds %(date)s niet bij het werkplan betrokken")
    body = _("Taak f: betrek de cliënt en het gezin bij het werkplan en leg hun mening vast.")
    for pk, created_at, last, case_id, number, case_uuid, team_id, coordinator in rows.iterator(chunk_size=CHUNK_SIZE):
        since = last or timezone.localdate(created_at)
        due_on = since + datetime.timedelta(weeks=ctx.value(team_id, "involvement_weeks"))
        yield Reminder(
            rule=Rule.NO_INVOLVEMENT,
            object_key=f"workplan:{pk}",
            due_on=due_on,
            case_id=case_id,
            case_number=number,
            team_id=team_id,
            title=title % {"number": number, "date": _d(since)},
            body=body,
            url=url_for("workplans:plan", case_uuid),
            recipients=_ids(coordinator),
            escalate=ctx.escalates(team_id, due_on),
        )


# --- 6. Long-term goals without an owner (duty g) ------------------------------------------------------------


def goal_owner(ctx: RuleContext) -> Iterator[Reminder]:
    """An open long-term goal of an adopted plan without an owner, or whose owner has left the case team.

    Counted from the goal's creation, or from the day the owner left; each situation is its own occurrence.
    """
    owner_is_member = Exists(
        CaseMember.objects.filter(
            case_id=OuterRef("workplan__case_id"), user_id=OuterRef("owner_id"), valid_to__isnull=True
        )
    )
    left_on = _first(
        CaseMember.objects.filter(
            case_id=OuterRef("workplan__case_id"), user_id=OuterRef("owner_id"), valid_to__isnull=False
        ),
        "valid_to",
        descending=True,
    )
    rows = (
        Goal.objects.filter(term=GoalTerm.LONG, workplan__status__in=ADOPTED, workplan__case__status__in=OPEN)
        .exclude(status__in=CLOSED_GOAL_STATUSES)
        .filter(Q(owner__isnull=True) | ~owner_is_member)
        .annotate(left_on=left_on)
        .order_by()
        .values_list(
            "pk",
            "owner_id",
            "created_at",
            "left_on",
            "workplan__case_id",
            "workplan__case__number",
            "workplan__case__uuid",
            "workplan__case__team_id",
            "workplan__case__coordinator_id",
        )
    )
    no_owner = _("Casus %(number)s: een langetermijndoel heeft geen eigenaar")
    owner_left = _("Casus %(number)s: de eigenaar van een langetermijndoel is geen lid meer van het casusteam")
    body = _("Taak g: wijs een nieuwe eigenaar aan, zodat het doel niet uit beeld raakt.")
    for pk, owner, created_at, left, case_id, number, case_uuid, team_id, coordinator in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        due_on = (left if owner and left else None) or timezone.localdate(created_at)
        yield Reminder(
            rule=Rule.GOAL_OWNER,
            object_key=f"goal:{pk}:owner-{owner}-left" if owner else f"goal:{pk}:no-owner",
            due_on=due_on,
            case_id=case_id,
            case_number=number,
            team_id=team_id,
            title=(owner_left if owner else no_owner) % {"number": number},
            body=body,
            url=url_for("workplans:plan", case_uuid),
            recipients=_ids(coordinator),
            escalate=ctx.escalates(team_id, due_on),
        )


# --- 7. Signals past their triage deadline -------------------------------------------------------------------


def signal_triage(ctx: RuleContext) -> Iterator[Reminder]:
    """A signal (melding) not triaged by its deadline: to whoever registered it (else the teamleiders)."""
    rows = (
        SignalModel.objects.filter(outcome="", triage_deadline__lt=ctx.today)
        .order_by()
        .values_list(
            "pk", "uuid", "triage_deadline", "received_at", "team_id", "created_by_id", "case_id", "case__number"
        )
    )
    title = _("Een melding van %(received)s is niet op tijd getrieerd (uiterlijk %(date)s)")
    body = _("Beoordeel de melding en leg de uitkomst van de triage vast.")
    for pk, signal_uuid, deadline, received_at, team_id, created_by, case_id, number in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield Reminder(
            rule=Rule.SIGNAL_TRIAGE,
            object_key=f"signal:{pk}",
            due_on=deadline,
            case_id=case_id,
            case_number=number or "",
            team_id=team_id,
            title=title % {"received": _d(timezone.localdate(received_at)), "date": _d(deadline)},
            body=body,
            url=url_for("cases:signal-detail", signal_uuid),
            recipients=_ids(created_by),
            escalate=ctx.escalates(team_id, deadline),
        )


# --- 8. Handovers not accepted in time -----------------------------------------------------------------------


def handover_pending(ctx: RuleContext) -> Iterator[Reminder]:
    """An open handover past its accept-by date (``Handover.due_on``): to the receiver and the giver."""
    rows = (
        Handover.objects.filter(status=Handover.Status.PENDING, due_on__lt=ctx.today, case__status__in=OPEN)
        .order_by()
        .values_list(
            "pk",
            "uuid",
            "due_on",
            "to_user_id",
            "from_user_id",
            "case_id",
            "case__number",
            "case__uuid",
            "case__team_id",
        )
    )
    # The handover page when the handovers app offers one, else the case.
    try:
        _url_template("cases:handover-detail")
        page = "cases:handover-detail"
    except NoReverseMatch:
        page = None
    title = _("Casus %(number)s: de overdracht is niet op tijd geaccepteerd (uiterlijk %(date)s)")
    body = _(
        "De ontvanger accepteert de overdracht of geeft haar terug. Tot dan blijft de vorige professional verantwoordelijk."
    )
    for pk, handover_uuid, due_on, to_user, from_user, case_id, number, case_uuid, team_id in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield Reminder(
            rule=Rule.HANDOVER_PENDING,
            object_key=f"handover:{pk}",
            due_on=due_on,
            case_id=case_id,
            case_number=number,
            team_id=team_id,
            title=title % {"number": number, "date": _d(due_on)},
            body=body,
            url=url_for(page, handover_uuid) if page else url_for("cases:case-detail", case_uuid),
            entitled=_ids(to_user, from_user),
            escalate=ctx.escalates(team_id, due_on),
        )


# --- 9. Cases without an active coordinator -------------------------------------------------------------------


def orphaned_cases(ctx: RuleContext, *, case_ids: Iterable[int] | None = None) -> Iterator[Reminder]:
    """An open case that nobody active looks after: told to the teamleiders at once (kind escalation).

    Orphaned is: a coordinated case (status actief) without a current coordinator who is an active user, or any
    open case without a single current municipal professional who is active (a deactivated user, an ended
    membership). The occurrence is the situation, identified by the latest coordinator membership (actief) or
    the latest membership (other statuses), so the teamleider is told once per situation, not once a day; the
    same key is produced by ``reminders.sweep.notify_orphaned`` when a user is deactivated.
    """
    latest_coordinator = _first(
        CaseMember.objects.filter(case_id=OuterRef("pk"), role=CaseRole.COORDINATOR), "pk", descending=True
    )
    latest_member = _first(CaseMember.objects.filter(case_id=OuterRef("pk")), "pk", descending=True)
    cases = Case.objects.filter(orphaned_q())
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    rows = (
        cases.annotate(
            marker=Coalesce(latest_coordinator, Value(0), output_field=IntegerField()),
            member_marker=Coalesce(latest_member, Value(0), output_field=IntegerField()),
        )
        .order_by()
        .values_list("pk", "number", "uuid", "team_id", "status", "marker", "member_marker")
    )
    title = _("Casus %(number)s heeft geen actieve regievoerder")
    body = _("Wijs zo snel mogelijk een nieuwe regievoerder aan, zodat de cliënt niet zonder hulp komt te zitten.")
    for pk, number, case_uuid, team_id, status, marker, member_marker in rows.iterator(chunk_size=CHUNK_SIZE):
        situation = f"c{marker}" if status == CaseStatus.ACTIEF else f"m{member_marker}"
        yield Reminder(
            rule=Rule.ORPHANED_CASE,
            object_key=f"case:{pk}:{situation}",
            due_on=ctx.today,
            case_id=pk,
            case_number=number,
            team_id=team_id,
            title=title % {"number": number},
            body=body,
            url=url_for("cases:case-team", case_uuid),
            escalate=True,
            due_in_key=False,
            teamleiders_only=True,
        )


# --- 10. Consents about to expire -----------------------------------------------------------------------------


def consent_expiring(ctx: RuleContext) -> Iterator[Reminder]:
    """A valid consent of a client of an open case that expires within the team's number of days and has not
    been renewed (no other valid consent for the same purpose and recipient that runs longer). One occurrence
    per case the client is part of: directly, or as a current member of the case's household."""
    org = Coalesce("recipient_organisation_id", Value(0))
    renewed = Exists(
        Consent.objects.valid(ctx.now)
        .annotate(org=org)
        .filter(
            client_id=OuterRef("client_id"),
            purpose_id=OuterRef("purpose_id"),
            recipient_type=OuterRef("recipient_type"),
            org=OuterRef("org"),
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=OuterRef("expires_at")))
        .exclude(pk=OuterRef("pk"))
    )
    expiring = Consent.objects.valid(ctx.now).filter(expires_at__isnull=False).annotate(org=org).filter(~renewed)

    def within(days: int) -> Q:
        # By calendar date: a consent that ends on today + days (any time that day) is expiring.
        return Q(expires_at__lt=ctx.start_of(ctx.today + datetime.timedelta(days=days + 1)))

    # The case columns are annotations on the joined relation, so the per-team filter (on the annotation)
    # and the selected columns refer to the same join, not to a second one.
    fields = ("pk", "expires_at", "case_id", "case_number", "case_uuid", "team_id", "coordinator_id")
    direct = (
        expiring.filter(client__cases__status__in=OPEN)
        .annotate(
            case_id=F("client__cases__id"),
            case_number=F("client__cases__number"),
            case_uuid=F("client__cases__uuid"),
            team_id=F("client__cases__team_id"),
            coordinator_id=F("client__cases__coordinator_id"),
        )
        .filter(ctx.per_team("consent_expiry_days", "team_id", within))
    )
    # A household case reached through the client's current household membership.
    via_household = (
        expiring.filter(
            client__household_memberships__valid_to__isnull=True,
            client__household_memberships__household__cases__status__in=OPEN,
        )
        .annotate(
            case_id=F("client__household_memberships__household__cases__id"),
            case_number=F("client__household_memberships__household__cases__number"),
            case_uuid=F("client__household_memberships__household__cases__uuid"),
            team_id=F("client__household_memberships__household__cases__team_id"),
            coordinator_id=F("client__household_memberships__household__cases__coordinator_id"),
        )
        .filter(ctx.per_team("consent_expiry_days", "team_id", within))
    )
    rows = direct.order_by().values_list(*fields).union(via_household.order_by().values_list(*fields), all=True)
    title = _("Casus %(number)s: een toestemming verloopt op %(date)s")
    body = _("Vraag de cliënt of de toestemming wordt verlengd en leg dat vast, of stop met delen voor dit doel.")
    for pk, expires_at, case_id, number, case_uuid, team_id, coordinator in rows.iterator(chunk_size=CHUNK_SIZE):
        due_on = timezone.localdate(expires_at)
        yield Reminder(
            rule=Rule.CONSENT_EXPIRING,
            object_key=f"consent:{pk}:case:{case_id}",
            due_on=due_on,
            case_id=case_id,
            case_number=number,
            team_id=team_id,
            title=title % {"number": number, "date": _d(due_on)},
            body=body,
            url=url_for("cases:case-consents", case_uuid),
            recipients=_ids(coordinator),
        )


# --- 11. Referrals that do not get going -------------------------------------------------------------------


def referral_pending(ctx: RuleContext) -> Iterator[Reminder]:
    """A referral not accepted or declined within the team's working days, or accepted but the help has not
    started by its expected date: to the coordinator and whoever sent it."""
    unanswered = Q(status=ReferralStatus.VERSTUURD) & ctx.per_team(
        "referral_response_working_days",
        "case__team_id",
        lambda n: Q(sent_on__lte=ctx.latest_start_overdue_after(n)),
    )
    not_started = Q(status=ReferralStatus.GEACCEPTEERD, expected_start_on__lt=ctx.today, completed_on__isnull=True)
    rows = (
        Referral.objects.filter(case__status__in=OPEN)
        .filter(unanswered | not_started)
        .order_by()
        .values_list(
            "pk",
            "status",
            "sent_on",
            "expected_start_on",
            "created_by_id",
            "case_id",
            "case__number",
            "case__uuid",
            "case__team_id",
            "case__coordinator_id",
        )
    )
    no_answer = _("Casus %(number)s: een verwijzing is niet beantwoord (uiterlijk %(date)s)")
    no_answer_body = _("Vraag de ontvanger of de verwijzing wordt geaccepteerd of afgewezen.")
    no_start = _("Casus %(number)s: de hulp na een verwijzing is niet op tijd gestart (verwacht %(date)s)")
    no_start_body = _("Ga na wanneer de hulp start en leg dat vast bij de verwijzing.")
    for pk, status, sent_on, expected, created_by, case_id, number, case_uuid, team_id, coordinator in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        if status == ReferralStatus.VERSTUURD:
            due_on = ctx.add_working_days(sent_on, ctx.value(team_id, "referral_response_working_days"))
            key, text, body = f"referral:{pk}:response", no_answer, no_answer_body
        else:
            due_on = expected
            key, text, body = f"referral:{pk}:start", no_start, no_start_body
        yield Reminder(
            rule=Rule.REFERRAL_PENDING,
            object_key=key,
            due_on=due_on,
            case_id=case_id,
            case_number=number,
            team_id=team_id,
            title=text % {"number": number, "date": _d(due_on)},
            body=body,
            url=url_for("cases:case-detail", case_uuid),
            recipients=_ids(coordinator, created_by),
            escalate=ctx.escalates(team_id, due_on),
        )


# The rules in the order the sweep runs them.
RULES: dict[str, Callable[[RuleContext], Iterator[Reminder]]] = {
    Rule.DUTY_DUE: duty_due,
    Rule.WORKPLAN_REVIEW: workplan_review,
    Rule.AGREEMENT_OVERDUE: agreement_overdue,
    Rule.NO_CONTACT: no_contact,
    Rule.NO_INVOLVEMENT: no_involvement,
    Rule.GOAL_OWNER: goal_owner,
    Rule.SIGNAL_TRIAGE: signal_triage,
    Rule.HANDOVER_PENDING: handover_pending,
    Rule.ORPHANED_CASE: orphaned_cases,
    Rule.CONSENT_EXPIRING: consent_expiring,
    Rule.REFERRAL_PENDING: referral_pending,
}


def orphaned_case_reminders(case_ids: Iterable[int], *, today: datetime.date | None = None) -> list[Reminder]:
    """The orphaned-case reminders of just these cases (for an immediate notice after a deactivation)."""
    return list(orphaned_cases(RuleContext.load(today), case_ids=case_ids))
