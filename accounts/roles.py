"""Roles as Django groups, and the model permissions each role holds.

The groups are created by a data migration (0002). Model permissions only
exist once every app has migrated, so the mapping below is (re)applied after
each ``migrate`` run; it is idempotent and the single source of truth.

Model permissions say what kind of record a role may work with at all; which
*objects* (cases, clients) a user may see is decided by ``access.policy``.
Patterns: ``"app.codename"`` or ``"app.action_*"`` for every model of an app.
"""

from __future__ import annotations

from django.db.models import Q

from .constants import Role

_CASEWORK = [
    "accounts.view_organisation",
    "accounts.view_team",
    "accounts.view_user",
    "cases.view_*",
    "cases.add_*",
    "cases.change_*",
    "workplans.view_*",
    "workplans.add_*",
    "workplans.change_*",
    "consent.view_consent",
    "consent.add_consent",
    "consent.change_consent",
    "reminders.view_*",
    "reminders.change_*",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.WIJKCOACH: _CASEWORK,
    Role.KLANTMANAGER: _CASEWORK,
    Role.WERKCOACH: _CASEWORK,
    Role.REGISSEUR: _CASEWORK,
    Role.TEAMLEIDER: [*_CASEWORK, "accounts.view_membership"],
    Role.BELEID: ["reports.view_*", "reports.add_*"],
    Role.FG: [
        "consent.view_*",
        "consent.change_breakglassgrant",
        "consent.add_correctionrequest",
        "consent.change_correctionrequest",
        "consent.add_legalhold",
        "consent.change_legalhold",
        "accounts.view_user",
        "accounts.view_organisation",
    ],
    Role.BEHEERDER: [
        # People, organisations and teams in Beheer. Memberships, role requests and API keys only to look at:
        # they change through the services (four eyes, own keys only), never through an admin form.
        "accounts.*_organisation",
        "accounts.*_team",
        "accounts.*_user",
        "accounts.view_membership",
        "accounts.view_rolerequest",
        "accounts.view_apitoken",
        "consent.view_purpose",
        "consent.add_purpose",
        "consent.change_purpose",
        "consent.view_retentionpolicy",
        "consent.change_retentionpolicy",
        "reminders.view_*",
        "reminders.add_*",
        "reminders.change_*",
        "cases.view_*settings",
        "cases.add_*settings",
        "cases.change_*settings",
        "workplans.view_*settings",
        "workplans.add_*settings",
        "workplans.change_*settings",
    ],
    Role.PARTNER: ["cases.view_*", "workplans.view_*", "accounts.view_organisation"],
}


def _permission_filter(pattern: str) -> Q:
    app_label, codename = pattern.split(".", 1)
    q = Q(content_type__app_label=app_label)
    if codename == "*":
        return q
    if "*" in codename:
        prefix, suffix = codename.split("*", 1)
        return q & Q(codename__startswith=prefix) & Q(codename__endswith=suffix)
    return q & Q(codename=codename)


def sync_role_permissions(group_model, permission_model) -> None:
    """Give every role group exactly the permissions of ``ROLE_PERMISSIONS``."""
    for role in Role:
        group, _created = group_model.objects.get_or_create(name=role.value)
        query = Q(pk__in=[])
        for pattern in ROLE_PERMISSIONS[role]:
            query |= _permission_filter(pattern)
        group.permissions.set(permission_model.objects.filter(query))


def sync_role_permissions_after_migrate(sender, **kwargs) -> None:
    # Run once per migrate, after the last app: the accounts app is listed last.
    if sender.name != "accounts":
        return
    from django.contrib.auth.models import Group, Permission

    sync_role_permissions(Group, Permission)
