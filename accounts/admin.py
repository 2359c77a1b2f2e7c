from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import deactivation
from .models import Membership, Organisation, Team, User
from .services import user_sync_groups


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["team", "role", "valid_from", "valid_to"]


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


def _with_force_field(fieldsets):
    result = []
    for name, options in fieldsets:
        fields = list(options["fields"])
        if "is_active" in fields:
            fields.insert(fields.index("is_active") + 1, "force_deactivation")
        result.append((name, {**options, "fields": tuple(fields)}))
    return tuple(result)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["is_active", "organisation"]
    actions = ["deactivate_users"]
    # Django's own fieldsets (and their translations), with the force box right under "actief".
    fieldsets = (
        *_with_force_field(DjangoUserAdmin.fieldsets),
        (_("Organisatie"), {"fields": ("organisation", "job_title", "phone")}),
    )

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
