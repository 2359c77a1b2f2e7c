"""Functioneel beheer of the privacy app: purposes and retention periods are managed here (and audited);
the access log, disclosures and the retention register are read-only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.constants import OrganisationType

from .constants import DataCategory
from .models import (
    AccessLogEntry,
    BreakGlassGrant,
    Consent,
    Disclosure,
    LegalHold,
    Purpose,
    RetentionPolicy,
    RetentionRecord,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only registers: nobody adds, changes or deletes rows through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PurposeForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Gegevenscategorieën"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    recipient_types = forms.MultipleChoiceField(
        label=_("Soorten ontvangende organisaties"),
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Purpose
        fields = [
            "code",
            "name",
            "description",
            "law",
            "legal_basis",
            "special_ground",
            "criminal_ground",
            "categories",
            "recipient_types",
            "active",
        ]


@admin.register(Purpose)
class PurposeAdmin(admin.ModelAdmin):
    """Purposes (doelen): legal basis, art. 9/10 grounds, data categories and recipients. Changes are audited."""

    form = PurposeForm
    list_display = ["name", "code", "law", "legal_basis", "special_ground", "active"]
    list_filter = ["law", "legal_basis", "active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: consents and disclosures refer to it


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["law", "years", "action", "source"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "route", "case_id", "client_id", "purpose", "task"]
    list_filter = ["action"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    show_full_result_count = False


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ["at", "channel", "recipient_organisation", "recipient_user", "purpose", "legal_basis", "case_id"]
    list_filter = ["channel", "legal_basis"]
    date_hierarchy = "at"
    list_select_related = ["recipient_organisation", "recipient_user", "purpose"]


@admin.register(RetentionRecord)
class RetentionRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "case_number", "law", "closed_on", "due_on", "action"]
    list_filter = ["action", "law"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """Consents are recorded and withdrawn on the case tab (services check the rules); here only to read."""

    list_display = ["purpose", "recipient_organisation", "recipient_type", "given_at", "expires_at", "withdrawn_at"]
    list_filter = ["purpose"]
    list_select_related = ["purpose", "recipient_organisation"]


@admin.register(BreakGlassGrant)
class BreakGlassGrantAdmin(ReadOnlyAdmin):
    list_display = ["user", "case", "granted_at", "expires_at", "verdict"]
    list_select_related = ["user", "case"]


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ["case", "placed_by", "placed_at", "lifted_at"]
    list_select_related = ["case", "placed_by"]
