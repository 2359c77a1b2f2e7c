"""What a professional owns on a case: the open items that name them as responsible.

On a handover these move to the receiver with the case (``cases.handovers``); on a forced
deactivation they are cleared. Items of the workplan app are reached through ``apps.get_model``
and field paths only: ``workplans`` depends on ``cases``, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import F, Model, Q

from accounts.models import Organisation, User

from .models import Case


@dataclass(frozen=True)
class OwnedItem:
    """An open item of a case that points at the professional responsible for it.

    ``organisation_field`` names the party of the item; it moves along only where it named the
    giver's own organisation (an action carried out by a partner stays with that partner).
    """

    model: str
    user_field: str
    case_path: str
    open_q: Q
    organisation_field: str = ""

    def model_class(self) -> type[Model] | None:
        app_label, name = self.model.split(".")
        return apps.get_model(app_label, name) if apps.is_installed(app_label) else None


# The status values mirror ``workplans.constants`` (CLOSED_GOAL_STATUSES, CLOSED_ACTION_STATUSES,
# AgreementStatus.OPEN); a test keeps them equal. Duties a–g have no owner of their own: they are
# the coordinator's, and move with ``Case.coordinator``.
OWNED_ITEMS: tuple[OwnedItem, ...] = (
    OwnedItem(
        "workplans.Goal",
        "owner",
        "workplan__case",
        ~Q(status__in=("behaald", "niet_behaald", "vervallen")),
        "owner_organisation",
    ),
    OwnedItem(
        "workplans.Action",
        "professional",
        "goal__workplan__case",
        ~Q(status__in=("afgerond", "gestopt")),
        "party",
    ),
    OwnedItem("workplans.Agreement", "owner", "case", Q(status="open"), "owner_organisation"),
)


def owned_queryset(item: OwnedItem, *, user: User, case: Case | None = None):
    model = item.model_class()
    if model is None:
        return None
    queryset = model.objects.filter(item.open_q, **{item.user_field: user})
    if case is not None:
        queryset = queryset.filter(**{item.case_path: case})
    return queryset


def _has_field(queryset, name: str) -> bool:
    return any(f.name == name for f in queryset.model._meta.concrete_fields)


def lock_bump(queryset) -> dict:
    # Items with optimistic locking get a new version: an edit form opened before the move must not
    # silently put the old owner back.
    return {"lock_version": F("lock_version") + 1} if _has_field(queryset, "lock_version") else {}


def move_owned_items(*, case: Case, from_user: User, to_user: User, organisation: Organisation | None) -> int:
    moved = 0
    for item in OWNED_ITEMS:
        queryset = owned_queryset(item, user=from_user, case=case)
        if queryset is None:
            continue
        if item.organisation_field and organisation is not None and from_user.organisation_id:
            same_party = queryset.filter(**{f"{item.organisation_field}_id": from_user.organisation_id})
            moved += same_party.update(
                **{item.user_field: to_user, item.organisation_field: organisation}, **lock_bump(queryset)
            )
        moved += queryset.update(**{item.user_field: to_user}, **lock_bump(queryset))
    return moved


def open_items_owned_by(user: User, *, case: Case | None = None) -> list[Model]:
    """Every open item (of ``case``, or of any case) that still names ``user`` as responsible."""
    found: list[Model] = []
    for item in OWNED_ITEMS:
        queryset = owned_queryset(item, user=user, case=case)
        if queryset is not None:
            found.extend(queryset)
    return found
