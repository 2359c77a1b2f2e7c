"""Writes for people, teams and roles. Services are the only writers.

Roles follow memberships, and memberships follow the separation of duties of ``accounts.privileges``:
a membership starts only when a second person approves a role request (``role_request_decide``; the
one exception is the command-line bootstrap of the first functioneel beheerders), and nobody ends their
own. API keys are made by their owner only and stored as a hash.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import privileges
from .constants import API_TOKEN_MAX_ACTIVE, STAFF_ROLES, TEAM_GRANTABLE_ROLES, Role
from .models import ApiToken, Membership, Notification, RoleRequest, Team, User
from .selectors import forget_cached_roles


def user_sync_groups(*, user: User) -> None:
    """Make the user's Django groups equal to the roles of their current memberships, and ``is_staff``
    follow the roles that work in Beheer (a superuser keeps it: it exists only from ``createsuperuser``)."""
    roles = set(Membership.objects.current().filter(user=user).values_list("role", flat=True))
    user.groups.set(Group.objects.filter(name__in=roles))
    is_staff = user.is_superuser or bool(roles & STAFF_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    forget_cached_roles(user)


@transaction.atomic
def membership_add(
    *, actor: User | None, user: User, team: Team, role: str, valid_from: date | None = None
) -> Membership:
    """Start a membership. Callers: an approved role request (``role_request_decide``), the bootstrap
    command, the demo. A page never calls this directly: a grant takes a second person."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("U kunt uzelf geen rol geven."))
    if Membership.objects.filter(user=user, team=team, role=role, valid_to__isnull=True).exists():
        raise ValidationError(_("%(user)s heeft deze rol al in dit team.") % {"user": user})
    membership = Membership(user=user, team=team, role=role, valid_from=valid_from or timezone.localdate())
    membership.full_clean()
    membership.save()
    user_sync_groups(user=user)
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership, valid_to: date | None = None) -> Membership:
    """End a membership on ``valid_to`` (its last day; default today). One person suffices, since it only
    takes privilege away, but never for their own role. ``actor`` None: the system (a command or a job)."""
    if actor is not None:
        if actor.pk == membership.user_id:
            raise ValidationError(_("U kunt uw eigen rol niet beëindigen. Vraag een andere functioneel beheerder."))
        if not privileges.may_end_membership(actor, membership):
            raise ValidationError(_("Alleen een functioneel beheerder kan een rol beëindigen."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    end = valid_to or timezone.localdate()
    if end < membership.valid_from:
        raise ValidationError(_("De einddatum ligt voor de begindatum."))
    if membership.valid_to is not None and membership.valid_to <= end:
        raise ValidationError(_("Deze rol is al beëindigd."))
    membership.valid_to = end
    membership.ended_at = timezone.now()
    membership.ended_by = actor
    membership.full_clean()
    membership.save(update_fields=["valid_to", "ended_at", "ended_by"])
    user_sync_groups(user=membership.user)
    return membership


# Days the midnight job looks back, so a job that did not run for a few days (an outage) still catches up.
SYNC_GROUPS_WINDOW_DAYS = 7


def sync_groups_of_changed_memberships(*, on: date | None = None) -> int:
    """Re-sync the groups of users whose memberships started or ended in the days before ``on`` (default today).

    Groups change when a membership is added or ended; a membership that starts later, or ends on a date
    (its last day), changes the roles at midnight without any write. The daily job catches those, so a
    permission never outlives its role. Idempotent. Returns the number of users synced.
    Cost: one query for the users, then ``user_sync_groups`` per user (three or four queries each).
    """
    on = on or timezone.localdate()
    since = on - timedelta(days=SYNC_GROUPS_WINDOW_DAYS)
    user_ids = set(
        Membership.objects.filter(
            Q(valid_from__gt=since, valid_from__lte=on) | Q(valid_to__gte=since, valid_to__lt=on)
        ).values_list("user_id", flat=True)
    )
    for user in User.objects.filter(pk__in=user_ids):
        user_sync_groups(user=user)
    return len(user_ids)


# --- Role requests (four eyes) -----------------------------------------------------------------


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role else role


def _role_request_deciders(role_request: RoleRequest) -> list[User]:
    """Who can decide: active functioneel beheerders, and for a casework role the team's teamleiders,
    minus the requester and the subject. Cost: one query."""
    holders = Q(role=Role.BEHEERDER)
    if role_request.role in TEAM_GRANTABLE_ROLES:
        holders |= Q(role=Role.TEAMLEIDER, team_id=role_request.team_id)
    memberships = Membership.objects.current().filter(holders)
    return list(
        User.objects.filter(is_active=True, memberships__in=memberships)
        .exclude(pk__in=[role_request.requested_by_id, role_request.user_id])
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def role_request_create(*, actor: User, user: User, team: Team, role: str, reason: str) -> RoleRequest:
    """Ask for ``role`` in ``team`` for ``user``. Refused (Dutch ``ValidationError``) for oneself, for an
    actor who may not ask (``privileges.may_request_role``), an inactive user, a role the user already holds
    and a request already open. Notifies everyone who may decide.

    Cost: a handful of checks and the insert, one query for the deciders and an insert per notification."""
    if actor.pk == user.pk:
        raise ValidationError(_("U kunt geen rol voor uzelf aanvragen. Vraag een collega om het verzoek in te dienen."))
    if role not in Role:
        raise ValidationError({"role": _("Kies een bestaande rol.")})
    if not privileges.may_request_role(actor, team=team, role=role):
        if privileges.led_team_ids(actor) and not privileges.is_beheerder(actor):
            raise ValidationError(
                _(
                    "Als teamleider vraagt u alleen rollen voor het casuswerk van uw eigen team aan. Vraag een "
                    "functioneel beheerder om andere rollen."
                )
            )
        raise ValidationError(
            _("Alleen een functioneel beheerder, of een teamleider voor het eigen team, kan een rol aanvragen.")
        )
    if not user.is_active:
        raise ValidationError(_("%(user)s is niet actief.") % {"user": user})
    if not reason.strip():
        raise ValidationError({"reason": _("Geef aan waarom deze rol nodig is.")})
    if Membership.objects.current().filter(user=user, team=team, role=role).exists():
        raise ValidationError(_("%(user)s heeft deze rol al in dit team.") % {"user": user})
    if RoleRequest.objects.filter(user=user, team=team, role=role, status=RoleRequest.Status.PENDING).exists():
        raise ValidationError(
            _("Er staat al een verzoek open voor de rol %(role)s van %(user)s in %(team)s.")
            % {"role": _role_label(role), "user": user, "team": team}
        )
    role_request = RoleRequest(user=user, team=team, role=role, reason=reason.strip(), requested_by=actor)
    role_request.full_clean()
    role_request.save()
    url = reverse("accounts:role-requests")
    for decider in _role_request_deciders(role_request):
        notify(
            user=decider,
            title=_("Rolverzoek: %(role)s voor %(user)s (%(team)s)")
            % {"role": _role_label(role), "user": user, "team": team},
            url=url,
        )
    return role_request


@transaction.atomic
def role_request_decide(*, actor: User, role_request: RoleRequest, approve: bool, note: str = "") -> RoleRequest:
    """Approve or refuse a role request. Four eyes: the decider is neither the requester nor the subject,
    and is a functioneel beheerder or, for a casework role, a teamleider of the team. An approval starts the
    membership (``membership_add``) in the same transaction. Locks the request row.

    Cost: the locked read, the actor's memberships (cached per request), for an approval the membership
    insert and the group sync (``user_sync_groups``: three or four queries), the update and two notifications."""
    role_request = (
        RoleRequest.objects.select_for_update(of=("self",)).select_related("user", "team").get(pk=role_request.pk)
    )
    if role_request.status != RoleRequest.Status.PENDING:
        raise ValidationError(_("Over dit verzoek is al besloten."))
    if actor.pk == role_request.requested_by_id:
        raise ValidationError(
            _("U kunt niet besluiten over een verzoek dat u zelf heeft ingediend: daarvoor is het vier-ogenprincipe.")
        )
    if actor.pk == role_request.user_id:
        raise ValidationError(_("U kunt niet besluiten over een rol voor uzelf."))
    if not privileges.may_decide_role_request(actor, role_request):
        raise ValidationError(
            _(
                "Alleen een andere functioneel beheerder, of voor een rol in het casuswerk een teamleider van het "
                "team, kan over dit verzoek besluiten."
            )
        )
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"decision_note": _("Geef aan waarom u het verzoek afwijst.")})
    if approve:
        if not role_request.user.is_active:
            raise ValidationError(
                _("%(user)s is niet meer actief; het verzoek kan niet worden goedgekeurd.")
                % {"user": role_request.user}
            )
        role_request.membership = membership_add(
            actor=actor, user=role_request.user, team=role_request.team, role=role_request.role
        )
    role_request.status = RoleRequest.Status.APPROVED if approve else RoleRequest.Status.REFUSED
    role_request.decided_by = actor
    role_request.decided_at = timezone.now()
    role_request.decision_note = note
    role_request.full_clean()
    role_request.save()
    labels = {"role": _role_label(role_request.role), "user": role_request.user, "team": role_request.team}
    url = reverse("accounts:role-requests")
    notify(
        user=role_request.requested_by,
        title=(
            _("Rolverzoek goedgekeurd: %(role)s voor %(user)s (%(team)s)")
            if approve
            else _("Rolverzoek afgewezen: %(role)s voor %(user)s (%(team)s)")
        )
        % labels,
        body=note,
        url=url,
    )
    if approve:
        notify(user=role_request.user, title=_("U heeft nu de rol %(role)s in %(team)s.") % labels)
    return role_request


@transaction.atomic
def role_request_withdraw(*, actor: User, role_request: RoleRequest) -> RoleRequest:
    """The requester withdraws an open request. Locks the request row."""
    role_request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    if role_request.requested_by_id != actor.pk:
        raise ValidationError(_("Alleen wie het verzoek indiende, kan het intrekken."))
    if role_request.status != RoleRequest.Status.PENDING:
        raise ValidationError(_("Over dit verzoek is al besloten."))
    role_request.status = RoleRequest.Status.WITHDRAWN
    role_request.decided_at = timezone.now()
    role_request.full_clean()
    role_request.save(update_fields=["status", "decided_at"])
    return role_request


# --- API keys ------------------------------------------------------------------------------------

# "crg_" marks a Casusregie key, so secret scanners and people recognise one that leaked.
API_TOKEN_MARK = "crg_"  # noqa: S105 - a fixed label in front of every key, not a secret
# Characters of the key kept in the clear to tell keys apart: the mark and 8 random characters (48 bits
# of the 256), far too few to guess the rest from.
API_TOKEN_PREFIX_LENGTH = len(API_TOKEN_MARK) + 8
# Writing "last used" at most this often keeps a busy integration from writing on every request.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Make an API key for ``user``, who must be the actor: nobody makes a key for someone else (it would
    act as them). Returns the token and the key; the key is shown once and never stored, only its hash.

    Cost: one locked read of the user's active keys and the insert."""
    if actor.pk != user.pk:
        raise ValidationError(_("U kunt alleen voor uzelf een API-sleutel maken."))
    if not user.is_active:
        raise ValidationError(_("%(user)s is niet actief.") % {"user": user})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Geef de sleutel een naam, zodat u hem later herkent.")})
    active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if len(active) >= API_TOKEN_MAX_ACTIVE:
        raise ValidationError(
            _("U heeft al %(count)s actieve API-sleutels. Trek er eerst een in.") % {"count": API_TOKEN_MAX_ACTIVE}
        )
    if any(token.name == name for token in active):
        raise ValidationError({"name": _("U heeft al een API-sleutel met deze naam.")})
    key = API_TOKEN_MARK + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=key[:API_TOKEN_PREFIX_LENGTH], key_hash=api_token_hash(key))
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a key: its owner, or a functioneel beheerder for anyone's key. Takes effect on the next request."""
    if actor.pk != token.user_id and not privileges.is_beheerder(actor):
        raise ValidationError(_("U kunt alleen uw eigen API-sleutels intrekken."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("Deze API-sleutel is al ingetrokken."))
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.full_clean()
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the key was used now; at most once per ``API_TOKEN_TOUCH_INTERVAL`` (then one UPDATE)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def notify(*, user: User, title: str, body: str = "", url: str = "") -> Notification:
    """Put a message in the user's inbox. Never put a client's name or BSN in it."""
    notification = Notification(user=user, title=title[:200], body=body, url=url)
    notification.full_clean()
    notification.save()
    return notification


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise ValidationError(_("Dit bericht is niet voor u."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


# How far ahead an inbox item may be snoozed: further than a quarter means it is not a reminder but a wish.
SNOOZE_MAX_DAYS = 90


def _check_owner(*, user: User, notification: Notification) -> None:
    if notification.user_id != user.pk:
        raise ValidationError(_("Dit bericht is niet voor u."))


@transaction.atomic
def notification_mark_done(*, user: User, notification: Notification) -> Notification:
    """Mark an inbox item as handled: it leaves the open list, the bell and the digest. Idempotent."""
    _check_owner(user=user, notification=notification)
    if notification.done_at is None:
        now = timezone.now()
        notification.done_at = now
        notification.read_at = notification.read_at or now
        notification.snoozed_until = None
        notification.save(update_fields=["done_at", "read_at", "snoozed_until"])
    return notification


@transaction.atomic
def notification_reopen(*, user: User, notification: Notification) -> Notification:
    """Put a handled (or snoozed) item back in the open list. The user is looking at it, so it stays read."""
    _check_owner(user=user, notification=notification)
    if notification.done_at is not None or notification.snoozed_until is not None:
        notification.done_at = None
        notification.snoozed_until = None
        notification.save(update_fields=["done_at", "snoozed_until"])
    return notification


@transaction.atomic
def notification_snooze(*, user: User, notification: Notification, until: date) -> Notification:
    """Hide an open item until ``until`` (a future date, at most ``SNOOZE_MAX_DAYS`` ahead).

    On that date it is open again as if new: unread (it counts in the bell again) and not yet e-mailed
    (the next digest names it again).
    """
    _check_owner(user=user, notification=notification)
    if notification.done_at is not None:
        raise ValidationError(_("Een afgehandeld bericht kunt u niet uitstellen. Heropen het eerst."))
    today = timezone.localdate()
    if until <= today:
        raise ValidationError(_("Kies een datum na vandaag om het bericht tot dan uit te stellen."))
    if until > today + timedelta(days=SNOOZE_MAX_DAYS):
        raise ValidationError(_("U kunt een bericht hoogstens %(days)s dagen uitstellen.") % {"days": SNOOZE_MAX_DAYS})
    notification.snoozed_until = until
    notification.read_at = None
    notification.emailed_at = None
    notification.save(update_fields=["snoozed_until", "read_at", "emailed_at"])
    return notification
