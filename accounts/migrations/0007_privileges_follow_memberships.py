"""Bring existing privileges in line with memberships, once, on upgrade.

Until now Beheer let anyone with the user form set groups, raw permissions and the staff flag, their own
included (security review, finding 1). From now on groups and ``is_staff`` follow memberships
(``accounts.services.user_sync_groups``) and raw permissions are not used at all, so this clears whatever
was set by hand. ``is_superuser`` is left alone: a technical superuser from ``createsuperuser`` cannot be
told apart from a flag set in Beheer, so whoever upgrades reviews the superusers (the release notes say so).
"""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

# As in accounts.constants.STAFF_ROLES (a migration does not import code that may change).
STAFF_ROLES = {"beheerder", "fg"}


def privileges_follow_memberships(apps, schema_editor):
    user_model = apps.get_model("accounts", "User")
    membership_model = apps.get_model("accounts", "Membership")
    group_model = apps.get_model("auth", "Group")
    alias = schema_editor.connection.alias if schema_editor is not None else "default"
    today = timezone.localdate()
    groups = {group.name: group for group in group_model.objects.using(alias).all()}
    current = membership_model.objects.using(alias).filter(
        Q(valid_from__lte=today), Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    roles_of: dict[int, set[str]] = {}
    for user_id, role in current.values_list("user_id", "role"):
        roles_of.setdefault(user_id, set()).add(role)
    for user in user_model.objects.using(alias).all().iterator():
        roles = roles_of.get(user.pk, set())
        user.groups.set([groups[role] for role in roles if role in groups])
        user.user_permissions.clear()
        is_staff = user.is_superuser or bool(roles & STAFF_ROLES)
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_drop_drf_authtoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(privileges_follow_memberships, migrations.RunPython.noop)]
