"""Deactivating a user ("uit dienst"), refused while other apps report open work.

``accounts`` depends on nothing of ours, so the apps that hold a user's work register here:
a guard ``fn(user) -> list[str]`` names what blocks the deactivation (``cases``: open cases by
number, handovers waiting for the user), and an ``on_forced`` hook ``fn(*, actor, user, items)``
runs when a teamleider or beheerder deactivates the user anyway (``cases``: the cases lose their
coordinator, which the teamleider hears of at once). Registration happens in ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .constants import Role
from .models import User
from .selectors import forget_cached_roles, user_memberships, user_roles

Guard = Callable[[User], Sequence[str]]
ForcedHook = Callable[..., object]

_guards: list[Guard] = []
_forced_hooks: list[ForcedHook] = []


def register_guard(fn: Guard) -> Guard:
    """Register ``fn(user) -> list of blocking items`` (labels shown to the person deactivating)."""
    if fn not in _guards:
        _guards.append(fn)
    return fn


def register_on_forced(fn: ForcedHook) -> ForcedHook:
    """Register ``fn(*, actor, user, items)``, called in the transaction of a forced deactivation."""
    if fn not in _forced_hooks:
        _forced_hooks.append(fn)
    return fn


def blocking_items(user: User) -> list[str]:
    """Everything the registered guards report for ``user``; empty when they may leave."""
    items: list[str] = []
    for guard in _guards:
        items.extend(guard(user))
    return items


def may_deactivate(actor: User | None, user: User) -> bool:
    """A superuser, a functioneel beheerder, or a teamleider of one of the user's teams."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    roles = user_roles(actor)
    if Role.BEHEERDER in roles:
        return True
    if Role.TEAMLEIDER not in roles:
        return False
    led = {m.team_id for m in user_memberships(actor) if m.role == Role.TEAMLEIDER}
    forget_cached_roles(user)  # the user's teams straight from the database
    return bool(led & {m.team_id for m in user_memberships(user)})


def check_deactivation(*, actor: User | None, user: User, force: bool = False) -> list[str]:
    """Raise ``ValidationError`` (Dutch) if ``actor`` may not deactivate ``user`` now; else the blocking
    items that a forced deactivation will pass over. Writes nothing (the admin form uses it too)."""
    if not may_deactivate(actor, user):
        raise ValidationError(
            _("Alleen een teamleider van het team of een functioneel beheerder kan een medewerker uit dienst melden.")
        )
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("U kunt uzelf niet uit dienst melden."))
    if not user.is_active:
        raise ValidationError(_("%(user)s is al uit dienst gemeld.") % {"user": user})
    items = blocking_items(user)
    if items and not force:
        raise ValidationError(
            _(
                "%(user)s heeft nog open werk: %(items)s. Draag de casussen eerst over. Kan dat niet, meld de "
                "medewerker dan geforceerd uit dienst: de casussen raken hun regievoerder kwijt en de teamleider "
                "krijgt direct een signaal."
            )
            % {"user": user, "items": ", ".join(items)},
            code="open_work",
        )
    return items


@transaction.atomic
def user_deactivate(*, actor: User, user: User, force: bool = False) -> list[str]:
    """Deactivate ``user``: refused while guards report open work, unless ``force`` (teamleider or
    beheerder), in which case the ``on_forced`` hooks run in the same transaction.

    Team memberships are kept as history; an inactive user has no access anyway (``access.policy``).
    Returns the items that were passed over (empty without force). Locks the user row.
    """
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    items = check_deactivation(actor=actor, user=user, force=force)
    user.is_active = False
    user.save(update_fields=["is_active"])
    forget_cached_roles(user)
    if items:
        for hook in _forced_hooks:
            hook(actor=actor, user=user, items=items)
    return items
