"""The sweep: run every rule and deliver its reminders as inbox items (``accounts.Notification``).

Idempotent by a database constraint: each inbox item carries an occurrence key
``"{rule}:{object}:{due date}:{user id}:{kind}"`` that is unique (``accounts_notification_one_per_occurrence``),
and rows are written with ``INSERT ... ON CONFLICT DO NOTHING``. A second run, an overlapping run or a task
retried after a worker died half-way never delivers an occurrence twice; an item the user marked done stays
done, because its occurrence is never created again. A new occurrence (a new due date) is a new item.

Writes are committed per batch, so an interrupted run keeps what it delivered and the retry adds the rest.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils import translation
from django.utils.translation import gettext as _

from access import policy
from accounts.constants import CASEWORK_ROLES, Role
from accounts.models import Membership, Notification
from cases.constants import CaseRole
from cases.models import Case, CaseMember

from .rules import RULES, Reminder, RuleContext, orphaned_cases

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
Kind = Notification.Kind


@dataclass
class People:
    """Who may be told: the active municipal professionals with their casework teams, and each team's
    teamleiders. Sized by the number of staff, never by the number of cases. Two queries."""

    casework_teams: dict[int, frozenset[int]]
    teamleiders: dict[int, tuple[int, ...]]

    @classmethod
    def load(cls, today: datetime.date) -> People:
        teams: dict[int, set[int]] = defaultdict(set)
        for user_id, team_id in (
            Membership.objects.current(today)
            .filter(role__in=CASEWORK_ROLES, user__is_active=True)
            .values_list("user_id", "team_id")
        ):
            teams[user_id].add(team_id)
        leaders: dict[int, list[int]] = defaultdict(list)
        for team_id, user_id in (
            Membership.objects.current(today)
            .filter(role=Role.TEAMLEIDER, user__is_active=True)
            .order_by("team_id", "user_id")
            .values_list("team_id", "user_id")
            .distinct()
        ):
            leaders[team_id].append(user_id)
        return cls(
            casework_teams={user: frozenset(t) for user, t in teams.items()},
            teamleiders={team: tuple(users) for team, users in leaders.items()},
        )


@dataclass
class RuleReport:
    items: int = 0
    created: int = 0
    queries: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "items": self.items,
            "created": self.created,
            "queries": self.queries,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class _QueryCounter:
    count: int = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def _without_jit():
    """PostgreSQL's JIT compiler would spend seconds compiling the rules' wide expressions (each correlated
    subquery is costed as if it ran for every row) to save nothing on index lookups: 6 s instead of 0.25 s for
    the review rule on 10,000 plans. Switched off for this connection while the rules run, then restored."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', false)")
        previous = cursor.fetchone()[0]
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('jit', %s, false)", [previous])
        except DatabaseError:
            pass  # a broken transaction is rolled back, and the setting with it


def occurrence_key(item: Reminder, user_id: int, kind: str) -> str:
    due = item.due_on.isoformat() if item.due_in_key else "-"
    return f"{item.rule}:{item.object_key}:{due}:{user_id}:{kind}"


def _batches(items: Iterable[Reminder], size: int) -> Iterator[list[Reminder]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _members(case_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """Current professionals per case, for the policy check and the fallback. One query per batch."""
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if case_ids:
        for case_id, user_id, role in CaseMember.objects.filter(
            case_id__in=case_ids, valid_to__isnull=True, user__isnull=False
        ).values_list("case_id", "user_id", "role"):
            members[case_id].append((user_id, role))
    return members


def _recipients(item: Reminder, people: People, members: dict[int, list[tuple[int, str]]]) -> list[int]:
    """The candidates the access policy lets see the case: ``access.policy.scope_covers``, the rule of
    ``filter_cases``, applied to facts loaded for all staff at once (a casework professional of the case's team,
    or one on the case team; a break-the-glass reader is no recipient). Partners are left out: what they may see
    depends on purpose and consent, and the coordinator is told anyway. Nobody left: the case team, else the
    teamleiders."""
    case_member_ids = {user for user, _role in members.get(item.case_id, ())}

    def allowed(user_id: int) -> bool:
        teams = people.casework_teams.get(user_id)
        return bool(teams) and policy.scope_covers(
            case_ids={item.case_id} if user_id in case_member_ids else set(),
            team_ids=teams,
            case_id=item.case_id,
            case_team_id=item.team_id,
        )

    chosen = [u for u in item.entitled if u in people.casework_teams]
    chosen += [u for u in item.recipients if u not in chosen and allowed(u)]
    if chosen or item.teamleiders_only:
        return chosen
    chosen = [u for u, role in members.get(item.case_id, ()) if role != CaseRole.PARTNER and allowed(u)]
    return list(dict.fromkeys(chosen)) or list(people.teamleiders.get(item.team_id, ()))


def _occurrences(item: Reminder, people: People, members) -> Iterator[tuple[str, int, str]]:
    """(occurrence key, user id, kind) of every inbox item ``item`` should produce."""
    for user_id in _recipients(item, people, members):
        yield occurrence_key(item, user_id, Kind.REMINDER), user_id, Kind.REMINDER
    if item.escalate:
        for user_id in people.teamleiders.get(item.team_id, ()):
            yield occurrence_key(item, user_id, Kind.ESCALATION), user_id, Kind.ESCALATION


def _notification(item: Reminder, key: str, user_id: int, kind: str) -> Notification:
    title = item.title
    if kind == Kind.ESCALATION and not item.teamleiders_only:
        title = _("Escalatie: %(title)s") % {"title": item.title}
    return Notification(
        user_id=user_id,
        kind=kind,
        title=title[:200],
        body=item.body,
        url=item.url,
        rule=item.rule,
        case_number=item.case_number,
        due_on=item.due_on,
        occurrence_key=key,
    )


def deliver(items: Iterable[Reminder], people: People, report: RuleReport | None = None) -> int:
    """Write the inbox items of ``items`` that do not exist yet; return how many were created.

    Per batch of ``BATCH_SIZE`` reminders: one query for the case teams, one for the keys that exist already
    (so a rerun builds and inserts nothing), one INSERT ... ON CONFLICT DO NOTHING (a concurrent run cannot
    duplicate). Each batch commits on its own (autocommit) unless the caller holds a transaction.
    """
    report = report or RuleReport()
    created = 0
    for batch in _batches(items, BATCH_SIZE):
        report.items += len(batch)
        members = _members({item.case_id for item in batch if item.case_id})
        candidates = {
            key: (item, user_id, kind) for item in batch for key, user_id, kind in _occurrences(item, people, members)
        }
        if not candidates:
            continue
        existing = set(
            Notification.objects.filter(occurrence_key__in=list(candidates)).values_list("occurrence_key", flat=True)
        )
        new = [
            _notification(item, key, user_id, kind)
            for key, (item, user_id, kind) in candidates.items()
            if key not in existing
        ]
        if new:
            Notification.objects.bulk_create(new, ignore_conflicts=True)
            created += len(new)
    report.created += created
    return created


def run_sweep(today: datetime.date | None = None, *, rules: Iterable[str] | None = None) -> dict[str, dict]:
    """Run the rules (all, or the codes in ``rules``) and deliver their reminders.

    Returns per rule: the reminders found, the inbox items created, the queries and seconds it took; and
    ``"total"``. A rule that fails does not stop the others: the error is logged and raised at the end, so the
    task is marked failed. Database connection errors are raised at once (the task retries; idempotent).
    Memory does not grow with the number of cases: rules stream their rows, delivery goes per batch.
    """
    started = time.monotonic()
    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        ctx = RuleContext.load(today)
        people = People.load(ctx.today)
    # Inbox items are stored text: always in the interface language, whatever language the caller has active.
    with _without_jit(), translation.override(settings.LANGUAGE_CODE):
        reports, failed = _run_rules(ctx, people, counter, rules)
    reports["total"] = {
        "items": sum(r["items"] for r in reports.values()),
        "created": sum(r["created"] for r in reports.values()),
        "seconds": round(time.monotonic() - started, 3),
    }
    logger.info("Reminder sweep on %s: %s", ctx.today, reports["total"])
    if failed:
        raise RuntimeError(f"Reminder rules failed: {', '.join(failed)}")
    return reports


def _run_rules(ctx: RuleContext, people: People, counter: _QueryCounter, rules: Iterable[str] | None):
    reports: dict[str, dict] = {}
    failed: list[str] = []
    for code, rule in RULES.items():
        if rules is not None and code not in rules:
            continue
        report = RuleReport()
        counter.count = 0
        begin = time.monotonic()
        try:
            with connection.execute_wrapper(counter):
                deliver(rule(ctx), people, report)
        except (OperationalError, InterfaceError):
            raise  # the database is unreachable: the task retries the whole sweep (idempotent)
        except Exception:
            logger.exception("Reminder rule %s failed", code)
            failed.append(code)
        report.queries = counter.count
        report.seconds = time.monotonic() - begin
        reports[str(code)] = report.as_dict()
    return reports, failed


def notify_orphaned(cases: Iterable[Case | int], *, today: datetime.date | None = None) -> int:
    """Tell the teamleiders at once about those of ``cases`` that have no active coordinator any more.

    For the service that deactivates a user or ends a membership: call it after the change is saved (in the
    same transaction is fine), with the cases the user worked on. Produces exactly the occurrences the sweep
    would (same keys), so the sweep never tells them twice. Returns the number of inbox items created.
    Queries: four, whatever the number of cases.
    """
    case_ids = [case.pk if isinstance(case, Case) else int(case) for case in cases]
    if not case_ids:
        return 0
    ctx = RuleContext.load(today)
    people = People.load(ctx.today)
    with _without_jit(), translation.override(settings.LANGUAGE_CODE):
        return deliver(orphaned_cases(ctx, case_ids=case_ids), people)
