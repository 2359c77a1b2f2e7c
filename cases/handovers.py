"""Handovers: one case, or a professional's caseload, passed on to colleagues (warm handover).

The giver (or the teamleider) starts a handover; a summary of the case is generated at that moment
and frozen, so the receiver reads what was true when the case was passed on. Until the receiver
accepts, both see it and the reminder "handover not accepted" runs (``reminders``, on ``due_on``).
On acceptance the giver's case memberships, the coordinator role, and every open item the giver
owns (``OWNED_ITEMS``) move to the receiver in one transaction: nothing stays owned by someone who
left. A forced deactivation (``accounts.deactivation``) orphans the cases instead.

Open items of the workplan app are reached through ``apps.get_model`` and field paths only, the way
``access.policy`` reaches cases: ``workplans`` depends on ``cases``, never the other way round.
"""

from __future__ import annotations

import datetime
import inspect
import uuid as uuid_lib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import registry
from accounts.constants import CASEWORK_ROLES, Role
from accounts.models import Membership, Notification, Organisation, User
from accounts.services import notification_mark_done, notify
from consent.constants import DataCategory, DisclosureChannel

from . import services
from .constants import OPEN_STATUSES, CaseRole, Task
from .handover_selectors import is_team_leader, open_caseload_counts, open_cases_of
from .handover_summary import handover_summary
from .models import Case, CaseMember, Handover
from .owned_items import OWNED_ITEMS, lock_bump, move_owned_items, owned_queryset
from .workdays import add_working_days

HANDOVER_WORKING_DAYS = 5
EVEN = "even"


# --- Notifications ---------------------------------------------------------------------------

_NOTIFY_PARAMETERS = frozenset(inspect.signature(notify).parameters)


def _notify(
    user: User,
    *,
    title: str,
    url: str,
    case_number: str,
    kind: str = Notification.Kind.HANDOVER,
    body: str = "",
    rule: str = "",
    due_on: datetime.date | None = None,
    occurrence_key: str | None = None,
) -> Notification:
    """``accounts.services.notify`` with the inbox fields of a handover or reminder.

    ``notify`` takes the fields it knows; the others are set on the new row, so this keeps working
    while ``notify`` grows. Titles name the case by number only, never a client.
    """
    extra: dict[str, Any] = {
        "kind": kind,
        "case_number": case_number,
        "rule": rule,
        "due_on": due_on,
        "occurrence_key": occurrence_key,
    }
    passed = {key: value for key, value in extra.items() if key in _NOTIFY_PARAMETERS}
    notification = notify(user=user, title=title, body=body, url=url, **passed)
    rest = [key for key in extra if key not in passed]
    if rest:
        for key in rest:
            setattr(notification, key, extra[key])
        notification.save(update_fields=rest)
    return notification


def _handover_url(handover: Handover) -> str:
    return reverse("cases:handover-detail", args=[handover.uuid])


def _close_inbox_items(handover: Handover) -> None:
    """The handover is decided: its open inbox items (the request, reminder 8) are handled for both parties."""
    items = Notification.objects.filter(
        user_id__in=(handover.to_user_id, handover.from_user_id), url=_handover_url(handover), done_at__isnull=True
    ).select_related("user")
    for item in items:
        notification_mark_done(user=item.user, notification=item)


def team_leaders(team_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active teamleiders per team. One query."""
    leaders: dict[int, list[User]] = defaultdict(list)
    for membership in (
        Membership.objects.current()
        .filter(team_id__in=list(team_ids), role=Role.TEAMLEIDER, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ):
        if membership.user not in leaders[membership.team_id]:
            leaders[membership.team_id].append(membership.user)
    return leaders


# --- Rules ------------------------------------------------------------------------------------


def _casework_team_ids(user: User) -> set[int]:
    # Straight from the database: the user object passed in may carry a stale role cache.
    return set(
        Membership.objects.current().filter(user=user, role__in=CASEWORK_ROLES).values_list("team_id", flat=True)
    )


def _memberships(case: Case, user: User, *, lock: bool = False) -> list[CaseMember]:
    queryset = CaseMember.objects.filter(case=case, user=user, valid_to__isnull=True).select_related("purpose")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return list(queryset.order_by("id"))


def _is_coordinator(case: Case, user: User, memberships: Sequence[CaseMember]) -> bool:
    return case.coordinator_id == user.pk or any(m.role == CaseRole.COORDINATOR for m in memberships)


def _receiver_organisation(case: Case, to_user: User) -> Organisation:
    return to_user.organisation or case.team.organisation


def _check_actor(actor: User, case: Case, from_user: User) -> None:
    if actor.pk == from_user.pk or is_team_leader(actor, case.team_id):
        return
    raise ValidationError(_("Alleen de professional zelf of de teamleider van het team kan deze casus overdragen."))


def _check_receiver(case: Case, from_user: User, to_user: User, memberships: Sequence[CaseMember]) -> None:
    """The receiver must be able to take over everything the giver holds on the case."""
    if to_user.pk == from_user.pk:
        raise ValidationError({"to_user": _("Kies een andere professional dan degene die de casus overdraagt.")})
    if not to_user.is_active:
        raise ValidationError({"to_user": _("%(user)s is niet actief.") % {"user": to_user}})
    team_ids = _casework_team_ids(to_user)
    if not team_ids:
        raise ValidationError(
            {
                "to_user": _("%(user)s werkt niet aan casussen: kies een professional met een casusrol.")
                % {"user": to_user}
            }
        )
    if _is_coordinator(case, from_user, memberships) and case.team_id not in team_ids:
        raise ValidationError(
            {
                "to_user": _(
                    "%(user)s werkt niet in %(team)s. De regievoerder komt uit het team dat de casus behandelt."
                )
                % {"user": to_user, "team": case.team}
            }
        )
    organisation = _receiver_organisation(case, to_user)
    if not organisation.is_municipality:
        # Outside the municipality a case member needs a purpose that may be shared with them.
        usable = [
            m
            for m in memberships
            if m.purpose is not None and m.purpose.active and m.purpose.shares_with(organisation.type)
        ]
        if not memberships or len(usable) != len(memberships):
            raise ValidationError(
                {
                    "to_user": _(
                        "%(user)s werkt bij %(org)s, buiten de gemeente. Voor het doel van deze casus mogen geen "
                        "gegevens met die organisatie worden gedeeld."
                    )
                    % {"user": to_user, "org": organisation}
                }
            )


def _lock(handover: Handover) -> Handover:
    return (
        Handover.objects.select_for_update(of=("self",))
        .select_related("case__team__organisation", "from_user", "to_user", "created_by")
        .get(pk=handover.pk)
    )


def _ensure_pending(handover: Handover) -> None:
    if handover.status != Handover.Status.PENDING:
        raise ValidationError(
            _("Deze overdracht is al afgehandeld (%(status)s).") % {"status": handover.get_status_display()}
        )


def _open_handover_message(case: Case) -> str:
    return _(
        "Voor casus %(number)s staat al een overdracht open. Wacht tot die is geaccepteerd of teruggegeven, "
        "of trek haar in."
    ) % {"number": case.number}


# --- Services -----------------------------------------------------------------------------------


@transaction.atomic
def handover_create(
    *,
    actor: User,
    case: Case,
    from_user: User,
    to_user: User,
    note: str = "",
    intro_meeting_on: datetime.date | None = None,
    batch: uuid_lib.UUID | None = None,
) -> Handover:
    """Start the handover of ``case`` from ``from_user`` to ``to_user``; the summary is frozen now.

    ``actor`` is the giver or the teamleider of the case's team. The receiver is notified; when the
    summary leaves for an organisation that did not hold the case, a disclosure is registered.
    Locks the case row, so two handovers of one case cannot start at once.
    """
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("team__organisation", "coordinator", "household", "client")
        .get(pk=case.pk)
    )
    _check_actor(actor, case, from_user)
    if case.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Casus %(number)s is afgesloten en kan niet worden overgedragen.") % {"number": case.number}
        )
    memberships = _memberships(case, from_user)
    if not memberships and case.coordinator_id != from_user.pk:
        raise ValidationError(
            {
                "from_user": _("%(user)s is geen lid van het casusteam van casus %(number)s.")
                % {"user": from_user, "number": case.number}
            }
        )
    _check_receiver(case, from_user, to_user, memberships)
    if Handover.objects.filter(case=case, status=Handover.Status.PENDING).exists():
        raise ValidationError(_open_handover_message(case))
    today = timezone.localdate()
    if intro_meeting_on is not None and intro_meeting_on < today:
        raise ValidationError({"intro_meeting_on": _("Het kennismakingsgesprek kan niet in het verleden liggen.")})
    note = (note or "").strip()
    summary = handover_summary(
        case,
        from_user=from_user,
        to_user=to_user,
        memberships=memberships,
        note=note,
        intro_meeting_on=intro_meeting_on,
    )
    handover = Handover(
        case=case,
        batch=batch,
        from_user=from_user,
        to_user=to_user,
        created_by=actor,
        summary=summary,
        note=note,
        intro_meeting_on=intro_meeting_on,
        due_on=add_working_days(today, HANDOVER_WORKING_DAYS),
    )
    handover.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError as exc:  # the named constraint: one open handover per case
        raise ValidationError(_open_handover_message(case)) from exc
    _record_disclosure(actor=actor, handover=handover, memberships=memberships)
    _notify(
        to_user,
        title=_("Overdracht van casus %(number)s wacht op uw acceptatie") % {"number": case.number},
        body=_("%(user)s draagt deze casus aan u over. Accepteer of geef terug vóór %(due)s.")
        % {"user": from_user, "due": handover.due_on.strftime("%d-%m-%Y")},
        url=_handover_url(handover),
        case_number=case.number,
        due_on=handover.due_on,
    )
    return handover


def spread_evenly(case_ids: Sequence[int], receivers: Sequence[User]) -> dict[int, User]:
    """Give each case to the receiver with the smallest open caseload so far (ties: the order given).

    With equal caseloads this is round robin; a receiver who already carries more gets fewer.
    Cost: three queries (``open_caseload_counts``).
    """
    if not receivers:
        raise ValidationError({"receivers": _("Kies ten minste één ontvanger.")})
    load = open_caseload_counts(r.pk for r in receivers)
    mapping: dict[int, User] = {}
    for case_id in case_ids:
        index, receiver = min(enumerate(receivers), key=lambda pair: (load[pair[1].pk], pair[0]))
        mapping[case_id] = receiver
        load[receiver.pk] += 1
    return mapping


@transaction.atomic
def caseload_handover(
    *,
    actor: User,
    from_user: User,
    case_ids: Iterable[int],
    receivers: Sequence[User] = (),
    assignment: str | Mapping[Any, User] | None = None,
    note: str = "",
    intro_meeting_on: datetime.date | None = None,
) -> list[Handover]:
    """Hand over several of ``from_user``'s cases at once, as one batch (all or nothing).

    ``assignment`` is ``None`` or ``"even"`` to spread the cases over ``receivers`` evenly, or a
    mapping case (id or ``Case``) -> receiver chosen by hand. A refused case refuses the batch, with
    the case number in the message.
    """
    ordered = list(dict.fromkeys(int(getattr(c, "pk", c)) for c in case_ids))
    if not ordered:
        raise ValidationError({"cases": _("Kies ten minste één casus.")})
    cases = {case.pk: case for case in Case.objects.filter(pk__in=ordered)}
    if len(cases) != len(ordered):
        raise ValidationError({"cases": _("Een van de gekozen casussen bestaat niet.")})
    ordered.sort(key=lambda pk: cases[pk].number)
    if isinstance(assignment, Mapping):
        mapping = {int(getattr(key, "pk", key)): receiver for key, receiver in assignment.items()}
        if set(ordered) - set(mapping):
            raise ValidationError({"assignment": _("Kies voor elke casus een ontvanger.")})
    elif assignment in (None, EVEN):
        mapping = spread_evenly(ordered, list(dict.fromkeys(receivers)))
    else:
        raise ValidationError({"assignment": _("Kies gelijkmatig verdelen of per casus een ontvanger.")})
    batch = uuid_lib.uuid4()
    created = []
    for case_id in ordered:
        case = cases[case_id]
        try:
            created.append(
                handover_create(
                    actor=actor,
                    case=case,
                    from_user=from_user,
                    to_user=mapping[case_id],
                    note=note,
                    intro_meeting_on=intro_meeting_on,
                    batch=batch,
                )
            )
        except ValidationError as exc:
            raise ValidationError(
                _("Casus %(number)s: %(message)s") % {"number": case.number, "message": " ".join(exc.messages)}
            ) from exc
    return created


def _transfer(
    *, actor: User, case: Case, from_user: User, to_user: User, memberships: Sequence[CaseMember], fallback_roles
) -> None:
    """Move the giver's place on the case team, the coordinator role and the open items to the receiver."""
    organisation = _receiver_organisation(case, to_user)
    was_coordinator = _is_coordinator(case, from_user, memberships)
    coordinator_task = next((m.task for m in memberships if m.role == CaseRole.COORDINATOR), Task.COORDINATIE)
    roles = [(m.role, m.task, m.purpose) for m in memberships if m.role != CaseRole.COORDINATOR]
    if not memberships and not was_coordinator:
        # The giver left the case team meanwhile: the receiver still takes the place recorded at the start.
        # A coordinator appointed since then stays: the receiver only fills a coordinator place left empty.
        roles = [(role, task, None) for role, task in fallback_roles if role != CaseRole.COORDINATOR]
        was_coordinator = case.coordinator_id is None and any(r == CaseRole.COORDINATOR for r, _t in fallback_roles)
    for member in memberships:
        if member.role != CaseRole.COORDINATOR:
            services.case_member_end(actor=actor, member=member)
    for role, task, purpose in roles:
        if not CaseMember.objects.filter(case=case, user=to_user, role=role, valid_to__isnull=True).exists():
            services.case_member_add(
                actor=actor, case=case, user=to_user, role=role, task=task, purpose=purpose, organisation=organisation
            )
    if was_coordinator:
        # Ends the giver's coordinator membership and sets ``Case.coordinator`` to the receiver.
        services.case_set_coordinator(actor=actor, case=case, user=to_user, task=coordinator_task)
    move_owned_items(case=case, from_user=from_user, to_user=to_user, organisation=to_user.organisation)


@transaction.atomic
def handover_accept(*, actor: User, handover: Handover) -> Handover:
    """The receiver takes the case over. In one transaction: the giver's memberships end and the
    receiver gets the same roles (and the coordinator role), open goals, actions and agreements of
    the giver move to the receiver, and the object permissions follow. The giver is notified.

    Locks the handover and the case, so an accept cannot cross a return or a cancel.
    """
    handover = _lock(handover)
    if actor.pk != handover.to_user_id:
        raise ValidationError(_("Alleen de ontvanger kan de overdracht accepteren."))
    _ensure_pending(handover)
    case = Case.objects.select_for_update(of=("self",)).select_related("team__organisation").get(pk=handover.case_id)
    if case.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Casus %(number)s is intussen afgesloten. Geef de overdracht terug of laat haar intrekken.")
            % {"number": case.number}
        )
    from_user, to_user = handover.from_user, handover.to_user
    memberships = _memberships(case, from_user, lock=True)
    _check_receiver(case, from_user, to_user, memberships)
    fallback = [(r["role"], r["task"]) for r in handover.summary.get("transfer", {}).get("roles", [])]
    _transfer(
        actor=actor, case=case, from_user=from_user, to_user=to_user, memberships=memberships, fallback_roles=fallback
    )
    handover.status = Handover.Status.ACCEPTED
    handover.decided_at = timezone.now()
    handover.full_clean(validate_constraints=False)
    handover.save(update_fields=["status", "decided_at", "updated_at"])
    _close_inbox_items(handover)
    _notify(
        from_user,
        title=_("Casus %(number)s is overgenomen door %(user)s") % {"number": case.number, "user": to_user},
        url=_handover_url(handover),
        case_number=case.number,
    )
    return handover


@transaction.atomic
def handover_return(*, actor: User, handover: Handover, reason: str) -> Handover:
    """The receiver does not take the case (with a reason); the giver and the teamleider(s) are told."""
    handover = _lock(handover)
    if actor.pk != handover.to_user_id:
        raise ValidationError(_("Alleen de ontvanger kan de overdracht teruggeven."))
    _ensure_pending(handover)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef aan waarom u de overdracht teruggeeft.")})
    handover.status = Handover.Status.RETURNED
    handover.returned_reason = reason
    handover.decided_at = timezone.now()
    handover.full_clean(validate_constraints=False)
    handover.save(update_fields=["status", "returned_reason", "decided_at", "updated_at"])
    _close_inbox_items(handover)
    recipients = [
        handover.from_user,
        handover.created_by,
        *team_leaders([handover.case.team_id])[handover.case.team_id],
    ]
    seen: set[int] = {actor.pk}
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        _notify(
            user,
            title=_("Overdracht van casus %(number)s is teruggegeven door %(user)s")
            % {"number": handover.case.number, "user": actor},
            body=_("De reden staat bij de overdracht."),
            url=_handover_url(handover),
            case_number=handover.case.number,
        )
    return handover


@transaction.atomic
def handover_cancel(*, actor: User, handover: Handover) -> Handover:
    """Withdraw a handover that waits for acceptance (the giver, whoever started it, or the teamleider)."""
    handover = _lock(handover)
    if actor.pk not in (handover.from_user_id, handover.created_by_id) and not is_team_leader(
        actor, handover.case.team_id
    ):
        raise ValidationError(
            _("Alleen wie de overdracht begon, de vorige professional of de teamleider kan haar intrekken.")
        )
    _ensure_pending(handover)
    handover.status = Handover.Status.CANCELLED
    handover.decided_at = timezone.now()
    handover.full_clean(validate_constraints=False)
    handover.save(update_fields=["status", "decided_at", "updated_at"])
    _close_inbox_items(handover)
    _notify(
        handover.to_user,
        title=_("Overdracht van casus %(number)s is ingetrokken") % {"number": handover.case.number},
        url=_handover_url(handover),
        case_number=handover.case.number,
    )
    return handover


# --- Disclosure -----------------------------------------------------------------------------------


def _summary_categories(summary: dict) -> list[str]:
    categories = {DataCategory.ADMINISTRATIEF, DataCategory.IDENTITEIT, DataCategory.NOTITIES}
    if summary.get("household", {}).get("name"):
        categories.add(DataCategory.HUISHOUDEN)
    if summary.get("safety", {}).get("flag"):
        categories.add(DataCategory.VEILIGHEID)
    for row in summary.get("zrm", []):
        category = registry.domain_category(row["domain"])
        if category:
            categories.add(category)
    return sorted(str(c) for c in categories)


def _record_disclosure(*, actor: User, handover: Handover, memberships: Sequence[CaseMember]) -> None:
    """Register the summary leaving for an organisation that did not hold the case (channel "overdracht")."""
    disclosure_model = apps.get_model("consent", "Disclosure")
    case = handover.case
    organisation = handover.to_user.organisation
    if organisation is None or organisation.pk in (case.team.organisation_id, handover.from_user.organisation_id):
        return
    purpose = next((m.purpose for m in memberships if m.purpose is not None), None)
    disclosure = disclosure_model(
        channel=DisclosureChannel.HANDOVER,
        case=case,
        client=case.client,
        categories=_summary_categories(handover.summary),
        recipient_organisation=organisation,
        recipient_user=handover.to_user,
        purpose=purpose,
        legal_basis=purpose.legal_basis if purpose else "",
        disclosed_by=actor,
        route="cases:handover-create",
    )
    # The register's optional relations are null without blank=True (it is never edited in forms).
    disclosure.full_clean(exclude=["case", "client", "recipient_organisation", "recipient_user", "purpose", "consent"])
    disclosure.save()


# --- Deactivation: guard and forced hook (registered in ``cases.apps``) -----------------------------


def open_work_of(user: User) -> list[str]:
    """What keeps ``user`` from leaving: their open cases (by number) and handovers waiting for them."""
    items = [case.number for case in open_cases_of(user)]
    waiting = Handover.objects.filter(to_user=user, status=Handover.Status.PENDING).select_related("case")
    items += [_("%(number)s (overdracht wacht op acceptatie)") % {"number": h.case.number} for h in waiting]
    return items


# Who tells the teamleider about orphaned cases. The reminders app (a layer above) registers its
# ``notify_orphaned`` here in its ``ready()``, so that the sweep and a deactivation produce the same
# occurrences; cases never imports reminders. ``None``: announce_orphaned notifies itself.
_orphan_notifier: Callable[[Sequence[int]], object] | None = None


def register_orphan_notifier(notifier: Callable[[Sequence[int]], object] | None) -> None:
    """Let ``notifier(case_ids)`` tell the teamleiders about orphaned cases (``None`` unregisters)."""
    global _orphan_notifier
    _orphan_notifier = notifier


def orphan_cases_of(*, actor: User, user: User, items: Sequence[str] = ()) -> list[int]:
    """After a forced deactivation: end ``user``'s case memberships, clear them as coordinator, withdraw
    their pending handovers and clear them as owner of open items. The open cases left without a
    coordinator (or without any professional) are orphaned; the teamleider hears of them at once.

    Returns the ids of the orphaned cases. Runs in the deactivation's transaction.
    """
    open_ids = set(open_cases_of(user).values_list("pk", flat=True))
    coordinated = set(Case.objects.filter(pk__in=open_ids, coordinator=user).values_list("pk", flat=True))
    members = CaseMember.objects.select_for_update(of=("self",)).filter(user=user, valid_to__isnull=True)
    for member in members.select_related("case"):
        if member.role == CaseRole.COORDINATOR and member.case_id in open_ids:
            coordinated.add(member.case_id)
        services.case_member_end(actor=actor, member=member)
    Case.objects.filter(coordinator=user).update(coordinator=None)
    now = timezone.now()
    Handover.objects.filter(Q(from_user=user) | Q(to_user=user), status=Handover.Status.PENDING).update(
        status=Handover.Status.CANCELLED, decided_at=now, updated_at=now
    )
    for item in OWNED_ITEMS:
        queryset = owned_queryset(item, user=user)
        if queryset is not None:
            queryset.update(**{item.user_field: None}, **lock_bump(queryset))
    staffed = set(
        CaseMember.objects.filter(case_id__in=open_ids, valid_to__isnull=True, user__isnull=False)
        .exclude(role=CaseRole.PARTNER)
        .values_list("case_id", flat=True)
    )
    orphaned = sorted(coordinated | (open_ids - staffed))
    announce_orphaned(orphaned, worked_on=sorted(open_ids), departed=user)
    return orphaned


def announce_orphaned(case_ids: Sequence[int], *, worked_on: Sequence[int] = (), departed: User | None = None) -> None:
    """Tell the teamleider(s) of each orphaned case at once (rule "orphaned_case").

    The reminders app does this when it offers ``notify_orphaned``: it gets every open case the
    departed user worked on and applies its own definition of orphaned, with the keys its sweep
    uses. Without it the notification is made here, keyed as the brief of the sweep prescribes, so
    the sweep does not deliver it a second time.
    """
    if _orphan_notifier is not None:
        candidates = sorted(set(case_ids) | set(worked_on))
        if candidates:
            _orphan_notifier(candidates)
        return
    if not case_ids:
        return
    today = timezone.localdate()
    cases = list(Case.objects.filter(pk__in=case_ids).order_by("number"))
    leaders = team_leaders({case.team_id for case in cases})
    for case in cases:
        for leader in leaders.get(case.team_id, []):
            if departed is not None and leader.pk == departed.pk:
                continue
            key = f"orphaned_case:case:{case.pk}:{today}:{leader.pk}:herinnering"
            if Notification.objects.filter(occurrence_key=key).exists():
                continue
            _notify(
                leader,
                title=_("Casus %(number)s heeft geen regievoerder meer") % {"number": case.number},
                body=_(
                    "De regievoerder is uit dienst gemeld. Wijs een nieuwe regievoerder aan of draag de casus over."
                ),
                url=reverse("cases:case-team", args=[case.uuid]),
                case_number=case.number,
                kind=Notification.Kind.REMINDER,
                rule="orphaned_case",
                due_on=today,
                occurrence_key=key,
            )
