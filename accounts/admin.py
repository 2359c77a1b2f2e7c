"""Beheer (the Django admin) for people, organisations and teams.

Separation of duties: privileges are not edited here, not even by a superuser. Roles (Django groups) and
``is_staff`` follow memberships (``services.user_sync_groups``); a membership starts only through an approved
role request (four eyes, the page "Rolverzoeken") and ends through ``services.membership_end``. So the user
form has no privilege flags, groups or permissions, the membership inline is read-only, groups are not
registered, and only the superuser sets someone else's password (otherwise a beheerder could log in as the
colleague who has to approve their request).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import deactivation
from .constants import Role
from .models import Membership, Organisation, Team, User
from .services import user_sync_groups

# Groups are the roles (``accounts.roles``): their permissions are code, re-applied after every migrate.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)

# The fields a change form must never offer: privilege flags, groups and raw permissions.
PRIVILEGE_FIELDS = frozenset({"is_superuser", "is_staff", "groups", "user_permissions"})


class MembershipInline(admin.TabularInline):
    """The user's memberships, read-only: they change through role requests and ``membership_end``."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = readonly_fields = ["team", "role", "valid_from", "valid_to"]
    can_delete = False
    verbose_name_plural = _("teamlidmaatschappen (wijzigen via Rolverzoeken)")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class UserChangeForm(DjangoUserChangeForm):
    """Unticking "actief" goes through ``accounts.deactivation``: refused while the user has open work,
    unless "toch uit dienst melden" is ticked by someone allowed to force it."""

    force_deactivation = forms.BooleanField(
        label=_("Toch uit dienst melden"),
        required=False,
        help_text=_(
            "Alleen als de open casussen niet eerst kunnen worden overgedragen: zij verliezen dan hun regievoerder "
            "en de teamleider krijgt direct een signaal."
        ),
    )
    actor = None  # set per request by ``UserAdmin.get_form``

    def deactivating(self) -> bool:
        return bool(self.instance.pk and self.initial.get("is_active") and not self.cleaned_data.get("is_active"))

    def clean(self):
        data = super().clean()
        if self.deactivating():
            try:
                deactivation.check_deactivation(
                    actor=self.actor, user=self.instance, force=bool(data.get("force_deactivation"))
                )
            except ValidationError as exc:
                self.add_error("is_active", exc)
        return data


def _user_fieldsets(fieldsets):
    """Django's fieldsets without the privilege fields, with the force box right under "actief"."""
    result = []
    for name, options in fieldsets:
        fields = [field for field in options["fields"] if field not in PRIVILEGE_FIELDS]
        if "is_active" in fields:
            fields.insert(fields.index("is_active") + 1, "force_deactivation")
            fields.append("roles")  # read-only: what the memberships give
        result.append((name, {**options, "fields": tuple(fields)}))
    return tuple(result)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["is_active", "organisation"]
    actions = ["deactivate_users"]
    # Django's own fieldsets (and their translations) without the privilege fields.
    fieldsets = (
        *_user_fieldsets(DjangoUserAdmin.fieldsets),
        (_("Organisatie"), {"fields": ("organisation", "job_title", "phone")}),
    )
    readonly_fields = ["roles", "last_login", "date_joined"]
    filter_horizontal = ()

    @admin.display(description=_("Rollen"))
    def roles(self, obj: User) -> str:
        names = (
            sorted(str(Role(group.name).label) for group in obj.groups.all() if group.name in Role) if obj.pk else []
        )
        flags = [str(_("technisch beheerder (superuser)"))] if obj.is_superuser else []
        return ", ".join([*names, *flags]) or "–"

    def user_change_password(self, request, id, form_url=""):
        # A password set by someone else lets them log in as that person, and so approve their own role
        # request as the colleague. Everyone changes their own password; only the superuser resets another's.
        if not request.user.is_superuser and str(id) != str(request.user.pk):
            raise PermissionDenied(_("Alleen de technisch beheerder kan het wachtwoord van een ander instellen."))
        return super().user_change_password(request, id, form_url)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, UserChangeForm):
            # A subclass per request: the actor must not be shared between requests.
            form = type(form.__name__, (form,), {"actor": request.user})
        return form

    def save_model(self, request, obj, form, change):
        deactivating = change and isinstance(form, UserChangeForm) and form.deactivating()
        if deactivating:
            obj.is_active = True  # the service deactivates, after its guard, with its hooks
        super().save_model(request, obj, form, change)
        if deactivating:
            try:
                passed_over = deactivation.user_deactivate(
                    actor=request.user, user=obj, force=form.cleaned_data.get("force_deactivation", False)
                )
            except ValidationError as exc:  # open work appeared since the form was checked
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                obj.is_active = False
                if passed_over:
                    self.message_user(
                        request,
                        _("%(user)s is uit dienst gemeld. Zonder regievoerder: %(items)s.")
                        % {"user": obj, "items": ", ".join(passed_over)},
                        messages.WARNING,
                    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Groups follow the memberships; the admin must not leave them stale.
        user_sync_groups(user=form.instance)

    @admin.action(description=_("Uit dienst melden (alleen zonder open casussen)"))
    def deactivate_users(self, request, queryset):
        done = 0
        for user in queryset.filter(is_active=True):
            try:
                deactivation.user_deactivate(actor=request.user, user=user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d medewerker uit dienst gemeld.", "%(count)d medewerkers uit dienst gemeld.", done)
                % {"count": done},
                messages.SUCCESS,
            )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type"]
    list_filter = ["type"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
