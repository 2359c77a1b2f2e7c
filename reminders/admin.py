from django.contrib import admin

from .models import THRESHOLD_FIELDS, TeamReminderSettings


@admin.register(TeamReminderSettings)
class TeamReminderSettingsAdmin(admin.ModelAdmin):
    """Per-team thresholds of the reminder rules (issue #7); a team without a row uses the defaults."""

    list_display = ["team", *THRESHOLD_FIELDS]
    list_select_related = ["team"]
    fields = ["team", *THRESHOLD_FIELDS]

    def has_add_permission(self, request) -> bool:
        # The roles grant the beheerder view and change on reminders; a team has no row until its thresholds
        # differ from the defaults, so whoever may change the thresholds may also give a team its row.
        return super().has_add_permission(request) or request.user.has_perm("reminders.change_teamremindersettings")
