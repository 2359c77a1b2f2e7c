from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation, Team, User
from .services import user_sync_groups


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["team", "role", "valid_from", "valid_to"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["is_active", "organisation"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Organisatie"), {"fields": ("organisation", "job_title", "phone")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Groups follow the memberships; the admin must not leave them stale.
        user_sync_groups(user=form.instance)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type"]
    list_filter = ["type"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
