from django.contrib import admin

from .models import ProgressReport


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """The archive of frozen reports, read-only: a report is never edited, a new period gets a new report."""

    list_display = ["__str__", "period_start", "period_end", "trigger", "generated_at", "generated_by"]
    list_filter = ["trigger"]
    fields = ["period_start", "period_end", "trigger", "generated_at", "generated_by"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
